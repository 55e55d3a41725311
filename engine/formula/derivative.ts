/**
 * Symbolic partial derivatives. mathjs `derivative` does the work for every
 * function it knows; for the whitelisted functions it cannot differentiate (or
 * differentiates badly, like |x|' = |x|/x), each such call is swapped for a
 * placeholder symbol and the chain rule is applied by hand:
 *
 *   d/dv F(v, c1(v), …, ck(v)) = ∂F/∂v + Σ ∂F/∂cj · dcj/dv
 *
 * where dcj/dv comes from the rules below, recursing into the arguments.
 */
import { derivative as mathDerivative, simplify, simplifyConstant, simplifyCore, nodeTypes, type FormulaNode, type MathNode } from './math';
import { ProgramBuilder } from './ir';
import { closureKernel } from './backends';
import { FormulaError } from './parse';
import { CONSTANTS, FUNCTIONS, IFLE } from './functions';

type AnyNode = FormulaNode;
type Ctor = new (...args: unknown[]) => AnyNode;
const { OperatorNode, FunctionNode, ConstantNode, SymbolNode } = nodeTypes as unknown as Record<string, Ctor>;

const num = (value: number): AnyNode => new ConstantNode(value);
const op = (symbol: '+' | '-' | '*' | '/' | '^', a: AnyNode, b: AnyNode): AnyNode =>
  new OperatorNode(symbol, { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '^': 'pow' }[symbol], [a, b]);
const call = (name: string, ...args: AnyNode[]): AnyNode => new FunctionNode(name, args);

function isZero(node: AnyNode): boolean {
  return node.type === 'ConstantNode' && node.value === 0;
}

function usesRule(node: AnyNode): boolean {
  if (node.type !== 'FunctionNode') return false;
  const name: string = node.fn.name;
  return name === IFLE || (Object.hasOwn(FUNCTIONS, name) && FUNCTIONS[name].derivative === 'rule');
}

/** d(call)/dv for a function differentiated by rule; `d` differentiates an argument. */
function ruleDerivative(node: AnyNode, d: (arg: AnyNode) => AnyNode): AnyNode {
  const args: AnyNode[] = node.args;
  const [u, w] = args;
  const name: string = node.fn.name;
  const du = () => d(u);
  switch (name) {
    case 'abs':
      return op('*', call('sign', u), du());
    case 'sign':
      return num(0);
    // At a tie each argument takes half, as torch.minimum and torch.maximum do.
    case 'min':
      return call(IFLE, u, w, call(IFLE, w, u, op('/', op('+', du(), d(w)), num(2)), du()), d(w));
    case 'max':
      return call(IFLE, w, u, call(IFLE, u, w, op('/', op('+', du(), d(w)), num(2)), du()), d(w));
    case IFLE:
      return call(IFLE, u, w, d(args[2]), d(args[3]));
    case 'atan2':
      // atan2(u, w) is the angle of (w, u): (w du − u dw) / (u² + w²)
      return op('/', op('-', op('*', w, du()), op('*', u, d(w))), op('+', op('^', u, num(2)), op('^', w, num(2))));
    case 'hypot': {
      const terms = args.map((a) => op('*', a, d(a)));
      const sum = terms.reduce((acc, t) => op('+', acc, t));
      return op('/', sum, node);
    }
    case 'log2':
      return op('/', du(), op('*', u, call('log', num(2))));
    case 'acoth':
      return op('/', du(), op('-', num(1), op('^', u, num(2))));
    case 'log1p':
      return op('/', du(), op('+', num(1), u));
    case 'expm1':
      return op('*', call('exp', u), du());
    case 'cbrt':
      // 1 / (3 cbrt(u)²): real for negative u, unlike mathjs' u^(2/3)
      return op('/', du(), op('*', num(3), op('^', call('cbrt', u), num(2))));
    case 'sigmoid':
      return op('*', op('*', call('sigmoid', u), op('-', num(1), call('sigmoid', u))), du());
    case 'softplus':
      return op('*', call('sigmoid', u), du());
    default:
      throw new Error(`No derivative rule for ${name}`);
  }
}

