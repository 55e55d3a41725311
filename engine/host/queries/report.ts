/**
 * A data fit's report at a step: every metric on the training and validation rows (model/metrics.ts),
 * whether its loss holds a penalty, and the reference optimum of its problem (model/optimum.ts), the
 * same for every step, found once per run.
 */
import type { FitRun } from '../../run/fit';
import type { Run } from '../../run/run';
import type { Metrics } from '../../model/metrics';
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
