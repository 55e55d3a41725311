/**
 * Parameters trained on standardized features, expressed for the original
 * features. With x̃ⱼ = (xⱼ − μⱼ)/σⱼ:
 *
 *   linear/logistic  z = Σ wⱼ x̃ⱼ + b = Σ (wⱼ/σⱼ) xⱼ + (b − Σ wⱼ μⱼ/σⱼ)
 *   poly:d           z = Σₖ wₖ ((x − μ)/σ)ᵏ + b, expanded by the binomial theorem
 *
 * Custom formulas cannot be rewritten in general; they are reported as trained.
 */
import type { Standardization } from '../data/prepare';
import type { Model } from './models';
import { pow } from '../math/libm';

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

export function originalUnits(model: Model, theta: ArrayLike<number>, stats: Standardization | null): number[] | null {
  if (!stats) return Array.from(theta);
  const spec = model.spec;
  if (spec.kind === 'linear' || spec.kind === 'logistic') {
    const d = model.d;
    const out = new Array<number>(d + 1);
    let b = theta[d];
    for (let j = 0; j < d; j++) {
      out[j] = theta[j] / stats.std[j];
      b -= (theta[j] * stats.mean[j]) / stats.std[j];
    }
    out[d] = b;
    return out;
  }
  if (spec.kind === 'softmax') {
    // Each class's scores as a linear model: W[k,j]/σⱼ, and b[k] − Σⱼ W[k,j] μⱼ/σⱼ.
    const d = model.d;
    const K = theta.length / (d + 1);
    const out = new Array<number>(theta.length);
    for (let k = 0; k < K; k++) {
      let b = theta[K * d + k];
      for (let j = 0; j < d; j++) {
        out[k * d + j] = theta[k * d + j] / stats.std[j];
        b -= (theta[k * d + j] * stats.mean[j]) / stats.std[j];
      }
      out[K * d + k] = b;
    }
    return out;
  }
  if (spec.kind === 'poly') {
    const D = spec.degree;
    const mu = stats.mean[0];
    const s = stats.std[0];
    // coefficient of x^m in Σ_k w_k ((x − μ)/σ)^k + b
    const coef = new Array<number>(D + 1).fill(0);
    coef[0] = theta[D];
    for (let k = 1; k <= D; k++) {
      const wk = theta[k - 1] / pow(s, k);
      for (let m = 0; m <= k; m++) coef[m] += wk * binomial(k, m) * pow(-mu, k - m);
    }
    return [...coef.slice(1), coef[0]];
  }
  return null;
}

/**
 * What each parameter multiplies, for people: the feature's name for linear and logistic
 * weights, the power of the feature for polynomials, "intercept" for the bias, and the
 * parameter's own name in a custom formula.
 */
export function parameterLabels(model: Model, featureNames: readonly string[]): string[] {
  const spec = model.spec;
  if (spec.kind === 'linear' || spec.kind === 'logistic') return [...featureNames.slice(0, model.d), 'intercept'];
  if (spec.kind === 'poly') {
    const x = featureNames[0] ?? 'x';
    return [...Array.from({ length: spec.degree }, (_, k) => (k === 0 ? x : `${x}^${k + 1}`)), 'intercept'];
  }
  return [...model.paramNames];
}

/** The standardization a fit used, as reported to people and in JSON: population statistics (divided by n) of the training rows. */
export interface StandardizationReport {
  statistics: 'population';
  rows: 'training';
  features: { name: string; mean: number; std: number }[];
}

export function standardizationReport(stats: Standardization | null, featureNames: readonly string[]): StandardizationReport | null {
  if (!stats) return null;
  return { statistics: 'population', rows: 'training', features: featureNames.map((name, j) => ({ name, mean: stats.mean[j], std: stats.std[j] })) };
}
