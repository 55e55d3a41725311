// A metric at the start and after each epoch: the same number the fit's report gives at that epoch's step, for a
// linear model (parameters kept per epoch) and a network (weights from its history); thinned to at
// most `points` epochs with the last always in.
import { describe, expect, it } from 'vitest';
import { host } from './request';
import { runSettings } from '../../../engine/spec/run';

const line = { kind: 'data' as const, datasetId: 'line', target: 'y', features: ['x'], model: { kind: 'linear' as const }, loss: { name: 'mse' as const }, reg: { l1: 0, l2: 0 }, valSplit: 0.25, standardize: true, missing: 'fail' as const, splitSeed: 0 };

describe('metric curves', () => {
  it('give each epoch’s metric as the report at its step gives it, on training and validation rows', async () => {
    const request = host();
    await request('generateDataset', { datasetId: 'line', spec: { kind: 'line', n: 120, slope: 2, intercept: 1, noise: 0.5, xMin: -2, xMax: 2, seed: 3 } });
    await request('createRun', { runId: 'd', problem: line, settings: runSettings({ optimizer: { name: 'sgd', lr: 0.02 }, batchSize: 10, epochs: 12, shuffle: true, seed: 4 }) });
    await request('step', { runIds: ['d'], count: 1000 });
    const curve = await request('metricCurve', { runId: 'd', metric: 'r2' });
    expect(curve.epochs).toEqual(Array.from({ length: 13 }, (_, k) => k));
    // 90 training rows in batches of 10: 9 updates an epoch.
    expect(curve.steps).toEqual(curve.epochs.map((e) => 9 * e));
    for (let k = 0; k < curve.epochs.length; k++) {
      const report = await request('fitReport', { runId: 'd', step: curve.steps[k] });
      expect(report.step).toBe(curve.steps[k]);
      expect(curve.training[k]).toBe((report.metrics as { r2: number }).r2);
      expect(curve.validation![k]).toBe((report.valMetrics as { r2: number }).r2);
    }
    // R² rises as the line is learnt.
    expect(curve.training.at(-1)!).toBeGreaterThan(curve.training[0]);
    const thin = await request('metricCurve', { runId: 'd', metric: 'mae', points: 5 });
    expect(thin.epochs).toEqual([0, 3, 6, 9, 12]);
  });

  it('follow a network’s accuracy from its history, and refuse a metric it does not know', async () => {
    const request = host();
    await request('generateDataset', { datasetId: 'blobs', spec: { kind: 'blobs', n: 200, separation: 2, spread: 1, seed: 8 } });
    const problem = { ...line, datasetId: 'blobs', target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp' as const, hidden: [4], activation: 'tanh' as const }, loss: { name: 'bce' as const }, valSplit: 0 };
    await request('createRun', { runId: 'n', problem, settings: runSettings({ optimizer: { name: 'adam', lr: 0.05 }, batchSize: 'full', epochs: 30, shuffle: false, seed: 1 }) });
    await request('step', { runIds: ['n'], count: 30 });
    const curve = await request('metricCurve', { runId: 'n', metric: 'accuracy' });
    expect(curve.validation).toBeNull();
    expect(curve.epochs.length).toBeGreaterThan(1);
    for (let k = 0; k < curve.epochs.length; k++) {
      const report = await request('fitReport', { runId: 'n', step: curve.steps[k] });
      expect(curve.training[k]).toBe((report.metrics as { accuracy: number }).accuracy);
    }
    await expect(request('metricCurve', { runId: 'n', metric: 'confusion' as 'accuracy' })).rejects.toThrow(/metric/);
  });
});
