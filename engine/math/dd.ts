/**
 * Double-double arithmetic: a number as the unevaluated sum hi + lo of two
 * doubles, |lo| ≤ ulp(hi)/2, about 106 significant bits. Every operation uses
 * only IEEE additions, multiplications, divisions and square roots, which every
 * JavaScript engine rounds the same way, so the results are the same bits
 * everywhere. Products are split exactly by Dekker's algorithm (JavaScript has
 * no fused multiply-add). The algorithms are the classic ones of Dekker (1971)
 * and Knuth; their error bounds are those proved by Joldes, Muller and Popescu
 * ("Tight and rigorous error bounds for basic building blocks of double-word
 * arithmetic", 2017).
 *
 * Results go to the shared pair `R` (R[0] = hi, R[1] = lo): read them into
 * locals at once, before the next operation.
 */

export const R = new Float64Array(2);

const SPLITTER = 134217729; // 2^27 + 1

/** a + b = R[0] + R[1] exactly. */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  R[0] = s;
  R[1] = a - (s - bb) + (b - bb);
}

/** a + b = R[0] + R[1] exactly, for |a| ≥ |b| (or a = 0). */
export function fastTwoSum(a: number, b: number): void {
  const s = a + b;
  R[0] = s;
  R[1] = b - (s - a);
}

/** a · b = R[0] + R[1] exactly (unless the product over- or underflows). */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  R[0] = p;
  R[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah + al) + (bh + bl), relative error below 3·2⁻¹⁰⁶. */
export function add22(ah: number, al: number, bh: number, bl: number): void {
  let s = ah + bh;
  let v = s - ah;
  const se = ah - (s - v) + (bh - v);
  const t = al + bl;
  v = t - al;
  const te = al - (t - v) + (bl - v);
  let c = se + t;
  const h = s + c;
  c = c - (h - s);
  c += te;
  s = h + c;
  R[0] = s;
  R[1] = c - (s - h);
}

/** (ah + al) + b, relative error below 2·2⁻¹⁰⁶. */
export function add21(ah: number, al: number, b: number): void {
  const s = ah + b;
  const v = s - ah;
  const e = ah - (s - v) + (b - v) + al;
  const h = s + e;
  R[0] = h;
  R[1] = e - (h - s);
}

/** (ah + al) · (bh + bl), relative error below 5·2⁻¹⁰⁶. */
export function mul22(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = R[0];
  const e = R[1] + (ah * bl + al * bh);
  const h = p + e;
  R[0] = h;
  R[1] = e - (h - p);
}

/** (ah + al) · b, relative error below 2·2⁻¹⁰⁶. */
export function mul21(ah: number, al: number, b: number): void {
  twoProd(ah, b);
  const p = R[0];
  const e = R[1] + al * b;
  const h = p + e;
  R[0] = h;
  R[1] = e - (h - p);
}

/** (ah + al) / (bh + bl), relative error below 10·2⁻¹⁰⁶. */
export function div22(ah: number, al: number, bh: number, bl: number): void {
  const q = ah / bh;
  // (a − q·b) / b as the correction: q·b exactly.
  mul21(bh, bl, q);
  const ph = R[0], pl = R[1];
  twoSum(ah, -ph);
  const d = R[0] + (R[1] + al - pl);
  const c = d / bh;
  const h = q + c;
  R[0] = h;
  R[1] = c - (h - q);
}

/** √(ah + al) for ah > 0, relative error below 4·2⁻¹⁰⁶. */
export function sqrt22(ah: number, al: number): void {
  const s = Math.sqrt(ah);
  twoProd(s, s);
  const e = (ah - R[0] - R[1] + al) / (2 * s);
  const h = s + e;
  R[0] = h;
  R[1] = e - (h - s);
}

/** 1/n! and friends: (h + l) / n for a small whole n, into R. */
export function divInt(h: number, l: number, n: number): void {
  const q = h / n;
  twoProd(q, n);
  const rem = (h - R[0] - R[1] + l) / n;
  const s = q + rem;
  R[0] = s;
  R[1] = rem - (s - q);
}

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for a whole k in [−1022, 1023], exactly. */
export function pow2(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** The exponent e of a finite x ≠ 0 with 2^e ≤ |x| < 2^(e+1) (subnormals included). */
export function exponentOf(x: number): number {
  bits.setFloat64(0, x);
  const e = (bits.getUint32(0) >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  // A subnormal: scale it into the normal range first.
  bits.setFloat64(0, x * 18014398509481984); // 2^54
  return ((bits.getUint32(0) >>> 20) & 0x7ff) - 1023 - 54;
}

/** x · 2^k, exactly where the result is a normal double (k of any size, in steps that stay exact). */
export function scale2(x: number, k: number): number {
  let y = x;
  let n = k;
  while (n > 1023) {
    y *= pow2(1023);
    n -= 1023;
  }
  while (n < -1022) {
    y *= pow2(-1022);
    n += 1022;
  }
  return y * pow2(n);
}

/** 2^52: adding and taking it away rounds a double in [0, 2^52) to a whole number, ties to even. */
const ROUNDER = 4503599627370496;

/**
 * (h + l) · 2^k rounded once to the nearest double (ties to even), also where
 * the result is subnormal or overflows, for a normalized pair (|l| ≤ ulp(h)/2).
 */
export function roundScaled(h: number, l: number, k: number): number {
  if (h === 0 || !Number.isFinite(h)) return h * pow2(Math.max(-1022, Math.min(1023, k)));
  const e = exponentOf(h) + k;
  if (e >= -1022) {
    // A normal result: h + l rounds correctly as it is, and scaling by a power of two is exact
    // (or overflows to ±Infinity, the correct rounding beyond the largest double).
    return scale2(h + l, k);
  }
  // A subnormal result: a whole number of units of 2^-1074, rounded from the exact h + l.
  const shift = k + 1074;
  const sign = h < 0 ? -1 : 1;
  const vh = scale2(sign * h, shift);
  const vl = scale2(sign * l, shift);
  let n = vh + ROUNDER - ROUNDER;
  const rest = vh - n + vl;
  if (rest > 0.5 || (rest === 0.5 && n % 2 !== 0)) n += 1;
  else if (rest < -0.5 || (rest === -0.5 && n % 2 !== 0)) n -= 1;
  return sign * n * 4.9406564584124654e-324;
}

/**
 * Ziv's rounding test: given hi + lo (normalized) within `bound` (relative) of the exact value, the
 * correctly rounded result when every number that close rounds to the same double, else NaN.
 */
export function roundedIfSure(hi: number, lo: number, bound: number): number {
  const e = Math.abs(hi) * bound;
  const up = hi + (lo + e);
  return up === hi + (lo - e) ? up : NaN;
}
