/**
 * Natural, base-2 and base-10 logarithms and log(1 + x), correctly rounded (but
 * for results within about 2⁻¹⁰⁰ of a rounding boundary), the same bits in every
 * JavaScript engine.
 *
 * x = 2^e · m with m in [√½, √2); m·c − 1 = r with c ≈ 1/m from a table of 92
 * values (r exact as a double-double, |r| < 2⁻⁷·⁴), and
 * ln x = e·ln2 − ln c + ln(1 + r). A fast path sums the series of ln(1 + r) in
 * double arithmetic around exact leading terms (error below 2⁻⁶⁵) and keeps its
 * result when Ziv's test shows every value within that error rounds alike;
 * otherwise the series is summed in double-double to 2⁻¹⁰⁰.
 */
import { R, add22, divInt, exponentOf, fastTwoSum, mul22, div22, roundedIfSure, scale2, twoProd, twoSum } from './dd';

/** ln 2 in three parts, the first with 42 significant bits (e·L1 is exact for |e| < 2¹¹). */
const L1 = 0.6931471805598903;
const L2 = 5.497923018708371e-14;
const L3 = 1.94704509238075e-31;
const SQRT2 = 1.4142135623730951;

/** The table: c_j = 128/(128 + j) for j = −38 … 53, and −ln c_j as double-doubles. */
const OFFSET = 38;
const SIZE = 92;
const C = new Float64Array(SIZE);
const LH = new Float64Array(SIZE);
const LL = new Float64Array(SIZE);

/** 1/n as double-doubles, n = 1 … 45. */
const IH = new Float64Array(46);
const IL = new Float64Array(46);
for (let n = 1; n <= 45; n++) {
  divInt(1, 0, n);
  IH[n] = R[0];
  IL[n] = R[1];
}

for (let i = 0; i < SIZE; i++) {
  const jj = i - OFFSET;
  const c = 128 / (128 + jj);
  C[i] = c;
  // −ln c = 2·atanh(z), z = (1 − c)/(1 + c), |z| < 0.17: Σ z^(2n+1)/(2n+1) to 2⁻¹¹⁰.
  twoSum(1, -c);
  const nh = R[0], nl = R[1];
  twoSum(1, c);
  div22(nh, nl, R[0], R[1]);
  const zh = R[0], zl = R[1];
  mul22(zh, zl, zh, zl);
  const qh = R[0], ql = R[1];
  let sh = IH[45], sl = IL[45];
  for (let n = 43; n >= 1; n -= 2) {
    mul22(sh, sl, qh, ql);
    add22(R[0], R[1], IH[n], IL[n]);
    sh = R[0];
    sl = R[1];
  }
  mul22(sh, sl, zh, zl);
  LH[i] = 2 * R[0];
  LL[i] = 2 * R[1];
}

let index = 0;
let exponent = 0;

/** Reduces x = xh + xl > 0 (normal): sets `exponent` and `index`, and r = m·c − 1 as a double-double into R. */
function reduce(xh: number, xl: number): void {
  let e = exponentOf(xh);
  let m = scale2(xh, -e);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const i = Math.round((m - 1) * 128) + OFFSET;
  const c = C[i];
  twoProd(m, c);
  // m·c − 1 is exact (Sterbenz: m·c is within 1% of 1), the product's low part and xl's share added.
  const a = R[0] - 1;
  const b = R[1] + scale2(xl, -e) * c;
  exponent = e;
  index = i;
  if (Math.abs(a) >= Math.abs(b)) fastTwoSum(a, b);
  else twoSum(a, b);
}

/** ln(1 + r) for |r| < 2⁻⁷·⁴ in double-double into R: to 2⁻⁶⁸ relative, or 2⁻¹⁰⁵ when `accurate`. */
function log1pSmall(rh: number, rl: number, accurate: boolean): void {
  if (accurate) {
    // Σ (−1)^(n+1) rⁿ/n, n = 1 … 16, by Horner's scheme in double-double.
    let sh = -IH[16], sl = -IL[16];
    for (let n = 15; n >= 1; n--) {
      mul22(sh, sl, rh, rl);
      const odd = n % 2 === 1;
      add22(R[0], R[1], odd ? IH[n] : -IH[n], odd ? IL[n] : -IL[n]);
      sh = R[0];
      sl = R[1];
    }
    mul22(sh, sl, rh, rl);
    return;
  }
  // r − r²/2 exactly, the cross term r_h·r_l, and r³/3 − … − r¹²/12 in doubles.
  twoProd(rh, rh);
  const h2 = -0.5 * R[0], l2 = -0.5 * R[1];
  const r = rh;
  const tail = r * r * r * (IH[3] - r * (IH[4] - r * (IH[5] - r * (IH[6] - r * (IH[7] - r * (IH[8] - r * (IH[9] - r * (IH[10] - r * (IH[11] - r * IH[12])))))))));
  twoSum(rh, h2);
  fastTwoSum(R[0], R[1] + (rl + l2 - rh * rl + tail));
}

