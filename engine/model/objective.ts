/**
 * A model's loss over mini-batches, as the run loop's objective. Each call of
 * `valueAndGradient` after the first moves to the next batch, so the update
 * that follows uses that batch's gradient — the textbook loop, predict → loss
 * → gradient → update, one batch at a time:
 *
 *   batch size n (full):  batch gradient descent, one update per epoch
 *   batch size 1:         stochastic gradient descent, n updates per epoch
 *   batch size b:         mini-batch gradient descent, ⌈n/b⌉ updates per epoch
 *
 * Batches are consecutive slices of the epoch's order: the training rows in
 * file order, or, with shuffle, a fresh seeded permutation every epoch. The
 * last batch of an epoch may be smaller (as PyTorch's DataLoader with
 * drop_last=False). Nothing is allocated per batch.
 */
import type { TrainingData } from '../data/prepare';
import { Rng } from '../data/random';
import type { LoopObjective } from '../run/run';
import { LOSS_CODES, sampleLoss, sigmoid, type LossSpec } from './losses';
import type { Model } from './models';
import { classificationMetrics, regressionMetrics, type Metrics } from './metrics';
import { exp } from '../math/libm';

export interface Regularization {
  l1: number;
  l2: number;
}

export interface BatchPlan {
  /** Rows per batch; at least 1, at most the number of training rows. */
  batchSize: number;
  shuffle: boolean;
  seed: number;
}

/** The share of the first `count` rows whose predicted class is their class (NaN for none). */
export function accuracy(predicted: Float64Array, y: Float64Array, count: number): number {
  let correct = 0;
  for (let i = 0; i < count; i++) if (predicted[i] === y[i]) correct++;
  return count ? correct / count : NaN;
}

export class BatchObjective implements LoopObjective {
  readonly n: number;
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  /** How many batches have been evaluated before the current one. */
  evaluations = -1;
  private readonly order: Uint32Array;
  private readonly rng: Rng;
  private shuffledEpoch = -1;
  private readonly dz = new Float64Array(1);
  private readonly code: number;
  private readonly delta: number;

  constructor(
    readonly model: Model,
    readonly data: TrainingData,
    readonly loss: LossSpec,
    readonly reg: Regularization,
    readonly plan: BatchPlan,
  ) {
    this.n = model.paramNames.length;
    this.batchSize = Math.max(1, Math.min(plan.batchSize, data.n));
    this.batchesPerEpoch = Math.ceil(data.n / this.batchSize);
    this.order = new Uint32Array(data.n);
    this.rng = new Rng(plan.seed);
    this.code = LOSS_CODES[loss.name];
    this.delta = loss.delta ?? 1;
  }

  /** The epoch (0-based) and batch within it that the current evaluation uses. */
  get position(): { epoch: number; batch: number } {
    const e = Math.max(0, this.evaluations);
    return { epoch: Math.floor(e / this.batchesPerEpoch), batch: e % this.batchesPerEpoch };
  }

  /** Training-row indices of the current batch (a view; do not keep it). */
  currentBatch(): Uint32Array {
    const { batch } = this.position;
    const from = batch * this.batchSize;
    return this.order.subarray(from, Math.min(from + this.batchSize, this.data.n));
  }

  private prepareEpoch(epoch: number): void {
    if (epoch === this.shuffledEpoch) return;
    this.shuffledEpoch = epoch;
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    if (this.plan.shuffle) this.rng.shuffle(this.order);
  }

  valueAndGradient(p: Float64Array, g: Float64Array): number {
    this.evaluations++;
    this.prepareEpoch(this.position.epoch);
    const batch = this.currentBatch();
    return this.lossOver(p, this.data.X, this.data.y, batch, batch.length, g);
  }

  /** The loss on the current batch (for line searches), without moving on. */
  value(p: Float64Array): number {
    const batch = this.currentBatch();
    return this.lossOver(p, this.data.X, this.data.y, batch, batch.length, null);
  }

  /** Mean loss plus regularization over rows `rows` (or the first `count` rows when rows is null); gradient into g when given. */
  lossOver(p: Float64Array, X: Float64Array, y: Float64Array, rows: Uint32Array | null, count: number, g: Float64Array | null): number {
    const { model, code, delta, dz } = this;
    const link = model.link;
    if (g) g.fill(0);
    let total = 0;
    if (model.network) {
      total = model.network.lossOver(p, X, y, rows, count, code, delta, g);
    } else if (model.linear) {
      // The same arithmetic as model.output/accumulate, inlined: this loop is most of a linear fit's time.
      const d = model.d;
      for (let k = 0; k < count; k++) {
        const i = rows ? rows[k] : k;
        const o = i * d;
        let z = p[d];
        for (let j = 0; j < d; j++) z += p[j] * X[o + j];
        total += sampleLoss(code, link, z, y[i], delta, dz);
        if (g) {
          const c = dz[0];
          for (let j = 0; j < d; j++) g[j] += c * X[o + j];
          g[d] += c;
        }
      }
    } else {
      for (let k = 0; k < count; k++) {
        const i = rows ? rows[k] : k;
        const z = model.output(p, X, i);
        total += sampleLoss(code, link, z, y[i], delta, dz);
        if (g) model.accumulate(p, X, i, dz[0], g);
      }
    }
    const inv = 1 / count;
    total *= inv;
    if (g) for (let j = 0; j < g.length; j++) g[j] *= inv;
    const { l1, l2 } = this.reg;
    if (l1 !== 0 || l2 !== 0) {
      const r = model.regularized;
      for (let j = 0; j < p.length; j++) {
        if (!r[j]) continue;
        total += l2 * p[j] * p[j] + l1 * Math.abs(p[j]);
        if (g) g[j] += 2 * l2 * p[j] + l1 * Math.sign(p[j]);
      }
    }
    return total;
  }

