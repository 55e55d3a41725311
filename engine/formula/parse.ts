/**
 * Parse a formula with mathjs, refuse everything outside the whitelist with a
 * message that names the construct and its column, and normalize the accepted
 * tree (aliases rewritten, parentheses kept for display only).
 */
import { parse as mathParse, nodeTypes, type FormulaNode, type MathNode } from './math';
import { locateAll, type Located } from './locate';
import { ALIASES, CONSTANTS, FORBIDDEN_FUNCTIONS, FUNCTIONS, isKnownFunction, knownFunctionNames } from './functions';
import { suggest } from './suggest';
import type { Words } from '../spec/common';
import { lengthRefusal, MAX_FORMULA_LENGTH } from './limits';

export { MAX_FORMULA_LENGTH };

type AnyNode = FormulaNode;

const MAX_NODES = 20_000;
/** Deeper trees (x^x^x^…, - - - x, long sums: mathjs nests them pairwise) overflow the recursive passes that follow; 800 levels already do in Node. */
export const MAX_DEPTH = 400;

/** The depth of the syntax tree, measured without recursion. */
function treeDepth(root: MathNode): number {
  let deepest = 0;
  const stack: Array<[MathNode, number]> = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [MathNode, number];
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_DEPTH) return deepest;
    node.forEach((child: MathNode) => stack.push([child, depth + 1]));
  }
  return deepest;
}

/** A formula the lab cannot use, with where and why. `column` is 1-based; 0 when it names no place. */
export class FormulaError extends Error {
  override name = 'FormulaError';
  constructor(
    message: string,
    readonly column: number,
    readonly length: number = 1,
    /** The message as an id and its values, for an interface in another language (`message` is its English). */
    readonly words?: Words,
  ) {
    super(message);
  }
}

export interface ParsedFormula {
  text: string;
  /** The normalized tree: only whitelisted nodes, aliases rewritten. */
  tree: MathNode;
  /** Variables in order of first appearance, or as named by the caller. */
  vars: string[];
}

export interface ParseOptions {
  /** Name the variables and their order; symbols outside this list are refused. */
  vars?: readonly string[];
}

const OPERATOR_NAMES: Record<string, string> = {
  '%': 'The modulo operator %',
  mod: 'The modulo operator mod',
  '!': 'The factorial operator !',
  "'": "The transpose operator '",
  '==': 'The comparison ==',
  '!=': 'The comparison !=',
  '<': 'The comparison <',
  '>': 'The comparison >',
  '<=': 'The comparison <=',
  '>=': 'The comparison >=',
  and: 'The logical operator and',
  or: 'The logical operator or',
  xor: 'The logical operator xor',
  not: 'The logical operator not',
  to: 'Unit conversion (to)',
  in: 'Unit conversion (in)',
  '.*': 'The element-wise operator .* (use *)',
  './': 'The element-wise operator ./ (use /)',
  '.^': 'The element-wise operator .^ (use ^)',
  '&': 'The bitwise operator &',
  '|': 'The bitwise operator |',
  '^|': 'The bitwise operator ^|',
  '~': 'The bitwise operator ~',
  '<<': 'The bit shift <<',
  '>>': 'The bit shift >>',
  '>>>': 'The bit shift >>>',
  '?': 'The conditional operator ?',
};

const NODE_NAMES: Record<string, [what: string, verb: 'is' | 'are', advice: string]> = {
  AssignmentNode: ['Assignment (=)', 'is', 'type just the expression, e.g. x^2 + y^2 rather than f = x^2 + y^2'],
  FunctionAssignmentNode: ['Defining a function', 'is', 'type just the expression, e.g. x^2 + y^2 rather than f(x, y) = x^2 + y^2'],
  ArrayNode: ['Matrices and vectors ([ ])', 'are', 'the formula must give a single number'],
  ObjectNode: ['Objects ({ })', 'are', 'the formula must give a single number'],
  RangeNode: ['Ranges (a:b)', 'are', 'the formula must give a single number'],
  ConditionalNode: ['Conditional expressions (a ? b : c)', 'are', 'min(a, b), max(a, b) or abs(x) may do what you need'],
  AccessorNode: ['Property or index access', 'is', 'the formula must use only numbers, variables and functions'],
  IndexNode: ['Property or index access', 'is', 'the formula must use only numbers, variables and functions'],
  BlockNode: ['A second expression (after ; or a new line)', 'is', 'type a single expression'],
  RelationalNode: ['Comparisons', 'are', 'the formula must give a single number'],
};

