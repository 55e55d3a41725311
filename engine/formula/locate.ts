/**
 * mathjs syntax trees carry no source positions, so refusals find their column
 * by walking the tree in the order its tokens appear in the text and matching
 * each node's token from a cursor that only moves forward.
 */
import type { FormulaNode, MathNode } from './math';

type AnyNode = FormulaNode;

export interface Located {
  node: AnyNode;
  /** 0-based index into the source, or -1 when the token could not be found. */
  index: number;
  length: number;
}


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function findWord(source: string, word: string, from: number): number {
  const re = new RegExp(`(?<![\\p{L}\\p{N}_$])${escapeRegExp(word)}(?![\\p{L}\\p{N}_$])`, 'gu');
  re.lastIndex = from;
  const m = re.exec(source);
  return m ? m.index : -1;
}

const NUMBER = /(?:0[xXbBoO][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/g;

/** The token that stands for a node in the text, and how to find it. */
function tokenOf(node: AnyNode): { text: string; word: boolean } | 'number' | null {
  switch (node.type) {
    case 'SymbolNode':
      return { text: node.name, word: true };
    case 'FunctionNode':
      return node.fn?.type === 'SymbolNode' ? { text: node.fn.name, word: true } : { text: '(', word: false };
    case 'FunctionAssignmentNode':
      return { text: node.name, word: true };
    case 'ConstantNode':
      if (typeof node.value === 'string') return { text: '"', word: false };
      if (typeof node.value === 'number') return 'number';
      return { text: String(node.value), word: true };
    case 'OperatorNode':
      if (node.implicit) return null;
      return { text: node.op, word: /^[a-z]/.test(node.op) };
    case 'ParenthesisNode':
      return { text: '(', word: false };
    case 'ArrayNode':
      return { text: '[', word: false };
    case 'AssignmentNode':
      return { text: '=', word: false };
    case 'ObjectNode':
      return { text: '{', word: false };
    case 'RangeNode':
      return { text: ':', word: false };
    case 'ConditionalNode':
      return { text: '?', word: false };
    case 'AccessorNode':
      return { text: node.index?.dotNotation ? '.' : '[', word: false };
    case 'IndexNode':
      return null;
    case 'BlockNode':
      return { text: ';', word: false };
    default:
      return null;
  }
}

function find(source: string, node: AnyNode, from: number): { index: number; length: number } {
  const token = tokenOf(node);
  if (token === null) return { index: -1, length: 0 };
  if (token === 'number') {
    NUMBER.lastIndex = from;
    const m = NUMBER.exec(source);
    return m ? { index: m.index, length: m[0].length } : { index: -1, length: 0 };
  }
  if (token.word) {
    const index = findWord(source, token.text, from);
    return { index, length: token.text.length };
  }
  let index = source.indexOf(token.text, from);
  if (node.type === 'AssignmentNode') {
    // Skip the = of ==, <=, >=, !=.
    while (index >= 0 && (/[=<>!]/.test(source[index - 1] ?? '') || source[index + 1] === '=')) {
      index = source.indexOf('=', index + 2);
    }
  }
  if (node.type === 'BlockNode' && index < 0) index = source.indexOf('\n', from);
  return { index, length: token.text.length };
}

function isPostfix(node: AnyNode): boolean {
  return node.type === 'OperatorNode' && (node.fn === 'factorial' || node.fn === 'ctranspose');
}

/** Children in the order their text appears, with the node's own token placed among them. */
function textOrder(node: AnyNode): Array<AnyNode | 'self'> {
  switch (node.type) {
    case 'OperatorNode':
      if (node.args.length === 2) return [node.args[0], 'self', node.args[1]];
      return isPostfix(node) ? [...node.args, 'self'] : ['self', ...node.args];
    case 'AssignmentNode':
      return [node.object, 'self', node.value as AnyNode];
    case 'ConditionalNode':
      return [node.condition, 'self', node.trueExpr, node.falseExpr];
    case 'RangeNode':
      return [node.start, 'self', node.end, ...(node.step ? [node.step] : [])];
    case 'AccessorNode':
      return [node.object, 'self', node.index];
    case 'BlockNode':
      return node.blocks.flatMap((b: { node: AnyNode }, i: number) => (i === 0 ? [b.node] : ['self', b.node]));
    case 'RelationalNode':
      return node.params.flatMap((p: AnyNode, i: number) => (i === 0 ? [p] : ['self', p]));
    case 'FunctionNode':
      return ['self', ...node.args];
    case 'IndexNode':
      return ['self', ...node.dimensions];
    default: {
      const children: AnyNode[] = [];
      node.forEach((child: AnyNode) => children.push(child));
      return ['self', ...children];
    }
  }
}

/** Every node of the tree with its position, in text order. */
export function locateAll(root: MathNode, source: string): Located[] {
  const out: Located[] = [];
  let cursor = 0;
  const walk = (node: AnyNode, depth: number): void => {
    if (depth > 2000) return;
    for (const part of textOrder(node)) {
      if (part === 'self') {
        const { index, length } = find(source, node, cursor);
        if (index >= 0) cursor = index + length;
        out.push({ node, index, length });
      } else if (part) {
        walk(part, depth + 1);
      }
    }
  };
  walk(root as AnyNode, 0);
  return out;
}
