/**
 * The best a model can do on its training rows, as a reference for the runs: how far a run's loss is
 * from it is what gradient descent has yet to gain.
 *
 *   linear or polynomial, mse (with or without L2): the least-squares solution of
 *     min (1/n)‖Aθ − y‖² + λ Σ θⱼ² (the intercept not penalized), A's rows the model's features and 1,
 *     by Householder QR of A stacked on √(nλ) times the penalized coordinates;
 *   logistic (bce), with or without L2: Newton's method (iteratively reweighted least squares) on
 *     the mean cross-entropy plus λ‖w‖², halving a step that does not lower the loss, to where a step
 *     no longer changes θ;
 *   softmax (cross_entropy) with L2: the same Newton's method on the K·(d + 1) weights and biases.
 *     Adding one number to every class's bias changes no probability: the biases' Hessian is
 *     lifted by 1e-12 so that the step is defined, and they are centred (mean 0) at the end.
 *
 * Other models and losses (networks, custom formulas, mae, huber, L1) have no such solution here: the
 * answer says why. The loss is the objective's own, so that it compares with the runs' to the bit.
 */
import type { BatchObjective } from './objective';
import { sigmoid } from './losses';
import { exp } from '../math/libm';

export type Optimum = { loss: number; params: number[]; method: 'least_squares' | 'newton'; iterations?: number } | { none: NoOptimum };
/** Why a fit has no reference optimum. */
export type NoOptimum = 'network' | 'custom' | 'loss' | 'l1' | 'separable' | 'l2' | 'size';

/** The most parameters whose Newton step (a P × P system over every row) the lab solves. */
const MAX_NEWTON_PARAMS = 400;

export function optimumOf(objective: BatchObjective): Optimum {
  const { model, loss, reg } = objective;
  if (model.spec.kind === 'softmax') {
    if (reg.l1 !== 0) return { none: 'l1' };
    if (!(reg.l2 > 0)) return { none: 'l2' };
    if (model.paramNames.length > MAX_NEWTON_PARAMS) return { none: 'size' };
    const theta = newton(objective, softmaxTerms(objective));
    return theta ? { loss: objective.trainLoss(theta.params), params: Array.from(theta.params), method: 'newton', iterations: theta.iterations } : { none: 'separable' };
  }
  if (model.network) return { none: 'network' };
  if (model.spec.kind === 'custom') return { none: 'custom' };
  if (reg.l1 !== 0) return { none: 'l1' };
  const logistic = loss.name === 'bce' || model.link === 'sigmoid';
  if (!logistic && loss.name !== 'mse') return { none: 'loss' };
  const A = design(objective);
  const theta = logistic ? newton(objective, logisticTerms(objective, A)) : leastSquares(objective, A);
  if (!theta) return { none: 'separable' };
  return { loss: objective.trainLoss(theta.params), params: Array.from(theta.params), method: logistic ? 'newton' : 'least_squares', ...(logistic ? { iterations: theta.iterations } : {}) };
}

/** The rows ∂z/∂θ of a model linear in its parameters (its features and 1), n × P row-major. */
function design(objective: BatchObjective): Float64Array {
  const { model, data } = objective;
  const P = model.paramNames.length;
  const A = new Float64Array(data.n * P);
  const zero = new Float64Array(P);
  for (let i = 0; i < data.n; i++) model.accumulate(zero, data.X, i, 1, A.subarray(i * P, (i + 1) * P));
  return A;
}

function leastSquares(objective: BatchObjective, A: Float64Array): { params: Float64Array; iterations: number } {
  const { model, data, reg } = objective;
  const P = model.paramNames.length;
  const n = data.n;
  const penalized = reg.l2 > 0 ? Array.from(model.regularized).flatMap((r, j) => (r ? [j] : [])) : [];
  const rows = n + penalized.length;
  const M = new Float64Array(rows * P);
  M.set(A);
  const b = new Float64Array(rows);
  b.set(data.y.subarray(0, n));
  const root = Math.sqrt(n * reg.l2);
  penalized.forEach((j, k) => (M[(n + k) * P + j] = root));
  return { params: solveQr(M, b, rows, P), iterations: 1 };
}

