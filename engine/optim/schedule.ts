/**
 * Learning-rate schedules, computed as PyTorch's schedulers compute them, so
 * that a run's rates are torch's to the bit. k = 0, 1, 2, … counts the updates
 * already taken; the schedule advances once per optimizer update (per
 * mini-batch in data mode), like `scheduler.step()` after each `optimizer.step()`.
 *
 * Without a warm-up, step, exponential and cosine follow torch's recursive
 * updates of the rate (StepLR, ExponentialLR, CosineAnnealingLR):
 *
 *   step          lrₖ = lrₖ₋₁ · gamma when k is a multiple of step_size
 *   exponential   lrₖ = lrₖ₋₁ · gamma
 *   cosine        lrₖ = (1 + cos(πk/T)) / (1 + cos(π(k−1)/T)) · (lrₖ₋₁ − η) + η,
 *                 restarting upwards every 2T as torch does (periodic past T_max)
 *
 * inverse_time, and any schedule with a linear warm-up, is one LambdaLR of the
 * closed form, base · factor(k):
 *
 *   step gamma^⌊k/step_size⌋ · warm, exponential gamma^k · warm, inverse_time 1 / (1 + decay · k) · warm,
 *   constant warm, cosine (rate · warm) / lr with rate = η + (lr − η)(1 + cos(πk/T))/2 (the product
 *   first, then the division), where warm = start_factor + (1 − start_factor) · k / warmup_steps while
 *   k < warmup_steps and 1 after.
 *
 * The exported PyTorch script builds the same schedulers (engine/session/export/pytorch.ts).
 */
import { cos, powInt } from '../math/libm';

/** A learning-rate schedule with torch's parameter names (see engine/spec/schedule.ts for the checked shape). */
export type Schedule =
  | { type: 'constant' }
  | { type: 'step'; step_size: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; T_max: number; eta_min: number }
  | { type: 'inverse_time'; decay: number };

export interface Warmup {
  warmup_steps: number;
  start_factor: number;
}

/** What is wrong with a schedule's parameters, or null (the rules of engine/spec/schedule.ts, without loading zod). */
export function scheduleProblem(s: Schedule): string | null {
  const positiveInteger = (v: number) => Number.isInteger(v) && v > 0;
  const positive = (v: number) => Number.isFinite(v) && v > 0;
  const nonNegative = (v: number) => Number.isFinite(v) && v >= 0;
  switch (s.type) {
    case 'step':
      return !positiveInteger(s.step_size) ? 'step_size must be a whole number ≥ 1' : !positive(s.gamma) ? 'gamma must be a positive number' : null;
    case 'exponential':
      return positive(s.gamma) ? null : 'gamma must be a positive number';
    case 'cosine':
      return !positiveInteger(s.T_max) ? 'T_max must be a whole number ≥ 1' : !nonNegative(s.eta_min) ? 'eta_min must be a number ≥ 0' : null;
    case 'inverse_time':
      return nonNegative(s.decay) ? null : 'decay must be a number ≥ 0';
    default:
      return null;
  }
}

export const SCHEDULE_DEFAULTS: Record<Schedule['type'], Schedule> = {
  constant: { type: 'constant' },
  step: { type: 'step', step_size: 100, gamma: 0.5 },
  exponential: { type: 'exponential', gamma: 0.999 },
  cosine: { type: 'cosine', T_max: 1000, eta_min: 0 },
  inverse_time: { type: 'inverse_time', decay: 0.01 },
};

/** The rate torch's LambdaLR gives with the lab's closed-form factor: base · factor(k). */
function closedForm(lr: number, k: number, schedule: Schedule | undefined, warmup: Warmup | undefined): number {
  const warm = warmup && k < warmup.warmup_steps ? warmup.start_factor + ((1 - warmup.start_factor) * k) / warmup.warmup_steps : 1;
  let factor: number;
  switch (schedule?.type ?? 'constant') {
    case 'constant':
      factor = warm;
      break;
    case 'step': {
      const s = schedule as Extract<Schedule, { type: 'step' }>;
      factor = powInt(s.gamma, Math.floor(k / s.step_size)) * warm;
      break;
    }
    case 'exponential':
      factor = powInt((schedule as Extract<Schedule, { type: 'exponential' }>).gamma, k) * warm;
      break;
    case 'cosine': {
      // A rate, warmed up, as a multiple of the base.
      const s = schedule as Extract<Schedule, { type: 'cosine' }>;
      const rate = s.eta_min + ((lr - s.eta_min) * (1 + cos((Math.PI * k) / s.T_max))) / 2;
      factor = (rate * warm) / lr;
      break;
    }
    case 'inverse_time':
      factor = (1 / (1 + (schedule as Extract<Schedule, { type: 'inverse_time' }>).decay * k)) * warm;
      break;
  }
  return lr * factor;
}

/**
 * One step of torch's recursive schedulers: the rate after update k from the rate after update k − 1.
 * `cosines` holds cos(π(k−1)/T) on entry and cos(πk/T) on return (cosine only), so each step takes one cosine.
 */
function recurse(schedule: Schedule, rate: number, k: number, base: number, cosines: Float64Array): number {
  switch (schedule.type) {
    case 'step':
      return k % schedule.step_size === 0 ? rate * schedule.gamma : rate;
    case 'exponential':
      return rate * schedule.gamma;
    case 'cosine': {
      const { T_max: T, eta_min: eta } = schedule;
      const previous = cosines[0];
      const current = cos((Math.PI * k) / T);
      cosines[0] = current;
      if ((k - 1 - T) % (2 * T) === 0) return rate + ((base - eta) * (1 - cos(Math.PI / T))) / 2;
      return ((1 + current) / (1 + previous)) * (rate - eta) + eta;
    }
    default:
      return rate;
  }
}

/**
 * A run's learning rates. `at(base, k)` is the rate of the update that follows
 * k earlier ones, for the base rate `base`. Recursive schedules remember where
 * they are, so a run asking for k, k + 1, … pays one step each; asking for an
 * earlier step or another base rate starts again from step 0.
 */
export class LearningRates {
  private base = NaN;
  private k = 0;
  private rate = NaN;
  private readonly cosines = new Float64Array(1);
  private readonly recursive: boolean;

  constructor(
    readonly schedule?: Schedule,
    readonly warmup?: Warmup,
  ) {
    this.recursive = warmup === undefined && schedule !== undefined && (schedule.type === 'step' || schedule.type === 'exponential' || schedule.type === 'cosine');
  }

  at(base: number, k: number): number {
    if (!this.recursive) return this.schedule === undefined && this.warmup === undefined ? base : closedForm(base, k, this.schedule, this.warmup);
    if (!Object.is(base, this.base) || k < this.k) {
      this.base = base;
      this.k = 0;
      this.rate = base;
      this.cosines[0] = 1;
    }
    const schedule = this.schedule as Schedule;
    while (this.k < k) {
      this.k++;
      this.rate = recurse(schedule, this.rate, this.k, base, this.cosines);
    }
    return this.rate;
  }
}

/** The learning rate for the update that follows k earlier updates (from step 0: use LearningRates in loops). */
export function scheduledLearningRate(lr: number, k: number, schedule?: Schedule, warmup?: Warmup): number {
  return new LearningRates(schedule, warmup).at(lr, k);
}
