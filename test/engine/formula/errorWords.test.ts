// A formula error is said twice: `message` in English (the CLI, tests) and `words`, an id with its
// values, which the interface words in its language. The English text of each id, filled with the
// values, must be the engine's message, so that nothing is lost in English and the ids cover it.
import { describe, expect, it } from 'vitest';
import { parseFormula, FormulaError } from '../../../engine/formula/parse';
import en from '../../../renderer/src/locales/en/function.json';

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
    ['x + * 2', 'syntax'],
    ['sine(x)', 'unknownFunctionHint'],
    ['qqqqq(x)', 'unknownFunction'],
    ['alpha + bta', 'unknownVariableHint', ['alpha', 'beta']],
    ['x + q', 'unknownVariable', ['x', 'y']],
    ['sin + x', 'needsParentheses'],
    ['   ', 'empty'],
  ];
  for (const [text, id, vars] of cases) {
    it(`says ${JSON.stringify(text)} as ${id}, whose English is the engine's message`, () => {
      const error = refusal(text, vars);
      expect(error.words?.id).toBe(id);
      expect(fill((en.error as Record<string, string>)[id], error.words!.values)).toBe(error.message);
    });
  }
});