/** The unsimplified partial derivative of `node` with respect to `variable`. */
export function differentiate(tree: MathNode, variable: string): AnyNode {
  const node = tree as AnyNode;
  const calls: AnyNode[] = [];
  const keys: string[] = [];
  const replaced = node.transform((n: AnyNode) => {
    if (!usesRule(n)) return n;
    const key = n.toString();
    let index = keys.indexOf(key);
    if (index < 0) {
      index = keys.length;
      keys.push(key);
      calls.push(n);
    }
    return new SymbolNode(`__c${index}`);
  }) as AnyNode;
  let result = mathDerivative(replaced, variable, { simplify: false }) as AnyNode;
  calls.forEach((c, index) => {
    const inner = ruleDerivative(c, (arg) => differentiate(arg, variable));
    if (isZero(inner)) return;
    const outer = mathDerivative(replaced, `__c${index}`, { simplify: false }) as AnyNode;
    result = op('+', result, op('*', outer, inner));
  });
  if (calls.length === 0) return result;
  return result.transform((n: AnyNode) => {
    if (n.type === 'SymbolNode' && /^__c\d+$/.test(n.name)) return calls[Number(n.name.slice(3))].cloneDeep();
    return n;
  }) as AnyNode;
}

/**
 * mathjs' simplify (and even simplifyCore) searches its rules in time that grows steeply with the
 * expression: the derivative of x^x^…^x, 8 deep (183 nodes), takes half a second; 15 deep, half a
 * minute. Every built-in function's raw derivative has under 100 nodes. Larger derivatives are kept
 * as differentiated: exact, only not tidied, and the compiler computes their repeated parts once.
 */
export const SIMPLIFY_NODE_LIMIT = 150;
/** Beyond this many parts a derivative is refused rather than compiled. */
export const DERIVATIVE_NODE_LIMIT = 20_000;

function nodeCount(node: AnyNode, limit: number): number {
  let count = 0;
  const stack: AnyNode[] = [node];
  while (stack.length && count <= limit) {
    const n = stack.pop() as AnyNode;
    count++;
    n.forEach((child: AnyNode) => stack.push(child));
  }
  return count;
}

/** Magnitudes at which a simplified derivative is checked against the raw one, below and above 1. */
const MAGNITUDES = [0.15, 0.45, 0.9, 1.3, 2.2, 3.1, 4.7];
/** 48 probe points: every sign pattern of the first four variables, each at three sets of magnitudes. */
const PROBE_COUNT = 48;
const probe = (k: number, i: number): number => (((k >> (i % 4)) & 1) === 1 ? -1 : 1) * MAGNITUDES[(k + 3 * i + (k >> 4)) % MAGNITUDES.length];

/** The variables of an expression (symbols that are not named constants such as pi). */
function variablesOf(node: AnyNode): string[] {
  const names = new Set<string>();
  node.traverse((n: AnyNode) => {
    if (n.type === 'SymbolNode' && !Object.hasOwn(CONSTANTS, n.name)) names.add(n.name);
  });
  return [...names];
}

/**
 * Whether `simplified` equals `raw` wherever raw is defined, at probe points with negative and
 * positive coordinates. mathjs simplifies with some rules that hold only for positive bases
 * ((u^a)^b → u^(ab), (uv)^c → u^c·v^c); their results fail this test.
 */
function agrees(raw: AnyNode, simplified: AnyNode): boolean {
  const vars = variablesOf(raw);
  let builder: ProgramBuilder;
  let a: number, b: number;
  try {
    builder = new ProgramBuilder(vars);
    a = builder.add(raw);
    b = builder.add(simplified);
  } catch {
    return false;
  }
  const kernel = closureKernel(builder.program(), { valueRoot: null, outputs: [a, b] });
  const p = new Float64Array(vars.length);
  const out = new Float64Array(2);
  let compared = 0;
  for (let k = 0; k < PROBE_COUNT; k++) {
    for (let i = 0; i < vars.length; i++) p[i] = probe(k, i);
    kernel(p, out);
    const [expected, shown] = out;
    if (!Number.isFinite(expected)) continue;
    if (!(Math.abs(shown - expected) <= 1e-9 * Math.max(1, Math.abs(expected)))) return false;
    compared++;
  }
  return compared > 0;
}

/**
 * ∂node/∂variable for display: simplified by mathjs when small enough (SIMPLIFY_NODE_LIMIT) and
 * when the simplification holds for negative bases too; otherwise only tidied by identities that
 * hold for every real number (1·u = u, u^1 = u, …), or as differentiated when large.
 */
