/**
 * Inverse tangent, its two-argument form and the inverse sine and cosine,
 * correctly rounded (but for results within about 2⁻¹⁰⁰ of a rounding
 * boundary), the same bits in every JavaScript engine.
 *
 * For 0 ≤ z ≤ 1, atan z = atan c + atan((z − c)/(1 + z·c)) with c a multiple of
 * 1/64 whose arctangent is tabled to 106 bits, the second argument below 1/128;
 * above 1, atan z = π/2 − atan(1/z). asin x = atan2(x, √(1 − x²)) and
 * acos x = atan2(√(1 − x²), x), the root taken of (1 − x)(1 + x) in
 * double-double. A fast path (error below 2⁻⁶⁵) is kept when Ziv's test shows
 * every value within its error rounds alike; otherwise the series is summed in
 * double-double to 2⁻¹⁰⁰.
 */
import { R, add21, add22, div22, divInt, fastTwoSum, mul21, mul22, roundedIfSure, sqrt22, twoSum } from './dd';

const PI_H = 3.141592653589793, PI_L = 1.2246467991473532e-16;
const PIO2_H = 1.5707963267948966, PIO2_L = 6.123233995736766e-17;
const PIO4_H = 0.7853981633974483;

/** (−1)ⁿ/(2n + 1) as double-doubles, n = 0 … 24. */
const OH = new Float64Array(25), OL = new Float64Array(25);
for (let n = 0; n < 25; n++) {
  divInt(n % 2 === 0 ? 1 : -1, 0, 2 * n + 1);
  OH[n] = R[0];
  OL[n] = R[1];
}

/** Σ (−1)ⁿ d^(2n+1)/(2n + 1), n = 0 … last, in double-double, into R. */
function series(dh: number, dl: number, last: number): void {
  mul22(dh, dl, dh, dl);
  const qh = R[0], ql = R[1];
  let sh = OH[last], sl = OL[last];
  for (let n = last - 1; n >= 0; n--) {
    mul22(sh, sl, qh, ql);
    add22(R[0], R[1], OH[n], OL[n]);
    sh = R[0];
    sl = R[1];
  }
  mul22(sh, sl, dh, dl);
}

/** atan(k/64), k = 0 … 64, as double-doubles: three halvings atan x = 2·atan(x/(1 + √(1 + x²))), then the series. */
const AH = new Float64Array(65), AL = new Float64Array(65);
for (let k = 0; k <= 64; k++) {
  let h = k / 64, l = 0;
  for (let i = 0; i < 3; i++) {
    mul22(h, l, h, l);
    add21(R[0], R[1], 1);
    sqrt22(R[0], R[1]);
    add21(R[0], R[1], 1);
    div22(h, l, R[0], R[1]);
    h = R[0];
    l = R[1];
  }
  series(h, l, 24);
  AH[k] = 8 * R[0];
  AL[k] = 8 * R[1];
}

/** atan(zh + zl) for 0 ≤ z ≤ 1 into R: to 2⁻⁶⁶ relative, or 2⁻¹⁰² when `accurate`. */
function atanUnit(zh: number, zl: number, accurate: boolean): void {
  const k = Math.round(zh * 64);
  const c = k / 64;
  // d = (z − c)/(1 + z·c); z − c is exact (Sterbenz), |d| ≤ 1/128.
  twoSum(zh - c, zl);
  const nh = R[0], nl = R[1];
  mul21(zh, zl, c);
  add21(R[0], R[1], 1);
  div22(nh, nl, R[0], R[1]);
  const dh = R[0], dl = R[1];
  if (accurate) series(dh, dl, 10);
  else {
    // d − d³/3 + … + d⁹/9 (the next term is below 2⁻⁸⁰ of d).
    const d2 = dh * dh;
    fastTwoSum(dh, dl + dh * d2 * (OH[1] + d2 * (OH[2] + d2 * (OH[3] + d2 * OH[4]))));
  }
  add22(AH[k], AL[k], R[0], R[1]);
}

/** atan(y/x) for y, x ≥ 0 (double-doubles, not both 0) into R, in [0, π/2]. */
function atanRatio(yh: number, yl: number, xh: number, xl: number, accurate: boolean): void {
  if (yh <= xh) {
    div22(yh, yl, xh, xl);
    atanUnit(R[0], R[1], accurate);
    return;
  }
  div22(xh, xl, yh, yl);
  atanUnit(R[0], R[1], accurate);
  add22(PIO2_H, PIO2_L, -R[0], -R[1]);
}

const FAST = 2 ** -64;

/** atan(y/x) for y, x ≥ 0, rounded; `away` adds π (x < 0): π − atan(y/|x|). */
function rounded(yh: number, yl: number, xh: number, xl: number, away: boolean): number {
  for (let accurate = 0; accurate < 2; accurate++) {
    atanRatio(yh, yl, xh, xl, accurate === 1);
    if (away) add22(PI_H, PI_L, -R[0], -R[1]);
    if (accurate) return R[0] + R[1];
    const v = roundedIfSure(R[0], R[1], FAST);
    if (v === v) return v;
  }
  return NaN;
}

/** atan x, correctly rounded. */
export function atan(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  // atan x = x(1 − x²/3 …) rounds to x below 2⁻²⁷.
  if (ax < 7.450580596923828e-9) return x;
  if (ax === Infinity) return x > 0 ? PIO2_H : -PIO2_H;
  const v = rounded(ax, 0, 1, 0, false);
  return x < 0 ? -v : v;
}

/** atan2(y, x), the angle of the point (x, y), correctly rounded, with C's special cases. */
export function atan2(y: number, x: number): number {
  if (x !== x || y !== y) return NaN;
  const sy = y < 0 || Object.is(y, -0) ? -1 : 1;
  if (y === 0) return x > 0 || Object.is(x, 0) ? y : sy * PI_H;
  if (x === 0) return sy * PIO2_H;
  const ay = Math.abs(y), ax = Math.abs(x);
  if (ay === Infinity) return sy * (ax === Infinity ? (x > 0 ? PIO4_H : 2.356194490192345) : PIO2_H);
  if (ax === Infinity) return x > 0 ? sy * 0 : sy * PI_H;
  // A ratio below 2⁻⁶⁰: atan t = t(1 − t²/3 …) is t to 2⁻¹²⁰, and y/x is t correctly rounded (subnormal too).
  if (x > 0 && ay < ax * 8.673617379884035e-19) return y / x;
  return sy * rounded(ay, 0, ax, 0, x < 0);
}

/** √((1 − x)(1 + x)) for |x| ≤ 1 as a double-double into R (exact factors, the product and root to 2⁻¹⁰³). */
function cosOfAsin(ax: number): void {
  twoSum(1, -ax);
  const ah = R[0], al = R[1];
  twoSum(1, ax);
  mul22(ah, al, R[0], R[1]);
  sqrt22(R[0], R[1]);
}

/** asin x, correctly rounded. */
export function asin(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1)) return NaN;
  // asin x = x(1 + x²/6 …) rounds to x below 2⁻²⁶.
  if (ax < 1.4901161193847656e-8) return x;
  if (ax === 1) return x > 0 ? PIO2_H : -PIO2_H;
  cosOfAsin(ax);
  const v = rounded(ax, 0, R[0], R[1], false);
  return x < 0 ? -v : v;
}

/** acos x, correctly rounded. */
export function acos(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1)) return NaN;
  if (x === 1) return 0;
  if (x === -1) return PI_H;
  cosOfAsin(ax);
  return rounded(R[0], R[1], ax, 0, x < 0);
}
