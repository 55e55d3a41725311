/** Axes that stay readable whatever the data: ranges that never collapse, and log ticks at powers of ten. */
import uPlot from 'uplot';
import { formatNumber, showNumber, showScientific } from '../i18n/i18n.svelte';

/** Axis ranges that never collapse: a flat or empty series still gets a span (uPlot loops on a zero one); `exact` keeps a linear range at the data's ends. */
export function safeRange(isLog: boolean, exact = false) {
  return (_u: uPlot, min: number | null, max: number | null): [number, number] => {
    if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return isLog ? [1e-3, 1] : [0, 1];
    if (isLog && exact && max > min) return [Math.max(min, 1e-300), max];
    if (isLog) {
      // At most 30 decades: below that (denormals as a run converges exactly) the axis would be all ticks.
      const hi = Math.max(max, 1e-280);
      const lo = Math.max(min, hi * 1e-30);
      return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi) + (hi === lo ? 1 : 0))];
    }
    if (max - min <= Math.abs(max) * 1e-12) {
      const d = Math.abs(min) * 0.1 || 1;
      return [min - d, max + d];
    }
    // A step axis spans exactly the steps taken; a value axis gets a margin and round ends.
    if (exact) return [min, max];
    return uPlot.rangeNum(min, max, 0.1, true) as [number, number];
  };
}

/**
 * Log-axis ticks at powers of ten: every decade, or every second, third… when more than eight would
 * crowd the axis, and 2× and 5× marks within a single decade, so that there are always three labels
 * or more. uPlot's own log ticks use a table of increments from 1e-16 to 1e16 and never finish
 * outside it, which a converging loss easily is.
 */
