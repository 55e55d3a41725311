import * as M from '../math/libm';

/**
 * The whitelist of functions a formula may call. Each entry fixes its arity, the
 * implementation both compiled backends call (the engine's own, correctly rounded:
 * ../math/libm.ts, never the JavaScript engine's Math), and how it is
 * differentiated: by mathjs `derivative` itself (`'mathjs'`) or by one of the
 * rules in `derivative.ts` (`'rule'`), for functions mathjs cannot differentiate
 * or differentiates in a way that is undefined where the function is not
 * (mathjs gives d|x| = |x|/x, NaN at 0; we use sign(x)).
 */

export interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  impl: (...args: number[]) => number;
  derivative: 'mathjs' | 'rule';
  description: string;
}

// As PyTorch's CPU kernels compute them (torch.sigmoid; softplus with beta 1 and threshold 20;
// torch.sign, which is 0 at NaN), so that values and gradients match autograd's bit for bit.
// 1 / (1 + exp(−x)) is stable on both tails: exp(−x) may overflow to Infinity, giving exactly 0.
const sigmoid = (x: number): number => 1 / (1 + M.exp(-x));

const softplus = (x: number): number => (x > 20 ? x : M.log1p(M.exp(x)));

const sign = (x: number): number => (x > 0 ? 1 : 0) - (x < 0 ? 1 : 0);

const one = (f: (x: number) => number, description: string, derivative: 'mathjs' | 'rule' = 'mathjs'): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  impl: f as (...args: number[]) => number,
  derivative,
  description,
});

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = Object.freeze({
  sin: one(M.sin, 'sine'),
  cos: one(M.cos, 'cosine'),
  tan: one(M.tan, 'tangent'),
  sec: one((x) => 1 / M.cos(x), 'secant'),
  csc: one((x) => 1 / M.sin(x), 'cosecant'),
  cot: one((x) => 1 / M.tan(x), 'cotangent'),
  asin: one(M.asin, 'inverse sine'),
  acos: one(M.acos, 'inverse cosine'),
  atan: one(M.atan, 'inverse tangent'),
  sinh: one(M.sinh, 'hyperbolic sine'),
  cosh: one(M.cosh, 'hyperbolic cosine'),
  tanh: one(M.tanh, 'hyperbolic tangent'),
  sech: one((x) => 1 / M.cosh(x), 'hyperbolic secant'),
  csch: one((x) => 1 / M.sinh(x), 'hyperbolic cosecant'),
  coth: one((x) => 1 / M.tanh(x), 'hyperbolic cotangent'),
  asec: one((x) => M.acos(1 / x), 'inverse secant'),
  acsc: one((x) => M.asin(1 / x), 'inverse cosecant'),
  acot: one((x) => M.atan(1 / x), 'inverse cotangent'),
  asinh: one(M.asinh, 'inverse hyperbolic sine'),
  acosh: one(M.acosh, 'inverse hyperbolic cosine'),
  atanh: one(M.atanh, 'inverse hyperbolic tangent'),
  asech: one((x) => M.acosh(1 / x), 'inverse hyperbolic secant'),
  acsch: one((x) => M.asinh(1 / x), 'inverse hyperbolic cosecant'),
  // mathjs 15 gives d acoth(x) = −1/(1 − x²), the wrong sign; the rule in derivative.ts gives 1/(1 − x²).
  acoth: one((x) => M.atanh(1 / x), 'inverse hyperbolic cotangent', 'rule'),
  exp: one(M.exp, 'e to the power x'),
  expm1: one(M.expm1, 'exp(x) - 1, accurate near 0', 'rule'),
  log: { minArgs: 1, maxArgs: 2, impl: (x: number, base?: number) => (base === undefined ? M.log(x) : M.log(x) / M.log(base)), derivative: 'mathjs', description: 'natural logarithm; log(x, base) for another base' },
  log10: one(M.log10, 'base-10 logarithm'),
  log2: one(M.log2, 'base-2 logarithm', 'rule'),
  log1p: one(M.log1p, 'log(1 + x), accurate near 0', 'rule'),
  sqrt: one(Math.sqrt, 'square root'),
  cbrt: one(M.cbrt, 'cube root (real, also for negative x)', 'rule'),
  abs: one(Math.abs, 'absolute value', 'rule'),
  sign: one(sign, 'sign: -1, 0 or 1', 'rule'),
  atan2: { minArgs: 2, maxArgs: 2, impl: M.atan2, derivative: 'rule', description: 'angle of the point (x, y): atan2(y, x)' },
  hypot: { minArgs: 2, maxArgs: 16, impl: M.hypot, derivative: 'rule', description: 'Euclidean length sqrt(a^2 + b^2 + ...)' },
  min: { minArgs: 2, maxArgs: 16, impl: Math.min, derivative: 'rule', description: 'smallest of the values: min(a, b, c) = min(min(a, b), c)' },
  max: { minArgs: 2, maxArgs: 16, impl: Math.max, derivative: 'rule', description: 'largest of the values: max(a, b, c) = max(max(a, b), c)' },
  sigmoid: one(sigmoid, 'logistic function 1 / (1 + exp(-x))', 'rule'),
  softplus: one(softplus, 'log(1 + exp(x)), a smooth ReLU', 'rule'),
});

/**
 * Spellings accepted for convenience and rewritten before anything else sees
 * the tree: `ln(x)` is `log(x)`, `pow(a, b)` is `a ^ b`, `square`/`cube` are powers.
 */
export const ALIASES: Readonly<Record<string, { minArgs: number; maxArgs: number; description: string }>> = Object.freeze({
  ln: { minArgs: 1, maxArgs: 1, description: 'natural logarithm (same as log)' },
  pow: { minArgs: 2, maxArgs: 2, description: 'pow(a, b) = a ^ b' },
  square: { minArgs: 1, maxArgs: 1, description: 'square(x) = x ^ 2' },
  cube: { minArgs: 1, maxArgs: 1, description: 'cube(x) = x ^ 3' },
});

/** Internal only: `ifle(a, b, x, y)` is `a <= b ? x : y`; it appears in the symbolic derivatives of min and max. */
export const IFLE = '__ifle';

/** The implementation both compiled backends call for a function of the instruction list. */
export function implementation(name: string): (...args: number[]) => number {
  if (!Object.hasOwn(FUNCTIONS, name)) throw new Error(`Unsupported function ${name}`);
  return FUNCTIONS[name].impl;
}

export const CONSTANTS: Readonly<Record<string, number>> = Object.freeze({
  pi: Math.PI,
  PI: Math.PI,
  e: Math.E,
  E: Math.E,
  tau: 2 * Math.PI,
  phi: (1 + Math.sqrt(5)) / 2,
});

/** Names that would execute or redefine code in mathjs; they get their own refusal message. */
export const FORBIDDEN_FUNCTIONS = new Set([
  'import', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'resolve', 'createUnit', 'reviver', 'chain',
  'help', 'config', 'typed', 'unit', 'matrix', 'string', 'format', 'print', 'map', 'forEach', 'filter',
]);

export const knownFunctionNames = (): string[] => [...Object.keys(FUNCTIONS), ...Object.keys(ALIASES)];

export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name) || Object.hasOwn(ALIASES, name);
}
