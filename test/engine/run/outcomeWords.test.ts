// A run's end is said twice: `message` in English (the CLI, session files) and `words`, an id with
// its values, which the interface words in its language. Both must say the same thing: the English
// text of every id, filled with the values, is the engine's message.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../engine/run/build';
import { compileFormula } from '../../../engine/formula/compile';
import { runSettings, type RunSettings } from '../../../engine/spec/run';
import en from '../../../renderer/src/i18n/locales/en/runs.json';

function finish(expr: string, settings: RunSettings) {
  const built = buildRun({ kind: 'function', expr }, settings, { formula: (text, vars) => compileFormula(text, { vars }), dataset: () => undefined });
  built.run.advance(1e6);
  return built.run.outcome!;
}

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const english = (id: string, values: Record<string, string | number>) => {
  const texts = en.outcome as Record<string, string>;
  return fill(texts[id] ?? texts[`${id}_${values.count === 1 ? 'one' : 'other'}`], values);
};

describe('a run’s end in words', () => {
  const cases: [string, string, RunSettings][] = [
    ['maxSteps', 'x^2 + y^2', runSettings({ optimizer: { name: 'sgd', lr: 0.001 }, start: [1, 1], stop: { maxSteps: 50, gradTol: 0, fTol: 0 } })],
    ['gradTol', 'x^2 + y^2', runSettings({ optimizer: { name: 'sgd', lr: 0.1 }, start: [1, 1], stop: { gradTol: 1e-6, maxSteps: 10000 } })],
    ['bound', '5*x^2', runSettings({ optimizer: { name: 'sgd', lr: 0.5 }, start: [1] })],
    ['signChange', '5*x^2', runSettings({ optimizer: { name: 'sgd', lr: 0.15 }, start: [1], stop: { signChange: true } })],
    ['unboundedPast', 'x^3', runSettings({ optimizer: { name: 'sgd', lr: 0.1 }, start: [-1] })],
  ];
  for (const [id, expr, settings] of cases) {
    it(`says ${id} as the engine’s message says it`, () => {
      const outcome = finish(expr, settings);
      expect(outcome.words?.id).toBe(id);
      expect(english(outcome.words!.id, outcome.words!.values)).toBe(outcome.message);
    });
  }
});
