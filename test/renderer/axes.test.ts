// Axis ticks that stay readable: log axes label whole decades (2× and 5× inside a single decade),
// at least three and at most eight of them, and step axes count in whole numbers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decadeLabels, decades, safeRange, tick, WHOLE_INCREMENTS } from '../../renderer/src/charts/axes';

describe('log axis ticks', () => {
  it('label 1e-18 … 1 with more than two labels, every third decade, all in one notation', () => {
    const ticks = decades(null, 1, 1e-18, 1);
    expect(decadeLabels(ticks)).toEqual(['10⁻¹⁸', '10⁻¹⁵', '10⁻¹²', '10⁻⁹', '10⁻⁶', '10⁻³', '10⁰']);
    // 100, 0.001, 1e-8 was three notations for three decades.
    expect(decadeLabels([1e-8, 1e-3, 1e2])).toEqual(['10⁻⁸', '10⁻³', '10²']);
    // Within a decade or two, and off the powers of ten, as numbers.
    expect(decadeLabels([0.01, 0.02, 0.05, 0.1])).toEqual(['0.01', '0.02', '0.05', '0.1']);
    expect(decadeLabels([1, 10, 100])).toEqual(['1', '10', '100']);
    expect(decades(null, 1, 1e-18, 1).map(tick)).toEqual(['1e-18', '1e-15', '1e-12', '1e-9', '1e-6', '0.001', '1']);
  });

  it('mark 2× and 5× within a single decade', () => {
    expect(decades(null, 1, 0.01, 0.1)).toEqual([0.01, 0.02, 0.05, 0.1]);
  });

  it('give 3 to 8 labels on every range a log scale can take, the top decade always among them', () => {
    fc.assert(
      fc.property(fc.integer({ min: -300, max: 300 }), fc.integer({ min: 1, max: 30 }), (a, span) => {
        fc.pre(a + span <= 300);
        const [min, max] = safeRange(true)(null as never, 10 ** a, 10 ** (a + span));
        const ticks = decades(null, 1, min, max);
        expect(ticks.length).toBeGreaterThanOrEqual(3);
        expect(ticks.length).toBeLessThanOrEqual(8);
        expect(ticks.at(-1)).toBe(max);
        for (const t of ticks) expect(t >= min * (1 - 1e-12) && t <= max * (1 + 1e-12)).toBe(true);
        // Evenly spaced in decades.
        const gaps = new Set(ticks.slice(1).map((t, i) => Math.round(Math.log10(t / ticks[i]))));
        if (span > 1) expect(gaps.size).toBe(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('step axes', () => {
  it('offer only whole-number increments', () => {
    expect(WHOLE_INCREMENTS.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(WHOLE_INCREMENTS.every((v) => Number.isInteger(v))).toBe(true);
  });

  it('span exactly the steps taken, and never collapse', () => {
    expect(safeRange(false, true)(null as never, 0, 7)).toEqual([0, 7]);
    const [lo, hi] = safeRange(false, true)(null as never, 3, 3);
    expect(lo).toBeLessThan(3);
    expect(hi).toBeGreaterThan(3);
  });
});
