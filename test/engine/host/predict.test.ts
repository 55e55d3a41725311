// What a data run's views ask for while it streams: parameters alone, or the first rows' predictions,
// each the same numbers the full answer gives; and a loss surface over a sample of a large dataset.
import { describe, expect, it } from 'vitest';
import { host } from './request';
import { SURFACE_ROWS } from '../../../engine/host/queries/predictions';
import { runSettings } from '../../../engine/spec/run';

const problem = (n: number) => ({ kind: 'data' as const, datasetId: `line${n}`, target: 'y', features: ['x'], model: { kind: 'linear' as const }, loss: { name: 'mse' as const }, reg: { l1: 0, l2: 0 }, valSplit: 0.25, standardize: true, missing: 'fail' as const, splitSeed: 0 });

async function fitted(n: number) {
  const request = host();
  await request('generateDataset', { datasetId: `line${n}`, spec: { kind: 'line', n, slope: 2, intercept: 1, noise: 0.3, xMin: -2, xMax: 2, seed: 3 } });
  await request('createRun', { runId: 'd', problem: problem(n), settings: runSettings({ optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 8, epochs: 2, shuffle: true, seed: 4 }) });
  await request('step', { runIds: ['d'], count: 12 });
  return request;
}

describe('predictions for a streaming run’s views', () => {
  it('gives the parameters alone, as the full answer has them', async () => {
    const request = await fitted(200);
    const full = await request('predict', { runId: 'd', step: 7 });
    const params = await request('predict', { runId: 'd', step: 7, paramsOnly: true });
    expect('train' in params).toBe(false);
    expect('params' in params && params.originalParams).toEqual('originalParams' in full ? full.originalParams : null);
    const explained = await request('explainStep', { runId: 'd', step: 7 });
    expect('params' in params && params.params).toEqual(explained.after);
  });

  it('gives the first rows’ predictions, the same numbers as the full answer’s first rows', async () => {
    const request = await fitted(200);
    const full = await request('predict', { runId: 'd' });
    const few = await request('predict', { runId: 'd', rows: 30 });
    if (!('train' in full) || !('train' in few)) throw new Error('expected row predictions');
    expect(full.train.length).toBe(150);
    expect(Array.from(few.train)).toEqual(Array.from(full.train.subarray(0, 30)));
    expect(Array.from(few.trainY)).toEqual(Array.from(full.trainY.subarray(0, 30)));
    expect(few.validation.length).toBe(30);
  });

  it('takes a loss surface over an evenly spaced sample above SURFACE_ROWS training rows, and says so', async () => {
    for (const [n, sampled] of [[400, false], [Math.ceil(((SURFACE_ROWS + 1000) * 4) / 3), true]] as const) {
      const request = await fitted(n);
      const surface = await request('lossSurface', { runId: 'd', axes: [0, 1], at: [1, 1], x: [-3, 3], y: [-3, 3], nx: 8, ny: 8, levels: 6 });
      expect(surface.sampled).toBe(sampled);
      // Every 2nd of the 5,000 training rows, or all 300 of them.
      expect(surface.rows).toBe(sampled ? 2_500 : 300);
      expect(surface.bands.length).toBeGreaterThan(0);
    }
  });
});
