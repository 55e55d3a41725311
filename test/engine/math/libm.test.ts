// The engine's elementary functions against the correctly rounded results (mpmath at 320 bits,
// rounded once: test/fixtures/libm/make_libm.py, 800 arguments per function over the ranges a lab
// meets), and at their special values as C99's Annex F defines them. Their agreement with glibc,
// which the fixture also holds, is reported (docs/libm.md has the 20,000-argument measurement).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as M from '../../../engine/math/libm';

type Fn = (...args: number[]) => number;
const parse = (_key: string, v: unknown) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/libm/libm.json', import.meta.url), 'utf8'), parse) as { count: number; functions: Record<string, number[][]> };
const fns = M as unknown as Record<string, Fn>;

describe('the elementary functions', () => {
  it('cover every function the formulas, networks and generators use', () => {
    expect(Object.keys(fixture.functions).sort()).toEqual(['acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'cbrt', 'cos', 'cosh', 'exp', 'expm1', 'hypot', 'log', 'log10', 'log1p', 'log2', 'pow', 'sin', 'sinh', 'tan', 'tanh']);
  });

  for (const [name, rows] of Object.entries(fixture.functions)) {
    it(`rounds ${name} correctly at ${rows.length} arguments`, () => {
      const f = fns[name];
      const arity = rows[0].length - 2;
      let glibc = 0;
      const wrong: string[] = [];
      for (const row of rows) {
        const args = row.slice(0, arity);
        const y = f(...args);
        if (!Object.is(y, row[arity])) wrong.push(`${name}(${args.join(', ')}) = ${y}, correctly rounded ${row[arity]}`);
        if (Object.is(y, row[arity + 1])) glibc++;
      }
      expect(wrong).toEqual([]);
      if (glibc < rows.length) console.log(`${name}: glibc agrees at ${glibc} of ${rows.length}`);
    });
  }

  it('keeps C’s special values and exact results', () => {
    const cases: Array<[string, number[], number]> = [
      ['exp', [0], 1], ['exp', [-Infinity], 0], ['exp', [Infinity], Infinity], ['exp', [710], Infinity], ['exp', [-746], 0],
      ['expm1', [-0], -0], ['expm1', [-Infinity], -1], ['log', [1], 0], ['log', [0], -Infinity], ['log', [-1], NaN],
      ['log2', [1024], 10], ['log2', [2 ** -1074], -1074], ['log10', [1e22], 22], ['log10', [1e-300], -300], ['log1p', [-1], -Infinity], ['log1p', [-0], -0],
      ['sin', [-0], -0], ['sin', [Infinity], NaN], ['cos', [0], 1], ['tan', [-0], -0],
      ['asin', [1], Math.PI / 2], ['asin', [1.0000000000000002], NaN], ['acos', [-1], Math.PI], ['acos', [1], 0], ['atan', [Infinity], Math.PI / 2], ['atan', [-0], -0],
      ['atan2', [0, -0], Math.PI], ['atan2', [-0, -0], -Math.PI], ['atan2', [-0, 0], -0], ['atan2', [Infinity, -Infinity], 2.356194490192345], ['atan2', [1, 0], Math.PI / 2],
      ['sinh', [-0], -0], ['sinh', [711], Infinity], ['cosh', [0], 1], ['cosh', [-711], Infinity], ['tanh', [Infinity], 1], ['tanh', [-20], -1], ['tanh', [-0], -0],
      ['asinh', [-0], -0], ['acosh', [1], 0], ['acosh', [0.5], NaN], ['atanh', [1], Infinity], ['atanh', [-1], -Infinity],
      ['pow', [1, NaN], 1], ['pow', [NaN, 0], 1], ['pow', [-1, Infinity], 1], ['pow', [-1, -Infinity], 1], ['pow', [-0, -3], -Infinity], ['pow', [-0, 3], -0], ['pow', [-0, -2], Infinity],
      ['pow', [-Infinity, 3], -Infinity], ['pow', [-Infinity, -3], -0], ['pow', [-8, 1 / 3], NaN], ['pow', [-2, 3], -8], ['pow', [0.5, Infinity], 0], ['pow', [2, -Infinity], 0],
      ['pow', [10, -5], 1e-5], ['pow', [2, -1074], 5e-324], ['pow', [2, 1024], Infinity], ['pow', [1.0000000001, 1e15], Infinity],
      ['cbrt', [-27], -3], ['cbrt', [-0], -0], ['cbrt', [1e-300], 1e-100], ['hypot', [3, 4], 5], ['hypot', [Infinity, NaN], Infinity], ['hypot', [NaN, 1], NaN], ['hypot', [3e300, 4e300], 5e300],
      ['hypot', [5e-324, 5e-324], 5e-324], ['hypot', [-0, 0], 0],
    ];
    for (const [name, args, expected] of cases) expect(Object.is(fns[name](...args), expected), `${name}(${args.join(', ')}) = ${fns[name](...args)}, not ${expected}`).toBe(true);
  });

  it('gives b^(n+1) after b^n as pow does, for the bias corrections', () => {
    for (const beta of [0.9, 0.999, 0.95, 0.8]) {
      for (let t = 1; t <= 3000; t++) expect(M.powInt(beta, t), `${beta}^${t}`).toBe(M.pow(beta, t));
    }
    for (let t = 1; t <= 2000; t++) expect(M.powReal(0.96, t * 0.004)).toBe(M.pow(0.96, t * 0.004));
  });
});
