/**
 * The shape every optimizer module shares. An optimizer is a definition (its
 * PyTorch name, hyperparameters with PyTorch's names and defaults, validation)
 * plus two functions over an explicit state record: `init` allocates the state
 * once for n parameters; `step` updates p in place from the gradient g and
 * allocates nothing. The learning rate is passed to `step` so that schedules
 * compose around any optimizer without touching it.
 */
import { powInt } from '../math/libm';

export type HyperValue = number | boolean | readonly [number, number];
export type Hyperparameters = Record<string, HyperValue>;

export interface HyperparameterSpec {
  /** PyTorch's keyword, e.g. `weight_decay`. */
  name: string;
  kind: 'number' | 'boolean' | 'pair';
  doc: string;
  /** Shown as the slider range in the lab; validation is done by `validate`. */
  range?: readonly [number, number];
  log?: boolean;
}

export interface OptimizerState {
  /** Updates taken so far (PyTorch's `state['step']`). */
  t: number;
  /** Per-parameter state under PyTorch's names (`exp_avg`, `momentum_buffer`, …). */
  buffers: Record<string, Float64Array>;
  /** Scalar state (`mu_product` for NAdam). */
  scalars: Record<string, number>;
  /** Working space for the gradient after maximize/weight decay; not optimizer state. */
  scratch: Float64Array;
  /** Set once 1 − β₁ᵗ (index 0) or 1 − β₂ᵗ (index 1) has become exactly 1; see `biasCorrection`. */
  biasCorrectionDone: Uint8Array;
}

/** What a second-order or line-search method may ask of the objective besides the gradient. */
export interface ObjectiveAccess {
  value(p: Float64Array): number;
  hessian(p: Float64Array, H: Float64Array): void;
}

export interface OptimizerDefinition<H extends Hyperparameters = Hyperparameters> {
  name: string;
  title: string;
  summary: string;
  /** The update rule in the notation the code uses, for the docs and the Explain panel. */
  rule: string;
  hyperparameters: readonly HyperparameterSpec[];
  defaults: Readonly<H>;
  /** Throws a RangeError naming the bad value, as torch.optim's constructors do. */
  validate(h: H): void;
  init(n: number, h: H): OptimizerState;
  step(p: Float64Array, g: Float64Array, state: OptimizerState, h: H, lr: number, objective?: ObjectiveAccess): void;
  /** Set for methods that need more than gradients (Newton, line search): function mode only. */
  needs?: 'value' | 'hessian';
  /** `step` again, as source for the fused run loop; see FusedRule. */
  fused?: FusedRule<H>;
}

/**
 * An optimizer's update as JavaScript source, which engine/run/fused.ts
 * compiles into one loop with a formula's value and gradient, so that a run
 * keeps its numbers in registers instead of passing arrays between functions.
 * Every operation is the one `step` performs, in the same order, so the two
 * paths agree bit for bit (test/engine/fused.test.ts compares them over random
 * hyperparameters). Names the code may use:
 *
 *   t, lr          the update count (already incremented) and this update's learning rate
 *   h_<name>       the numbers from `numbers`
 *   bcDone0/1      `biasCorrectionDone[0/1]` (see `biasCorrection`), read and written
 *   s_<name>       `scalars[name]`, read and written
 *   powInt, powReal  the correctly rounded powers of ./powers.ts
 *   p, d           in `element`: the parameter (read and written) and its effective gradient
 *   <buffer name>  in `element`: that state buffer's entry (`exp_avg`, …), read and written
 *
 * The source is fixed text chosen by the hyperparameters' flags; their values
 * reach it only as numbers in `h_<name>`.
 */
export interface FusedRule<H extends Hyperparameters = Hyperparameters> {
  /** The flags that shape the code; runs whose variants differ get separate loops. */
  variant(h: H): string;
  numbers(h: H): Record<string, number>;
  /** Whether d includes weight_decay · p (coupled L2, as `effectiveGradient`); otherwise d is ±g. */
  coupled(h: H): boolean;
  /** Runs once per update, before the elements; its declarations are visible to them. */
  perStep(h: H): string;
  /** Runs once per parameter. */
  element(h: H): string;
}

