/**
 * Gradient clipping by norm, as torch.nn.utils.clip_grad_norm_:
 *   g ← g · min(1, max_norm / (‖g‖ + 1e-6))
 * where, as there, max_norm / t is `t.reciprocal() * max_norm` (Python's float / tensor).
 * Returns the norm before clipping.
 */
export function clipGradNorm(g: Float64Array, maxNorm: number): number {
  const norm = norm2(g);
  const coef = (1 / (norm + 1e-6)) * maxNorm;
  if (coef < 1) for (let i = 0; i < g.length; i++) g[i] = g[i] * coef;
  return norm;
}

/** The smallest normal double: a sum of squares below it has lost digits to underflow. */
export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * ‖g‖₂ as torch computes it, √(Σ gᵢ²), wherever that sum is a normal double; where it would overflow
 * (a component above about 1.3e154) or underflow, scaled by the largest component first, as hypot is.
 */
export function norm2(g: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return sum < Infinity && sum >= MIN_NORMAL ? Math.sqrt(sum) : scaledNorm(g);
}

/** ‖g‖₂ as max|gᵢ|·√(Σ (gᵢ/max|gᵢ|)²): finite whenever every component is. */
export function scaledNorm(g: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < g.length; i++) {
    const a = Math.abs(g[i]);
    if (a !== a) return NaN;
    if (a > max) max = a;
  }
  if (max === 0 || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < g.length; i++) {
    const t = g[i] / max;
    sum += t * t;
  }
  return max * Math.sqrt(sum);
}
