/** Adam on Rosenbrock written by hand, the baseline the engine's run loop is measured against. */
import { powInt } from '../../engine/math/libm';

const LR = 0.001;

/**
 * Adam's bias corrections 1 − β₁ᵗ and √(1 − β₂ᵗ), correctly rounded, with the engine's exact shortcut:
 * once 1 − βᵗ has rounded to 1 it stays 1.
 */
export function biasCorrections(b1: number, b2: number): (t: number) => [bc1: number, bc2: number] {
  let bc1Done = false;
  let bc2Done = false;
  return (t) => {
    const bc1: number = bc1Done ? 1 : 1 - powInt(b1, t);
    const bc2sq: number = bc2Done ? 1 : 1 - powInt(b2, t);
    bc1Done = bc1 === 1;
    bc2Done = bc2sq === 1;
    return [bc1, Math.sqrt(bc2sq)];
  };
}

/**
 * The same numbers written by hand: Rosenbrock's value and autograd's gradient (torch's operations
 * in its order) and Adam with correctly rounded bias corrections; it ends on the engine's bits.
 */
export function handWritten(n: number): [number, number] {
  let x = -1.5;
  let y = 2;
  let m0 = 0, m1 = 0, v0 = 0, v1 = 0;
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  let sink = 0;
  const corrections = biasCorrections(b1, b2);
  for (let t = 1; t <= n; t++) {
    const u = 1 - x;
    const w = y - x * x;
    sink += u * u + 100 * (w * w);
    const gw = 100 * (2 * w);
    const gx = -gw * (2 * x) + -(2 * u);
    const gy = gw;
    m0 = m0 * b1 + (1 - b1) * gx;
    m1 = m1 * b1 + (1 - b1) * gy;
    v0 = v0 * b2 + (1 - b2) * gx * gx;
    v1 = v1 * b2 + (1 - b2) * gy * gy;
    const [bc1, bc2] = corrections(t);
    const step = LR / bc1;
    x = x - (step * m0) / (Math.sqrt(v0) / bc2 + eps);
    y = y - (step * m1) / (Math.sqrt(v1) / bc2 + eps);
  }
  if (sink === 42) console.log(sink);
  return [x, y];
}

