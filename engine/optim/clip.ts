/**
 * Gradient clipping by norm, as torch.nn.utils.clip_grad_norm_:
 *   g ← g · min(1, max_norm / (‖g‖ + 1e-6))
 * where, as there, max_norm / t is `t.reciprocal() * max_norm` (Python's float / tensor).
 * Returns the norm before clipping.
 */
export function clipGradNorm(g: Float64Array, maxNorm: number): number {
  let sum = 0;
  for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  const norm = Math.sqrt(sum);
  const coef = (1 / (norm + 1e-6)) * maxNorm;
  if (coef < 1) for (let i = 0; i < g.length; i++) g[i] = g[i] * coef;
  return norm;
}

export function norm2(g: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return Math.sqrt(sum);
}
