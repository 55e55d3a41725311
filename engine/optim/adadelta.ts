/**
 * Adadelta: steps sized by the ratio of running RMS of past updates to running
 * RMS of gradients, so the units of the update match the parameters.
 * Follows torch.optim.Adadelta:
 *
 *   d ← (maximize ? −g : g) + weight_decay · p
 *   v ← rho · v + (1 − rho) · d²
 *   Δ ← √(u + eps) / √(v + eps) · d
 *   u ← rho · u + (1 − rho) · Δ²
 *   p ← p − lr · Δ
 *
 * Defaults: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0, maximize false. The
 * original paper has no learning rate (lr = 1); Keras defaults it to 0.001.
 * Reference: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012.
 */
import { check, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, newState, type OptimizerDefinition } from './types';

export interface AdadeltaHyper {
  [key: string]: number | boolean;
  lr: number;
  rho: number;
  eps: number;
  weight_decay: number;
  maximize: boolean;
}

export const adadelta: OptimizerDefinition<AdadeltaHyper> = {
  name: 'adadelta',
  title: 'Adadelta',
  summary: 'Sizes each step by the ratio of recent update sizes to recent gradient sizes: no learning rate to tune in the original.',
  rule: 'v ← ρ·v + (1−ρ)·g²;  Δ ← √(u+eps)/√(v+eps)·g;  u ← ρ·u + (1−ρ)·Δ²;  p ← p − lr·Δ',
  hyperparameters: [
    common.lr('coefficient that scales the update before it is applied (1 in the original method)'),
    { name: 'rho', kind: 'number', doc: 'decay rate of the running averages of squared gradients and squared updates', range: [0, 0.9999] },
    common.eps(),
    common.weight_decay(),
    common.maximize(),
  ],
  defaults: { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    check(Number.isFinite(h.rho) && h.rho >= 0 && h.rho <= 1, `Invalid rho value: ${h.rho}`);
    checkEps(h.eps);
    checkWeightDecay(h.weight_decay);
  },
  init(n) {
    return newState(n, ['square_avg', 'acc_delta']);
  },
  step(p, g, state, h, lr) {
    state.t += 1;
    const d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    const { square_avg: v, acc_delta: u } = state.buffers;
    const { rho, eps } = h;
    for (let i = 0; i < p.length; i++) {
      v[i] = v[i] * rho + (1 - rho) * d[i] * d[i];
      const std = Math.sqrt(v[i] + eps);
      const delta = (Math.sqrt(u[i] + eps) / std) * d[i];
      u[i] = u[i] * rho + (1 - rho) * delta * delta;
      p[i] = p[i] - lr * delta;
    }
  },
  fused: {
    variant: () => '',
    numbers: (h) => ({ rho: h.rho, eps: h.eps, weight_decay: h.weight_decay }),
    coupled: (h) => h.weight_decay !== 0,
    perStep: () => '',
    element: () => `square_avg = square_avg * h_rho + (1 - h_rho) * d * d;
      const std = Math.sqrt(square_avg + h_eps);
      const delta = (Math.sqrt(acc_delta + h_eps) / std) * d;
      acc_delta = acc_delta * h_rho + (1 - h_rho) * delta * delta;
      p = p - lr * delta;`,
  },
};
