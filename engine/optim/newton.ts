/**
 * Newton's method, a second-order reference for comparison (not a torch.optim algorithm):
 *
 *   solve H(p) · s = g  (Gaussian elimination with partial pivoting)
 *   p ← p − lr · s
 *
 * lr 1 is the pure Newton step (exact for a quadratic in one step); a smaller
 * lr damps it. Newton's method seeks any stationary point: on a saddle such as
 * x² − y² it jumps to the saddle, which is worth seeing. Where the Hessian is
 * singular the step is undefined and the parameters become NaN, which the run
 * loop reports as a divergence.
 */
import { check, checkLearningRate, newState, type OptimizerDefinition } from './types';

export interface NewtonHyper {
  [key: string]: number;
  lr: number;
}

/** Solves A x = b in place (A is n×n row-major and is destroyed; b becomes x). Returns false if singular. */
export function solveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]) > Math.abs(A[pivot * n + col])) pivot = r;
    const scale = Math.abs(A[pivot * n + col]);
    if (!(scale > 0)) return false;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const tmp = A[col * n + c];
        A[col * n + c] = A[pivot * n + c];
        A[pivot * n + c] = tmp;
      }
      const tb = b[col];
      b[col] = b[pivot];
      b[pivot] = tb;
    }
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col] / A[col * n + col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) A[r * n + c] -= f * A[col * n + c];
      b[r] -= f * b[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let sum = b[r];
    for (let c = r + 1; c < n; c++) sum -= A[r * n + c] * b[c];
    b[r] = sum / A[r * n + r];
  }
  return true;
}

export const newton: OptimizerDefinition<NewtonHyper> = {
  name: 'newton',
  title: 'Newton',
  summary: 'Steps to the stationary point of the local quadratic model: one step on a quadratic, very fast near a minimum, drawn to saddles too.',
  rule: 'p ← p − lr · H⁻¹ g',
  hyperparameters: [{ name: 'lr', kind: 'number', doc: 'damping: 1 takes the full Newton step', range: [0.01, 1] }],
  defaults: { lr: 1 },
  needs: 'hessian',
  validate(h) {
    checkLearningRate(h.lr);
    check(h.lr > 0, `Invalid learning rate: ${h.lr}`);
  },
  init(n) {
    const state = newState(n, ['hessian']);
    state.buffers.hessian = new Float64Array(n * n);
    return state;
  },
  step(p, g, state, h, lr, objective) {
    if (!objective) throw new Error('Newton’s method needs the objective’s Hessian');
    state.t += 1;
    const n = p.length;
    const H = state.buffers.hessian;
    const s = state.scratch;
    objective.hessian(p, H);
    s.set(g);
    if (!solveInPlace(H, s, n)) s.fill(NaN);
    for (let i = 0; i < n; i++) p[i] = p[i] - lr * s[i];
  },
};