  /** The training objective over the whole training set. */
  trainLoss(p: Float64Array): number {
    return this.lossOver(p, this.data.X, this.data.y, null, this.data.n, null);
  }

  /** The data loss (no regularization) over the validation rows; NaN when there are none. */
  validationLoss(p: Float64Array): number {
    if (this.data.nVal === 0) return NaN;
    const { l1, l2 } = this.reg;
    this.reg.l1 = 0;
    this.reg.l2 = 0;
    try {
      return this.lossOver(p, this.data.Xval, this.data.yval, null, this.data.nVal, null);
    } finally {
      this.reg.l1 = l1;
      this.reg.l2 = l2;
    }
  }

  /** Whether the fit is a classification (bce loss or logistic model): its metric is accuracy, else R². */
  get classification(): boolean {
    return this.loss.name === 'bce' || this.loss.name === 'cross_entropy' || this.model.link === 'sigmoid';
  }

  /** The class the model predicts for each of `count` rows of X (classification only). */
  classify(p: Float64Array, X: Float64Array, count: number, out = new Float64Array(count)): Float64Array {
    const { model } = this;
    if (model.network && this.loss.name === 'cross_entropy') {
      const K = model.network.outputs;
      model.network.eachOutput(p, X, count, (row, z, o) => {
        let best = 0;
        for (let c = 1; c < K; c++) if (z[o + c] > z[o + best]) best = c;
        out[row] = best;
      });
    } else if (model.network) {
      model.network.eachOutput(p, X, count, (row, z, o) => void (out[row] = z[o] >= 0 ? 1 : 0));
    } else {
      for (let i = 0; i < count; i++) out[i] = sigmoid(model.output(p, X, i)) >= 0.5 ? 1 : 0;
    }
    return out;
  }

  /** Accuracy (classification) or R² (regression) of the model on a set. */
  metric(p: Float64Array, X: Float64Array, y: Float64Array, count: number): number {
    if (count === 0) return NaN;
    const { model } = this;
    if (this.classification) return accuracy(this.classify(p, X, count), y, count);
    let mean = 0;
    for (let i = 0; i < count; i++) mean += y[i];
    mean /= count;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < count; i++) {
      const r = model.output(p, X, i) - y[i];
      ssRes += r * r;
      ssTot += (y[i] - mean) * (y[i] - mean);
    }
    return ssTot > 0 ? 1 - ssRes / ssTot : NaN;
  }

  /** How many classes a classification fits: the cross-entropy network's outputs, else 2. */
  get classCount(): number {
    return this.loss.name === 'cross_entropy' && this.model.network ? this.model.network.outputs : 2;
  }

  /**
   * Each row's predicted probabilities (classification only): of class 1 for two classes, one per row;
   * for K classes, the softmax of the K outputs, K per row.
   */
  probabilities(p: Float64Array, X: Float64Array, count: number): Float64Array {
    const { model } = this;
    const K = this.classCount;
    if (K > 2 && model.network) {
      const out = new Float64Array(count * K);
      model.network.eachOutput(p, X, count, (row, z, o) => {
        let max = -Infinity;
        for (let c = 0; c < K; c++) max = Math.max(max, z[o + c]);
        let sum = 0;
        for (let c = 0; c < K; c++) sum += out[row * K + c] = exp(z[o + c] - max);
        for (let c = 0; c < K; c++) out[row * K + c] /= sum;
      });
      return out;
    }
    const out = new Float64Array(count);
    if (model.network) model.network.eachOutput(p, X, count, (row, z, o) => void (out[row] = sigmoid(z[o])));
    else for (let i = 0; i < count; i++) out[i] = sigmoid(model.output(p, X, i));
    return out;
  }

  /** Every metric of the model on a set (metrics.ts), or null for a set without rows. */
  metrics(p: Float64Array, X: Float64Array, y: Float64Array, count: number): Metrics | null {
    if (count === 0) return null;
    if (this.classification) return classificationMetrics(this.probabilities(p, X, count), y, count, this.classCount);
    return regressionMetrics(this.predict(p, X, count), y, count, this.model.paramNames.length - 1);
  }

  /** The model's prediction ŷ for every row of X: for a network with K classes, the predicted class. */
  predict(p: Float64Array, X: Float64Array, count: number): Float64Array {
    if (this.loss.name === 'cross_entropy') return this.classify(p, X, count);
    const out = new Float64Array(count);
    if (this.model.network) {
      const logit = this.loss.name === 'bce';
      this.model.network.eachOutput(p, X, count, (row, z, o) => void (out[row] = logit ? sigmoid(z[o]) : z[o]));
      return out;
    }
    for (let i = 0; i < count; i++) {
      const z = this.model.output(p, X, i);
      out[i] = this.model.link === 'sigmoid' ? sigmoid(z) : z;
    }
    return out;
  }
}
