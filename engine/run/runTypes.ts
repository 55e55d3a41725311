/**
 * The run loop's contract: what it optimizes, its settings and stopping rules, and how it ends.
 */
import type { OptimizerSettings } from '../optim/registry';
import type { Schedule, Warmup } from '../optim/schedule';
import type { Words } from '../spec/common';
import type { FusionSource } from '../formula/compile';
import type { Undefinedness } from '../formula/diagnose';

export interface LoopObjective {
  readonly n: number;
  /** f(p), writing ∇f(p) into g. */
  valueAndGradient(p: Float64Array, g: Float64Array): number;
  /** Optional, faster: ∇f(p) into out[0..n), f(p) into out[n]. */
  evaluateInto?(p: Float64Array, out: Float64Array): void;
  value(p: Float64Array): number;
  hessian?(p: Float64Array, H: Float64Array): void;
  /** The formula's instructions, where the run may fuse them with the optimizer. */
  fusion?: FusionSource;
  /** Where and why f is undefined at p, for formulas. */
  diagnose?(p: ArrayLike<number>): Undefinedness | null;
}

export interface StopRules {
  /** Stop after this many updates. */
  maxSteps: number;
  /**
   * Converged when ‖∇f‖ ≤ gradTol and the optimizer's next update would move the parameters by at
   * most lr·gradTol (the step plain gradient descent takes at that gradient; an optimizer that moves
   * on its momentum or moments without a gradient keeps going). 0 turns the rule off.
   */
  gradTol: number;
  /** Converged when |f(pₖ) − f(pₖ₋₁)| ≤ fTol; 0 turns the rule off. */
  fTol: number;
  /** One variable only: stop when the derivative changes sign, reporting the bracket that holds the minimum. */
  signChange: boolean;
  /** Diverged when |f| exceeds divergenceBound · max(1, |f(p₀)|). */
  divergenceBound: number;
}

export const DEFAULT_STOP: StopRules = { maxSteps: 1000, gradTol: 0, fTol: 0, signChange: false, divergenceBound: 1e12 };

export interface RunSettings {
  start: readonly number[];
  optimizer: OptimizerSettings;
  schedule?: Schedule;
  warmup?: Warmup;
  /** Clip the gradient to this norm before each update (torch clip_grad_norm_). */
  clipNorm?: number | null;
  stop?: Partial<StopRules>;
  /** Steps whose full state is kept exactly, whatever the history's thinning. */
  recordSteps?: readonly number[];
  historyCapacity?: number;
  /** Keep ∇f with every recorded step (views draw from it; a session does not store it). */
  recordGradient?: boolean;
  /** false runs step by step even where the fused loop applies (the tests compare the two). */
  fused?: boolean;
}

/**
 * How a run ends. `undefined`: it reached a point where f or its gradient has no value (log of a
 * negative number, 0/0, a kink where the slope is infinite); `unbounded`: f fell (or, maximizing,
 * rose) without bound, so there is no minimum along the run's path; `diverged`: the steps grew.
 */
export type RunStatus = 'running' | 'max_steps' | 'converged' | 'diverged' | 'undefined' | 'unbounded' | 'stopped';
export type StopReason = 'max_steps' | 'grad_tol' | 'f_tol' | 'sign_change' | 'non_finite' | 'bound' | 'undefined' | 'unbounded' | 'stopped';

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  reason: StopReason;
  step: number;
  message: string;
  /** The message as an id and its values, for an interface that words it in another language (`message` is its English). */
  words?: Words;
  /** For a sign change: the interval [a, b] holding the minimum. */
  bracket?: [number, number];
}

export interface HyperparameterChange {
  step: number;
  changes: Record<string, unknown>;
}
