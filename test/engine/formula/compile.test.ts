import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFormula } from '../../../engine/formula/compile';
import { generateSource } from '../../../engine/formula/backends';
import { checkGradient } from '../../../engine/formula/check';
import { FUNCTIONS } from '../../../engine/formula/functions';
import { ProgramBuilder } from '../../../engine/formula/ir';
import { parseFormula } from '../../../engine/formula/parse';
import { gradientNodes } from '../../../engine/formula/derivative';

function at(formula: ReturnType<typeof compileFormula>, point: number[]) {
  const g = new Float64Array(point.length);
  const value = formula.valueAndGradient(Float64Array.from(point), g);
  return { value, gradient: Array.from(g) };
}

describe('the tutorial’s examples', () => {
  it('5x² has derivative 10x: 10 at x = 1', () => {
    const f = compileFormula('5*x^2');
    expect(f.gradientExprs).toEqual(['10 * x']);
    expect(at(f, [1])).toEqual({ value: 5, gradient: [10] });
  });

  it('2x² + 6z² + 7m³ has gradient [4x, 12z, 21m²]: [4, 12, 21] at [1, 1, 1]', () => {
    const f = compileFormula('2x^2 + 6z^2 + 7m^3');
    expect(f.vars).toEqual(['x', 'z', 'm']);
    expect(f.gradientExprs).toEqual(['4 * x', '12 * z', '21 * m ^ 2']);
    expect(at(f, [1, 1, 1])).toEqual({ value: 15, gradient: [4, 12, 21] });
    expect(at(f, [2, -1, 0.5]).gradient).toEqual([8, -12, 21 * 0.25]);
  });
});

describe('gradients against hand derivations', () => {
  it.each([
    ['(1 - x)^2 + 100*(y - x^2)^2', [-1.5, 2], [-2 * (1 - -1.5) - 400 * -1.5 * (2 - 2.25), 200 * (2 - 2.25)]],
    ['x*y*z', [2, 3, 5], [15, 10, 6]],
    ['sin(x)*cos(y)', [0.3, 0.7], [Math.cos(0.3) * Math.cos(0.7), -Math.sin(0.3) * Math.sin(0.7)]],
    ['exp(-x^2)', [0.5], [-2 * 0.5 * Math.exp(-0.25)]],
    ['log(x, 2)', [8], [1 / (8 * Math.log(2))]],
    ['abs(x)', [-3], [-1]],
    ['abs(x)', [0], [0]],
    ['min(x, y)', [1, 2], [1, 0]],
    ['max(x, y)', [1, 2], [0, 1]],
    ['atan2(y, x)', [1, 1], [0.5, -0.5]], // variables in order of appearance: y, x
    ['hypot(x, y)', [3, 4], [0.6, 0.8]],
    ['cbrt(x)', [-8], [1 / 12]],
    ['sigmoid(x)', [0], [0.25]],
    ['softplus(x)', [0], [0.5]],
    ['log2(x) + log10(y) + log1p(z) + expm1(w)', [2, 10, 1, 0], [1 / (2 * Math.log(2)), 1 / (10 * Math.log(10)), 0.5, 1]],
    ['x^y', [2, 3], [3 * 4, 8 * Math.log(2)]],
    ['sign(x) * 3', [-2], [0]],
  ])('∇(%s) at %j', (text, point, expected) => {
    const { gradient } = at(compileFormula(text), point);
    gradient.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 12));
  });

  it('every whitelisted function’s derivative agrees with central differences', () => {
    const domainSafe: Record<string, string> = {
      acosh: 'acosh(1.5 + x^2)', atanh: 'atanh(0.5*sin(x))', asin: 'asin(0.5*sin(x))', acos: 'acos(0.5*sin(x))',
      log: 'log(2 + x^2) + log(3 + x^2, 2 + y^2)', log10: 'log10(2 + x^2)', log2: 'log2(2 + x^2)', log1p: 'log1p(x^2)', sqrt: 'sqrt(2 + x^2)',
      atan2: 'atan2(y, x)', asec: 'asec(2 + x^2)', acsc: 'acsc(2 + x^2)', acoth: 'acoth(2 + x^2)', asech: 'asech(0.5 * sin(x)^2 + 0.2)',
      acsch: 'acsch(2 + x^2)', csch: 'csch(2 + x^2)', coth: 'coth(2 + x^2)', hypot: 'hypot(x, y, 1)', min: 'min(x, y)', max: 'max(x, y)', sec: 'sec(0.5*x)', csc: 'csc(1 + 0.2*x)', cot: 'cot(1 + 0.2*x)',
    };
    for (const name of Object.keys(FUNCTIONS)) {
      const text = domainSafe[name] ?? `${name}(x * y + 0.3)`;
      const f = compileFormula(text, { vars: ['x', 'y'] });
      for (const point of [[0.7, 1.3], [-0.4, 0.9], [1.9, -0.6]]) {
        const check = checkGradient(f, point);
        expect(check.maxRelativeError, `${text} at ${point}`).toBeLessThan(1e-6);
      }
    }
  });

  it('the Hessian of a quadratic form is its constant matrix', () => {
    const f = compileFormula('3*x^2 + 2*x*y + 5*y^2 - x');
    const H = new Float64Array(4);
    f.hessian(Float64Array.from([0.3, -7]), H);
    expect(Array.from(H)).toEqual([6, 2, 2, 10]);
  });

  it('the Hessian of Rosenbrock matches its hand derivation', () => {
    const f = compileFormula('(1 - x)^2 + 100*(y - x^2)^2');
    const H = new Float64Array(4);
    const [x, y] = [0.5, 2];
    f.hessian(Float64Array.from([x, y]), H);
    expect(Array.from(H)).toEqual([2 - 400 * (y - x * x) + 800 * x * x, -400 * x, -400 * x, 200]);
  });
});

