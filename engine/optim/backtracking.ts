/**
 * Gradient descent with a backtracking (Armijo) line search, a reference that
 * needs no learning-rate tuning (not a torch.optim algorithm):
 *
 *   α ← lr
 *   while f(p − α g) > f(p) − c · α · ‖g‖²  and fewer than 60 halvings:  α ← shrink · α
 *   p ← p − α g
 *
 * Defaults: lr 1 (first trial step), c 1e-4, shrink 0.5. Each trial costs one
 * function evaluation; `state.scalars.evaluations` counts them and
 * `state.scalars.alpha` holds the accepted step.
 * Reference: Nocedal & Wright, Numerical Optimization, algorithm 3.1.
 */
import { check, checkLearningRate, newState, type OptimizerDefinition } from './types';

export interface BacktrackingHyper {
  [key: string]: number;
  lr: number;
  c: number;
  shrink: number;
}

const MAX_HALVINGS = 60;

export const backtracking: OptimizerDefinition<BacktrackingHyper> = {
  name: 'backtracking',
  title: 'GD + line search',
  summary: 'Gradient descent that tries a long step and halves it until the function drops enough (the Armijo condition).',
  rule: 'α ← lr; while f(p − αg) > f(p) − c·α·‖g‖²: α ← shrink·α;  p ← p − αg',
  hyperparameters: [
    { name: 'lr', kind: 'number', doc: 'first trial step length', range: [1e-4, 10], log: true },
    { name: 'c', kind: 'number', doc: 'fraction of the predicted decrease the step must achieve', range: [1e-6, 0.5], log: true },
    { name: 'shrink', kind: 'number', doc: 'factor the trial step is multiplied by after each failed trial', range: [0.1, 0.9] },
  ],
  defaults: { lr: 1, c: 1e-4, shrink: 0.5 },
  needs: 'value',
  validate(h) {
    checkLearningRate(h.lr);
    check(h.c > 0 && h.c < 1, `Invalid c value: ${h.c} (must be between 0 and 1)`);
    check(h.shrink > 0 && h.shrink < 1, `Invalid shrink value: ${h.shrink} (must be between 0 and 1)`);
  },
  init(n) {
    const state = newState(n, ['trial']);
    state.scalars.evaluations = 0;
    state.scalars.alpha = 0;
    return state;
  },
  step(p, g, state, h, lr, objective) {
    if (!objective) throw new Error('The line search needs the objective’s value');
    state.t += 1;
    const n = p.length;
    const trial = state.buffers.trial;
    let g2 = 0;
    for (let i = 0; i < n; i++) g2 += g[i] * g[i];
    const f0 = objective.value(p);
    let alpha = lr;
    let accepted = false;
    state.scalars.evaluations += 1;
    for (let k = 0; k <= MAX_HALVINGS; k++) {
      for (let i = 0; i < n; i++) trial[i] = p[i] - alpha * g[i];
      const f = objective.value(trial);
      state.scalars.evaluations += 1;
      if (f <= f0 - h.c * alpha * g2) {
        accepted = true;
        break;
      }
      alpha *= h.shrink;
    }
    if (!accepted) alpha = 0;
    state.scalars.alpha = alpha;
    for (let i = 0; i < n; i++) p[i] = p[i] - alpha * g[i];
  },
};
