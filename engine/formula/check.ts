/**
 * Central-difference check of an analytic gradient:
 *   g̃ᵢ = (f(p + hᵢeᵢ) − f(p − hᵢeᵢ)) / 2hᵢ,  hᵢ = ∛ε · max(1, |pᵢ|)
 * The disagreement of component i is |gᵢ − g̃ᵢ| / max(1, |gᵢ|, |g̃ᵢ|): relative
 * for large gradients, absolute near zero where a relative error means nothing.
 */
import type { Objective } from './compile';
import { cbrt } from '../math/libm';

export interface GradientCheck {
  analytic: number[];
  numeric: number[];
  /** The largest disagreement over the components, as defined above. */
  maxRelativeError: number;
  worstIndex: number;
}

export function checkGradient(objective: Objective, at: ArrayLike<number>): GradientCheck {
  const n = objective.vars.length;
  const p = Float64Array.from(at);
  const g = new Float64Array(n);
  objective.valueAndGradient(p, g);
  const numeric: number[] = [];
  let maxRelativeError = 0;
  let worstIndex = -1;
  for (let i = 0; i < n; i++) {
    const x = p[i];
    const h = cbrt(Number.EPSILON) * Math.max(1, Math.abs(x));
    p[i] = x + h;
    const up = objective.value(p);
    p[i] = x - h;
    const down = objective.value(p);
    p[i] = x;
    const estimate = (up - down) / (2 * h);
    numeric.push(estimate);
    const error = Math.abs(g[i] - estimate) / Math.max(1, Math.abs(g[i]), Math.abs(estimate));
    if (!(error <= maxRelativeError)) {
      maxRelativeError = error;
      worstIndex = i;
    }
  }
  return { analytic: Array.from(g), numeric, maxRelativeError, worstIndex };
}
