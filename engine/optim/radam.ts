/**
 * RAdam: Adam whose adaptive step is switched on only once the variance of
 * the adaptive learning rate is tractable, and rectified until then.
 * Follows torch.optim.RAdam:
 *
 *   t ← t + 1
 *   d ← (maximize ? −g : g) + weight_decay · p        (or p ← p·(1 − lr·wd) when decoupled_weight_decay)
 *   m ← β₁ m + (1 − β₁) d;  v ← β₂ v + (1 − β₂) d²;  m̂ ← m / (1 − β₁ᵗ)
 *   ρ∞ ← 2/(1 − β₂) − 1;  ρₜ ← ρ∞ − 2t β₂ᵗ/(1 − β₂ᵗ)
 *   if ρₜ > 5:  r ← √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ));  p ← p − m̂ · lr · √(1 − β₂ᵗ)/(√v + eps) · r
 *   else:       p ← p − m̂ · lr                          (plain momentum SGD for the first steps)
 *
 * Defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
 * decoupled_weight_decay false, maximize false. The threshold is ρₜ > 5, as in
 * PyTorch (the paper uses 4).
 * Reference: Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", 2020.
 */
import { powInt } from '../math/libm';
import { checkBetas, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, newState, type OptimizerDefinition } from './types';

export interface RadamHyper {
  [key: string]: number | boolean | readonly [number, number];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weight_decay: number;
  decoupled_weight_decay: boolean;
  maximize: boolean;
}

export const radam: OptimizerDefinition<RadamHyper> = {
  name: 'radam',
  title: 'RAdam',
  summary: 'Adam that starts as momentum SGD and turns on its adaptive scaling gradually, avoiding Adam’s wild first steps.',
  rule: 'ρₜ > 5 ? p ← p − lr·m̂·r·√(1−β₂ᵗ)/(√v + eps) : p ← p − lr·m̂',
  hyperparameters: [
    common.lr(),
    common.betas(),
    common.eps(),
    common.weight_decay(),
    { name: 'decoupled_weight_decay', kind: 'boolean', doc: 'shrink p directly (as AdamW) instead of adding weight_decay · p to the gradient' },
    common.maximize(),
  ],
  defaults: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, decoupled_weight_decay: false, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    checkEps(h.eps);
    checkBetas(h.betas);
    checkWeightDecay(h.weight_decay);
  },
  init(n) {
    return newState(n, ['exp_avg', 'exp_avg_sq']);
  },
  step(p, g, state, h, lr) {
    state.t += 1;
    const t = state.t;
    const [beta1, beta2] = h.betas;
    const biasCorrection1 = 1 - powInt(beta1, t);
    const biasCorrection2 = 1 - powInt(beta2, t);
    let d: Float64Array;
    if (h.decoupled_weight_decay) {
      const decay = 1 - lr * h.weight_decay;
      for (let i = 0; i < p.length; i++) p[i] = p[i] * decay;
      d = effectiveGradient(state.scratch, g, p, 0, h.maximize);
    } else {
      d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    }
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * powInt(beta2, t)) / biasCorrection2;
    const rectified = rhoT > 5;
    const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    const sqrtBc2 = Math.sqrt(biasCorrection2);
    const { exp_avg: m, exp_avg_sq: v } = state.buffers;
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] * beta1 + (1 - beta1) * d[i];
      v[i] = v[i] * beta2 + (1 - beta2) * d[i] * d[i];
      const mHat = m[i] / biasCorrection1;
      if (rectified) {
        // math.sqrt(bc2) / tensor is tensor.reciprocal() * math.sqrt(bc2) in Python.
        const adaptiveLr = (1 / (Math.sqrt(v[i]) + h.eps)) * sqrtBc2;
        p[i] = p[i] + -1 * (mHat * lr * adaptiveLr * rect);
      } else {
        p[i] = p[i] + -1 * (mHat * lr);
      }
    }
  },
  fused: {
    variant: (h) => (h.decoupled_weight_decay ? 'decoupled' : ''),
    numbers: (h) => ({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, weight_decay: h.weight_decay }),
    coupled: (h) => !h.decoupled_weight_decay && h.weight_decay !== 0,
    perStep: (h) => `const biasCorrection1 = 1 - powInt(h_beta1, t);
    const biasCorrection2 = 1 - powInt(h_beta2, t);
    ${h.decoupled_weight_decay ? 'const decay = 1 - lr * h_weight_decay;' : ''}
    const rhoInf = 2 / (1 - h_beta2) - 1;
    const rhoT = rhoInf - (2 * t * powInt(h_beta2, t)) / biasCorrection2;
    const rectified = rhoT > 5;
    const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    const sqrtBc2 = Math.sqrt(biasCorrection2);`,
    element: (h) => `${h.decoupled_weight_decay ? 'p = p * decay;' : ''}
      exp_avg = exp_avg * h_beta1 + (1 - h_beta1) * d;
      exp_avg_sq = exp_avg_sq * h_beta2 + (1 - h_beta2) * d * d;
      const mHat = exp_avg / biasCorrection1;
      if (rectified) {
        const adaptiveLr = (1 / (Math.sqrt(exp_avg_sq) + h_eps)) * sqrtBc2;
        p = p + -1 * (mHat * lr * adaptiveLr * rect);
      } else {
        p = p + -1 * (mHat * lr);
      }`,
  },
};
