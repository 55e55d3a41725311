/**
 * The stochastic gap: at a run's recorded steps, the mini-batch gradient the update used beside the
 * full-batch gradient at the same parameters — their norms, the norm of their difference (the
 * gradient noise SGD trades for cheaper steps) and the angle between them.
 *
 * The batch of step k is found again from the run's plan: epoch ⌊k / B⌋ of the seeded shuffle (each
 * epoch restarts from file order and shuffles with the run's one generator, as the run did), batch
 * k mod B of it. Regularization is part of both gradients, as it was of the update.
 */
import { Rng } from '../data/random';
import type { BatchObjective } from '../model/objective';
import type { History } from '../run/history';
import { acos } from '../math/libm';
import { norm2 } from '../optim/clip';

export interface GradientGap {
  steps: number[];
  batchNorm: number[];
  fullNorm: number[];
  noiseNorm: number[];
  /** Angle between the two gradients, in degrees (NaN where either is zero). */
  angle: number[];
}

export function gradientGap(objective: BatchObjective, history: History, points = 200): GradientGap {
  const n = objective.n;
  const { X, y, n: rows } = objective.data;
  const B = objective.batchesPerEpoch;
  const size = objective.batchSize;
  const gBatch = new Float64Array(n);
  const gFull = new Float64Array(n);
  const gNoise = new Float64Array(n);
  const p = new Float64Array(n);
  const order = new Uint32Array(rows);
  const rng = new Rng(objective.plan.seed);
  let epochReady = -1;
  const out: GradientGap = { steps: [], batchNorm: [], fullNorm: [], noiseNorm: [], angle: [] };
  const stride = Math.max(1, Math.ceil(history.count / points));
  for (let index = 0; index < history.count; index += stride) {
    const record = history.record(index);
    const epoch = Math.floor(record.step / B);
    // Replay the shuffles up to this epoch; steps come in increasing order, so each epoch is shuffled once.
    while (epochReady < epoch) {
      epochReady++;
      for (let i = 0; i < rows; i++) order[i] = i;
      if (objective.plan.shuffle) rng.shuffle(order);
    }
    const from = (record.step % B) * size;
    const batch = order.subarray(from, Math.min(from + size, rows));
    p.set(record.params);
    objective.lossOver(p, X, y, batch, batch.length, gBatch);
    objective.lossOver(p, X, y, null, rows, gFull);
    for (let j = 0; j < n; j++) gNoise[j] = gBatch[j] - gFull[j];
    // The norms overflow-safe; the angle from the two gradients each scaled by its norm.
    const bNorm = norm2(gBatch);
    const fNorm = norm2(gFull);
    let cos = 0;
    for (let j = 0; j < n; j++) cos += (gBatch[j] / bNorm) * (gFull[j] / fNorm);
    out.steps.push(record.step);
    out.batchNorm.push(bNorm);
    out.fullNorm.push(fNorm);
    out.noiseNorm.push(norm2(gNoise));
    out.angle.push(Number.isFinite(cos) ? (acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI : NaN);
  }
  return out;
}
