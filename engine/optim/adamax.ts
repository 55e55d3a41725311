/**
 * Adamax: Adam with the infinity norm in place of the RMS. Follows torch.optim.Adamax:
 *
 *   t ← t + 1
 *   d ← (maximize ? −g : g) + weight_decay · p
 *   m ← β₁ · m + (1 − β₁) · d
 *   u ← max(β₂ · u, |d| + eps)
 *   p ← p − lr/(1 − β₁ᵗ) · m / u
 *
 * Defaults: lr 0.002, betas (0.9, 0.999), eps 1e-8, weight_decay 0, maximize false.
 * eps is added to |d| inside the max, as in PyTorch.
 * Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization", 2014, section 7.
 */
import { biasCorrection, checkBetas, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, fusedBiasCorrection, newState, type OptimizerDefinition } from './types';

export interface AdamaxHyper {
  [key: string]: number | boolean | readonly [number, number];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weight_decay: number;
  maximize: boolean;
}

export const adamax: OptimizerDefinition<AdamaxHyper> = {
  name: 'adamax',
  title: 'Adamax',
  summary: 'Adam with the running maximum of |g| in place of the running RMS: steps bounded by lr.',
  rule: 'm ← β₁m + (1−β₁)g;  u ← max(β₂u, |g| + eps);  p ← p − lr/(1−β₁ᵗ) · m/u',
  hyperparameters: [common.lr(), common.betas('decay rates of the running average of the gradient and of the running maximum of |g|'), common.eps(), common.weight_decay(), common.maximize()],
  defaults: { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    checkEps(h.eps);
    checkBetas(h.betas);
    checkWeightDecay(h.weight_decay);
  },
  init(n) {
    return newState(n, ['exp_avg', 'exp_inf']);
  },
  step(p, g, state, h, lr) {
    state.t += 1;
    const d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    const [beta1, beta2] = h.betas;
    const { exp_avg: m, exp_inf: u } = state.buffers;
    const clr = lr / biasCorrection(state, 0, beta1, state.t);
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] * beta1 + (1 - beta1) * d[i];
      const decayed = u[i] * beta2;
      const current = Math.abs(d[i]) + h.eps;
      u[i] = Number.isNaN(decayed) || decayed >= current ? decayed : current;
      p[i] = p[i] - (clr * m[i]) / u[i];
    }
  },
  fused: {
    variant: () => '',
    numbers: (h) => ({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, weight_decay: h.weight_decay }),
    coupled: (h) => h.weight_decay !== 0,
    perStep: () => `${fusedBiasCorrection('biasCorrection1', 'beta1', 0)}
    const clr = lr / biasCorrection1;`,
    element: () => `exp_avg = exp_avg * h_beta1 + (1 - h_beta1) * d;
      const decayed = exp_inf * h_beta2;
      const current = Math.abs(d) + h_eps;
      exp_inf = Number.isNaN(decayed) || decayed >= current ? decayed : current;
      p = p - (clr * exp_avg) / exp_inf;`,
  },
};