/** The least-squares solution of M θ = b (rows × cols, rows ≥ cols) by Householder QR. */
function solveQr(M: Float64Array, b: Float64Array, rows: number, cols: number): Float64Array {
  for (let k = 0; k < cols; k++) {
    // Math.sqrt is correctly rounded everywhere (Math.hypot is not): the same bits in every engine.
    let sum = 0;
    for (let i = k; i < rows; i++) sum += M[i * cols + k] * M[i * cols + k];
    const norm = Math.sqrt(sum);
    if (norm === 0) continue;
    const alpha = M[k * cols + k] > 0 ? -norm : norm;
    // v = x − αe₁, stored in column k from row k down.
    M[k * cols + k] -= alpha;
    let vv = 0;
    for (let i = k; i < rows; i++) vv += M[i * cols + k] * M[i * cols + k];
    for (let j = k + 1; j < cols; j++) {
      let dot = 0;
      for (let i = k; i < rows; i++) dot += M[i * cols + k] * M[i * cols + j];
      const f = (2 * dot) / vv;
      for (let i = k; i < rows; i++) M[i * cols + j] -= f * M[i * cols + k];
    }
    let dot = 0;
    for (let i = k; i < rows; i++) dot += M[i * cols + k] * b[i];
    const f = (2 * dot) / vv;
    for (let i = k; i < rows; i++) b[i] -= f * M[i * cols + k];
    M[k * cols + k] = alpha;
  }
  const theta = new Float64Array(cols);
  for (let k = cols - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < cols; j++) s -= M[k * cols + j] * theta[j];
    theta[k] = M[k * cols + k] === 0 ? 0 : s / M[k * cols + k];
  }
  return theta;
}

const NEWTON_ITERATIONS = 200;

/** Fills the gradient g and the lower triangle of the Hessian H of the mean data loss at θ. */
type Terms = (theta: Float64Array, g: Float64Array, H: Float64Array) => void;

/** The binary cross-entropy's terms for rows A (∂z/∂θ): g = Aᵀ(σ − y)/n, H = Aᵀ diag(σ(1 − σ)) A / n. */
function logisticTerms(objective: BatchObjective, A: Float64Array): Terms {
  const { data } = objective;
  const P = objective.model.paramNames.length;
  return (theta, g, H) => {
    for (let i = 0; i < data.n; i++) {
      const row = A.subarray(i * P, (i + 1) * P);
      let z = 0;
      for (let j = 0; j < P; j++) z += row[j] * theta[j];
      const s = sigmoid(z);
      const w = s * (1 - s);
      for (let j = 0; j < P; j++) {
        g[j] += (s - data.y[i]) * row[j];
        for (let k = 0; k <= j; k++) H[j * P + k] += w * row[j] * row[k];
      }
    }
  };
}

/** The multinomial cross-entropy's terms: parameters W (K × d, row-major) then b (K). */
function softmaxTerms(objective: BatchObjective): Terms {
  const { data, model } = objective;
  const d = data.d;
  const K = model.paramNames.length / (d + 1);
  const P = K * (d + 1);
  const index = (k: number, j: number) => (j < d ? k * d + j : K * d + k);
  const prob = new Float64Array(K);
  const x = new Float64Array(d + 1);
  return (theta, g, H) => {
    for (let i = 0; i < data.n; i++) {
      for (let j = 0; j < d; j++) x[j] = data.X[i * d + j];
      x[d] = 1;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let z = theta[K * d + k];
        for (let j = 0; j < d; j++) z += theta[k * d + j] * x[j];
        prob[k] = z;
        max = Math.max(max, z);
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += prob[k] = exp(prob[k] - max);
      for (let k = 0; k < K; k++) prob[k] /= sum;
      const y = data.y[i];
      for (let k = 0; k < K; k++) {
        const r = prob[k] - (y === k ? 1 : 0);
        for (let j = 0; j <= d; j++) {
          const a = index(k, j);
          g[a] += r * x[j];
          for (let l = 0; l < K; l++) {
            const w = prob[k] * ((k === l ? 1 : 0) - prob[l]);
            if (w === 0) continue;
            for (let m = 0; m <= d; m++) {
              const b = index(l, m);
              if (b <= a) H[a * P + b] += w * x[j] * x[m];
            }
          }
        }
      }
    }
  };
}

