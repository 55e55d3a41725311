/**
 * Losses over a model's raw output z, with their derivative dℓ/dz. A model
 * with a sigmoid link (logistic regression) predicts ŷ = σ(z); the others ŷ = z.
 *
 *   mse    (ŷ − y)²                              (no ½, as torch.nn.MSELoss)
 *   mae    |ŷ − y|                               (torch.nn.L1Loss; derivative sign(ŷ − y), 0 at 0)
 *   huber  ½r² if |r| < δ, else δ(|r| − ½δ)      (torch.nn.HuberLoss, r = ŷ − y, δ = delta)
 *   bce    binary cross-entropy of σ(z):  max(z, 0) − y·z + log(1 + e^−|z|)
 *          (torch.nn.BCEWithLogitsLoss: finite for any z; dℓ/dz = σ(z) − y)
 *   cross_entropy  for a network with K outputs z and y a class index 0…K−1:
 *          log Σ e^z − z_y  (torch.nn.CrossEntropyLoss; computed in mlp.ts)
 *
 * The batch loss is the mean over the batch. Regularization adds
 * l2·Σθ² + l1·Σ|θ| over the model's weights (not its bias).
 */
import { exp, log1p } from '../math/libm';

export type LossName = 'mse' | 'mae' | 'huber' | 'bce' | 'cross_entropy';
export const LOSS_NAMES: readonly LossName[] = ['mse', 'mae', 'huber', 'bce', 'cross_entropy'];

export interface LossSpec {
  name: LossName;
  /** Huber's δ (torch's `delta`), default 1. */
  delta?: number;
}

export type Link = 'identity' | 'sigmoid';

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + exp(-z));
  const e = exp(z);
  return e / (1 + e);
}

export const LOSS_CODES: Record<LossName, number> = { mse: 0, mae: 1, huber: 2, bce: 3, cross_entropy: 4 };

/**
 * The loss of one sample and, in out[0], dℓ/dz. `code` is LOSS_CODES[name]
 * (a number, so the per-sample switch stays cheap).
 */
export function sampleLoss(code: number, link: Link, z: number, y: number, delta: number, out: Float64Array): number {
  if (code === 3) {
    const s = sigmoid(z);
    out[0] = s - y;
    return Math.max(z, 0) - y * z + log1p(exp(-Math.abs(z)));
  }
  let yhat = z;
  let dyhat = 1;
  if (link === 'sigmoid') {
    yhat = sigmoid(z);
    dyhat = yhat * (1 - yhat);
  }
  const r = yhat - y;
  switch (code) {
    case 0:
      out[0] = 2 * r * dyhat;
      return r * r;
    case 1:
      out[0] = Math.sign(r) * dyhat;
      return Math.abs(r);
    default: {
      const a = Math.abs(r);
      if (a < delta) {
        out[0] = r * dyhat;
        return 0.5 * r * r;
      }
      out[0] = delta * Math.sign(r) * dyhat;
      return delta * (a - 0.5 * delta);
    }
  }
}
