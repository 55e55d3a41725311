// Formula strings, random and hostile: the compiler either returns a working objective or refuses with
// a FormulaError that has a position; never another exception, never a hang.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFormula } from '../../engine/formula/compile';
import { FormulaError, MAX_FORMULA_LENGTH } from '../../engine/formula/parse';

/** Cases per property; about 4,000 formulas in all, a few seconds here. */
export const FORMULA_RUNS = { grammar: 1500, unicode: 1000, mutations: 1000 };

function check(text: string): 'compiled' | 'refused' {
  const started = performance.now();
  try {
    const f = compileFormula(text);
    const p = Float64Array.from(f.vars, (_, i) => 0.3 + 0.1 * i);
    const g = new Float64Array(f.vars.length);
    const value = f.valueAndGradient(p, g);
    expect(typeof value).toBe('number');
    expect(f.value(p)).toBe(Number.isNaN(value) ? f.value(p) : value);
    return 'compiled';
  } catch (error) {
    if (!(error instanceof FormulaError)) throw new Error(`${JSON.stringify(text.slice(0, 200))} threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    expect(Number.isInteger(error.column)).toBe(true);
    expect(error.column).toBeGreaterThanOrEqual(0);
    expect(error.column).toBeLessThanOrEqual(text.length + 1);
    expect(error.message.length).toBeGreaterThan(10);
    return 'refused';
  } finally {
    // No single formula may take long: the engine would stall on it.
    expect(performance.now() - started).toBeLessThan(5000);
  }
}

const token = fc.oneof(
  fc.constantFrom('x', 'y', 'z', 'x1', 'w_2', 'π', 'pi', 'e', 'i', 'Infinity', 'NaN', 'true', 'null', 'undefined', '__proto__', 'constructor'),
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom('+', '-', '*', '/', '^', '%', '!', "'", '.*', './', '==', '<', '>', '&', '|', 'and', 'or', 'not', 'mod', 'to', 'in', '?', ':', ',', ';', '=', '->'),
  fc.constantFrom('(', ')', '[', ']', '{', '}', '"', "'a'", ' ', '\n', '\t'),
  fc.constantFrom('sin(', 'cos(', 'log(', 'log(x, ', 'sqrt(', 'atan2(', 'hypot(', 'min(', 'max(', 'sigmoid(', 'abs(', 'exp(', 'pow(', 'cbrt('),
  fc.constantFrom('sine(', 'import(', 'evaluate(', 'parse(', 'simplify(', 'derivative(', 'createUnit(', 'f(x) = ', 'x = ', 'a.b', 'x[1]', 'matrix(', 'cm', '5 kg', 'det(', 'map(', 'typed(', 'eval('),
);

const formula = fc.array(token, { maxLength: 40 }).map((parts) => parts.join(''));

const KNOWN = ['(1 - x)^2 + 100*(y - x^2)^2', '2x^2 + 6z^2 + 7m^3', 'sin(x)*cos(y) + log(1 + x^2)', 'atan2(y, x) + hypot(x, y, 1)', 'min(x, y)^2 + max(x, 0)', 'sigmoid(3x - y) * softplus(y)', 'abs(x) + sign(y) * cbrt(x*y)'];

function mutate(text: string, edits: Array<{ at: number; kind: number; char: string }>): string {
  let s = text;
  for (const { at, kind, char } of edits) {
    const i = s.length ? at % s.length : 0;
    if (kind === 0) s = s.slice(0, i) + char + s.slice(i);
    else if (kind === 1) s = s.slice(0, i) + s.slice(i + 1);
    else s = s.slice(0, i) + char + s.slice(i + 1);
  }
  return s;
}

describe('formula fuzzing', () => {
  it(`compiles or refuses with a position: ${FORMULA_RUNS.grammar} formulas built from mathjs syntax, in and outside the whitelist`, () => {
    const seen = { compiled: 0, refused: 0 };
    fc.assert(fc.property(formula, (text) => void seen[check(text)]++), { numRuns: FORMULA_RUNS.grammar });
    // The generator reaches both outcomes.
    expect(seen.compiled).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(200);
  });

  it(`never crashes on ${FORMULA_RUNS.unicode} random Unicode strings`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => void check(text)), { numRuns: FORMULA_RUNS.unicode });
  });

  it(`never crashes on ${FORMULA_RUNS.mutations} mutations of working formulas`, () => {
    const edit = fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 2 }), char: fc.constantFrom('(', ')', '^', '*', ',', 'x', '.', ' ', '[', '=', '"', '\u0000', 'é', '𝑥', '9e999') });
    fc.assert(fc.property(fc.constantFrom(...KNOWN), fc.array(edit, { minLength: 1, maxLength: 6 }), (text, edits) => void check(mutate(text, edits))), { numRuns: FORMULA_RUNS.mutations });
  });

  it.each([
    ['5,000 nested parentheses', '('.repeat(5000) + 'x' + ')'.repeat(5000)],
    ['a power tower of 3,000', Array(3000).fill('x').join('^')],
    ['5,000 unary minuses', '-'.repeat(5000) + 'x'],
    ['a power tower of 40 (an exploding derivative)', Array(40).fill('x').join('^')],
    ['exp nested 60 deep (exponential TeX)', 'exp('.repeat(60) + 'x' + ')'.repeat(60)],
    ['sin(cos(…)) 100 deep', 'sin(cos('.repeat(50) + 'x*y' + '))'.repeat(50)],
    ['a product of 200 factors', Array.from({ length: 200 }, (_, i) => `(x+${i}*y)`).join('*')],
    ['a formula one character over the limit', 'x+'.repeat(MAX_FORMULA_LENGTH / 2) + 'x'],
    ['only whitespace', ' \n\t '],
    ['a lone surrogate', 'x + \ud800'],
  ])('handles %s', (_what, text) => {
    expect(['compiled', 'refused']).toContain(check(text));
  });
});
