/**
 * Sine, cosine and tangent, correctly rounded (but for results within about
 * 2⁻¹⁰⁰ of a rounding boundary), the same bits in every JavaScript engine.
 *
 * The argument is reduced to r = x − n·π/2, |r| ≤ π/4, as a double-double:
 * with π/2 in four parts (Cody and Waite) below 2²⁰, and beyond with 1,280 bits
 * of 2/π in whole-number arithmetic (Payne and Hanek). Then r = a + d with a a
 * multiple of 1/64 whose sine and cosine are tabled to 106 bits, |d| ≤ 1/128:
 * sin r = sin a·cos d + cos a·sin d. A fast path sums the short series of sin d
 * and cos d in double arithmetic around exact leading products (error below
 * 2⁻⁶⁵) and keeps its result when Ziv's test shows every value within that
 * error rounds alike; otherwise the series of sin r and cos r are summed in
 * double-double to 2⁻¹⁰⁰.
 */
import { R, add22, divInt, div22, exponentOf, fastTwoSum, mul22, roundedIfSure, scale2, twoProd, twoSum } from './dd';

/** π/2 in four parts: the first with 31 significant bits (n·P1 exact for |n| < 2²²). */
const P1 = 1.5707963267341256;
const P2 = 6.077100506506192e-11;
const P3 = 3.5215598651832e-27;
const P4 = 2.0670321098263988e-43;
const INV_PIO2 = 0.6366197723675814;
const PIO2_H = 1.5707963267948966;
const PIO2_L = 6.123233995736766e-17;

/** ⌊2/π · 2^1280⌋, for reducing arguments of 2²⁰ and beyond. */
const TWO_OVER_PI = BigInt(
  '0x' +
    'a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a424dd2e0' +
    '06492eea09d1921cfe1deb1cb129a73ee88235f52ebb4484e99c7026b45f7e413991d639835339f4' +
    '9c845f8bbdf9283b1ff897ffde05980fef2f118b5a0a6d1f6d367ecf27cb09b74f463f669e5fea2d' +
    '7527bac7ebe5f17b3d0739f78a5292ea6bfb5fb11f8d5d0856033046fc7b6babf0cfbc209af4361d',
);
const FRACTION_BITS = 1280n;

/** (−1)^k/(2k)! and (−1)^k/(2k + 1)! as double-doubles, k = 0 … 14. */
const CH = new Float64Array(15), CL = new Float64Array(15), SH = new Float64Array(15), SL = new Float64Array(15);
{
  let h = 1, l = 0;
  for (let n = 0; n <= 29; n++) {
    if (n > 0) {
      divInt(h, l, n);
      h = R[0];
      l = R[1];
    }
    const sign = Math.floor(n / 2) % 2 === 0 ? 1 : -1;
    const k = Math.floor(n / 2);
    if (n % 2 === 0) {
      CH[k] = sign * h;
      CL[k] = sign * l;
    } else {
      SH[k] = sign * h;
      SL[k] = sign * l;
    }
  }
}

/** Σ terms_k · q^k, k = 0 … last, by Horner's scheme in double-double (q = r²), into R. */
function series(th: Float64Array, tl: Float64Array, last: number, qh: number, ql: number): void {
  let sh = th[last], sl = tl[last];
  for (let k = last - 1; k >= 0; k--) {
    mul22(sh, sl, qh, ql);
    add22(R[0], R[1], th[k], tl[k]);
    sh = R[0];
    sl = R[1];
  }
}

/** sin r and cos r of a double-double r, |r| ≤ 0.8, to 2⁻¹⁰⁵, into the pairs below. */
let sinH = 0, sinL = 0, cosH = 0, cosL = 0;
function accurateSinCos(rh: number, rl: number): void {
  mul22(rh, rl, rh, rl);
  const qh = R[0], ql = R[1];
  series(CH, CL, 14, qh, ql);
  cosH = R[0];
  cosL = R[1];
  series(SH, SL, 14, qh, ql);
  mul22(R[0], R[1], rh, rl);
  sinH = R[0];
  sinL = R[1];
}

/** sin(k/64) and cos(k/64), k = 0 … 51, as double-doubles. */
const TSH = new Float64Array(52), TSL = new Float64Array(52), TCH = new Float64Array(52), TCL = new Float64Array(52);
for (let k = 0; k < 52; k++) {
  accurateSinCos(k / 64, 0);
  TSH[k] = sinH;
  TSL[k] = sinL;
  TCH[k] = cosH;
  TCL[k] = cosL;
}

