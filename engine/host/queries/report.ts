/**
 * A data fit's report at a step: every metric on the training and validation rows (model/metrics.ts),
 * whether its loss holds a penalty, and the reference optimum of its problem (model/optimum.ts), the
 * same for every step, found once per run.
 */
import type { FitRun } from '../../run/fit';
import type { Run } from '../../run/run';
import type { CurveMetric, Metrics } from '../../model/metrics';
import { optimumOf, type Optimum } from '../../model/optimum';
import type { BatchObjective } from '../../model/objective';
import type { RequestData } from '../protocol';
import { paramsAt } from './predictions';
import { classNames } from './classes';

export interface FitReport {
  step: number;
  classification: boolean;
  /** Class names in order, for a classification's confusion matrix. */
  classes: string[];
  /** Whether the loss includes an L1 or L2 penalty (the metrics never do). */
  penalized: boolean;
  /** The training objective at the step: the runs' own loss. */
  loss: number;
  metrics: Metrics | null;
  valMetrics: Metrics | null;
  optimum: Optimum;
}

const optima = new WeakMap<BatchObjective, Optimum>();

export function fitReport(hosted: { run: Run; fit: FitRun | null }, req: RequestData<'fitReport'>): FitReport {
  const fit = hosted.fit;
  if (!fit) throw new RangeError('Metrics are for data fits');
  const { theta, step } = paramsAt(hosted.run, req.step);
  const { objective, data } = fit;
  let optimum = optima.get(objective);
  if (!optimum) optima.set(objective, (optimum = optimumOf(objective)));
  return {
    step,
    classification: objective.classification,
    classes: objective.classification ? classNames(data) : [],
    penalized: objective.reg.l1 > 0 || objective.reg.l2 > 0,
    loss: objective.trainLoss(theta),
    ...fit.allMetrics(theta),
    optimum,
  };
}

/** One metric of a data fit after each epoch (up to `points` epochs, evenly spaced, the last always in). */
export interface MetricCurve {
  metric: CurveMetric;
  epochs: number[];
  /** The update count at each epoch's end, to line the curve up with the replay step. */
  steps: number[];
  training: number[];
  /** On the validation rows, or null without a validation split. */
  validation: number[] | null;
}

export function metricCurve(hosted: { run: Run; fit: FitRun | null }, req: RequestData<'metricCurve'>): MetricCurve {
  const fit = hosted.fit;
  if (!fit) throw new RangeError('Metrics are for data fits');
  const records = fit.epochs;
  const stride = Math.max(1, Math.ceil(records.length / req.points));
  const chosen = records.filter((_, k) => k % stride === 0 || k === records.length - 1);
  const out: MetricCurve = { metric: req.metric, epochs: [], steps: [], training: [], validation: fit.data.nVal > 0 ? [] : null };
  const h = hosted.run.history;
  for (const record of chosen) {
    // A linear model keeps its parameters per epoch; a network's are in the history, where kept at that step.
    let theta: Float64Array | null = record.params.length ? Float64Array.from(record.params) : null;
    if (!theta) {
      const index = h.indexAtOrBefore(record.step);
      if (index < 0 || h.stepAt(index) !== record.step) continue;
      theta = Float64Array.from(h.record(index).params);
    }
    const { metrics, valMetrics } = fit.allMetrics(theta);
    const pick = (m: Metrics | null) => {
      const v = (m as unknown as Record<string, unknown> | null)?.[req.metric];
      return typeof v === 'number' ? v : NaN;
    };
    out.epochs.push(record.epoch);
    out.steps.push(record.step);
    out.training.push(pick(metrics));
    out.validation?.push(pick(valMetrics));
  }
  return out;
}
