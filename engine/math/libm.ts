/**
 * Powers, logarithms, sines and cosines rounded correctly: as torch.optim's
 * Python code gets them from the C library, and the same in every JavaScript
 * engine (Node's V8 and a browser's V8 of another version need not agree on
 * Math.log's last bit; these do, so that a seeded dataset is the same
 * everywhere).
 *
 * torch.optim computes bias corrections, NAdam's momentum schedule and the
 * cosine schedule with Python floats (`1 - beta1 ** step`,
 * `0.96 ** (step * momentum_decay)`, `math.cos(math.pi * k / T_max)`), which
 * call the C library. glibc's pow and cos return the correctly rounded result
 * in all but rare cases (we measured one power in 1,000 rounded the other
 * way); V8's Math.pow and Math.cos are within one unit in the last place but
 * round the other way for about one power in ten and one cosine in twenty-five,
 * enough to move an optimizer's trajectory off PyTorch's bits. These functions
 * compute in double-double arithmetic (about 100 significant bits, each
 * product split exactly by Dekker's algorithm) and round once.
 */

const SPLIT = 134217729; // 2^27 + 1

/** hi + lo = a · b exactly (Dekker's product without fused multiply-add); hi = fl(a · b). */
function twoProduct(a: number, b: number, out: Float64Array): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[0] = p;
  out[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

const scratch = new Float64Array(2);

/** (xh, xl) · (yh, yl) in double-double, into out[0..1], normalized (out[0] = fl(out[0] + out[1])). */
function ddMul(xh: number, xl: number, yh: number, yl: number, out: Float64Array): void {
  twoProduct(xh, yh, scratch);
  const p = scratch[0];
  const e = scratch[1] + (xh * yl + xl * yh);
  const hi = p + e;
  out[0] = hi;
  out[1] = e - (hi - p);
}

/** (xh, xl) + (yh, yl) in double-double. */
function ddAdd(xh: number, xl: number, yh: number, yl: number, out: Float64Array): void {
  const s = xh + yh;
  const v = s - xh;
  const e = xh - (s - v) + (yh - v) + xl + yl;
  const hi = s + e;
  out[0] = hi;
  out[1] = e - (hi - s);
}

const acc = new Float64Array(2);
const sq = new Float64Array(2);

/** The last few powers asked for, as double-double, so that b^(n+1) after b^n costs one product. */
const recent = { base: new Float64Array(4), exponent: new Float64Array(4).fill(-1), hi: new Float64Array(4), lo: new Float64Array(4), next: 0 };
/** Up to this exponent a power may be built step by step: its error stays below 2⁻⁸⁸ of the result. */
const INCREMENTAL_LIMIT = 65536;

/** b^n for a whole number n ≥ 0, correctly rounded (but for results within 2⁻⁸⁸ of a rounding boundary). */
export function powInt(b: number, n: number): number {
  if (!(n >= 0 && Number.isInteger(n)) || !Number.isFinite(b) || b === 0) return Math.pow(b, n);
  let slot = -1;
  for (let i = 0; i < 4; i++) if (recent.base[i] === b && recent.exponent[i] === n - 1) slot = i;
  let rh: number, rl: number;
  if (slot >= 0 && n <= INCREMENTAL_LIMIT) {
    ddMul(recent.hi[slot], recent.lo[slot], b, 0, acc);
    rh = acc[0];
    rl = acc[1];
  } else {
    rh = 1;
    rl = 0;
    let bh = b, bl = 0;
    let k = n;
    while (k > 0) {
      if (k % 2 === 1) {
        ddMul(rh, rl, bh, bl, acc);
        rh = acc[0];
        rl = acc[1];
      }
      k = Math.floor(k / 2);
      if (k > 0) {
        ddMul(bh, bl, bh, bl, sq);
        bh = sq[0];
        bl = sq[1];
      }
      // Past the double range the product is 0 or Infinity either way; stop before its parts lose meaning.
      if (!(Math.abs(rh) > 1e-290 && Math.abs(rh) < 1e290 && Math.abs(bh) > 1e-290 && Math.abs(bh) < 1e290)) return Math.pow(b, n);
    }
    slot = recent.next;
    recent.next = (recent.next + 1) % 4;
  }
  if (!(Math.abs(rh) > 1e-290 && Math.abs(rh) < 1e290)) return Math.pow(b, n);
  recent.base[slot] = b;
  recent.exponent[slot] = n;
  recent.hi[slot] = rh;
  recent.lo[slot] = rl;
  return rh + rl;
}

const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const exp = new Float64Array(2);
const term = new Float64Array(2);

/** 1/n! for n = 0 … 10 in double-double, highest first, for Horner's scheme. */
const INVERSE_FACTORIALS: Array<[number, number]> = (() => {
  const out: Array<[number, number]> = [];
  let h = 1, l = 0;
  for (let n = 0; n <= 10; n++) {
    if (n > 0) {
      // (h, l) / n: one double-double division by a small integer.
      const q = h / n;
      twoProduct(q, n, acc);
      const rem = (h - acc[0] - acc[1] + l) / n;
      h = q + rem;
      l = rem - (h - q);
    }
    out.push([h, l]);
  }
  return out.reverse();
})();

/** e^(zh + zl) in double-double, into out, for |z| < 700. */
function ddExp(zh: number, zl: number, out: Float64Array): void {
  const k = Math.round(zh / LN2_HI);
  // r = (z − k·ln 2) / 256, |r| < 0.0014, where ten terms of the series reach 2⁻¹⁰⁶; then square 8 times.
  twoProduct(k, LN2_HI, term);
  ddAdd(zh, zl, -term[0], -term[1] - k * LN2_LO, exp);
  const rh = exp[0] / 256;
  const rl = exp[1] / 256;
  let sh = INVERSE_FACTORIALS[0][0], sl = INVERSE_FACTORIALS[0][1];
  for (let i = 1; i < INVERSE_FACTORIALS.length; i++) {
    ddMul(sh, sl, rh, rl, acc);
    ddAdd(acc[0], acc[1], INVERSE_FACTORIALS[i][0], INVERSE_FACTORIALS[i][1], acc);
    sh = acc[0];
    sl = acc[1];
  }
  for (let i = 0; i < 8; i++) {
    ddMul(sh, sl, sh, sl, acc);
    sh = acc[0];
    sl = acc[1];
  }
  const scale = Math.pow(2, k);
  out[0] = sh * scale;
  out[1] = sl * scale;
}

/** ln b in double-double, for b > 0: Math.log refined by one Newton step on e^x = b. */
function ddLog(b: number, out: Float64Array): void {
  const x = Math.log(b);
  ddExp(-x, 0, out);
  // x + (b·e^(−x) − 1)
  ddMul(out[0], out[1], b, 0, acc);
  ddAdd(acc[0], acc[1], -1, 0, acc);
  ddAdd(x, 0, acc[0], acc[1], out);
}

const logs = new Map<number, [number, number]>();
const lnb = new Float64Array(2);

/** b^y for b > 0 and a finite y with |y·ln b| < 700, correctly rounded (but for results within 2⁻⁹⁰ of a rounding boundary). */
export function powReal(b: number, y: number): number {
  if (!(b > 0) || !Number.isFinite(b) || !Number.isFinite(y)) return Math.pow(b, y);
  if (y === 0) return 1;
  let ln = logs.get(b);
  if (!ln) {
    ddLog(b, lnb);
    ln = [lnb[0], lnb[1]];
    if (logs.size < 64) logs.set(b, ln);
  }
  ddMul(ln[0], ln[1], y, 0, term);
  if (!(Math.abs(term[0]) < 700)) return Math.pow(b, y);
  ddExp(term[0], term[1], exp);
  return exp[0] + exp[1];
}

/** π/2 as the sum of three doubles. */
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;
/** (−1)^k / (2k)! and (−1)^k / (2k + 1)! for k = 0 … 13, highest first, in double-double. */
const COS_TERMS: Array<[number, number]> = [];
const SIN_TERMS: Array<[number, number]> = [];
{
  let h = 1, l = 0;
  for (let n = 0; n <= 27; n++) {
    if (n > 0) {
      const q = h / n;
      twoProduct(q, n, acc);
      const rem = (h - acc[0] - acc[1] + l) / n;
      h = q + rem;
      l = rem - (h - q);
    }
    const sign = Math.floor(n / 2) % 2 === 0 ? 1 : -1;
    (n % 2 === 0 ? COS_TERMS : SIN_TERMS).push([sign * h, sign * l]);
  }
  COS_TERMS.reverse();
  SIN_TERMS.reverse();
}

/** Σ terms · r^(2k) by Horner's scheme in double-double, r² = (qh, ql). */
function series(terms: Array<[number, number]>, qh: number, ql: number, out: Float64Array): void {
  let sh = terms[0][0], sl = terms[0][1];
  for (let i = 1; i < terms.length; i++) {
    ddMul(sh, sl, qh, ql, out);
    ddAdd(out[0], out[1], terms[i][0], terms[i][1], out);
    sh = out[0];
    sl = out[1];
  }
}

const reduced = new Float64Array(2);
const rr = new Float64Array(2);

/** ln x, correctly rounded (but for results within 2⁻⁹⁰ of a rounding boundary), for positive normal x. */
export function log(x: number): number {
  if (!(x >= 2.2250738585072014e-308) || x === Infinity) return Math.log(x);
  if (x === 1) return 0;
  ddLog(x, lnb);
  return lnb[0] + lnb[1];
}

/** sin x, correctly rounded (but for results within 2⁻⁹⁰ of a rounding boundary), for |x| < 2²⁰. */
export function sin(x: number): number {
  if (x === 0) return x;
  return sinCos(x, 1);
}

/** cos x, correctly rounded (but for results within 2⁻⁹⁰ of a rounding boundary), for |x| < 2²⁰. */
export function cos(x: number): number {
  return sinCos(x, 0);
}

/** cos x (shift 0) or sin x = cos(x − π/2) (shift 1). */
function sinCos(x: number, shift: 0 | 1): number {
  if (!(Math.abs(x) < 1048576)) return shift ? Math.sin(x) : Math.cos(x);
  // x − n·π/2 in double-double, with π/2 in three parts; n·PIO2_1 is exact as a double-double.
  const n = Math.round(x / PIO2_1);
  twoProduct(n, PIO2_1, term);
  ddAdd(x, 0, -term[0], -term[1], reduced);
  twoProduct(n, PIO2_2, term);
  ddAdd(reduced[0], reduced[1], -term[0], -term[1] - n * PIO2_3, reduced);
  const rh = reduced[0], rl = reduced[1];
  ddMul(rh, rl, rh, rl, rr);
  const quadrant = (((n - shift) % 4) + 4) % 4;
  if (quadrant % 2 === 0) {
    series(COS_TERMS, rr[0], rr[1], exp);
    return quadrant === 0 ? exp[0] + exp[1] : -(exp[0] + exp[1]);
  }
  series(SIN_TERMS, rr[0], rr[1], exp);
  ddMul(exp[0], exp[1], rh, rl, exp);
  return quadrant === 1 ? -(exp[0] + exp[1]) : exp[0] + exp[1];
}