/** The reduction: sets `quadrant` (n mod 4) and r = x − n·π/2 as a double-double into R. */
let quadrant = 0;
function reduce(x: number): void {
  if (Math.abs(x) <= 0.7853981633974483) {
    quadrant = 0;
    R[0] = x;
    R[1] = 0;
    return;
  }
  if (Math.abs(x) < 1048576) {
    const n = Math.round(x * INV_PIO2);
    quadrant = ((n % 4) + 4) % 4;
    // x − n·P1 is exact; n·P2, n·P3 exactly as products; n·P4 below 2⁻¹²⁰.
    const a = x - n * P1;
    twoProd(n, P2);
    const bh = R[0], bl = R[1];
    twoProd(n, P3);
    const ch = R[0], cl = R[1];
    twoSum(a, -bh);
    const sh = R[0];
    let sl = R[1] - bl;
    twoSum(sh, -ch);
    const th = R[0];
    sl += R[1] - cl - n * P4;
    twoSum(th, sl);
    return;
  }
  payneHanek(x);
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * x·2/π for |x| ≥ 2²⁰ in whole-number arithmetic: its distance r to the nearest whole number n, times
 * π/2, into R (106 significant bits, however close x is to a multiple of π/2), n mod 4 into `quadrant`.
 */
function payneHanek(x: number): void {
  const e = exponentOf(x);
  // |x| = M·2^(e − 52) with M a 53-bit whole number; |x|·2/π = M·TWO_OVER_PI / 2^shift.
  bits.setFloat64(0, Math.abs(x));
  const M = (BigInt(bits.getUint32(0) & 0xfffff) << 32n) | BigInt(bits.getUint32(4)) | (1n << 52n);
  const shift = FRACTION_BITS - BigInt(e - 52);
  const product = M * TWO_OVER_PI;
  let whole = product >> shift;
  let fraction = product - (whole << shift);
  // Past ½ the nearest whole number is the next one, and the fraction negative.
  let negative = false;
  if (fraction >= 1n << (shift - 1n)) {
    fraction = (1n << shift) - fraction;
    whole += 1n;
    negative = true;
  }
  const n = Number(whole & 3n);
  // The fraction's leading 106 bits, exactly as two doubles of 53 bits each.
  const length = BigInt(fraction.toString(2).length);
  const top = length > 106n ? fraction >> (length - 106n) : fraction << (106n - length);
  const scale = Number(length - 106n - shift);
  const hi = scale2(Number(top >> 53n), scale + 53);
  const lo = scale2(Number(top & 0x1fffffffffffffn), scale);
  // (hi + lo)·π/2, with the signs of the fraction and of x.
  mul22(hi, lo, PIO2_H, PIO2_L);
  const sign = (x < 0 ? -1 : 1) * (negative ? -1 : 1);
  R[0] *= sign;
  R[1] *= sign;
  quadrant = x < 0 ? (4 - n) % 4 : n;
}

/**
 * sin r and cos r of the reduced r = rh + rl (|r| ≤ π/4 + ε) into sinH… cosL: to 2⁻⁶⁶ relative, or
 * 2⁻¹⁰⁰ when `accurate`.
 */
function kernel(rh: number, rl: number, accurate: boolean): void {
  if (accurate) {
    accurateSinCos(rh, rl);
    return;
  }
  const sign = rh < 0 ? -1 : 1;
  const ar = sign * rh;
  const k = Math.round(ar * 64);
  // d = r − k/64 exactly (Sterbenz), with r's low part.
  const dh = ar - k / 64;
  const dl = sign * rl;
  const sa = TSH[k], sal = TSL[k], ca = TCH[k], cal = TCL[k];
  const d = dh + dl;
  const d2 = d * d;
  // sin d − d and cos d − 1 (|d| ≤ 1/128: the series' next terms are below 2⁻⁸⁰).
  const sd = d * d2 * (SH[1] + d2 * (SH[2] + d2 * SH[3]));
  const cd = d2 * (CH[1] + d2 * (CH[2] + d2 * (CH[3] + d2 * CH[4])));
  // sin: sa + ca·dh + [ca·(dl + sd) + sa·cd + sal + cal·d]
  twoProd(ca, dh);
  let ph = R[0], pl = R[1];
  fastTwoSum(sa, ph);
  let h = R[0];
  let l = R[1] + pl + (ca * (dl + sd) + sa * cd + sal + cal * d);
  fastTwoSum(h, l);
  sinH = sign * R[0];
  sinL = sign * R[1];
  // cos: ca − sa·dh + [−sa·(dl + sd) + ca·cd + cal − sal·d]
  twoProd(sa, dh);
  ph = R[0];
  pl = R[1];
  fastTwoSum(ca, -ph);
  h = R[0];
  l = R[1] - pl + (-sa * (dl + sd) + ca * cd + cal - sal * d);
  fastTwoSum(h, l);
  cosH = R[0];
  cosL = R[1];
}

const FAST = 2 ** -64;

/** sin x (which = 0), cos x (1) or tan x (2) at the given accuracy, as a double-double into R. */
function evaluate(x: number, which: 0 | 1 | 2, accurate: boolean): void {
  reduce(x);
  kernel(R[0], R[1], accurate);
  // sin(r + nπ/2) and cos(r + nπ/2) by quadrant.
  const q = quadrant;
  const s = q === 0 ? sinH : q === 1 ? cosH : q === 2 ? -sinH : -cosH;
  const sl = q === 0 ? sinL : q === 1 ? cosL : q === 2 ? -sinL : -cosL;
  const c = q === 0 ? cosH : q === 1 ? -sinH : q === 2 ? -cosH : sinH;
  const cl = q === 0 ? cosL : q === 1 ? -sinL : q === 2 ? -cosL : sinL;
  if (which === 0) {
    R[0] = s;
    R[1] = sl;
  } else if (which === 1) {
    R[0] = c;
    R[1] = cl;
  } else div22(s, sl, c, cl);
}

function rounded(x: number, which: 0 | 1 | 2): number {
  evaluate(x, which, false);
  const y = roundedIfSure(R[0], R[1], which === 2 ? FAST * 4 : FAST);
  if (y === y) return y;
  evaluate(x, which, true);
  return R[0] + R[1];
}

/** sin x, correctly rounded. */
export function sin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  // sin x = x(1 − x²/6 …) rounds to x below 2⁻²⁶.
  if (Math.abs(x) < 1.4901161193847656e-8) return x;
  return rounded(x, 0);
}

/** cos x, correctly rounded. */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 7.450580596923828e-9) return 1;
  return rounded(x, 1);
}

/** tan x, correctly rounded. */
export function tan(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  // tan x = x(1 + x²/3 …) rounds to x below 2⁻²⁷.
  if (Math.abs(x) < 7.450580596923828e-9) return x;
  return rounded(x, 2);
}
