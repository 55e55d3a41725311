/**
 * A formula as PyTorch code: the tape of PyTorch operations the lab's value
 * and gradient follow (engine/formula/autograd.ts), one statement per
 * operation, so that autograd in the script builds the same graph and
 * computes the same gradient. Every token comes from the fixed table below or
 * from a number's own serialization, never from the formula's text. Variables
 * are whatever expressions the caller maps them to (`p[0]`, `X[:, 1]`, …).
 */
import { parseFormula } from '../../formula/parse';
import { ProgramBuilder } from '../../formula/ir';
import { TapeBuilder, type TorchOp, type Value } from '../../formula/autograd';

/** Python templates for the tape's operations; a, b are the operands' expressions. */
const TORCH: Record<TorchOp, (a: string, b: string, param?: number) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  neg: (a) => `-${a}`,
  powS: (a, _b, c) => `${a} ** ${pythonNumber(c as number, true)}`,
  powT: (a, b) => `${a} ** ${b}`,
  sqrt: (a) => `torch.sqrt(${a})`,
  exp: (a) => `torch.exp(${a})`,
  log: (a) => `torch.log(${a})`,
  log2: (a) => `torch.log2(${a})`,
  log10: (a) => `torch.log10(${a})`,
  log1p: (a) => `torch.log1p(${a})`,
  expm1: (a) => `torch.expm1(${a})`,
  sin: (a) => `torch.sin(${a})`,
  cos: (a) => `torch.cos(${a})`,
  tan: (a) => `torch.tan(${a})`,
  asin: (a) => `torch.asin(${a})`,
  acos: (a) => `torch.acos(${a})`,
  atan: (a) => `torch.atan(${a})`,
  sinh: (a) => `torch.sinh(${a})`,
  cosh: (a) => `torch.cosh(${a})`,
  tanh: (a) => `torch.tanh(${a})`,
  asinh: (a) => `torch.asinh(${a})`,
  acosh: (a) => `torch.acosh(${a})`,
  atanh: (a) => `torch.atanh(${a})`,
  abs: (a) => `torch.abs(${a})`,
  sign: (a) => `torch.sign(${a})`,
  sigmoid: (a) => `torch.sigmoid(${a})`,
  softplus: (a) => `torch.nn.functional.softplus(${a})`,
  // torch has no real cube root; this is it up to rounding (the lab uses a correctly rounded one).
  cbrt: (a) => `torch.sign(${a}) * torch.abs(${a}) ** (1 / 3)`,
  atan2: (a, b) => `torch.atan2(${a}, ${b})`,
  hypot: (a, b) => `torch.hypot(${a}, ${b})`,
  minimum: (a, b) => `torch.minimum(${a}, ${b})`,
  maximum: (a, b) => `torch.maximum(${a}, ${b})`,
};

/** Operations whose operands must be tensors: a number among them becomes K(number). */
const TENSOR_OPERANDS = new Set<TorchOp>(['atan2', 'hypot', 'minimum', 'maximum']);

/** A number as Python source: its own text (negative numbers in parentheses where asked). */
export function pythonNumber(v: number, parenthesize = false): string {
  if (Number.isNaN(v)) return 'math.nan';
  if (v === Infinity) return 'math.inf';
  if (v === -Infinity) return '(-math.inf)';
  const text = Object.is(v, -0) ? '-0.0' : String(v);
  if (!/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(text)) throw new Error(`Unexpected number serialization ${text}`);
  return parenthesize && text.startsWith('-') ? `(${text})` : text;
}

export interface TorchFormula {
  vars: string[];
  /** Straight-line Python statements, one per operation. */
  lines: string[];
  /** The expression holding f. */
  result: string;
}

/**
 * `refer(i)` gives the Python expression of variable i (in `vars` order);
 * `wrt` names the variables with gradients (all by default). Temporaries are named `t<k>`.
 */
export function torchFormula(expr: string, vars: readonly string[] | undefined, refer: (index: number) => string, wrt?: readonly string[]): TorchFormula {
  const parsed = parseFormula(expr, vars ? { vars } : {});
  const differentiated = new Set((wrt ?? parsed.vars).map((v) => parsed.vars.indexOf(v)));
  const tape = new TapeBuilder(new ProgramBuilder(parsed.vars), parsed.vars, differentiated);
  const root = tape.add(parsed.tree);
  const names = new Map(tape.nodes.map((node, k) => [node, `t${k}`]));
  const ref = (v: Value, tensor: boolean): string => {
    if (v.constant !== undefined) return tensor ? `K(${pythonNumber(v.constant)})` : pythonNumber(v.constant, true);
    if (v.variable !== undefined) return refer(v.variable);
    return names.get(v.node!) as string;
  };
  const lines = tape.nodes.map((node, k) => {
    // A number divided by an expression is a true division: K(c) / u (Python's c / u would be u.reciprocal() * c).
    const tensor = TENSOR_OPERANDS.has(node.op) || (node.op === 'div' && node.args[0].constant !== undefined);
    const [a, b] = node.args.map((v) => ref(v, tensor));
    return `t${k} = ${TORCH[node.op](a, b, node.param)}`;
  });
  return { vars: [...parsed.vars], lines, result: ref(root, false) };
}
