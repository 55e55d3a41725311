/** Shapes run traces into uPlot's aligned columns: one shared step axis, decimated to what a chart can show. */
import type { RunTrace } from '../state/trace';
import { LearningRates, type RunSettings } from '../../../engine/index';

export type Column = 'values' | 'gradNorms' | 'lrs' | number;

/** A scheduled run's rates from its current step on, drawn faintly ahead of it. */
export interface Ahead {
  color: string;
  steps: number[];
  lrs: number[];
}

/**
 * Up to `points` step positions spanning every run, and for each run the
 * recorded value at or before each position (null past its end, or where the
 * value cannot be drawn on a log axis; `hidden` counts those).
 */
export function alignedSeries(traces: Array<RunTrace | undefined>, column: Column, points: number, log: boolean, logX = false, hidden?: { count: number }): [number[], ...Array<Array<number | null>>] {
  let maxStep = 0;
  for (const t of traces) if (t && t.count) maxStep = Math.max(maxStep, t.lastStep);
  const n = Math.max(2, Math.min(points, maxStep + 1));
  const xs: number[] = [];
  // On a log step axis the positions are spread evenly in log scale, from step 1 (step 0 has no place there).
  if (logX) for (let i = 0; i < n; i++) xs.push(Math.round(Math.pow(Math.max(1, maxStep), i / (n - 1))));
  else for (let i = 0; i < n; i++) xs.push(Math.round((maxStep * i) / (n - 1)));
  const unique = [...new Set(xs)];
  const series = traces.map((t) => {
    if (!t || t.count === 0) return unique.map(() => null);
    const source = typeof column === 'number' ? t.params[column] : t[column];
    return unique.map((x) => {
      if (x > t.lastStep) return null;
      const i = t.indexAt(x);
      if (i < 0) return null;
      const v = source[i];
      if (!Number.isFinite(v)) return null;
      if (log && !(v >= 1e-300)) {
        if (hidden) hidden.count++;
        return null;
      }
      return v;
    });
  });
  return [unique, ...series];
}

/**
 * A debiased exponential moving average, as TensorBoard smooths: s ← w·s + (1 − w)·v over the points
 * shown, divided by 1 − wᵏ after k points so the start is not pulled toward zero. Gaps stay gaps and
 * restart the average.
 */
export function smooth(values: Array<number | null>, weight: number): Array<number | null> {
  if (!(weight > 0)) return values;
  let s = 0;
  let k = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) {
      s = 0;
      k = 0;
      return null;
    }
    s = weight * s + (1 - weight) * v;
    k++;
    return s / (1 - Math.pow(weight, k));
  });
}

/**
 * The learning rate a run's schedule and warm-up will give from step `from` to step `to` (the rate of
 * the update after each step, as the engine computes it), at up to `points` steps; null for a
 * constant rate.
 */
export function scheduleAhead(run: Pick<RunSettings, 'schedule' | 'warmup'>, base: number, from: number, to: number, points = 200): { steps: number[]; lrs: number[] } | null {
  const schedule = run.schedule && run.schedule.type !== 'constant' ? run.schedule : undefined;
  const warmup = run.warmup ?? undefined;
  if (!schedule && !warmup) return null;
  if (!(to > from)) return null;
  const rates = new LearningRates(schedule, warmup);
  const steps: number[] = [];
  const lrs: number[] = [];
  const stride = Math.max(1, Math.floor((to - from) / points));
  for (let k = from; k <= to; k += stride) {
    steps.push(k);
    lrs.push(rates.at(base, k));
  }
  if (steps[steps.length - 1] !== to) {
    steps.push(to);
    lrs.push(rates.at(base, to));
  }
  return { steps, lrs };
}
