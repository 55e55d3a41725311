/**
 * e^x and e^x − 1, correctly rounded (but for results within about 2⁻¹⁰⁰ of a
 * rounding boundary), the same bits in every JavaScript engine.
 *
 * Tang's method: x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, e^x = 2^k ·
 * 2^(j/64) · e^r, the table 2^(j/64) held to 106 bits. A fast path evaluates e^r
 * in double arithmetic around an exact leading product (error below 2⁻⁶⁵) and
 * keeps its result when Ziv's test shows every value within that error rounds
 * alike; otherwise (about one argument in a thousand) the series is summed in
 * double-double to 2⁻¹⁰⁰.
 */
import { R, divInt, fastTwoSum, mul22, roundScaled, roundedIfSure, scale2, twoProd, twoSum } from './dd';

/** 64/ln 2, and ln2/64 in three parts: the first has 29 significant bits, so m·C1 is exact for |m| < 2²⁴. */
const INV = 92.33248261689366;
const C1 = 0.010830424696905538;
const C2 = -6.563929801064195e-13;
const C3 = -2.0507341277789462e-29;
/** ln 2 as a double-double. */
const LN2_H = 0.6931471805599453;
const LN2_L = 2.3190468138462996e-17;

/** 1/n! as double-doubles, n = 0 … 30. */
const FH = new Float64Array(31);
const FL = new Float64Array(31);
FH[0] = 1;
for (let n = 1; n <= 30; n++) {
  divInt(FH[n - 1], FL[n - 1], n);
  FH[n] = R[0];
  FL[n] = R[1];
}

/** Σ r^n/n! for n = from … to (from 0 or 1), by Horner's scheme in double-double, into R. */
function series(rh: number, rl: number, from: 0 | 1, to: number): void {
  let sh = FH[to], sl = FL[to];
  for (let n = to - 1; n >= from; n--) {
    mul22(sh, sl, rh, rl);
    const ph = R[0], pl = R[1];
    twoSum(ph, FH[n]);
    fastTwoSum(R[0], R[1] + pl + FL[n]);
    sh = R[0];
    sl = R[1];
  }
  if (from === 1) {
    mul22(sh, sl, rh, rl);
    return;
  }
  R[0] = sh;
  R[1] = sl;
}

/** 2^(j/64), j = 0 … 63, as double-doubles: e^(j·ln2/64) summed to 2⁻¹¹⁰. */
const TH = new Float64Array(64);
const TL = new Float64Array(64);
for (let j = 0; j < 64; j++) {
  // j·ln2/64 in double-double (a product by j and a division by 64, both exact but for the last bits).
  twoProd(LN2_H, j);
  const ph = R[0] / 64, pl = (R[1] + LN2_L * j) / 64;
  series(ph, pl, 0, 30);
  TH[j] = R[0];
  TL[j] = R[1];
}

const FAST_BOUND = 2 ** -65;

/**
 * The reduction of x = xh + xl: sets `k` and `j`, and (rh, rl) = x − (64k + j)·ln2/64 with |r| ≤ ln2/128 + ε,
 * into R. For |x| < 746.
 */
let k = 0;
let j = 0;
function reduce(xh: number, xl: number): void {
  const m = Math.round(xh * INV);
  k = Math.floor(m / 64);
  j = m - 64 * k;
  const r1 = xh - m * C1; // exact: the two are close, and m·C1 is exact
  twoProd(m, C2);
  const p = R[0], pe = R[1];
  twoSum(r1, -p);
  twoSum(R[0], R[1] - pe - m * C3 + xl);
}

/**
 * e^(xh + xl) as (R[0] + R[1])·2^k, k returned: `accurate` to 2⁻¹⁰⁰ relative, else to 2⁻⁶⁵. For |x| < 746.
 */
