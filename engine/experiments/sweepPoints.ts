/**
 * What a sweep is and how its points are put together into series: the light half of sweep.ts, with
 * no run code, so that the page can assemble a sweep whose points were spread over several engines.
 *
 * A sweep varies the learning rate (lrMin … lrMax, log-spaced), or any numeric setting of the runs
 * along one or two axes: `lr`, an optimizer's hyperparameter (`momentum`, `eps`, `weight_decay`,
 * `betas.0`, `betas.1`, …), `batchSize` (rounded to a whole number) or a schedule's parameter
 * (`schedule.gamma`). Points go series outer, then the second axis, then the first (fastest).
 */
import type { EngineProblem } from '../spec/problem';
import type { OptimizerSettings, RunSettings } from '../spec/run';
import { pow } from '../math/libm';

/** One axis of a sweep: a setting, its range and how its values are spaced. */
export interface SweepAxis {
  param: string;
  min: number;
  max: number;
  count: number;
  scale: 'log' | 'linear';
}

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
  /** The settings swept (one axis, or two for a grid); the learning rate from lrMin to lrMax when absent. */
  axes?: SweepAxis[];
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
  /** The first axis' values (the learning rates of a learning-rate sweep). */
  lrs: number[];
  /** Each axis' setting and values; a series' numbers run over the first axis fastest. */
  axes?: Array<{ param: string; values: number[] }>;
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

/** A sweep's axes: its own, or the learning rate from lrMin to lrMax. */
export function sweepAxes(spec: Pick<SweepSpec, 'axes' | 'lrMin' | 'lrMax' | 'count'>): SweepAxis[] {
  return spec.axes?.length ? spec.axes : [{ param: 'lr', min: spec.lrMin, max: spec.lrMax, count: spec.count, scale: 'log' }];
}

/** An axis' values: log-spaced or evenly spaced from min to max, ends included. */
export function axisValues(axis: SweepAxis): number[] {
  if (!(Number.isInteger(axis.count) && axis.count >= 1 && axis.max >= axis.min && Number.isFinite(axis.min) && Number.isFinite(axis.max))) {
    throw new RangeError(`The sweep of ${axis.param} needs min ≤ max and a whole count ≥ 1, got ${axis.min}, ${axis.max}, ${axis.count}`);
  }
  if (axis.scale === 'log') return logSpaced(axis.min, axis.max, axis.count);
  if (axis.count === 1) return [axis.min];
  return Array.from({ length: axis.count }, (_, i) => (i === axis.count - 1 ? axis.max : axis.min + ((axis.max - axis.min) * i) / (axis.count - 1)));
}

/** Points per series: the product of the axes' counts. */
function gridSize(spec: Pick<SweepSpec, 'axes' | 'lrMin' | 'lrMax' | 'count'>): number {
  return sweepAxes(spec).reduce((n, a) => n * a.count, 1);
}

/** `settings` with the setting `param` at `value` (see the module's comment for the names). */
export function withSetting(settings: RunSettings, param: string, value: number): RunSettings {
  if (param === 'batchSize') return { ...settings, batchSize: Math.max(1, Math.round(value)) };
  const schedule = /^schedule\.(\w+)$/.exec(param);
  if (schedule) {
    if (!settings.schedule) throw new RangeError(`${param} is a schedule's parameter, but the run has no schedule: choose one for it first`);
    return { ...settings, schedule: { ...settings.schedule, [schedule[1]]: value } as RunSettings['schedule'] };
  }
  const beta = /^betas\.([01])$/.exec(param);
  if (beta) {
    const given = settings.optimizer.betas;
    const betas: [number, number] = Array.isArray(given) && given.length === 2 ? [Number(given[0]), Number(given[1])] : [0.9, 0.999];
    betas[Number(beta[1])] = value;
    return { ...settings, optimizer: { ...settings.optimizer, betas } };
  }
  return { ...settings, optimizer: { ...settings.optimizer, [param]: value } };
}

/** The settings sweep point `point` runs with: its series' run (or the base) with its optimizer, at its place on the axes. */
export function pointSettings(spec: SweepSpec, values: readonly (readonly number[])[], point: number): RunSettings {
  const size = values.reduce((n, v) => n * v.length, 1);
  const k = Math.floor(point / size);
  let settings: RunSettings = { ...(spec.bases?.[k] ?? spec.base), optimizer: { ...spec.optimizers[k] } };
  let rest = point % size;
  const axes = sweepAxes(spec);
  axes.forEach((axis, a) => {
    settings = withSetting(settings, axis.param, values[a][rest % values[a].length]);
    rest = Math.floor(rest / values[a].length);
  });
  // A learning rate neither swept nor given with the series' optimizer is its run's (or the base's).
  const lr = (spec.bases?.[k] ?? spec.base).optimizer.lr;
  if (settings.optimizer.lr === undefined && lr !== undefined) settings = { ...settings, optimizer: { ...settings.optimizer, lr } };
  return settings;
}

/** The number of points in a sweep: every series at every place on the axes. */
export function sweepSize(spec: Pick<SweepSpec, 'optimizers' | 'count' | 'axes' | 'lrMin' | 'lrMax'>): number {
  return spec.optimizers.length * gridSize(spec);
}

/** Puts a sweep's points, in order, into one series per optimizer. */
export function assembleSweep(spec: SweepSpec, points: SweepPoint[]): SweepResult {
  const axes = sweepAxes(spec);
  const values = axes.map(axisValues);
  const size = gridSize(spec);
  if (points.length !== sweepSize(spec)) throw new RangeError(`A sweep of ${sweepSize(spec)} points got ${points.length}`);
  const series = spec.optimizers.map(({ name }, k): SweepSeries => {
    const mine = points.slice(k * size, (k + 1) * size);
    return { optimizer: name, ...(spec.names?.[k] === undefined ? {} : { run: spec.names[k] }), finalValue: mine.map((q) => q.finalValue), stepsToTolerance: mine.map((q) => q.stepsToTolerance), status: mine.map((q) => q.status) };
  });
  return { lrs: values[0], ...(spec.axes?.length ? { axes: axes.map((a, i) => ({ param: a.param, values: values[i] })) } : {}), series };
}