function columnText(located: Located | undefined): string {
  return located && located.index >= 0 ? ` at column ${located.index + 1}` : '';
}

function refuse(located: Located | undefined, message: string, words?: FormulaError['words']): never {
  const column = located && located.index >= 0 ? located.index + 1 : 0;
  throw new FormulaError(message, column, Math.max(1, located?.length ?? 1), words);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function arityText(spec: { minArgs: number; maxArgs: number }): string {
  if (spec.minArgs === spec.maxArgs) return plural(spec.minArgs, 'argument');
  if (spec.maxArgs > 8) return `at least ${plural(spec.minArgs, 'argument')}`;
  return `${spec.minArgs} to ${spec.maxArgs} arguments`;
}

function checkFunction(at: Located, node: AnyNode): void {
  if (node.fn?.type !== 'SymbolNode') {
    refuse(at, `Calling the result of an expression${columnText(at)} is not supported`, at.index >= 0 ? { id: 'callingResult', values: { column: at.index + 1 } } : undefined);
  }
  const name: string = node.fn.name;
  if (FORBIDDEN_FUNCTIONS.has(name)) {
    refuse(at, `The function ${name}${columnText(at)} is not allowed in a formula`, { id: 'functionNotAllowed', values: { name, column: at.index + 1 } });
  }
  const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
  if (!spec) {
    const hint = suggest(name, knownFunctionNames());
    refuse(at, `Unknown function ${name}${columnText(at)}${hint ? ` — did you mean ${hint}?` : ' — see the list of functions in Help'}`, {
      id: hint ? 'unknownFunctionHint' : 'unknownFunction',
      values: { name, column: at.index + 1, hint: hint ?? '' },
    });
  }
  const count = node.args.length;
  if (count < spec.minArgs || count > spec.maxArgs) {
    refuse(at, `${name}${columnText(at)} takes ${arityText(spec)}, but was given ${count}`, at.index >= 0 ? { id: 'arity', values: { name, column: at.index + 1, takes: arityText(spec), count, min: spec.minArgs, max: spec.maxArgs } } : undefined);
  }
}

function checkSymbol(at: Located, node: AnyNode, allowed: ReadonlySet<string> | undefined): void {
  const name: string = node.name;
  if (name.startsWith('__')) refuse(at, `Names starting with __ are reserved${columnText(at)}: rename ${name}`, at.index >= 0 ? { id: 'reservedName', values: { name, column: at.index + 1 } } : undefined);
  if (allowed?.has(name)) return;
  if (Object.hasOwn(CONSTANTS, name)) return;
  if (name === 'i') refuse(at, `Complex numbers are not supported: i${columnText(at)} is the imaginary unit. Name the variable differently`, at.index >= 0 ? { id: 'imaginaryUnit', values: { column: at.index + 1 } } : undefined);
  if (['Infinity', 'NaN', 'null', 'undefined', 'true', 'false'].includes(name)) {
    refuse(at, `${name}${columnText(at)} is not a usable number`, at.index >= 0 ? { id: 'notUsableNumber', values: { name, column: at.index + 1 } } : undefined);
  }
  if (isKnownFunction(name)) refuse(at, `${name}${columnText(at)} is a function: write it with parentheses, e.g. ${name}(x)`, { id: 'needsParentheses', values: { name, column: at.index + 1 } });
  if (allowed) {
    const hint = suggest(name, [...allowed]);
    refuse(at, `Unknown variable ${name}${columnText(at)}: the variables are ${[...allowed].join(', ')}${hint ? ` — did you mean ${hint}?` : ''}`, {
      id: hint ? 'unknownVariableHint' : 'unknownVariable',
      values: { name, column: at.index + 1, variables: [...allowed].join(', '), hint: hint ?? '' },
    });
  }
}

function validate(tree: MathNode, text: string, allowed: ReadonlySet<string> | undefined): void {
  const located = locateAll(tree, text);
  if (located.length > MAX_NODES) throw new FormulaError(`The formula is too large (${located.length} parts; at most ${MAX_NODES})`, 0, 1, { id: 'tooLarge', values: { parts: located.length, max: MAX_NODES } });
  for (const at of located) {
    const node = at.node;
    switch (node.type) {
      case 'ConstantNode':
        if (typeof node.value !== 'number') {
          const what = typeof node.value === 'string' ? 'Text in quotes' : String(node.value);
          refuse(at, `${what}${columnText(at)} is not a number: the formula must use only numbers, variables and functions`, typeof node.value === 'string' ? { id: 'textInQuotes', values: { column: at.index + 1 } } : undefined);
        }
        break;
      case 'SymbolNode':
        checkSymbol(at, node, allowed);
        break;
      case 'ParenthesisNode':
        break;
      case 'OperatorNode': {
        const binary = node.args.length === 2 && ['+', '-', '*', '/', '^'].includes(node.op);
        const unary = node.args.length === 1 && (node.fn === 'unaryMinus' || node.fn === 'unaryPlus');
        if (!binary && !unary) {
          const what = OPERATOR_NAMES[node.op] ?? `The operator ${node.op}`;
          refuse(at, `${what}${columnText(at)} is not supported`, { id: 'operatorNotSupported', values: { what, op: node.op, column: at.index + 1 } });
        }
        break;
      }
      case 'FunctionNode':
        checkFunction(at, node);
        break;
      default: {
        const [what, verb, advice] = NODE_NAMES[node.type] ?? [node.type, 'is', 'the formula must use only numbers, variables and functions'];
        const worded = Object.hasOwn(NODE_NAMES, node.type) && at.index >= 0 ? { id: `node${node.type}`, values: { column: at.index + 1 } } : undefined;
        refuse(at, `${what}${columnText(at)} ${verb} not supported: ${advice}`, worded);
      }
    }
  }
}

const { OperatorNode, FunctionNode, ConstantNode } = nodeTypes as unknown as Record<string, new (...args: unknown[]) => AnyNode>;

/** Rewrite aliases into the functions and operators the rest of the engine knows, and n-ary min, max and hypot into binary calls. */
function normalize(tree: MathNode): MathNode {
  return (tree as AnyNode).transform((node: AnyNode) => {
    if (node.type !== 'FunctionNode') return node;
    const args = node.args.map((a: AnyNode) => normalize(a) as AnyNode);
    switch (node.fn.name) {
      case 'ln':
        return new FunctionNode('log', args);
      case 'pow':
        return new OperatorNode('^', 'pow', args);
      case 'square':
        return new OperatorNode('^', 'pow', [args[0], new ConstantNode(2)]);
      case 'cube':
        return new OperatorNode('^', 'pow', [args[0], new ConstantNode(3)]);
      case 'min':
      case 'max':
      case 'hypot':
        // The binary torch functions, nested left to right: min(a, b, c) = min(min(a, b), c).
        return args.slice(1).reduce((acc, b) => new FunctionNode(node.fn.name, [acc, b]), args[0]);
      default:
        return new FunctionNode(node.fn.name, args);
    }
  });
}

/** Free variables in order of first appearance in the text. */
function freeSymbols(tree: MathNode, text: string): string[] {
  const seen: string[] = [];
  for (const { node } of locateAll(tree, text)) {
    if (node.type === 'SymbolNode' && !Object.hasOwn(CONSTANTS, node.name) && !seen.includes(node.name)) seen.push(node.name);
  }
  return seen;
}

function syntaxError(error: unknown, text: string): FormulaError {
  const raw = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError) return new FormulaError('The formula is nested too deeply to read', 0, 1, { id: 'tooDeepToRead', values: {} });
  const char = (error as { char?: unknown }).char;
  const index = typeof char === 'number' ? Math.min(char, text.length) : -1;
  const reason = raw.replace(/\s*\(char \d+\)\s*$/, '');
  const where = index >= 0 ? ` at column ${index + 1}` : '';
  // A decimal comma (2,5) and a superscript power (x²) are how many people write numbers: say how to write them here.
  // The number whose comma the parser stopped at (a comma between arguments, as in atan2(1,2), is not one).
  const comma = [...text.matchAll(/(\d+),(\d+)/g)].filter((m) => m.index + m[1].length <= index).at(-1);
  if (comma && /Unexpected operator ,|Value expected/.test(reason)) {
    const written = comma[0];
    const number = `${comma[1]}.${comma[2]}`;
    const column = comma.index + comma[1].length + 1;
    return new FormulaError(`Decimals are written with a point in formulas: ${number} instead of ${written} (column ${column})`, column, 1, { id: 'decimalComma', values: { number, written, column } });
  }
  const superscript = /[⁰¹²³⁴⁵⁶⁷⁸⁹]+/.exec(text);
  if (superscript) {
    const written = superscript[0];
    const power = `^${[...written].map((c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)).join('')}`;
    const column = superscript.index + 1;
    return new FormulaError(`Powers are written with ^ in formulas: ${power} instead of ${written} (column ${column})`, column, written.length, { id: 'superscript', values: { power, written, column } });
  }
  let hint = '';
  let id = 'syntax';
  if (/Parenthesis \) expected/.test(reason)) [hint, id] = [' — a closing parenthesis is missing', 'closeParenthesis'];
  else if (/Unexpected end|Value expected/.test(reason) && index >= text.trimEnd().length) [hint, id] = [' — the formula ends too early', 'endsEarly'];
  else if (/Unexpected operator/.test(reason)) [hint, id] = [' — two operators in a row?', 'twoOperators'];
  else if (/Value expected/.test(reason)) [hint, id] = [' — an operator has nothing after it', 'valueExpected'];
  const column = index >= 0 ? index + 1 : 0;
  return new FormulaError(`${reason}${where}${hint}`, column, 1, { id, values: { reason, column } });
}

const NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

export function parseFormula(text: string, options: ParseOptions = {}): ParsedFormula {
  if (typeof text !== 'string') throw new FormulaError('The formula must be text', 0);
  const long = lengthRefusal(text);
  if (long) throw new FormulaError(long.message, 0, 1, long.words);
  if (text.trim() === '') throw new FormulaError('The formula is empty: type an expression such as x^2 + y^2', 0, 1, { id: 'empty', values: {} });
  let allowed: Set<string> | undefined;
  if (options.vars) {
    allowed = new Set();
    for (const name of options.vars) {
      if (!NAME.test(name)) throw new FormulaError(`"${name}" is not a valid variable name: use letters, digits and _`, 0);
      if (allowed.has(name)) throw new FormulaError(`The variable ${name} is named twice`, 0);
      if (isKnownFunction(name)) throw new FormulaError(`${name} is a function and cannot be a variable name`, 0);
      allowed.add(name);
    }
  }
  let tree: MathNode;
  try {
    // Line breaks before or after the expression (a pasted formula) are spaces; columns stay the same.
    tree = mathParse(text.replace(/^\s+|\s+$/g, (edge) => ' '.repeat(edge.length)));
  } catch (error) {
    throw syntaxError(error, text);
  }
  if (tree.type === 'BlockNode') {
    const at = text.search(/[;\n]/);
    throw new FormulaError(`A second expression (after ; or a new line)${at >= 0 ? ` at column ${at + 1}` : ''} is not supported: type a single expression`, at >= 0 ? at + 1 : 0, 1, { id: 'secondExpression', values: { column: at + 1 } });
  }
  if (treeDepth(tree) > MAX_DEPTH) {
    throw new FormulaError(`The formula is nested too deeply (more than ${MAX_DEPTH} levels of operations inside one another); split it into simpler parts or use fewer levels`, 0, 1, { id: 'tooDeep', values: { max: MAX_DEPTH } });
  }
  validate(tree, text, allowed);
  const vars = options.vars ? [...options.vars] : freeSymbols(tree, text);
  return { text, tree: normalize(tree), vars };
}
