// A network's history keeps its weights on a stride: 100,000 updates of a 2-16-16-1 network stay
// within the history's byte bound, spread over the whole run, and end at the last step.
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../../engine/data/generators';
import { buildRun } from '../../../engine/run/build';
import { History, HISTORY_BYTES } from '../../../engine/run/history';
import type { EngineDataProblem } from '../../../engine/spec/problem';
import type { RunSettings } from '../../../engine/spec/run';

describe('a network run’s history', () => {
  it('holds 100,000 updates of a 2-16-16-1 network within the byte bound', () => {
    const dataset = generateDataset({ kind: 'circle', n: 200, noise: 0.1, seed: 1 });
    const problem: EngineDataProblem = {
      kind: 'data', datasetId: 'circle', target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp', hidden: [16, 16], activation: 'tanh' },
      loss: { name: 'bce' }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail', splitSeed: 0,
    };
    const settings: RunSettings = {
      optimizer: { name: 'sgd', lr: 0.01 }, schedule: null, warmup: null, clipNorm: null, start: [], stop: {},
      batchSize: 1, epochs: 500, shuffle: true, seed: 1,
    };
    const { run, paramNames } = buildRun(problem, settings, { formula: () => { throw new Error('no formula'); }, dataset: () => dataset });
    expect(paramNames).toHaveLength(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
    run.advance(Infinity);
    const h = run.history;
    expect(run.step).toBe(100_000);
    expect(h.bytes).toBeLessThanOrEqual(HISTORY_BYTES);
    // A function's history at the same settings would keep 65,536 rows of 341 numbers: 170 MiB.
    expect(new History(337).capacity * h.width * 8).toBeLessThanOrEqual(HISTORY_BYTES);
    expect(h.count).toBeGreaterThan(1000);
    expect(h.stepAt(0)).toBe(0);
    expect(h.lastStep).toBe(100_000);
    expect(h.record(h.count - 1).params).toEqual(Array.from(run.p));
    // Evenly spread: every kept step is a multiple of the stride.
    for (let i = 0; i < h.count - 1; i++) expect(h.stepAt(i) % h.stride).toBe(0);
  });

  it('leaves narrow histories as they were (65,536 rows) and bounds every width', () => {
    expect(new History(2).capacity).toBe(65_536);
    expect(new History(40).capacity).toBe(65_536);
    for (const n of [45, 100, 105, 188, 189, 337, 1251, 9999]) {
      const h = new History(n);
      expect(h.capacity * h.width * 8, `${n} parameters`).toBeLessThanOrEqual(HISTORY_BYTES);
      expect(h.capacity, `${n} parameters`).toBeGreaterThanOrEqual(128);
    }
  });
});
