/** The labelled stops of a contour map's colour scale, shared by the on-screen bar and the exports. */
import type { ContourBand } from '../../../engine';
import { formatNumber } from '../i18n/i18n.svelte';

/**
 * A level as a tick reads it: `digits` significant digits, and a power of ten written as 1e-5 where
 * it is large or small.
 */
function number(v: number, digits: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) {
    const exponent = Math.floor(Math.log10(a));
    return `${formatNumber(v / 10 ** exponent, { maximumSignificantDigits: digits })}e${exponent}`;
  }
  return formatNumber(v, { maximumSignificantDigits: Math.max(3, digits) });
}

/**
 * About five labelled stops along the bar (band index and text), the first and the last among them,
 * none crowding the last, each with as few digits as tell neighbouring stops apart.
 */
export function colorStops(bands: readonly ContourBand[]): Array<{ k: number; text: string }> {
  const n = bands.length;
  const every = Math.max(1, Math.ceil((n - 1) / 4));
  const stops = bands.map((b, k) => ({ k, value: b.value })).filter(({ k }) => k === n - 1 || (k % every === 0 && n - 1 - k >= every / 2));
  let digits = 2;
  const apart = (d: number) => stops.every((s, i) => i === 0 || s.value === stops[i - 1].value || number(s.value, d) !== number(stops[i - 1].value, d));
  while (digits < 6 && !apart(digits)) digits++;
  return stops.map((s) => ({ k: s.k, text: number(s.value, digits) }));
}
