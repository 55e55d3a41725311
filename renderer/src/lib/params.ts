/** Names of a model's parameters for people. */
import { t } from '../i18n/i18n.svelte';

/**
 * A parameter's label: the bias, which the engine labels "intercept", in the current language; the
 * others (feature names, powers, a formula's own names) as the engine gives them.
 */
export function paramLabel(labels: readonly string[], names: readonly string[], i: number): string {
  return i === labels.length - 1 && labels[i] === 'intercept' && names[i] !== 'intercept' ? t('models.param.intercept') : labels[i];
}

/** A network's layer sizes, inputs to outputs, read from its parameter names (W1[r,c] …). */
export function layerSizes(names: readonly string[]): number[] {
  const out: number[] = [];
  for (const name of names) {
    const m = /^W(\d+)\[(\d+),(\d+)\]$/.exec(name);
    if (!m) continue;
    const [l, r, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    out[l - 1] = Math.max(out[l - 1] ?? 0, c + 1);
    out[l] = Math.max(out[l] ?? 0, r + 1);
  }
  return out;
}