function newton(objective: BatchObjective, terms: Terms): { params: Float64Array; iterations: number } | null {
  const { model, data, reg } = objective;
  const P = model.paramNames.length;
  const n = data.n;
  const softmax = model.spec.kind === 'softmax';
  const theta = new Float64Array(P);
  const trial = new Float64Array(P);
  const g = new Float64Array(P);
  const H = new Float64Array(P * P);
  let loss = objective.trainLoss(theta);
  const done = (iterations: number) => {
    if (softmax) centreBiases(theta, model.d);
    return { params: theta, iterations };
  };
  for (let iteration = 1; iteration <= NEWTON_ITERATIONS; iteration++) {
    g.fill(0);
    H.fill(0);
    terms(theta, g, H);
    for (let j = 0; j < P; j++) {
      g[j] /= n;
      for (let k = 0; k <= j; k++) H[j * P + k] /= n;
      if (model.regularized[j]) {
        g[j] += 2 * reg.l2 * theta[j];
        H[j * P + j] += 2 * reg.l2;
      } else if (softmax) H[j * P + j] += 1e-12;
    }
    const step = choleskySolve(H, g, P);
    if (!step) return null;
    // The biases' common shift changes nothing: the step has none (its size there is rounding over 1e-12).
    if (softmax) centreBiases(step, model.d);
    // Near the optimum the loss is flat to its last digit: a small full step that does not lower it is
    // taken (Newton's fixed point is where the gradient vanishes, which the loss can no longer tell), and that is the end.
    const small = step.every((v, j) => Math.abs(v) <= 1e-6 * Math.max(1, Math.abs(theta[j])));
    if (small) {
      for (let j = 0; j < P; j++) trial[j] = theta[j] - step[j];
      if (!(objective.trainLoss(trial) < loss)) {
        theta.set(trial);
        return done(iteration);
      }
    }
    // Damped: halve the step until the loss does not rise.
    let scale = 1;
    let next = loss;
    for (let half = 0; half < 60; half++) {
      for (let j = 0; j < P; j++) trial[j] = theta[j] - scale * step[j];
      next = objective.trainLoss(trial);
      if (next <= loss) break;
      scale /= 2;
    }
    let moved = false;
    for (let j = 0; j < P; j++) if (trial[j] !== theta[j]) moved = true;
    if (!moved || next > loss) return done(iteration);
    theta.set(trial);
    loss = next;
    // Without a penalty, classes a plane separates send the weights to infinity: no optimum.
    if (theta.some((v) => Math.abs(v) > 1e8)) return null;
  }
  return done(NEWTON_ITERATIONS);
}

/** Softmax probabilities do not change when every class's bias moves by one number: the biases (of θ or a step) at mean 0. */
function centreBiases(theta: Float64Array, d: number): void {
  const K = theta.length / (d + 1);
  let mean = 0;
  for (let k = 0; k < K; k++) mean += theta[K * d + k];
  mean /= K;
  for (let k = 0; k < K; k++) theta[K * d + k] -= mean;
}

/** x with H x = g for H symmetric positive definite (its lower triangle given), or null when it is not. */
function choleskySolve(H: Float64Array, g: Float64Array, P: number): Float64Array | null {
  const L = new Float64Array(P * P);
  for (let j = 0; j < P; j++) {
    for (let k = 0; k <= j; k++) {
      let s = H[j * P + k];
      for (let m = 0; m < k; m++) s -= L[j * P + m] * L[k * P + m];
      if (j === k) {
        if (!(s > 0)) return null;
        L[j * P + j] = Math.sqrt(s);
      } else L[j * P + k] = s / L[k * P + k];
    }
  }
  const x = new Float64Array(P);
  for (let j = 0; j < P; j++) {
    let s = g[j];
    for (let m = 0; m < j; m++) s -= L[j * P + m] * x[m];
    x[j] = s / L[j * P + j];
  }
  for (let j = P - 1; j >= 0; j--) {
    let s = x[j];
    for (let m = j + 1; m < P; m++) s -= L[m * P + j] * x[m];
    x[j] = s / L[j * P + j];
  }
  return x;
}