export function expCore(xh: number, xl: number, accurate: boolean): number {
  reduce(xh, xl);
  const rh = R[0], rl = R[1];
  const th = TH[j], tl = TL[j];
  if (accurate) {
    series(rh, rl, 0, 12);
    mul22(th, tl, R[0], R[1]);
    return k;
  }
  // e^r − 1 − r = r²/2 + … + r⁸/8! in doubles (|r| < 0.0055: the next term is below 2⁻⁸⁵).
  const r2 = rh * rh;
  const p = r2 * (0.5 + rh * (FH[3] + rh * (FH[4] + rh * (FH[5] + rh * (FH[6] + rh * (FH[7] + rh * FH[8]))))));
  const u = rh + (rl + p);
  twoProd(th, rh);
  const a = R[0], b = R[1];
  const c = th * (rl + p) + (tl + tl * u);
  fastTwoSum(th, a);
  fastTwoSum(R[0], R[1] + (b + c));
  return k;
}

/** e^x, correctly rounded. */
export function exp(x: number): number {
  if (!(x > -746)) return x === x ? 0 : x;
  if (!(x < 710)) return Infinity;
  let scale = expCore(x, 0, false);
  // Ziv's test; results that may be subnormal are rounded from the accurate sum at their own position.
  if (scale > -1021) {
    const y = roundedIfSure(R[0], R[1], FAST_BOUND);
    if (y === y) return scale2(y, scale);
  }
  scale = expCore(x, 0, true);
  return roundScaled(R[0], R[1], scale);
}

/** e^x − 1 in double-double for |x| ≤ ln2/128 (the reduction leaves r = x): Σ xⁿ/n! from n = 1, into R. */
function expm1Small(x: number, accurate: boolean): void {
  if (accurate) {
    series(x, 0, 1, 14);
    return;
  }
  // x + x²/2 exactly, then x³/6 + … + x⁹/9! in doubles: relative error below 2⁻⁶⁸.
  twoProd(x, x);
  const qh = R[0] * 0.5, ql = R[1] * 0.5;
  const tail = x * qh * (FH[3] * 2 + x * (FH[4] * 2 + x * (FH[5] * 2 + x * (FH[6] * 2 + x * (FH[7] * 2 + x * (FH[8] * 2 + x * FH[9] * 2))))));
  twoSum(x, qh);
  fastTwoSum(R[0], R[1] + (ql + tail));
}

/** e^x − 1, correctly rounded. */
export function expm1(x: number): number {
  if (x !== x) return x;
  if (x > 709.8) return Infinity;
  if (x < -38) return -1;
  if (Math.abs(x) < 5.551115123125783e-17) return x;
  if (Math.abs(x) <= 0.005) {
    expm1Small(x, false);
    const y = roundedIfSure(R[0], R[1], 2 ** -66);
    if (y === y) return y;
    expm1Small(x, true);
    return R[0] + R[1];
  }
  expm1DD(x, false);
  // The error of e^x (relative to it) is relative to |e^x − 1| larger by e^x/|e^x − 1| ≤ 1 + 1/|x|.
  const y = roundedIfSure(R[0], R[1], FAST_BOUND * (1 + 1 / Math.abs(x)));
  if (y === y) return y;
  expm1DD(x, true);
  return R[0] + R[1];
}

export { LN2_H, LN2_L, series as expSeries };
export const TWO_POW = { hi: TH, lo: TL };

/** e^x of a double-double x into R as a double-double scaled by 2^k (k returned), accurate to 2⁻¹⁰⁰ or 2⁻⁶⁵. */
export function expDD(xh: number, xl: number, accurate: boolean): number {
  return expCore(xh, xl, accurate);
}

/** e^x − 1 of a double x as a double-double into R, accurate to 2⁻⁹⁰ (or 2⁻⁶⁰ when not `accurate`); for |x| < 700. */
export function expm1DD(x: number, accurate: boolean): void {
  if (Math.abs(x) <= 0.005) {
    expm1Small(x, accurate);
    return;
  }
  const scale = expCore(x, 0, accurate);
  const h = scale2(R[0], scale), l = scale2(R[1], scale);
  twoSum(h, -1);
  fastTwoSum(R[0], R[1] + l);
}
