// The Explain panel's lines are the engine's explanation written out: every number they show must be
// one of the engine's (formatted), and the reading of each derivative's sign must match the move.
import { describe, expect, it } from 'vitest';
import { buildRun } from '../../engine/run/build';
import { explainNext, replayTo } from '../../engine/run/explain';
import { compileFormula } from '../../engine/formula/compile';
import { runSettings, type RunSettings } from '../../engine/spec/run';
import { explainLines, fmt, paramMoves, scheduleWords, vec } from '../../renderer/src/lib/explain';

function explain(expr: string, settings: RunSettings, step: number) {
  const built = buildRun({ kind: 'function', expr }, settings, { formula: (text, vars) => compileFormula(text, { vars }), dataset: () => undefined });
  replayTo(built, [], step - 1);
  return explainNext(built, settings.clipNorm);
}

describe('the Explain panel text', () => {
  it('writes out plain gradient descent with the engine’s numbers and reads each derivative’s sign', () => {
    const e = explain('x^2 + 4*y^2', runSettings({ optimizer: { name: 'sgd', lr: 0.1 }, start: [1, -1] }), 1);
    const lines = explainLines(e, { names: ['x', 'y'], mode: 'function', schedule: null });
    const text = lines.map((l) => `${l.label}: ${l.text}`).join('\n');
    expect(text).toContain(`g = ∇f(p) = ${vec(e.gradient)} at p = (1, -1)`);
    expect(vec(e.gradient)).toBe('(2, -8)');
    expect(text).toContain('lr = 0.1');
    expect(text).toContain('p: (1, -1) → (0.8, -0.2)');
    expect(text).toContain(`f: ${fmt(5)} → ${fmt(e.valueAfter)} (down`);
    const moves = paramMoves(e, ['x', 'y']);
    expect(moves.map((m) => m.reading)).toEqual(['positive, so x decreases', 'negative, so y increases']);
  });

  it('names clipping, the schedule’s rate, Adam’s moments and bias corrections', () => {
    const settings = runSettings({ optimizer: { name: 'adam', lr: 0.05 }, start: [-1.5, 2], clipNorm: 1, schedule: { type: 'step', step_size: 2, gamma: 0.5 } });
    const e = explain('(1 - x)^2 + 100*(y - x^2)^2', settings, 3);
    const text = explainLines(e, { names: ['x', 'y'], mode: 'function', schedule: scheduleWords(settings) }).map((l) => l.text).join('\n');
    expect(e.clip!.coef).toBeLessThan(1);
    expect(text).toContain(`> max_norm = 1, so g is scaled by ${fmt(e.clip!.coef)}`);
    expect(e.lr).toBe(0.025);
    expect(text).toContain('step schedule (×0.5 every 2 steps): lr = 0.025 at this step (base 0.05)');
    expect(text).toContain(`m ← 0.9·m + 0.1·g = ${vec(e.stateAfter.exp_avg)}`);
    expect(text).toContain(`v ← 0.999·v + 0.001·g² = ${vec(e.stateAfter.exp_avg_sq)}`);
    expect(text).toContain(`t = 3: 1 − β₁ᵗ = ${fmt(1 - 0.9 ** 3)}`);
  });

  it('says when momentum carries a parameter against its slope', () => {
    // Heavy momentum on a steep valley overshoots: some update moves y uphill.
    const settings = runSettings({ optimizer: { name: 'sgd', lr: 0.02, momentum: 0.95 }, start: [1, 1] });
    const against = [];
    for (let step = 2; step <= 40; step++) {
      const e = explain('x^2 + 10*y^2', settings, step);
      const moves = paramMoves(e, ['x', 'y']);
      for (const m of moves) {
        const downhill = -Math.sign(m.gradient);
        if (m.delta !== 0 && Math.sign(m.delta) !== downhill) against.push(m.reading);
      }
    }
    expect(against.length).toBeGreaterThan(0);
    for (const r of against) expect(r).toMatch(/momentum carried it the other way/);
  });
});
