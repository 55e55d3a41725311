import { describe, expect, it } from 'vitest';
import { FormulaError, parseFormula } from '../../../engine/formula/parse';

function refusal(text: string, vars?: string[]): FormulaError {
  try {
    parseFormula(text, { vars });
  } catch (error) {
    expect(error).toBeInstanceOf(FormulaError);
    return error as FormulaError;
  }
  throw new Error(`${text} was accepted`);
}

describe('variables', () => {
  it('are the free symbols in order of first appearance', () => {
    expect(parseFormula('2*x^2 + 6*z^2 + 7*m^3').vars).toEqual(['x', 'z', 'm']);
    expect(parseFormula('b*a + a*c + b').vars).toEqual(['b', 'a', 'c']);
    expect(parseFormula('sin(theta) * r').vars).toEqual(['theta', 'r']);
  });

  it('exclude the constants pi, e, tau and phi', () => {
    expect(parseFormula('pi*x^2 + e^y + tau + phi').vars).toEqual(['x', 'y']);
  });

  it('can be named by the caller, in the caller’s order, including ones the formula does not use', () => {
    expect(parseFormula('x*y', { vars: ['y', 'x', 'z'] }).vars).toEqual(['y', 'x', 'z']);
  });

  it('implicit multiplication works as in mathjs', () => {
    expect(parseFormula('3x + 2 x y').vars).toEqual(['x', 'y']);
  });
});

describe('refusals name the construct and its column', () => {
  it.each([
    ['sine(x)', 1, /^Unknown function sine at column 1 — did you mean sin\?$/],
    ['x + arcsin(x)', 5, /Unknown function arcsin at column 5 — did you mean asin\?/],
    ['x + foo(x)', 5, /Unknown function foo at column 5/],
    ['x = 3', 3, /^Assignment \(=\) at column 3 is not supported/],
    ['f(x) = x^2', 1, /^Defining a function at column 1 is not supported/],
    ['[1, 2] * x', 1, /^Matrices and vectors \(\[ \]\) at column 1 are not supported/],
    ['x + "text"', 5, /^Text in quotes at column 5 is not a number/],
    ['x % 2', 3, /^The modulo operator % at column 3 is not supported/],
    ['x == 2', 3, /^The comparison == at column 3/],
    ['x!', 2, /factorial operator ! at column 2/],
    ['x ? 1 : 0', 3, /^Conditional expressions \(a \? b : c\) at column 3 are not supported/],
    ['x > 0', 3, /^The comparison > at column 3/],
    ['x; y', 2, /^A second expression .* at column 2/],
    ['a.b + x', 2, /^Property or index access at column 2/],
    ['{a: 1}', 1, /^Objects/],
    ['1:3', 2, /^Ranges/],
    ['import(x)', 1, /^The function import at column 1 is not allowed/],
    ['x + evaluate("1")', 5, /^The function evaluate at column 5 is not allowed/],
    ['sin(x, y)', 1, /^sin at column 1 takes 1 argument, but was given 2$/],
    ['atan2(x)', 1, /^atan2 at column 1 takes 2 arguments, but was given 1$/],
    ['sin x', 1, /^sin at column 1 is a function: write it with parentheses/],
    ['2*i*x', 3, /^Complex numbers are not supported: i at column 3/],
    ['x +* 2', 5, /^Value expected at column 5/],
    ['sin(x', 6, /^Parenthesis \) expected at column 6 — a closing parenthesis is missing$/],
    ['x .* y', 3, /element-wise operator \.\* \(use \*\) at column 3/],
    ['5 cm to inch', 6, /^Unit conversion \(to\) at column 6/],
    ['__x + 1', 1, /reserved at column 1/],
    ['x + true', 5, /^true at column 5 is not a number/],
  ])('%s → column %i', (text, column, message) => {
    const error = refusal(text);
    expect(error.message).toMatch(message);
    expect(error.column).toBe(column);
  });

  it('an empty formula asks for one', () => {
    expect(refusal('   ').message).toMatch(/The formula is empty/);
  });

  it('an unknown variable is refused when the caller names them', () => {
    const error = refusal('x + q', ['x', 'y']);
    expect(error.message).toBe('Unknown variable q at column 5: the variables are x, y');
    expect(error.column).toBe(5);
  });

  it('too long or too deeply nested input is refused without crashing', () => {
    expect(refusal('x+'.repeat(20_000) + 'x').message).toMatch(/too long/);
    expect(refusal('('.repeat(3000) + 'x' + ')'.repeat(3000)).message).toMatch(/nested too deeply|too large/);
  });
});

describe('normalization', () => {
  it('rewrites ln, pow, square and cube', () => {
    expect(parseFormula('ln(x) + pow(x, 3) + square(y) + cube(y)').tree.toString()).toBe('log(x) + x ^ 3 + y ^ 2 + y ^ 3');
  });
});
