/**
 * What a learning-rate sweep is and how its points are put together into series: the light half
 * of sweep.ts, with no run code, so that the page can assemble a sweep whose points were spread
 * over several engines.
 */
import type { EngineProblem } from '../spec/problem';
import type { OptimizerSettings, RunSettings } from '../spec/run';
import { pow } from '../math/libm';

export interface SweepSpec {
  problem: EngineProblem;
  /** The run every point starts from (its optimizer is replaced by each of `optimizers` at each rate). */
  base: RunSettings;
  optimizers: OptimizerSettings[];
  /**
   * One run's settings per optimizer (a race sweeps each of its runs with its own batch size, epochs,
   * seed, schedule …); `base` for every optimizer when absent.
   */
  bases?: RunSettings[];
  /** Each series' name (its run's), when the series are runs. */
  names?: string[];
  lrMin: number;
  lrMax: number;
  count: number;
  /** Update steps per run (function mode) or epochs (data mode) come from `base`. */
  tolerance: number;
}

export interface SweepSeries {
  optimizer: string;
  /** The run swept, when the sweep is of runs. */
  run?: string;
  finalValue: number[];
  /** First step with value ≤ tolerance, or null when the run never got there. */
  stepsToTolerance: Array<number | null>;
  status: string[];
}

export interface SweepResult {
  lrs: number[];
  series: SweepSeries[];
}

/** count learning rates from lrMin to lrMax, evenly spaced in log scale. */
export function logSpaced(min: number, max: number, count: number): number[] {
  if (!(min > 0 && max >= min && Number.isInteger(count) && count >= 1)) throw new RangeError(`A sweep needs 0 < lrMin ≤ lrMax and a whole count ≥ 1, got ${min}, ${max}, ${count}`);
  if (count === 1) return [min];
  return Array.from({ length: count }, (_, i) => min * pow(max / min, i / (count - 1)));
}

/** One sweep point's outcome: an optimizer at a rate. */
export interface SweepPoint {
  finalValue: number;
  stepsToTolerance: number | null;
  status: string;
}

/** The settings sweep point `point` runs with: its series' run (or the base) with its optimizer at its rate. */
export function pointSettings(spec: SweepSpec, lrs: readonly number[], point: number): RunSettings {
  const k = Math.floor(point / lrs.length);
  return { ...(spec.bases?.[k] ?? spec.base), optimizer: { ...spec.optimizers[k], lr: lrs[point % lrs.length] } };
}

/** The number of points in a sweep: every optimizer at every rate, optimizer outer. */
export function sweepSize(spec: Pick<SweepSpec, 'optimizers' | 'count'>): number {
  return spec.optimizers.length * spec.count;
}

/** Puts a sweep's points, in order, into one series per optimizer. */
export function assembleSweep(spec: SweepSpec, points: SweepPoint[]): SweepResult {
  const lrs = logSpaced(spec.lrMin, spec.lrMax, spec.count);
  if (points.length !== sweepSize(spec)) throw new RangeError(`A sweep of ${sweepSize(spec)} points got ${points.length}`);
  const series = spec.optimizers.map(({ name }, k): SweepSeries => {
    const mine = points.slice(k * lrs.length, (k + 1) * lrs.length);
    return { optimizer: name, ...(spec.names?.[k] === undefined ? {} : { run: spec.names[k] }), finalValue: mine.map((q) => q.finalValue), stepsToTolerance: mine.map((q) => q.stepsToTolerance), status: mine.map((q) => q.status) };
  });
  return { lrs, series };
}
