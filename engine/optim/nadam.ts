/**
 * NAdam: Adam with Nesterov momentum and a warming momentum schedule μₜ.
 * Follows torch.optim.NAdam (PyTorch ≥ 2.0):
 *
 *   t ← t + 1
 *   d ← (maximize ? −g : g) + weight_decay · p        (or p ← p·(1 − lr·wd) when decoupled_weight_decay)
 *   μₜ ← β₁ (1 − ½ · 0.96^(t·momentum_decay)),  μₜ₊₁ likewise with t + 1
 *   Πₜ ← Πₜ₋₁ · μₜ                                     (mu_product, starts at 1)
 *   m ← β₁ m + (1 − β₁) d;  v ← β₂ v + (1 − β₂) d²
 *   s ← √(v / (1 − β₂ᵗ)) + eps
 *   p ← p − lr (1 − μₜ)/(1 − Πₜ) · d / s − lr μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m / s
 *
 * Defaults: lr 0.002, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
 * momentum_decay 0.004, decoupled_weight_decay false, maximize false.
 * PyTorch 1.x multiplied μₜ into the last denominator twice (Πₜ·μₜ·μₜ₊₁); this
 * follows the documented algorithm, as PyTorch 2.0 and later do.
 * Reference: Dozat, "Incorporating Nesterov Momentum into Adam", 2016.
 */
import { powInt, powReal } from '../math/libm';
import { check, checkBetas, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, newState, type OptimizerDefinition } from './types';

export interface NadamHyper {
  [key: string]: number | boolean | readonly [number, number];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weight_decay: number;
  momentum_decay: number;
  decoupled_weight_decay: boolean;
  maximize: boolean;
}

export const nadam: OptimizerDefinition<NadamHyper> = {
  name: 'nadam',
  title: 'NAdam',
  summary: 'Adam with Nesterov’s look-ahead momentum and a momentum that warms up over the first steps.',
  rule: 'p ← p − lr(1−μₜ)/(1−Πμ) · g/s − lr μₜ₊₁/(1−Πμ·μₜ₊₁) · m/s,  s = √(v/(1−β₂ᵗ)) + eps',
  hyperparameters: [
    common.lr(),
    common.betas(),
    common.eps(),
    common.weight_decay(),
    { name: 'momentum_decay', kind: 'number', doc: 'how fast the momentum schedule μₜ warms up towards β₁', range: [0, 0.1] },
    { name: 'decoupled_weight_decay', kind: 'boolean', doc: 'shrink p directly (as AdamW) instead of adding weight_decay · p to the gradient' },
    common.maximize(),
  ],
  defaults: { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 0.004, decoupled_weight_decay: false, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    checkEps(h.eps);
    checkBetas(h.betas);
    checkWeightDecay(h.weight_decay);
    check(Number.isFinite(h.momentum_decay) && h.momentum_decay >= 0, `Invalid momentum_decay value: ${h.momentum_decay}`);
  },
  init(n) {
    const state = newState(n, ['exp_avg', 'exp_avg_sq']);
    state.scalars.mu_product = 1;
    return state;
  },
  step(p, g, state, h, lr) {
    state.t += 1;
    const t = state.t;
    const [beta1, beta2] = h.betas;
    const biasCorrection2 = 1 - powInt(beta2, t);
    let d: Float64Array;
    if (h.decoupled_weight_decay) {
      const decay = 1 - lr * h.weight_decay;
      for (let i = 0; i < p.length; i++) p[i] = p[i] * decay;
      d = effectiveGradient(state.scratch, g, p, 0, h.maximize);
    } else {
      d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    }
    const mu = beta1 * (1 - 0.5 * powReal(0.96, t * h.momentum_decay));
    const muNext = beta1 * (1 - 0.5 * powReal(0.96, (t + 1) * h.momentum_decay));
    const muProduct = state.scalars.mu_product * mu;
    state.scalars.mu_product = muProduct;
    const muProductNext = muProduct * muNext;
    const gradCoef = (-lr * (1 - mu)) / (1 - muProduct);
    const momentumCoef = (-lr * muNext) / (1 - muProductNext);
    const { exp_avg: m, exp_avg_sq: v } = state.buffers;
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] * beta1 + (1 - beta1) * d[i];
      v[i] = v[i] * beta2 + (1 - beta2) * d[i] * d[i];
      const denom = Math.sqrt(v[i] / biasCorrection2) + h.eps;
      p[i] = p[i] + (gradCoef * d[i]) / denom;
      p[i] = p[i] + (momentumCoef * m[i]) / denom;
    }
  },
  fused: {
    variant: (h) => (h.decoupled_weight_decay ? 'decoupled' : ''),
    numbers: (h) => ({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, weight_decay: h.weight_decay, momentum_decay: h.momentum_decay }),
    coupled: (h) => !h.decoupled_weight_decay && h.weight_decay !== 0,
    perStep: (h) => `const biasCorrection2 = 1 - powInt(h_beta2, t);
    ${h.decoupled_weight_decay ? 'const decay = 1 - lr * h_weight_decay;' : ''}
    const mu = h_beta1 * (1 - 0.5 * powReal(0.96, t * h_momentum_decay));
    const muNext = h_beta1 * (1 - 0.5 * powReal(0.96, (t + 1) * h_momentum_decay));
    s_mu_product = s_mu_product * mu;
    const muProductNext = s_mu_product * muNext;
    const gradCoef = (-lr * (1 - mu)) / (1 - s_mu_product);
    const momentumCoef = (-lr * muNext) / (1 - muProductNext);`,
    element: (h) => `${h.decoupled_weight_decay ? 'p = p * decay;' : ''}
      exp_avg = exp_avg * h_beta1 + (1 - h_beta1) * d;
      exp_avg_sq = exp_avg_sq * h_beta2 + (1 - h_beta2) * d * d;
      const denom = Math.sqrt(exp_avg_sq / biasCorrection2) + h_eps;
      p = p + (gradCoef * d) / denom;
      p = p + (momentumCoef * exp_avg) / denom;`,
  },
};
