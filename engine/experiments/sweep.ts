/**
 * Learning-rate sweeps: for each optimizer, the same problem run from the same start (and, for data,
 * with the same seed and so the same mini-batch order) at log-spaced learning rates, so that a
 * difference between two curves is a difference between optimizers or rates, nothing else. Each
 * point reports the final value and the first step whose value reached the tolerance.
 */
import { buildRun, formulaCache, type BuildContext, type BuiltRun } from '../run/build';
import type { EngineProblem } from '../spec/problem';
import type { OptimizerSettings, RunSettings } from '../spec/run';
import { complete, type Job } from './job';

export interface SweepSpec {
  problem: EngineProblem;
  /** The run every point starts from (its optimizer is replaced by each of `optimizers` at each rate). */
  base: RunSettings;
  optimizers: OptimizerSettings[];
  lrMin: number;
  lrMax: number;
  count: number;
  /** Update steps per run (function mode) or epochs (data mode) come from `base`. */
  tolerance: number;
}

export interface SweepSeries {
  optimizer: string;
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
  return Array.from({ length: count }, (_, i) => min * Math.pow(max / min, i / (count - 1)));
}

/** A sweep as a job: one point (an optimizer at a rate) after another, each run in slices. */
export class SweepJob implements Job<SweepResult> {
  private readonly lrs: number[];
  private readonly series: SweepSeries[];
  private readonly context: BuildContext;
  private point = 0;
  private current: BuiltRun | null = null;

  constructor(
    private readonly spec: SweepSpec,
    given: BuildContext,
  ) {
    this.lrs = logSpaced(spec.lrMin, spec.lrMax, spec.count);
    // Every point shares the problem: compile its formula once.
    this.context = { dataset: given.dataset, formula: formulaCache(given.formula) };
    this.series = spec.optimizers.map(({ name }) => ({ optimizer: name, finalValue: [], stepsToTolerance: [], status: [] }));
    // Build the first point now, so that a problem the engine cannot run is refused at once.
    this.current = this.build(0);
  }

  private get total(): number {
    return this.lrs.length * this.spec.optimizers.length;
  }

  get progress(): number {
    return this.point / this.total;
  }

  private build(point: number): BuiltRun {
    const optimizer = this.spec.optimizers[Math.floor(point / this.lrs.length)];
    const lr = this.lrs[point % this.lrs.length];
    return buildRun(this.spec.problem, { ...this.spec.base, optimizer: { ...optimizer, lr } }, this.context);
  }

  work(deadline: number, now: () => number): boolean {
    while (this.point < this.total) {
      const built = (this.current ??= this.build(this.point));
      const advance = (count: number) => (built.fit ? built.fit.advance(count) : built.run.advance(count));
      // About a millisecond of steps at a time between looks at the clock.
      while (!built.run.finished && now() < deadline) advance(4096);
      if (!built.run.finished) return false;
      this.record(built);
      this.current = null;
      this.point++;
      if (now() >= deadline) break;
    }
    return this.point >= this.total;
  }

  private record(built: BuiltRun): void {
    const out = this.series[Math.floor(this.point / this.lrs.length)];
    const h = built.run.history;
    const first = h.column(1).findIndex((value) => value <= this.spec.tolerance);
    out.finalValue.push(built.fit ? built.fit.objective.trainLoss(built.run.p) : built.run.value);
    out.stepsToTolerance.push(first >= 0 ? h.stepAt(first) : null);
    out.status.push(built.run.outcome?.status ?? 'running');
  }

  result(): SweepResult {
    return { lrs: this.lrs, series: this.series };
  }
}

export function sweep(spec: SweepSpec, given: BuildContext): SweepResult {
  return complete(new SweepJob(spec, given));
}
