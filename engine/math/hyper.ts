/**
 * Hyperbolic functions and their inverses, correctly rounded (but for results
 * within about 2⁻⁹⁰ of a rounding boundary), the same bits in every JavaScript
 * engine: built in double-double on e^x, e^x − 1, ln x and ln(1 + x)
 * (./exp.ts, ./log.ts) so that no cancellation loses bits:
 *
 *   sinh x = (E + E/(E + 1))/2, cosh x = (e^x + e^−x)/2, tanh x = E₂/(E₂ + 2)
 *   with E = e^|x| − 1, E₂ = e^(2|x|) − 1 (e^|x|/2 alone beyond 40);
 *   asinh x = ln(1 + x + x²/(1 + √(1 + x²))), acosh x = ln(1 + t + √(2t + t²))
 *   with t = x − 1 (ln(x + √(x² − 1)) from 2, ln 2x ± 1/4x² from 2²⁸);
 *   atanh x = ln(1 + 2x/(1 − x))/2.
 *
 * Each is first formed from the fast variants (error below 2⁻⁶⁰) and kept when
 * Ziv's test shows every value within that error rounds alike.
 */
import { R, add21, add22, div22, roundScaled, roundedIfSure, scale2, sqrt22, twoProd, twoSum } from './dd';
import { expCore, expm1DD } from './exp';
import { log1pDD, logDD } from './log';

const LN2_H = 0.6931471805599453, LN2_L = 2.3190468138462996e-17;
/** The fast variants' error, relative. */
const FAST = 2 ** -60;

/** e^|x|/2 for |x| ≥ 40 (e^−2|x| is below 2⁻¹¹⁵ of it), correctly rounded with the sign s. */
function halfExp(ax: number, s: number): number {
  if (ax > 711) return s * Infinity;
  let k = expCore(ax, 0, false);
  if (k < 1000) {
    const v = roundedIfSure(R[0], R[1], 2 ** -64);
    if (v === v) return s * scale2(v, k - 1);
  }
  k = expCore(ax, 0, true);
  return s * roundScaled(R[0], R[1], k - 1);
}

/** sinh x, correctly rounded. */
export function sinh(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return x;
  const ax = Math.abs(x);
  const s = x < 0 ? -1 : 1;
  // sinh x = x(1 + x²/6 …) rounds to x below 2⁻²⁶.
  if (ax < 1.4901161193847656e-8) return x;
  if (ax >= 40) return halfExp(ax, s);
  for (let accurate = 0; accurate < 2; accurate++) {
    expm1DD(ax, accurate === 1);
    const eh = R[0], el = R[1];
    add21(eh, el, 1);
    div22(eh, el, R[0], R[1]);
    add22(eh, el, R[0], R[1]);
    const h = 0.5 * R[0], l = 0.5 * R[1];
    if (accurate) return s * (h + l);
    const v = roundedIfSure(h, l, FAST * (1 + 1 / ax));
    if (v === v) return s * v;
  }
  return NaN;
}

/** cosh x, correctly rounded. */
export function cosh(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax === Infinity) return Infinity;
  // cosh x = 1 + x²/2 … rounds to 1 below 2⁻²⁶.
  if (ax < 1.4901161193847656e-8) return 1;
  if (ax >= 40) return halfExp(ax, 1);
  for (let accurate = 0; accurate < 2; accurate++) {
    const k = expCore(ax, 0, accurate === 1);
    const eh = scale2(R[0], k), el = scale2(R[1], k);
    div22(1, 0, eh, el);
    add22(eh, el, R[0], R[1]);
    const h = 0.5 * R[0], l = 0.5 * R[1];
    if (accurate) return h + l;
    const v = roundedIfSure(h, l, FAST);
    if (v === v) return v;
  }
  return NaN;
}

/** tanh x, correctly rounded. */
export function tanh(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  const s = x < 0 ? -1 : 1;
  // tanh x = x(1 − x²/3 …) rounds to x below 2⁻²⁷; 1 − 2e^(−2|x|) rounds to 1 beyond 19.1.
  if (ax < 7.450580596923828e-9) return x;
  if (ax > 19.1) return s;
  for (let accurate = 0; accurate < 2; accurate++) {
    expm1DD(2 * ax, accurate === 1);
    const eh = R[0], el = R[1];
    add21(eh, el, 2);
    div22(eh, el, R[0], R[1]);
    if (accurate) return s * (R[0] + R[1]);
    const v = roundedIfSure(R[0], R[1], FAST * (1 + 1 / (2 * ax)));
    if (v === v) return s * v;
  }
  return NaN;
}

/** ln(2x) ± 1/(4x²) for x ≥ 2²⁸ as a double-double into R (the next term is below 2⁻¹¹⁵ of it). */
function logTwice(ax: number, sign: number, accurate: boolean): void {
  logDD(ax, 0, accurate);
  add22(R[0], R[1], LN2_H, LN2_L);
  add21(R[0], R[1], sign * (0.25 / ax / ax));
}

function rounded(form: (accurate: boolean) => void, s: number): number {
  form(false);
  const v = roundedIfSure(R[0], R[1], FAST);
  if (v === v) return s * v;
  form(true);
  return s * (R[0] + R[1]);
}

/** asinh x, correctly rounded. */
export function asinh(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return x;
  const ax = Math.abs(x);
  const s = x < 0 ? -1 : 1;
  // asinh x = x(1 − x²/6 …) rounds to x below 2⁻²⁶.
  if (ax < 1.4901161193847656e-8) return x;
  if (ax >= 268435456) return rounded((accurate) => logTwice(ax, 1, accurate), s);
  return rounded((accurate) => {
    // x + x²/(1 + √(1 + x²)), then ln(1 + that).
    twoProd(ax, ax);
    const qh = R[0], ql = R[1];
    add21(qh, ql, 1);
    sqrt22(R[0], R[1]);
    add21(R[0], R[1], 1);
    div22(qh, ql, R[0], R[1]);
    add21(R[0], R[1], ax);
    log1pDD(R[0], R[1], accurate);
  }, s);
}

/** acosh x, correctly rounded. */
export function acosh(x: number): number {
  if (!(x >= 1)) return NaN;
  if (x === 1) return 0;
  if (x === Infinity) return x;
  if (x >= 268435456) return rounded((accurate) => logTwice(x, -1, accurate), 1);
  if (x >= 2) {
    return rounded((accurate) => {
      twoProd(x, x);
      add21(R[0], R[1], -1);
      sqrt22(R[0], R[1]);
      add21(R[0], R[1], x);
      logDD(R[0], R[1], accurate);
    }, 1);
  }
  // t = x − 1 is exact; t + √(2t + t²), then ln(1 + that).
  const t = x - 1;
  return rounded((accurate) => {
    twoProd(t, t);
    add21(R[0], R[1], 2 * t);
    sqrt22(R[0], R[1]);
    add21(R[0], R[1], t);
    log1pDD(R[0], R[1], accurate);
  }, 1);
}

/** atanh x, correctly rounded. */
export function atanh(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1)) return NaN;
  if (ax === 1) return x * Infinity;
  const s = x < 0 ? -1 : 1;
  // atanh x = x(1 + x²/3 …) rounds to x below 2⁻²⁷.
  if (ax < 7.450580596923828e-9) return x;
  return rounded((accurate) => {
    twoSum(1, -ax);
    div22(2 * ax, 0, R[0], R[1]);
    log1pDD(R[0], R[1], accurate);
    R[0] *= 0.5;
    R[1] *= 0.5;
  }, s);
}


