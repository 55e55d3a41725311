/** Axes that stay readable whatever the data: ranges that never collapse, and log ticks at powers of ten. */
import uPlot from 'uplot';

/** Axis ranges that never collapse: a flat or empty series still gets a span (uPlot loops on a zero one). */
export function safeRange(isLog: boolean) {
  return (_u: uPlot, min: number | null, max: number | null): [number, number] => {
    if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return isLog ? [1e-3, 1] : [0, 1];
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
    return uPlot.rangeNum(min, max, 0.1, true) as [number, number];
  };
}

/**
 * Log-axis ticks at powers of ten, at most about eight of them. uPlot's own
 * log ticks use a table of increments from 1e-16 to 1e16 and never finish
 * outside it, which a converging loss easily is.
 */
export function decades(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const a = Math.floor(Math.log10(min));
  const b = Math.ceil(Math.log10(max));
  const stride = Math.max(1, Math.ceil((b - a) / 8));
  const out: number[] = [];
  for (let k = a; k <= b; k += stride) out.push(10 ** k);
  return out;
}

/** Tick labels that stay readable on a log axis: 1e-6 rather than 0. */
export function tick(v: number | null): string {
  if (v === null || v === undefined) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(0).replace('e+', 'e') : String(+v.toPrecision(3));
}
