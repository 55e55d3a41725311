/**
 * RMSprop: divides the step by a running root-mean-square of the gradient.
 * Follows torch.optim.RMSprop:
 *
 *   d ← (maximize ? −g : g) + weight_decay · p
 *   v ← alpha · v + (1 − alpha) · d²
 *   if centered: ḡ ← alpha · ḡ + (1 − alpha) · d;  s ← √(v − ḡ²)  else s ← √v
 *   if momentum > 0: b ← momentum · b + d / (s + eps);  p ← p − lr · b
 *   else:            p ← p − lr · d / (s + eps)
 *
 * Defaults: lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0,
 * centered false, maximize false. Differs from TensorFlow/Keras, which put eps
 * inside the square root and use rho = 0.9 and lr = 0.001.
 * Reference: Hinton, Neural Networks for Machine Learning, lecture 6e (2012).
 */
import { check, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, newState, type OptimizerDefinition } from './types';

export interface RmspropHyper {
  [key: string]: number | boolean;
  lr: number;
  alpha: number;
  eps: number;
  weight_decay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export const rmsprop: OptimizerDefinition<RmspropHyper> = {
  name: 'rmsprop',
  title: 'RMSprop',
  summary: 'Scales each coordinate’s step by a running average of its squared gradients, so steep and flat directions move alike.',
  rule: 'v ← α·v + (1−α)·g²;  p ← p − lr · g / (√v + eps)',
  hyperparameters: [
    common.lr(),
    { name: 'alpha', kind: 'number', doc: 'smoothing constant of the running average of squared gradients', range: [0, 0.9999] },
    common.eps(),
    common.weight_decay(),
    { name: 'momentum', kind: 'number', doc: 'momentum applied to the scaled step', range: [0, 0.999] },
    { name: 'centered', kind: 'boolean', doc: 'normalize by the estimated variance of the gradient instead of its raw second moment' },
    common.maximize(),
  ],
  defaults: { lr: 0.01, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    checkEps(h.eps);
    check(Number.isFinite(h.momentum) && h.momentum >= 0, `Invalid momentum value: ${h.momentum}`);
    checkWeightDecay(h.weight_decay);
    check(Number.isFinite(h.alpha) && h.alpha >= 0, `Invalid alpha value: ${h.alpha}`);
  },
  init(n) {
    return newState(n, ['square_avg', 'grad_avg', 'momentum_buffer']);
  },
  step(p, g, state, h, lr) {
    state.t += 1;
    const d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    const { square_avg: v, grad_avg: ga, momentum_buffer: b } = state.buffers;
    const { alpha, eps, momentum, centered } = h;
    for (let i = 0; i < p.length; i++) {
      v[i] = v[i] * alpha + (1 - alpha) * d[i] * d[i];
      let avg: number;
      if (centered) {
        ga[i] = ga[i] * alpha + (1 - alpha) * d[i];
        avg = Math.sqrt(v[i] + -1 * ga[i] * ga[i]);
      } else {
        avg = Math.sqrt(v[i]);
      }
      avg = avg + eps;
      if (momentum > 0) {
        b[i] = b[i] * momentum + d[i] / avg;
        p[i] = p[i] - lr * b[i];
      } else {
        p[i] = p[i] - (lr * d[i]) / avg;
      }
    }
  },
  fused: {
    variant: (h) => `${h.centered ? 'centered' : ''} ${h.momentum > 0 ? 'momentum' : ''}`,
    numbers: (h) => ({ alpha: h.alpha, eps: h.eps, weight_decay: h.weight_decay, momentum: h.momentum }),
    coupled: (h) => h.weight_decay !== 0,
    perStep: () => '',
    element: (h) => `square_avg = square_avg * h_alpha + (1 - h_alpha) * d * d;
      ${h.centered ? 'grad_avg = grad_avg * h_alpha + (1 - h_alpha) * d; let avg = Math.sqrt(square_avg + -1 * grad_avg * grad_avg);' : 'let avg = Math.sqrt(square_avg);'}
      avg = avg + h_eps;
      ${h.momentum > 0 ? 'momentum_buffer = momentum_buffer * h_momentum + d / avg; p = p - lr * momentum_buffer;' : 'p = p - (lr * d) / avg;'}`,
  },
};