export function decades(u: uPlot | null, axis: number, min: number, max: number): number[] {
  const a = Math.floor(Math.log10(min) + 1e-9);
  const b = Math.ceil(Math.log10(max) - 1e-9);
  const out: number[] = [];
  if (b - a <= 1) {
    for (const m of [1, 2, 5]) if (m * 10 ** a >= min * (1 - 1e-9) && m * 10 ** a <= max * (1 + 1e-9)) out.push(m * 10 ** a);
    if (10 ** b <= max * (1 + 1e-9) && b > a) out.push(10 ** b);
    return out;
  }
  // As many labels as fit 24 CSS px apart along the axis (at most 8, at least 3).
  const side = u?.axes[axis]?.side ?? (axis === 0 ? 2 : 3);
  const length = u ? (side % 2 === 0 ? u.bbox.width : u.bbox.height) : 0;
  const room = u && length > 0 ? Math.floor(length / (uPlot.pxRatio || 1) / 24) : 8;
  const most = Math.max(3, Math.min(8, room));
  const stride = Math.max(1, Math.ceil((b - a) / (most - 1)));
  for (let k = b; k >= a; k -= stride) out.unshift(10 ** k);
  return out;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/**
 * A log axis's labels in one notation: where its ticks are powers of ten spanning three decades or
 * more, each as 10 to its power (10⁻⁸, 10⁻³, 10², not 1e-8, 0.001, 100); otherwise as `tick` writes them.
 */
export function decadeLabels(ticks: readonly (number | null)[]): string[] {
  const powers = ticks.map((v) => (v != null && v > 0 ? Math.log10(v) : NaN));
  const whole = powers.every((p, i) => ticks[i] == null || (Number.isFinite(p) && Math.abs(p - Math.round(p)) < 1e-9));
  const finite = powers.filter(Number.isFinite);
  const span = finite.length ? Math.max(...finite) - Math.min(...finite) : 0;
  if (!whole || span < 3) return ticks.map(tick);
  return ticks.map((v, i) => (v == null ? '' : `10${String(Math.round(powers[i])).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`));
}

/** A log axis's ticks and labels: decades as above, every one labelled (uPlot's own filter would thin them again). */
export const LOG_AXIS = {
  splits: decades,
  values: (_u: uPlot, ticks: number[]) => decadeLabels(ticks),
  filter: (_u: uPlot, splits: number[]) => splits,
};

/** Increments for step and epoch axes: whole numbers only, so a short run gets no tick at 0.25. */
export const WHOLE_INCREMENTS: number[] = [];
for (let k = 0; k <= 12; k++) for (const m of [1, 2, 5]) WHOLE_INCREMENTS.push(m * 10 ** k);

/**
 * Axis ink: the page's text colour, read once per theme (reading a computed style at every draw of
 * every chart forces style recalculation while runs stream) and again after `gdlab:theme`.
 */
let inkCache: string | null = null;
if (typeof addEventListener === 'function') addEventListener('gdlab:theme', () => (inkCache = null));
export const ink = (u: uPlot) => (inkCache ??= getComputedStyle(u.root).color);

/** Grid lines, faint on both themes. */
export const GRID = { stroke: 'rgba(128,128,128,0.18)' };

/**
 * Redraws a chart when the theme or the language changes (the app dispatches `gdlab:theme` and
 * `gdlab:language` on window). Axis labels given as functions (`label: () => t('…')`) are read
 * again at every draw; texts uPlot keeps from its options (the title, series names in the legend)
 * are put in the new language by `relabel` first, e.g. with `relabelChart`.
 */
export function themed(relabel?: (u: uPlot) => void): uPlot.Plugin {
  let off: (() => void) | null = null;
  return {
    hooks: {
      init: [
        (u: uPlot) => {
          const redraw = () => u.redraw(false);
          // A label's width may change with the language: the axes are measured again.
          const language = () => {
            relabel?.(u);
            u.redraw(false, true);
          };
          addEventListener('gdlab:theme', redraw);
          addEventListener('gdlab:language', language);
          off = () => {
            removeEventListener('gdlab:theme', redraw);
            removeEventListener('gdlab:language', language);
          };
        },
      ],
      destroy: [() => off?.()],
    },
  };
}

/** Puts new texts on a drawn chart: its title, and series names (by series index, 0 the x series) in the legend too. */
export function relabelChart(u: uPlot, texts: { title?: string; series?: Record<number, string> }): void {
  if (texts.title !== undefined) {
    const title = u.root.querySelector('.u-title');
    if (title) title.textContent = texts.title;
  }
  const rows = u.root.querySelectorAll('.u-legend .u-series');
  // Without a live legend uPlot gives the x series no row.
  const skip = rows.length < u.series.length ? 1 : 0;
  for (const [k, label] of Object.entries(texts.series ?? {})) {
    const series = u.series[Number(k)];
    if (!series) continue;
    series.label = label;
    const text = rows[Number(k) - skip]?.querySelector('.u-label');
    if (text) text.textContent = label;
  }
}

/** An axis's tick labels in the lab's language: whole numbers (steps, epochs) as counts (2,000 / 2.000), others by `tick`. */
export function ticksOf(ticks: readonly (number | null)[]): string[] {
  const whole = ticks.every((v) => v == null || (Number.isInteger(v) && Math.abs(v) < 1e6));
  return ticks.map((v) => (v == null ? '' : whole ? formatNumber(v) : tick(v)));
}

/** Tick labels that stay readable on a log axis: 1e-6 rather than 0. */
export function tick(v: number | null): string {
  if (v === null || v === undefined) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? showScientific(v, 1) : showNumber(v, 3);
}

let measurer: CanvasRenderingContext2D | null = null;

/**
 * A y axis's width from its longest tick label, so that labels such as 400,000 are never cut and
 * the axis title never sits on them: ticks, the widest label, a gap, and room for the title.
 */
export function fitSize(u: uPlot, values: string[] | null, axisIdx: number): number {
  const axis = u.axes[axisIdx] as uPlot.Axis & { font?: [string, number] | string };
  measurer ??= document.createElement('canvas').getContext('2d');
  const font = Array.isArray(axis.font) ? axis.font[0] : '12px system-ui, sans-serif';
  const ratio = Array.isArray(axis.font) ? uPlot.pxRatio || 1 : 1;
  let widest = 0;
  if (measurer) {
    measurer.font = font;
    for (const v of values ?? []) widest = Math.max(widest, measurer.measureText(String(v)).width / ratio);
  } else widest = Math.max(0, ...(values ?? []).map((v) => String(v).length * 7));
  const title = axis.label ? 24 : 0;
  return Math.ceil(widest + 14 + title);
}
