/**
 * Powers, cube roots and Euclidean lengths, correctly rounded (but for results
 * within about 2⁻⁹⁰ of a rounding boundary), the same bits in every JavaScript
 * engine.
 *
 * pow follows C's pow (and torch's): pow(x, ±0) = 1 and pow(1, y) = 1 for every
 * x and y, NaN included; pow(−1, ±∞) = 1; a negative base takes a whole
 * exponent only. A whole exponent is a product of squares in double-double with
 * the binary exponent kept apart (no overflow on the way); any other is
 * e^(y·ln x) with ln x to 2⁻¹⁰⁰. cbrt is Newton's method, its last step in
 * double-double; hypot sums the squares of the arguments scaled by a power of
 * two in double-double and takes the root there.
 */
import { R, add22, div22, exponentOf, mul21, mul22, roundScaled, roundedIfSure, scale2, sqrt22, twoProd, twoSum } from './dd';
import { expCore } from './exp';
import { logDD } from './log';

/** Whether y is a whole number that is odd (every double of 2⁵³ and beyond is even). */
function isOdd(y: number): boolean {
  return Number.isInteger(y) && Math.abs(y) < 9007199254740992 && y % 2 !== 0;
}

/** x^n for x > 0 finite and a whole n ≥ 1, as (R[0] + R[1])·2^k, k returned; relative error below 2⁻⁹⁶. */
function powWhole(x: number, n: number): number {
  // x = m·2^e with m in [1, 2); the product of squares keeps its mantissa in [1, 2) and its exponent apart.
  const e = exponentOf(x);
  let bh = scale2(x, -e), bl = 0, be = e;
  let rh = 1, rl = 0, re = 0;
  let k = n;
  for (;;) {
    if (k % 2 === 1) {
      mul22(rh, rl, bh, bl);
      const f = exponentOf(R[0]);
      rh = scale2(R[0], -f);
      rl = scale2(R[1], -f);
      re += be + f;
    }
    k = Math.floor(k / 2);
    if (k === 0) break;
    mul22(bh, bl, bh, bl);
    const f = exponentOf(R[0]);
    bh = scale2(R[0], -f);
    bl = scale2(R[1], -f);
    be = 2 * be + f;
  }
  R[0] = rh;
  R[1] = rl;
  return re;
}

const FAST = 2 ** -62;

/** |x|^y for x > 0 finite, y finite, not 0, x not 1: correctly rounded. */
function positivePow(x: number, y: number): number {
  if (Number.isInteger(y) && Math.abs(y) < 9007199254740992) {
    // Past ±2¹¹ the result leaves the doubles unless x is near 1; the product stays exact in its exponent.
    let k = powWhole(x, Math.abs(y));
    if (y < 0) {
      div22(1, 0, R[0], R[1]);
      k = -k;
    }
    if (k > 2000) return Infinity;
    if (k < -2100) return 0;
    return roundScaled(R[0], R[1], k);
  }
  for (let accurate = 0; accurate < 2; accurate++) {
    logDD(x, 0, accurate === 1);
    mul21(R[0], R[1], y);
    const zh = R[0], zl = R[1];
    if (zh > 746) return Infinity;
    if (zh < -746) return 0;
    const k = expCore(zh, zl, accurate === 1);
    if (accurate) return roundScaled(R[0], R[1], k);
    if (k > -1021) {
      // ln x's error, relative, is an absolute error of y·ln x: relative in the power.
      const v = roundedIfSure(R[0], R[1], FAST * (1 + Math.abs(zh)));
      if (v === v) return scale2(v, k);
    }
  }
  return NaN;
}

/** x^y as C's pow computes it, correctly rounded. */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x !== x || y !== y) return NaN;
  const ax = Math.abs(x);
  if (y === Infinity || y === -Infinity) {
    if (ax === 1) return 1;
    return (ax > 1) === (y > 0) ? Infinity : 0;
  }
  const odd = isOdd(y);
  if (x === 0) {
    const negativeZero = Object.is(x, -0) && odd;
    if (y < 0) return negativeZero ? -Infinity : Infinity;
    return negativeZero ? -0 : 0;
  }
  if (ax === Infinity) {
    const negative = x < 0 && odd;
    if (y < 0) return negative ? -0 : 0;
    return negative ? -Infinity : Infinity;
  }
  if (x < 0 && !Number.isInteger(y)) return NaN;
  const v = positivePow(ax, y);
  return x < 0 && odd ? -v : v;
}

/** ∛x, correctly rounded (exact for cubes). */
export function cbrt(x: number): number {
  if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
  const s = x < 0 ? -1 : 1;
  // |x| = m·2^(3q) with m in [1, 8).
  const e = exponentOf(Math.abs(x));
  const q = Math.floor(e / 3);
  const m = scale2(Math.abs(x), -3 * q);
  // Newton's method in doubles from a line through the ends of ∛ on [1, 8]: six steps reach 2⁻⁵².
  let y = 0.857 + 0.143 * m;
  for (let i = 0; i < 6; i++) y -= (y * y * y - m) / (3 * y * y);
  // One more step in double-double: y + (m − y³)/(3y²), to 2⁻¹⁰⁰.
  twoProd(y, y);
  mul21(R[0], R[1], y);
  const ch = R[0], cl = R[1];
  twoSum(m, -ch);
  const rest = R[0] + (R[1] - cl);
  const correction = rest / (3 * y * y);
  twoSum(y, correction);
  return s * roundScaled(R[0], R[1], q);
}

/** √(a² + b² + …), correctly rounded, with C's special cases (an infinity wins over a NaN). */
export function hypot(...values: number[]): number {
  let max = 0;
  let nan = false;
  for (const v of values) {
    const a = Math.abs(v);
    if (a === Infinity) return Infinity;
    if (a !== a) nan = true;
    else if (a > max) max = a;
  }
  if (nan) return NaN;
  if (max === 0) return 0;
  const e = exponentOf(max);
  let sh = 0, sl = 0;
  for (const v of values) {
    const a = scale2(Math.abs(v), -e);
    twoProd(a, a);
    add22(sh, sl, R[0], R[1]);
    sh = R[0];
    sl = R[1];
  }
  sqrt22(sh, sl);
  return roundScaled(R[0], R[1], e);
}
