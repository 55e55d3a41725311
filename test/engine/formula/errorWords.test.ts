// A formula error is said twice: `message` in English (the CLI, tests) and `words`, an id with its
// values, which the interface words in its language. The English text of each id, filled with the
// values, must be the engine's message, so that nothing is lost in English and the ids cover it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../engine/run/build';
import { compileFormula } from '../../../engine/formula/compile';
import { runSettings } from '../../../engine/spec/run';
import { FormulaQueries } from '../../../engine/host/queries/formulas';
import { parseFormula, FormulaError } from '../../../engine/formula/parse';
import { gradientNodes } from '../../../engine/formula/derivative';
import en from '../../../renderer/src/i18n/locales/en/function.json';

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

function refusal(text: string, vars?: string[]): FormulaError {
  try {
    parseFormula(text, vars ? { vars } : {});
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('formula errors in words', () => {
  const cases: [string, string, string[]?][] = [
    ['x^2 +', 'endsEarly'],
    ['(x + 1', 'closeParenthesis'],
    ['x )', 'twoOperators'],
    ['x + * 2', 'valueExpected'],
    ['x @ 2', 'syntax'],
    ['2,5*x^2', 'decimalComma'],
    ['x^2 + 3,25', 'decimalComma'],
    ['x² + y³', 'superscript'],
    ['f = x^2', 'nodeAssignmentNode'],
    ['f(x) = x^2', 'nodeFunctionAssignmentNode'],
    ['[x, 1]', 'nodeArrayNode'],
    ['x > 1', 'operatorNotSupported'],
    ['x ? 1 : 2', 'nodeConditionalNode'],
    ['x % 2', 'operatorNotSupported'],
    ['x + "a"', 'textInQuotes'],
    ['x; y', 'secondExpression'],
    ['sin(x, y)', 'arity'],
    ['x + i', 'imaginaryUnit'],
    ['__x + 1', 'reservedName'],
    ['sine(x)', 'unknownFunctionHint'],
    ['qqqqq(x)', 'unknownFunction'],
    ['alpha + bta', 'unknownVariableHint', ['alpha', 'beta']],
    ['x + q', 'unknownVariable', ['x', 'y']],
    ['sin + x', 'needsParentheses'],
    ['   ', 'empty'],
    ['x+'.repeat(10_001) + 'x', 'tooLong'],
    ['x+'.repeat(1000) + 'x', 'tooDeep'],
    ['('.repeat(3000) + 'x' + ')'.repeat(3000), 'tooDeepToRead'],
  ];
  for (const [text, id, vars] of cases) {
    it(`says ${JSON.stringify(text)} as ${id}, whose English is the engine's message`, () => {
      const error = refusal(text, vars);
      expect(error.words?.id).toBe(id);
      expect(fill((en.error as Record<string, string>)[id], error.words!.values)).toBe(error.message);
    });
  }
});

describe('a derivative too large to compute, in words', () => {
  it('says the variable and the bound, as the engine does', () => {
    const tree = parseFormula(Array.from({ length: 100 }, () => 'sin(x)').join('*'), { vars: ['x'] }).tree;
    let error: FormulaError | undefined;
    try {
      gradientNodes(tree, ['x']);
    } catch (e) {
      error = e as FormulaError;
    }
    expect(error?.words).toEqual({ id: 'derivativeTooLarge', values: { variable: 'x', max: 20_000 } });
    expect(fill(en.error.derivativeTooLarge, error!.words!.values)).toBe(error!.message);
  });
});

describe('why f is undefined, in words', () => {
  // The English texts of the interface, filled with the engine's values, say what the engine says.
  const errors = JSON.parse(readFileSync('renderer/src/i18n/locales/en/errors.json', 'utf8'));
  const runs = JSON.parse(readFileSync('renderer/src/i18n/locales/en/runs.json', 'utf8'));
  const describe = (v: Record<string, string | number>) => fill(errors.undefined[Number(v.count) === 2 ? 'describe2' : 'describe1'], { ...v, why: errors.undefined.reason[v.why] });

  it.each([
    ['log(x)', [-1]],
    ['sqrt(x - 2)', [1]],
    ['x / (y - 1)', [2, 1]],
    ['(x - 1)^0.5 + y', [0, 3]],
  ])('at a point: %s at %j', (expr, at) => {
    const r = new FormulaQueries().evaluate({ expr, at } as Parameters<FormulaQueries['evaluate']>[0]);
    expect(r.undefinedWords?.id).toBe('describe');
    expect(describe(r.undefinedWords!.values)).toBe(r.undefined);
  });

  it('at a run’s start and on its way', () => {
    for (const [start, id] of [[[-1], 'undefinedAtStart'], [[0.5], 'undefined']] as const) {
      const built = buildRun({ kind: 'function', expr: 'log(x)' }, runSettings({ optimizer: { name: 'sgd', lr: 1 }, start: [...start] }), { formula: (text, vars) => compileFormula(text, { vars }), dataset: () => undefined });
      built.run.advance(100);
      const words = built.run.outcome!.words!;
      expect(words.id).toBe(id);
      expect(fill(runs.outcome[id], { ...words.values, describe: describe(words.values) })).toBe(built.run.outcome!.message);
    }
  });
});