/** `biasCorrection` as fused source: declares `name` = 1 − βᵗ for β = h_<beta>, index `which`. */
export function fusedBiasCorrection(name: string, beta: string, which: 0 | 1): string {
  return `let ${name} = 1;
    if (bcDone${which} === 0) { ${name} = 1 - powInt(h_${beta}, t); if (${name} === 1) bcDone${which} = 1; }`;
}

export function newState(n: number, names: readonly string[], fill: Record<string, number> = {}): OptimizerState {
  const buffers: Record<string, Float64Array> = {};
  for (const name of names) {
    const b = new Float64Array(n);
    if (fill[name]) b.fill(fill[name]);
    buffers[name] = b;
  }
  return { t: 0, buffers, scalars: {}, scratch: new Float64Array(n), biasCorrectionDone: new Uint8Array(2) };
}

/**
 * (maximize ? −g : g) + weight_decay · p, as every torch.optim algorithm
 * begins (`grad = -grad if maximize`, `grad = grad.add(param, alpha=weight_decay)`),
 * written into d; or g itself when neither applies. Callers only read the result.
 */
export function effectiveGradient(d: Float64Array, g: Float64Array, p: Float64Array, weightDecay: number, maximize: boolean): Float64Array {
  if (weightDecay === 0 && !maximize) return g;
  const n = d.length;
  for (let i = 0; i < n; i++) {
    const gi = maximize ? -g[i] : g[i];
    d[i] = weightDecay !== 0 ? gi + weightDecay * p[i] : gi;
  }
  return d;
}

/**
 * 1 − βᵗ, as torch computes it (`1 - beta ** step`, βᵗ correctly rounded as glibc's pow gives it), skipping the pow once the
 * result has become exactly 1: βᵗ only shrinks with t, and 1 − x rounds to 1 for
 * every x ≤ 2⁻⁵⁴, so from then on the value is 1 for good. The flag lives in
 * `state.scalars[key]`. Bit-identical to calling pow every step; for β₂ = 0.999
 * the pow stops after about 37,000 steps. `which` is 0 for β₁, 1 for β₂.
 */
export function biasCorrection(state: OptimizerState, which: 0 | 1, beta: number, t: number): number {
  const done = state.biasCorrectionDone;
  if (done[which] === 1) return 1;
  const value = 1 - powInt(beta, t);
  if (value === 1) done[which] = 1;
  return value;
}

// Validation, worded as torch.optim words it.
export function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

export function checkLearningRate(lr: number): void {
  check(Number.isFinite(lr) && lr >= 0, `Invalid learning rate: ${lr}`);
}

export function checkEps(eps: number): void {
  check(Number.isFinite(eps) && eps >= 0, `Invalid epsilon value: ${eps}`);
}

export function checkWeightDecay(wd: number): void {
  check(Number.isFinite(wd) && wd >= 0, `Invalid weight_decay value: ${wd}`);
}

export function checkBetas(betas: readonly [number, number]): void {
  betas.forEach((b, i) => check(Number.isFinite(b) && b >= 0 && b < 1, `Invalid beta parameter at index ${i}: ${b}`));
}

export const common = {
  lr: (doc = 'learning rate: the size of each step against the gradient'): HyperparameterSpec => ({ name: 'lr', kind: 'number', doc, range: [1e-5, 10], log: true }),
  weight_decay: (doc = 'L2 penalty: adds weight_decay · p to the gradient'): HyperparameterSpec => ({ name: 'weight_decay', kind: 'number', doc, range: [0, 1] }),
  eps: (doc = 'added to the denominator for numerical stability'): HyperparameterSpec => ({ name: 'eps', kind: 'number', doc, range: [1e-12, 1e-2], log: true }),
  betas: (doc = 'decay rates of the running averages of the gradient and of its square'): HyperparameterSpec => ({ name: 'betas', kind: 'pair', doc, range: [0, 0.9999] }),
  maximize: (): HyperparameterSpec => ({ name: 'maximize', kind: 'boolean', doc: 'climb the function instead of descending it' }),
};
