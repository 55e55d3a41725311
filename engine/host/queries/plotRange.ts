/**
 * Where a formula is worth looking at: the window a new formula is first
 * plotted over, as a graphing calculator chooses one. Newton's method on ∇f = 0
 * from a grid of starts finds f's critical points along the plotted variables
 * (minima, maxima and saddles alike; the others held at `at`); the window holds
 * them all with a margin (two units either side of a lone one). A formula without one
 * there is sampled instead: the window is the part of [−5, 5] where f has a
 * value.
 */
import type { CompiledFormula } from '../../formula/compile';
import { hypot, log10, pow } from '../../math/libm';

export type Range = [number, number];

export interface PlotRange {
  x: Range;
  /** The second plotted variable's range (two or more variables). */
  y?: Range;
  /** The critical points found, in the plotted variables. */
  critical: number[][];
  /** How the window was chosen. */
  how: 'critical' | 'sampled';
}

/** Starts are spread over [−SPAN, SPAN] in each plotted variable. */
const SPAN = 10;
/** Critical points farther out than this are not a window's business. */
const FAR = 1e3;
const ITERATIONS = 60;
const SAMPLED: Range = [-5, 5];

/** The window's end, rounded outward to a step of 1, 2 or 5 times a power of ten, a fifth of its half-width. */
function outward(value: number, step: number, up: boolean): number {
  // A end a hair past a step (the last bits of a computed critical point) stays on that step.
  const q = value / step;
  const rounded = (up ? Math.ceil(q - 1e-9) : Math.floor(q + 1e-9)) * step;
  return Number(rounded.toPrecision(12));
}

function niceStep(half: number): number {
  const raw = half / 5;
  const power = pow(10, Math.floor(log10(raw)));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function windowOf(lo: number, hi: number, minHalf: number): Range {
  const centre = (lo + hi) / 2;
  const half = Math.max(((hi - lo) / 2) * 1.6, minHalf);
  const step = niceStep(half);
  return [outward(centre - half, step, false), outward(centre + half, step, true)];
}

/** Newton's method on the plotted variables' part of ∇f = 0, from `start`; the point it settles at, or null. */
function newton(f: CompiledFormula, axes: readonly number[], p: Float64Array, g: Float64Array, H: Float64Array): number[] | null {
  const n = f.vars.length;
  const k = axes.length;
  for (let it = 0; it < ITERATIONS; it++) {
    const value = f.valueAndGradient(p, g);
    if (!Number.isFinite(value)) return null;
    f.hessian(p, H);
    const g0 = g[axes[0]];
    const g1 = k > 1 ? g[axes[1]] : 0;
    const scale = Math.max(1, Math.abs(value));
    if (Math.abs(g0) + Math.abs(g1) <= 1e-10 * scale) return axes.map((a) => p[a]);
    let d0: number;
    let d1 = 0;
    if (k === 1) {
      const h = H[axes[0] * n + axes[0]];
      if (!(Math.abs(h) > 0) || !Number.isFinite(h)) return null;
      d0 = g0 / h;
    } else {
      const a = H[axes[0] * n + axes[0]];
      const b = H[axes[0] * n + axes[1]];
      const c = H[axes[1] * n + axes[1]];
      const det = a * c - b * b;
      if (!(Math.abs(det) > 0) || !Number.isFinite(det)) return null;
      d0 = (c * g0 - b * g1) / det;
      d1 = (a * g1 - b * g0) / det;
    }
    // A step longer than the starts' spread is cut to it: a far jump rarely lands near a critical point.
    const length = hypot(d0, d1);
    const cut = length > SPAN ? SPAN / length : 1;
    p[axes[0]] -= cut * d0;
    if (k > 1) p[axes[1]] -= cut * d1;
    if (!(Math.abs(p[axes[0]]) <= FAR * 10) || (k > 1 && !(Math.abs(p[axes[1]]) <= FAR * 10))) return null;
    if (cut === 1 && length <= 1e-13 * (1 + hypot(p[axes[0]], k > 1 ? p[axes[1]] : 0))) return axes.map((a) => p[a]);
  }
  return null;
}

/** The part of [−5, 5] (in each plotted variable) where f has a finite value, from a 41-point grid per variable. */
function sampled(f: CompiledFormula, axes: readonly number[], at: readonly number[]): PlotRange {
  const p = Float64Array.from(at);
  const count = 41;
  const lo = axes.map(() => Infinity);
  const hi = axes.map(() => -Infinity);
  const coord = (i: number) => SAMPLED[0] + ((SAMPLED[1] - SAMPLED[0]) * i) / (count - 1);
  const rows = axes.length > 1 ? count : 1;
  for (let j = 0; j < rows; j++) {
    if (axes.length > 1) p[axes[1]] = coord(j);
    for (let i = 0; i < count; i++) {
      p[axes[0]] = coord(i);
      if (!Number.isFinite(f.value(p))) continue;
      lo[0] = Math.min(lo[0], p[axes[0]]);
      hi[0] = Math.max(hi[0], p[axes[0]]);
      if (axes.length > 1) {
        lo[1] = Math.min(lo[1], p[axes[1]]);
        hi[1] = Math.max(hi[1], p[axes[1]]);
      }
    }
  }
  const range = (k: number): Range => (Number.isFinite(lo[k]) && hi[k] > lo[k] ? [lo[k], hi[k]] : [...SAMPLED]);
  return { x: range(0), ...(axes.length > 1 ? { y: range(1) } : {}), critical: [], how: 'sampled' };
}

/** The window to plot f over: its critical points along `axes` (one or two variables), the others held at `at`. */
export function plotRange(f: CompiledFormula, axes: readonly number[], at: readonly number[]): PlotRange {
  const n = f.vars.length;
  const p = new Float64Array(n);
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  const per = axes.length > 1 ? 9 : 41;
  const found: number[][] = [];
  for (let j = 0; j < (axes.length > 1 ? per : 1); j++) {
    for (let i = 0; i < per; i++) {
      p.set(at);
      p[axes[0]] = -SPAN + (2 * SPAN * i) / (per - 1) + 0.0137;
      if (axes.length > 1) p[axes[1]] = -SPAN + (2 * SPAN * j) / (per - 1) + 0.0071;
      const point = newton(f, axes, p, g, H);
      if (!point || point.some((v) => !(Math.abs(v) <= FAR))) continue;
      const seen = found.some((q) => q.every((v, k) => Math.abs(v - point[k]) <= 1e-6 * (1 + Math.abs(v))));
      if (!seen) found.push(point);
    }
  }
  if (found.length === 0) return sampled(f, axes, at);
  const bounds = axes.map((_, k): Range => [Math.min(...found.map((q) => q[k])), Math.max(...found.map((q) => q[k]))]);
  const halves = bounds.map(([lo, hi]) => (hi - lo) / 2);
  // An axis whose critical points line up (one value) takes most of the other's half-width, and at least 1.
  const x = windowOf(bounds[0][0], bounds[0][1], Math.max(2, (halves[1] ?? 0) * 0.8));
  const y = axes.length > 1 ? windowOf(bounds[1][0], bounds[1][1], Math.max(found.length > 1 ? 1 : 2, halves[0] * 0.8)) : undefined;
  return { x, ...(y ? { y } : {}), critical: found, how: 'critical' };
}
