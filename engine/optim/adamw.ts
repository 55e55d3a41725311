/**
 * AdamW: Adam with decoupled weight decay. Follows torch.optim.AdamW:
 *
 *   t ← t + 1
 *   p ← p · (1 − lr · weight_decay)
 *   d ← maximize ? −g : g
 *   then Adam's moment update and step on d (see adam.ts)
 *
 * Defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01 (not 0
 * as in Adam), amsgrad false, maximize false. The decay is multiplied by lr, as
 * in PyTorch; the paper's schedule multiplier η_t plays that role there.
 * Reference: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019.
 */
import { effectiveGradient, type OptimizerDefinition } from './types';
import { adamFused, adamHyperparameters, adamUpdate, initAdam, validateAdam, type AdamHyper } from './adam';

export const adamw: OptimizerDefinition<AdamHyper> = {
  name: 'adamw',
  title: 'AdamW',
  summary: 'Adam whose weight decay shrinks the parameters directly instead of passing through the adaptive scaling.',
  rule: 'p ← p·(1 − lr·wd);  then Adam',
  hyperparameters: adamHyperparameters('decoupled weight decay: each step multiplies p by (1 − lr · weight_decay)'),
  defaults: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false, maximize: false },
  validate: validateAdam,
  init: initAdam,
  step(p, g, state, h, lr) {
    state.t += 1;
    const decay = 1 - lr * h.weight_decay;
    for (let i = 0; i < p.length; i++) p[i] = p[i] * decay;
    const d = effectiveGradient(state.scratch, g, p, 0, h.maximize);
    adamUpdate(p, d, state, h, lr);
  },
  fused: adamFused(true),
};