/**
 * ln(xh + xl) for a positive normal xh, as a double-double into R: to 2⁻⁶⁵ relative, or 2⁻¹⁰⁰ when
 * `accurate`.
 */
export function logDD(xh: number, xl: number, accurate: boolean): void {
  reduce(xh, xl);
  const e = exponent, i = index;
  log1pSmall(R[0], R[1], accurate);
  const ah = R[0], al = R[1];
  // e·ln2 + (−ln c) + ln(1 + r) in double-double: e·L1 and e·L2 exactly, e·L3 below 2⁻¹⁰⁰ of the sum.
  twoProd(e, L2);
  const ph = R[0], pl = R[1];
  twoSum(e * L1, LH[i]);
  add22(R[0], R[1] + (LL[i] + pl + e * L3), ph, 0);
  add22(R[0], R[1], ah, al);
}

const FAST = 2 ** -64;

function positive(x: number): number | null {
  if (x !== x || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  if (x === 1) return 0;
  return null;
}

/** A subnormal x as a normal double-double: x·2^54 and the scale to take back. */
function normal(x: number): number {
  return x < 2.2250738585072014e-308 ? x * 18014398509481984 : x;
}
/** 54·ln 2, the logarithm of that scale, as a double-double. */
twoProd(54, 0.6931471805599453);
const NORMAL_LOG_H = R[0];
const NORMAL_LOG_L = R[1] + 54 * 2.3190468138462996e-17;

/** ln x, correctly rounded. */
export function log(x: number): number {
  const special = positive(x);
  if (special !== null) return special;
  const y = normal(x);
  logDD(y, 0, false);
  if (y === x) {
    const r = roundedIfSure(R[0], R[1], FAST);
    if (r === r) return r;
  }
  logDD(y, 0, true);
  if (y !== x) add22(R[0], R[1], -NORMAL_LOG_H, -NORMAL_LOG_L);
  return R[0] + R[1];
}

/** log₂ x, correctly rounded (exact for powers of two). */
export function log2(x: number): number {
  const special = positive(x);
  if (special !== null) return special;
  const y = normal(x);
  const shift = y === x ? 0 : 54;
  for (let accurate = 0; accurate < 2; accurate++) {
    logDD(y, 0, accurate === 1);
    // ln x / ln 2 = ln x · (1/ln 2); 1/ln 2 as a double-double.
    mul22(R[0], R[1], 1.4426950408889634, 2.0355273740931033e-17);
    if (shift) add22(R[0], R[1], -shift, 0);
    if (accurate) return R[0] + R[1];
    const r = roundedIfSure(R[0], R[1], FAST);
    if (r === r) return r;
  }
  return NaN;
}

/** log₁₀ x, correctly rounded (exact for powers of ten). */
export function log10(x: number): number {
  const special = positive(x);
  if (special !== null) return special;
  const y = normal(x);
  for (let accurate = 0; accurate < 2; accurate++) {
    logDD(y, 0, accurate === 1);
    if (y !== x) add22(R[0], R[1], -NORMAL_LOG_H, -NORMAL_LOG_L);
    mul22(R[0], R[1], 0.4342944819032518, 1.098319650216765e-17);
    if (accurate) return R[0] + R[1];
    const r = roundedIfSure(R[0], R[1], FAST * 2);
    if (r === r) return r;
  }
  return NaN;
}

/** ln(1 + xh + xl) of a double-double above −1, into R: to 2⁻⁶⁵ relative, or 2⁻¹⁰⁰ when `accurate`. */
export function log1pDD(xh: number, xl: number, accurate: boolean): void {
  if (Math.abs(xh) < 0.0055) {
    log1pSmall(xh, xl, accurate);
    return;
  }
  // 1 + x exactly as a double-double (up to the last bits of xl).
  twoSum(1, xh);
  fastTwoSum(R[0], R[1] + xl);
  logDD(R[0], R[1], accurate);
}

/** ln(1 + x), correctly rounded. */
export function log1p(x: number): number {
  if (x !== x || x < -1) return NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity) return x;
  if (Math.abs(x) < 1.1102230246251565e-16) return x;
  for (let accurate = 0; accurate < 2; accurate++) {
    log1pDD(x, 0, accurate === 1);
    if (accurate) return R[0] + R[1];
    const r = roundedIfSure(R[0], R[1], FAST);
    if (r === r) return r;
  }
  return NaN;
}