export function partial(node: MathNode, variable: string): MathNode {
  const raw = differentiate(node as AnyNode, variable);
  const size = nodeCount(raw, DERIVATIVE_NODE_LIMIT);
  if (size > DERIVATIVE_NODE_LIMIT) {
    throw new FormulaError(`The derivative with respect to ${variable} is too large to compute (over ${DERIVATIVE_NODE_LIMIT} parts); simplify the formula or nest fewer powers and functions`, 0, 1, { id: 'derivativeTooLarge', values: { variable, max: DERIVATIVE_NODE_LIMIT } });
  }
  if (size > SIMPLIFY_NODE_LIMIT) return raw;
  const simplified = simplify(raw) as AnyNode;
  if (agrees(raw, simplified)) return simplified;
  const tidied = simplifyCore(simplifyConstant(raw)) as AnyNode;
  return agrees(raw, tidied) ? tidied : raw;
}

export function gradientNodes(tree: MathNode, vars: readonly string[]): MathNode[] {
  return vars.map((v) => partial(tree, v));
}

/** The upper triangle of the Hessian, row by row: entry (i, j) for j ≥ i. */
export function hessianNodes(gradient: readonly MathNode[], vars: readonly string[]): MathNode[][] {
  return gradient.map((gi, i) => vars.map((v, j) => (j < i ? num(0) : partial(gi, v))));
}

// Display: the internal select reads as a conditional.
const stringHandler = (node: AnyNode, options: object): string | undefined => {
  if (node.type === 'FunctionNode' && node.fn.name === IFLE) {
    const [a, b, x, y] = node.args.map((arg: AnyNode) => arg.toString(options));
    return `(${a} <= ${b} ? ${x} : ${y})`;
  }
  return undefined;
};

// Functions whose mathjs TeX is not a command KaTeX knows.
const OPERATOR_NAMES = new Set(['sigmoid', 'softplus', 'hypot', 'log1p', 'expm1', 'sign', 'atan2']);

const texHandler = (node: AnyNode, options: object): string | undefined => {
  if (node.type === 'FunctionNode' && node.fn.name === IFLE) {
    const [a, b, x, y] = node.args.map((arg: AnyNode) => arg.toTex(options));
    return `\\begin{cases}${x} & ${a}\\le ${b}\\\\ ${y} & \\text{otherwise}\\end{cases}`;
  }
  if (node.type === 'FunctionNode' && OPERATOR_NAMES.has(node.fn.name)) {
    const args = node.args.map((arg: AnyNode) => arg.toTex(options)).join(', ');
    return `\\operatorname{${node.fn.name}}\\left(${args}\\right)`;
  }
  return undefined;
};

export function toText(node: MathNode): string {
  return (node as AnyNode).toString({ handler: stringHandler });
}

/**
 * mathjs' toTex takes time doubling with each level of nested function calls (exp(exp(…)) 20 deep:
 * a second; 30 deep: minutes). Deeper expressions, and very large ones, are shown as their text.
 */
export const TEX_FUNCTION_DEPTH = 12;
const TEX_NODE_LIMIT = 3000;

function functionDepth(root: AnyNode): number {
  let deepest = 0;
  const stack: Array<[AnyNode, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [AnyNode, number];
    const here = depth + (node.type === 'FunctionNode' ? 1 : 0);
    if (here > deepest) deepest = here;
    node.forEach((child: AnyNode) => stack.push([child, here]));
  }
  return deepest;
}

const TEX_ESCAPES: Record<string, string> = { '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '^': '\\textasciicircum{}', _: '\\_', '%': '\\%', $: '\\$', '#': '\\#', '&': '\\&', '~': '\\textasciitilde{}' };

export function toTex(node: MathNode): string {
  const n = node as AnyNode;
  if (functionDepth(n) > TEX_FUNCTION_DEPTH || nodeCount(n, TEX_NODE_LIMIT) > TEX_NODE_LIMIT) {
    return `\\texttt{${toText(node).replace(/[\\{}^_%$#&~]/g, (c) => TEX_ESCAPES[c])}}`;
  }
  return n.toTex({ handler: texHandler, parenthesis: 'keep' });
}
