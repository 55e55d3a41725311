/**
 * Learning-rate sweeps: for each optimizer, the same problem run from the same start (and, for data,
 * with the same seed and so the same mini-batch order) at log-spaced learning rates, so that a
 * difference between two curves is a difference between optimizers or rates, nothing else. Each
 * point reports the final value and the first step whose value reached the tolerance.
 */
import type { RunSpec } from '../host/protocol';
import { RunSpecSchema } from '../host/protocol';
import { buildRun, formulaCache, type BuildContext } from '../run/build';

export interface SweepSpec {
  /** The run every point starts from; its optimizer's hyperparameters other than lr are kept. */
  base: Omit<RunSpec, 'runId' | 'optimizer'>;
  optimizers: Array<{ name: string; [hyperparameter: string]: unknown }>;
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

export function sweep(spec: SweepSpec, given: BuildContext): SweepResult {
  const lrs = logSpaced(spec.lrMin, spec.lrMax, spec.count);
  // Every point shares the problem: compile its formula once.
  const context: BuildContext = { dataset: given.dataset, formula: formulaCache(given.formula) };
  const series = spec.optimizers.map(({ name, ...hyper }) => {
    const out: SweepSeries = { optimizer: name, finalValue: [], stepsToTolerance: [], status: [] };
    for (const lr of lrs) {
      const run = RunSpecSchema.parse({ ...spec.base, runId: 'sweep', optimizer: { ...hyper, name, lr } });
      const built = buildRun(run, context);
      if (built.fit) built.fit.advance(Infinity);
      else built.run.advance(Infinity);
      const h = built.run.history;
      const first = h.column(1).findIndex((value) => value <= spec.tolerance);
      const reached = first >= 0 ? h.stepAt(first) : null;
      out.finalValue.push(built.fit ? built.fit.objective.trainLoss(built.run.p) : built.run.value);
      out.stepsToTolerance.push(reached);
      out.status.push(built.run.outcome?.status ?? 'running');
    }
    return out;
  });
  return { lrs, series };
}
