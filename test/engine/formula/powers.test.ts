// Powers at their edges against PyTorch (test/fixtures/autograd/make_powers.py): torch.pow of numbers
// where C's pow and JavaScript's Math.pow disagree (pow(1, NaN) = 1, pow(−1, ±∞) = 1, pow(NaN, 0) = 1),
// and formulas through them, value and autograd gradient to the bit, ±0 included.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pow } from '../../../engine/math/libm';
import { compileFormula } from '../../../engine/formula/compile';

const parse = (v: number | string): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === '-0' ? -0 : (v as number));
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/autograd/powers.json', import.meta.url), 'utf8')) as {
  pairs: Array<[number | string, number | string, number | string]>;
  formulas: Array<{ expr: string; at: number[]; value: number | string; gradient: Array<number | string> }>;
};

describe('powers as C and torch compute them', () => {
  it('gives torch.pow’s result for every pair of edge cases, ±0 included', () => {
    expect(fixture.pairs.length).toBe(121);
    for (const [b, e, expected] of fixture.pairs) {
      expect(Object.is(pow(parse(b), parse(e)), parse(expected)), `pow(${b}, ${e}) = ${expected}`).toBe(true);
    }
    // Where JavaScript's own pow differs, for the record: pow(1, NaN), pow(±1, ±∞).
    expect(Math.pow(1, NaN)).toBeNaN();
    expect(pow(1, NaN)).toBe(1);
  });

  it('gives autograd’s value and gradient for formulas through those edges', () => {
    for (const f of fixture.formulas) {
      const compiled = compileFormula(f.expr);
      const g = new Float64Array(f.at.length);
      const value = compiled.valueAndGradient(Float64Array.from(f.at), g);
      expect(Object.is(value, parse(f.value)), `${f.expr} at ${f.at}: ${value}`).toBe(true);
      f.gradient.forEach((expected, i) => expect(Object.is(g[i], parse(expected)), `${f.expr} at ${f.at}: ∂${i} = ${g[i]}, autograd ${expected}`).toBe(true));
    }
  });
});
