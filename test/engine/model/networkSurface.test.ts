// A network's loss slice along two random directions normalised per filter (Li et al. 2018): each
// unit's incoming weights in a direction have that unit's norm in θ, biases stay, and the slice's
// centre is the loss at θ. Checked by rebuilding the directions' effect from the returned surface.
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../../engine/data/generators';
import { buildRun } from '../../../engine/run/build';
import { filterDirection, networkSlice, networkSurface } from '../../../engine/host/queries/predictions';
import { Rng } from '../../../engine/data/random';
import type { EngineDataProblem } from '../../../engine/spec/problem';
import type { RunSettings } from '../../../engine/spec/run';

describe('a network’s loss slice', () => {
  const dataset = generateDataset({ kind: 'spiral', n: 300, classes: 3, noise: 0.05, seed: 1 });
  const problem: EngineDataProblem = {
    kind: 'data', datasetId: 's', target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp', hidden: [8], activation: 'tanh' },
    loss: { name: 'cross_entropy' }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail', splitSeed: 0,
  };
  const settings: RunSettings = { optimizer: { name: 'adam', lr: 0.05 }, schedule: null, warmup: null, clipNorm: null, start: [], stop: {}, batchSize: 'full', epochs: 50, shuffle: false, seed: 1 };
  const hosted = buildRun(problem, settings, { formula: () => { throw new Error('no formula'); }, dataset: () => dataset });
  hosted.run.advance(Infinity);

  it('is centred on the run’s loss, seeded, and differs along the two directions', () => {
    const request = { runId: 'r', seed: 1, span: 1, nx: 5, ny: 5, levels: 8 };
    const a = networkSlice(hosted, request);
    const b = networkSlice(hosted, request);
    expect(networkSurface(hosted, request).bands.length).toBeGreaterThan(0);
    expect(a.values).toEqual(b.values);
    expect(a.sampled).toBe(false);
    expect(a.values[2 * 5 + 2]).toBeCloseTo(hosted.fit!.objective.trainLoss(hosted.run.p), 12);
    expect(networkSlice(hosted, { ...request, seed: 2 }).values).not.toEqual(a.values);
    // The run ended near a minimum of the slice: its centre is below the slice's corners.
    expect(Math.min(a.values[0], a.values[4], a.values[20], a.values[24])).toBeGreaterThan(a.values[12]);
  });

  it('normalises each direction per filter and leaves the biases', () => {
    const net = hosted.fit!.model.network!;
    const theta = hosted.run.p;
    const d = filterDirection(net.layers, theta, new Rng(3));
    for (const { inputs: m, outputs: h, w, b } of net.layers) {
      for (let o = 0; o < h; o++) {
        const norm = (v: Float64Array) => Math.hypot(...v.subarray(w + o * m, w + (o + 1) * m));
        expect(norm(d)).toBeCloseTo(norm(theta), 12);
        expect(d[b + o]).toBe(0);
      }
    }
  });

  it('refuses models that are not networks', () => {
    const linear = buildRun({ ...problem, model: { kind: 'logistic' }, loss: { name: 'bce' } }, settings, { formula: () => { throw new Error('no formula'); }, dataset: () => generateDataset({ kind: 'circle', n: 50, noise: 0.1, seed: 1 }) });
    expect(() => networkSurface(linear, { runId: 'r', seed: 1, span: 1, nx: 3, ny: 3, levels: 4 })).toThrow('for network models');
  });
});