describe('the two backends', () => {
  const formulas = [
    '(1 - x)^2 + 100*(y - x^2)^2',
    '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2',
    '-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20',
    'abs(x - y) + min(x, y)^2 + max(x*y, 1) + atan2(y, x) + hypot(x, y) + sigmoid(x) * softplus(y)',
    'x^y + log(x^2 + 1, 3) + cbrt(x*y) + sign(y) * tanh(x)',
  ];

  it('agree exactly, value and gradient, at random points', () => {
    const compiled = formulas.map((text) => [compileFormula(text, { backend: 'generated' }), compileFormula(text, { backend: 'closure' })] as const);
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (x, y) => {
        for (const [gen, clo] of compiled) {
          const g1 = new Float64Array(2);
          const g2 = new Float64Array(2);
          const p = Float64Array.from([x, y]);
          expect(Object.is(gen.valueAndGradient(p, g1), clo.valueAndGradient(p, g2))).toBe(true);
          expect(Array.from(g1).map(String)).toEqual(Array.from(g2).map(String));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('generated code contains no text from the formula: variables are p[i], functions F[k]', () => {
    const text = 'constructor * alert + sin(process) + toString^2';
    const parsed = parseFormula(text);
    const builder = new ProgramBuilder(parsed.vars);
    const value = builder.add(parsed.tree);
    const grads = gradientNodes(parsed.tree, parsed.vars).map((g) => builder.add(g));
    const source = generateSource(builder.program(), { valueRoot: value, outputs: grads });
    for (const name of parsed.vars) expect(source).not.toContain(name);
    expect(source).not.toContain('sin');
    expect(source).toMatch(/p\[0\]/);
    expect(at(compileFormula(text), [2, 3, 0, 1]).value).toBe(2 * 3 + Math.sin(0) + 1);
  });

  it('shares common subexpressions between the value and the gradient', () => {
    const parsed = parseFormula('(1 - x)^2 + 100*(y - x^2)^2');
    const builder = new ProgramBuilder(parsed.vars);
    builder.add(parsed.tree);
    const before = builder.instructions.length;
    gradientNodes(parsed.tree, parsed.vars).forEach((g) => builder.add(g));
    // the gradient re-uses x, y, x², y − x², 1 − x: it adds fewer instructions than the value had
    expect(builder.instructions.length - before).toBeLessThan(before);
  });
});

describe('domain trouble gives NaN or Infinity, not an exception', () => {
  it.each([
    ['log(x)', [-1]],
    ['sqrt(x)', [-4]],
    ['1/x', [0]],
    ['x^0.5', [-2]],
  ])('%s at %j', (text, point) => {
    const { value } = at(compileFormula(text), point);
    expect(Number.isFinite(value)).toBe(false);
  });
});

describe('display', () => {
  it('gives TeX for the formula and each partial', () => {
    const f = compileFormula('2*x^2 + 6*z^2 + 7*m^3');
    expect(f.gradientTex).toEqual(['4\\cdot x', '12\\cdot z', '21\\cdot{ m}^{2}']);
    expect(f.tex).toContain('{ x}^{2}');
  });

  it('shows the derivative of min as a conditional that splits a tie, as the gradient does', () => {
    expect(compileFormula('min(x, y)').gradientExprs).toEqual(['(x <= y ? (y <= x ? 0.5 : 1) : 0)', '(x <= y ? (y <= x ? 0.5 : 0) : 1)']);
  });

  it('shows no rewrite that holds only for positive bases', () => {
    // mathjs would show 3 x², whose sign is wrong for negative x.
    expect(compileFormula('(x^2)^1.5').gradientExprs).toEqual(['1.5 * 2 * x * (x ^ 2) ^ 0.5']);
    expect(compileFormula('(1 - x)^2 + 100*(y - x^2)^2').gradientExprs).toEqual(['-(2 * (1 - x)) - 400 * (x * y - x ^ 3)', '200 * (y - x ^ 2)']);
  });
});
