/**
 * Learning-rate sweeps: for each optimizer, the same problem run from the same start (and, for data,
 * with the same seed and so the same mini-batch order) at log-spaced learning rates, so that a
 * difference between two curves is a difference between optimizers or rates, nothing else. Each
 * point reports the final value and the first step whose value reached the tolerance.
 */
import { buildRun, formulaCache, type BuildContext, type BuiltRun } from '../run/build';
import { complete, type Job } from './job';
import { resolveHyperparameters } from '../optim/registry';
import { assembleSweep, axisValues, pointSettings, sweepAxes, sweepSize, type SweepPoint, type SweepResult, type SweepSpec } from './sweepPoints';

export { assembleSweep, axisValues, logSpaced, sweepSize, type SweepAxis, type SweepPoint, type SweepResult, type SweepSeries, type SweepSpec } from './sweepPoints';

/**
 * Sweep points `from` to `to` (optimizer outer, rate inner) as a job, each run in slices. Every point
 * starts from the same state, so ranges can be run on different engines and put side by side.
 */
export class SweepPointsJob implements Job<SweepPoint[]> {
  private readonly values: number[][];
  private readonly context: BuildContext;
  private readonly points: SweepPoint[] = [];
  private point: number;
  private current: BuiltRun | null = null;

  constructor(
    private readonly spec: SweepSpec,
    given: BuildContext,
    private readonly from = 0,
    private readonly to = sweepSize(spec),
  ) {
    this.values = sweepAxes(spec).map(axisValues);
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to > from && to <= sweepSize(spec))) throw new RangeError(`Points ${from} to ${to} are not within the sweep's ${sweepSize(spec)}`);
    // Every point shares the problem: compile its formula once.
    this.context = { dataset: given.dataset, formula: formulaCache(given.formula) };
    this.point = from;
    // Every series' settings are checked now (a swept setting its optimizer does not have is named),
    // and the first point built, so that a problem the engine cannot run is refused at once.
    const size = sweepSize(spec) / spec.optimizers.length;
    for (let k = 0; k < spec.optimizers.length; k++) {
      const settings = pointSettings(spec, this.values, k * size);
      const { name, ...given } = settings.optimizer;
      resolveHyperparameters(name, given);
    }
    this.current = this.build(from);
  }

  get progress(): number {
    return (this.point - this.from) / (this.to - this.from);
  }

  private build(point: number): BuiltRun {
    return buildRun(this.spec.problem, pointSettings(this.spec, this.values, point), this.context);
  }

  work(deadline: number, now: () => number): boolean {
    while (this.point < this.to) {
      const built = (this.current ??= this.build(this.point));
      const advance = (count: number) => (built.fit ? built.fit.advance(count) : built.run.advance(count));
      // About a millisecond of steps at a time between looks at the clock.
      while (!built.run.finished && now() < deadline) advance(4096);
      if (!built.run.finished) return false;
      this.points.push(this.record(built));
      this.current = null;
      this.point++;
      if (now() >= deadline) break;
    }
    return this.point >= this.to;
  }

  private record(built: BuiltRun): SweepPoint {
    const h = built.run.history;
    const first = h.column(1).findIndex((value) => value <= this.spec.tolerance);
    return {
      finalValue: built.fit ? built.fit.objective.trainLoss(built.run.p) : built.run.value,
      stepsToTolerance: first >= 0 ? h.stepAt(first) : null,
      status: built.run.outcome?.status ?? 'running',
    };
  }

  result(): SweepPoint[] {
    return this.points;
  }
}

/** A whole sweep as one job: every point, then the series. */
export class SweepJob implements Job<SweepResult> {
  private readonly points: SweepPointsJob;

  constructor(
    private readonly spec: SweepSpec,
    given: BuildContext,
  ) {
    this.points = new SweepPointsJob(spec, given);
  }

  get progress(): number {
    return this.points.progress;
  }

  work(deadline: number, now: () => number): boolean {
    return this.points.work(deadline, now);
  }

  result(): SweepResult {
    return assembleSweep(this.spec, this.points.result());
  }
}

export function sweep(spec: SweepSpec, given: BuildContext): SweepResult {
  return complete(new SweepJob(spec, given));
}
