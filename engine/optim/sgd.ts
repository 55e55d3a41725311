/**
 * SGD: stochastic gradient descent, with optional (Nesterov) momentum.
 * Follows torch.optim.SGD:
 *
 *   d ← (maximize ? −g : g) + weight_decay · p
 *   if momentum ≠ 0:
 *     b ← d                                   on the first step
 *     b ← momentum · b + (1 − dampening) · d  afterwards
 *     d ← nesterov ? d + momentum · b : b
 *   p ← p − lr · d
 *
 * Defaults: lr 0.001 (PyTorch ≥ 2.2; earlier versions required it), momentum 0,
 * dampening 0, weight_decay 0, nesterov false, maximize false. With momentum 0
 * this is plain gradient descent, p ← p − lr · ∇f(p).
 *
 * Differs from other libraries: the momentum buffer starts as the first
 * gradient (not zero, as in Sutskever et al.), and lr multiplies the buffer
 * rather than being folded into it, so changing lr mid-run rescales the velocity.
 * Reference: Sutskever et al., "On the importance of initialization and momentum in deep learning", 2013.
 */
import { check, checkLearningRate, checkWeightDecay, common, effectiveGradient, newState, type OptimizerDefinition } from './types';

export interface SgdHyper {
  [key: string]: number | boolean;
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

export const sgd: OptimizerDefinition<SgdHyper> = {
  name: 'sgd',
  title: 'SGD',
  summary: 'Gradient descent; with momentum it keeps a running velocity, with Nesterov it looks ahead along it.',
  rule: 'b ← momentum·b + (1 − dampening)·g;  p ← p − lr·(nesterov ? g + momentum·b : b)',
  hyperparameters: [
    common.lr(),
    { name: 'momentum', kind: 'number', doc: 'fraction of the previous velocity kept each step (0 = plain gradient descent)', range: [0, 0.999] },
    { name: 'dampening', kind: 'number', doc: 'fraction of the new gradient left out of the velocity', range: [0, 1] },
    common.weight_decay(),
    { name: 'nesterov', kind: 'boolean', doc: 'Nesterov momentum: step along the gradient plus the look-ahead velocity' },
    common.maximize(),
  ],
  defaults: { lr: 0.001, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
  validate(h) {
    checkLearningRate(h.lr);
    check(Number.isFinite(h.momentum) && h.momentum >= 0, `Invalid momentum value: ${h.momentum}`);
    check(Number.isFinite(h.dampening), `Invalid dampening value: ${h.dampening}`);
    checkWeightDecay(h.weight_decay);
    check(!h.nesterov || (h.momentum > 0 && h.dampening === 0), 'Nesterov momentum requires a momentum and zero dampening');
  },
  init(n) {
    const state = newState(n, ['momentum_buffer']);
    state.scalars.has_momentum_buffer = 0;
    return state;
  },
  step(p, g, state, h, lr) {
    const d = effectiveGradient(state.scratch, g, p, h.weight_decay, h.maximize);
    const n = p.length;
    state.t += 1;
    const { momentum, dampening, nesterov } = h;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) p[i] = p[i] - lr * d[i];
      return;
    }
    const b = state.buffers.momentum_buffer;
    // torch creates the buffer on the first step that uses momentum, which may come after a mid-run change.
    const first = state.scalars.has_momentum_buffer !== 1;
    state.scalars.has_momentum_buffer = 1;
    for (let i = 0; i < n; i++) {
      b[i] = first ? d[i] : b[i] * momentum + (1 - dampening) * d[i];
      const step = nesterov ? d[i] + momentum * b[i] : b[i];
      p[i] = p[i] - lr * step;
    }
  },
  fused: {
    variant: (h) => (h.momentum === 0 ? 'plain' : h.nesterov ? 'nesterov' : 'momentum'),
    numbers: (h) => ({ momentum: h.momentum, dampening: h.dampening, weight_decay: h.weight_decay }),
    coupled: (h) => h.weight_decay !== 0,
    perStep: (h) => (h.momentum === 0 ? '' : 'const first = s_has_momentum_buffer !== 1; s_has_momentum_buffer = 1;'),
    element: (h) =>
      h.momentum === 0
        ? 'p = p - lr * d;'
        : `momentum_buffer = first ? d : momentum_buffer * h_momentum + (1 - h_dampening) * d;
      p = p - lr * ${h.nesterov ? '(d + h_momentum * momentum_buffer)' : 'momentum_buffer'};`,
  },
};
