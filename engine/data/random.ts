/**
 * Seeded randomness for shuffles, splits and generators: pure-rand's
 * xoroshiro128+ generator and its unbiased integer and float distributions.
 * The same seed gives the same sequence on every platform.
 */
import { log } from '../math/libm';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export class Rng {
  private readonly generator;
  private spare: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`The seed must be a whole number, got ${seed}`);
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** A whole number in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.generator, from, to);
  }

  /** A number in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** A standard normal deviate (Marsaglia's polar method). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * log(s)) / s);
        this.spare = v * m;
        return u * m;
      }
    }
  }

  /** Fisher–Yates: shuffles `a` in place. */
  shuffle(a: Uint32Array): Uint32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
