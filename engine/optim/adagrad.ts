/**
 * Adagrad: per-coordinate steps shrinking with the accumulated squared gradient.
 * Follows torch.optim.Adagrad:
 *
 *   t ← t + 1
 *   d ← (maximize ? −g : g) + weight_decay · p
 *   clr ← lr / (1 + (t − 1) · lr_decay)
 *   sum ← sum + d²                      (sum starts at initial_accumulator_value)
 *   p ← p − clr · d / (√sum + eps)
 *
 * Defaults: lr 0.01, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
 * eps 1e-10, maximize false. Note eps is added outside the square root, and is
 * 1e-10 here where Keras uses 1e-7.
 * Reference: Duchi, Hazan, Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization", JMLR 2011.
 */
import { check, checkEps, checkLearningRate, checkWeightDecay, common, effectiveGradient, newState, type OptimizerDefinition } from './types';

export interface AdagradHyper {
  [key: string]: number | boolean;
  lr: number;
  lr_decay: number;
  weight_decay: number;
  initial_accumulator_value: number;
  eps: number;
  maximize: boolean;
}

export const adagrad: OptimizerDefinition<AdagradHyper> = {
  name: 'adagrad',
  title: 'Adagrad',
  summary: 'Divides each coordinate’s step by the root of its summed squared gradients: big early steps, ever smaller later.',
  rule: 'sum ← sum + g²;  p ← p − lr/(1 + (t−1)·lr_decay) · g / (√sum + eps)',
  hyperparameters: [
    common.lr(),
    { name: 'lr_decay', kind: 'number', doc: 'learning-rate decay: the step t uses lr / (1 + (t − 1)·lr_decay)', range: [0, 1] },
    common.weight_decay(),
    { name: 'initial_accumulator_value', kind: 'number', doc: 'starting value of the sum of squared gradients', range: [0, 1] },
    common.eps(),
    common.maximize(),
  ],
  defaults: { lr: 0.01, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    check(Number.isFinite(h.lr_decay) && h.lr_decay >= 0, `Invalid lr_decay value: ${h.lr_decay}`);
    checkWeightDecay(h.weight_decay);
    check(Number.isFinite(h.initial_accumulator_value) && h.initial_accumulator_value >= 0, `Invalid initial_accumulator_value value: ${h.initial_accumulator_value}`);
    checkEps(h.eps);
  },
  init(n, h) {
    return newState(n, ['sum'], { sum: h.initial_accumulator_value });
  },
  step(p, g, state, h, lr) {
    state.t += 1;
    const d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    const clr = lr / (1 + (state.t - 1) * h.lr_decay);
    const sum = state.buffers.sum;
    const eps = h.eps;
    for (let i = 0; i < p.length; i++) {
      sum[i] = sum[i] + d[i] * d[i];
      const std = Math.sqrt(sum[i]) + eps;
      p[i] = p[i] - (clr * d[i]) / std;
    }
  },
  fused: {
    variant: () => '',
    numbers: (h) => ({ lr_decay: h.lr_decay, eps: h.eps, weight_decay: h.weight_decay }),
    coupled: (h) => h.weight_decay !== 0,
    perStep: () => 'const clr = lr / (1 + (t - 1) * h_lr_decay);',
    element: () => 'sum = sum + d * d; const std = Math.sqrt(sum) + h_eps; p = p - (clr * d) / std;',
  },
};
