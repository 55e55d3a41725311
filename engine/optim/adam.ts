/**
 * Adam: momentum on the gradient (first moment m) divided by the root of a
 * running second moment v, both bias-corrected. Follows torch.optim.Adam:
 *
 *   t ← t + 1
 *   d ← (maximize ? −g : g) + weight_decay · p
 *   m ← β₁ · m + (1 − β₁) · d
 *   v ← β₂ · v + (1 − β₂) · d²
 *   v̂max ← max(v̂max, v)                       (amsgrad only; then v̂max replaces v below)
 *   p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
 *
 * Defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
 * amsgrad false, maximize false. weight_decay here is L2 regularization added
 * to the gradient (coupled); AdamW decouples it. eps is added after the bias
 * correction of √v, as in PyTorch (the paper's ε̂ differs slightly).
 * References: Kingma & Ba, "Adam: A Method for Stochastic Optimization", 2014;
 * Reddi et al., "On the Convergence of Adam and Beyond" (AMSGrad), 2018.
 */
import { biasCorrection, checkBetas, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, fusedBiasCorrection, newState, type FusedRule, type OptimizerDefinition, type OptimizerState } from './types';

export interface AdamHyper {
  [key: string]: number | boolean | readonly [number, number];
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export const adamHyperparameters = (weightDecayDoc?: string) => [
  common.lr(),
  common.betas(),
  common.eps(),
  common.weight_decay(weightDecayDoc),
  { name: 'amsgrad', kind: 'boolean', doc: 'AMSGrad: divide by the largest second moment seen so far, so steps never grow from it' } as const,
  common.maximize(),
];

export function validateAdam(h: AdamHyper): void {
  checkLearningRate(h.lr);
  checkEps(h.eps);
  checkBetas(h.betas);
  checkWeightDecay(h.weight_decay);
}

export function initAdam(n: number): OptimizerState {
  return newState(n, ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq']);
}

/** The Adam moment update and step shared by Adam and AdamW, on the already prepared gradient d. */
export function adamUpdate(p: Float64Array, d: Float64Array, state: OptimizerState, h: AdamHyper, lr: number): void {
  const beta1 = h.betas[0];
  const beta2 = h.betas[1];
  const m = state.buffers.exp_avg;
  const v = state.buffers.exp_avg_sq;
  const vmax = state.buffers.max_exp_avg_sq;
  const t = state.t;
  const biasCorrection1 = biasCorrection(state, 0, beta1, t);
  const biasCorrection2 = biasCorrection(state, 1, beta2, t);
  const stepSize = lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
  const eps = h.eps;
  const amsgrad = h.amsgrad;
  for (let i = 0; i < p.length; i++) {
    m[i] = m[i] * beta1 + (1 - beta1) * d[i];
    v[i] = v[i] * beta2 + (1 - beta2) * d[i] * d[i];
    let second = v[i];
    if (amsgrad) {
      // NaN-propagating maximum, as torch.maximum.
      vmax[i] = vmax[i] >= second || Number.isNaN(vmax[i]) ? vmax[i] : second;
      second = vmax[i];
    }
    const denom = Math.sqrt(second) / biasCorrection2Sqrt + eps;
    p[i] = p[i] - (stepSize * m[i]) / denom;
  }
}

/** Adam's update as fused source (see FusedRule): `adamUpdate`, preceded for AdamW by the decoupled decay. */
export function adamFused(decoupled: boolean): FusedRule<AdamHyper> {
  return {
    variant: (h) => (h.amsgrad ? 'amsgrad' : ''),
    numbers: (h) => ({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, weight_decay: h.weight_decay }),
    coupled: (h) => !decoupled && h.weight_decay !== 0,
    perStep: () => `${decoupled ? 'const decay = 1 - lr * h_weight_decay;' : ''}
    ${fusedBiasCorrection('biasCorrection1', 'beta1', 0)}
    ${fusedBiasCorrection('biasCorrection2', 'beta2', 1)}
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);`,
    element: (h) => `${decoupled ? 'p = p * decay;' : ''}
      exp_avg = exp_avg * h_beta1 + (1 - h_beta1) * d;
      exp_avg_sq = exp_avg_sq * h_beta2 + (1 - h_beta2) * d * d;
      let second = exp_avg_sq;
      ${h.amsgrad ? 'max_exp_avg_sq = max_exp_avg_sq >= second || Number.isNaN(max_exp_avg_sq) ? max_exp_avg_sq : second; second = max_exp_avg_sq;' : ''}
      const denom = Math.sqrt(second) / biasCorrection2Sqrt + h_eps;
      p = p - (stepSize * exp_avg) / denom;`,
  };
}

export const adam: OptimizerDefinition<AdamHyper> = {
  name: 'adam',
  title: 'Adam',
  summary: 'Momentum divided by a running RMS of the gradient, both bias-corrected: the default choice of deep learning.',
  rule: 'm ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + eps)',
  hyperparameters: adamHyperparameters(),
  defaults: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false },
  validate: validateAdam,
  init: initAdam,
  step(p, g, state, h, lr) {
    state.t += 1;
    const d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    adamUpdate(p, d, state, h, lr);
  },
  fused: adamFused(false),
};
