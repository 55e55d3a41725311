/**
 * The elementary functions every run, query and generator of the engine uses:
 * the project's own, correctly rounded (but for results within about 2⁻⁹⁰ of a
 * rounding boundary) and so the same bits in Node, Chromium and Electron on
 * every system, and the same as glibc's (and so PyTorch's on Linux) wherever
 * glibc rounds correctly. docs/libm.md measures each against glibc and gives
 * its cost.
 *
 * powInt and powReal serve the optimizers and schedules (torch.optim computes
 * `beta ** step` and `0.96 ** (step * momentum_decay)` with Python floats, that
 * is with the C library's pow): the same correctly rounded powers, a power after
 * the one before it costing one product.
 */
import { R, mul22, roundScaled } from './dd';
import { expCore } from './exp';
import { logDD } from './log';
import { pow } from './pow';

export { exp, expm1 } from './exp';
export { log, log1p, log2, log10 } from './log';
export { sin, cos, tan } from './trig';
export { atan, atan2, asin, acos } from './atan';
export { sinh, cosh, tanh, asinh, acosh, atanh } from './hyper';
export { pow, cbrt, hypot } from './pow';

/** The last few powers asked for, as double-doubles, so that b^(n+1) after b^n costs one product. */
const recent = { base: new Float64Array(4), exponent: new Float64Array(4).fill(-1), hi: new Float64Array(4), lo: new Float64Array(4), next: 0 };
/** Up to this exponent a power may be built step by step: its error stays below 2⁻⁸⁸ of the result. */
const INCREMENTAL_LIMIT = 65536;

/** b^n for a whole number n ≥ 0, correctly rounded; b^(n+1) right after b^n costs one product. */
export function powInt(b: number, n: number): number {
  if (!(n >= 0 && n <= INCREMENTAL_LIMIT && Number.isInteger(n)) || !Number.isFinite(b) || b === 0) return pow(b, n);
  let slot = -1;
  for (let i = 0; i < 4; i++) if (recent.base[i] === b && recent.exponent[i] === n - 1) slot = i;
  if (slot < 0) {
    const v = pow(b, n);
    // Kept only while the product stays well inside the doubles (its parts keep their meaning).
    if (!(Math.abs(v) > 1e-290 && Math.abs(v) < 1e290)) return v;
    // The power as a double-double for the next one: b^n from pow's own reduction is not kept, so
    // it is formed once by repeated squaring here (n ≤ 65536: 32 products, error below 2⁻⁹⁸).
    let rh = 1, rl = 0, bh = b, bl = 0, k = n;
    while (k > 0) {
      if (k % 2 === 1) {
        mul22(rh, rl, bh, bl);
        rh = R[0];
        rl = R[1];
      }
      k = Math.floor(k / 2);
      if (k > 0) {
        mul22(bh, bl, bh, bl);
        bh = R[0];
        bl = R[1];
      }
    }
    slot = recent.next;
    recent.next = (recent.next + 1) % 4;
    recent.base[slot] = b;
    recent.exponent[slot] = n;
    recent.hi[slot] = rh;
    recent.lo[slot] = rl;
    return v;
  }
  mul22(recent.hi[slot], recent.lo[slot], b, 0);
  const rh = R[0], rl = R[1];
  if (!(Math.abs(rh) > 1e-290 && Math.abs(rh) < 1e290)) {
    recent.exponent[slot] = -1;
    return pow(b, n);
  }
  recent.exponent[slot] = n;
  recent.hi[slot] = rh;
  recent.lo[slot] = rl;
  return rh + rl;
}

/** ln b of the last bases asked for, as double-doubles. */
const logs = new Map<number, [number, number]>();

/** b^y for b > 0, correctly rounded, ln b kept for the next power of the same base. */
export function powReal(b: number, y: number): number {
  if (!(b > 0) || !Number.isFinite(b) || !Number.isFinite(y) || y === 0 || b === 1) return pow(b, y);
  let ln = logs.get(b);
  if (!ln) {
    logDD(b, 0, true);
    ln = [R[0], R[1]];
    if (logs.size < 64) logs.set(b, ln);
  }
  mul22(ln[0], ln[1], y, 0);
  const zh = R[0], zl = R[1];
  if (!(Math.abs(zh) < 700)) return pow(b, y);
  const k = expCore(zh, zl, true);
  return roundScaled(R[0], R[1], k);
}
