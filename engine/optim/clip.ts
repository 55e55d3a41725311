/**
 * Gradient clipping by norm, as torch.nn.utils.clip_grad_norm_:
 *   ‖g‖ > max_norm  ⇒  g ← g · max_norm / (‖g‖ + 1e-6)
 * Returns the norm before clipping.
 */
export function clipGradNorm(g: Float64Array, maxNorm: number): number {
  let sum = 0;
  for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  const norm = Math.sqrt(sum);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < g.length; i++) g[i] = g[i] * coef;
  return norm;
}

export function norm2(g: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return Math.sqrt(sum);
}
