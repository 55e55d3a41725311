/** What data mode's charts plot, and over which window: derived from the document and the engine's answers. */
import type { RunTrace } from '../state/trace';
import type { DataDoc } from '../state/shape';

export type Range = [number, number];

export interface FitLayout {
  /**
   * curve: the fitted curve over one feature (for two classes, the probability of the second);
   * boundary: a linear classifier's line over two features; regions: a network's predicted classes
   * over two features; parity: predicted against actual.
   */
  mode: 'curve' | 'boundary' | 'regions' | 'parity';
  /** Whether points are coloured by class. */
  classifier: boolean;
  /** The dataset's columns the chart plots (none for predicted against actual). */
  columns: string[] | null;
  /** The points, once the engine has given the columns. */
  points: { x: Float64Array; y: Float64Array; label?: Float64Array } | null;
  /** The window, from the points' bounds. */
  x: Range;
  y: Range;
}

/** Bounds of `v` with a 5% margin (1 either side for a single value). */
export function bounds(v: ArrayLike<number>): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

export function fitLayout(d: DataDoc, columns: Float64Array[] | null): FitLayout | null {
  if (!d.dataset || !d.target) return null;
  const classifier = d.loss.name === 'bce' || d.loss.name === 'cross_entropy' || d.model.kind === 'logistic' || d.model.kind === 'softmax';
  const mode: FitLayout['mode'] =
    d.features.length === 1 && d.model.kind !== 'custom' && d.loss.name !== 'cross_entropy' ? 'curve'
    : classifier && d.features.length === 2 ? (d.model.kind === 'mlp' || d.model.kind === 'softmax' ? 'regions' : 'boundary')
    : 'parity';
  const cols = mode === 'curve' ? [d.features[0], d.target] : mode === 'parity' ? null : [d.features[0], d.features[1], d.target];
  const points = columns && cols && columns.length === cols.length
    ? { x: columns[0], y: columns[1], ...(classifier ? { label: columns[mode === 'curve' ? 1 : 2] } : {}) }
    : null;
  return { mode, classifier, columns: cols, points, x: points ? bounds(points.x) : [0, 1], y: points ? bounds(points.y) : [0, 1] };
}

/**
 * A window holding every run's path through two parameters, with a margin. A run that diverged
 * contributes only its start, so that it does not stretch the window until the others' paths vanish.
 */
export function pathRange(runs: Array<{ trace: RunTrace | undefined; escaped: boolean }>, [i, j]: [number, number]): { x: Range; y: Range } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const { trace: t, escaped } of runs) {
    if (!t || !t.params[i] || !t.params[j]) continue;
    for (let k = 0; k < (escaped ? Math.min(1, t.count) : t.count); k++) {
      const a = t.params[i][k];
      const b = t.params[j][k];
      if (Number.isFinite(a) && Number.isFinite(b)) {
        x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b);
      }
    }
  }
  if (!Number.isFinite(x0)) return { x: [-1, 1], y: [-1, 1] };
  const pad = (lo: number, hi: number): Range => {
    const m = Math.max((hi - lo) * 0.3, Math.abs(hi) * 0.1, 0.5);
    return [lo - m, hi + m];
  };
  return { x: pad(x0, x1), y: pad(y0, y1) };
}
