// Explaining one update: the engine replays the run to the step before and reports every number the
// update used. The numbers must be the run's own (its history's rows), and the update must follow
// from them by the optimizer's rule.
import { describe, expect, it } from 'vitest';
import { host } from './request';
import { runSettings } from '../../../engine/spec/run';

const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';

describe('explaining a step', () => {
  it('gives plain gradient descent’s update p − lr·∇f with the run’s own numbers, at any step', async () => {
    const request = host();
    await request('createRun', { runId: 'sgd', problem: { kind: 'function', expr: ROSENBROCK }, settings: runSettings({ optimizer: { name: 'sgd', lr: 0.001 }, start: [-1.5, 2], stop: { maxSteps: 300 } }) });
    await request('step', { runIds: ['sgd'], count: 300 });
    const history = await request('history', { runId: 'sgd' });
    const w = history.width;
    // Each row: step, value, gradNorm, lr, the two parameters, then the gradient there.
    expect(history.gradients).toBe(2);
    const params = (row: number) => Array.from(history.rows.subarray(row * w + 4, row * w + 6));
    for (const step of [1, 2, 150, 300, 149]) {
      const e = await request('explainStep', { runId: 'sgd', step });
      expect(e.step).toBe(step);
      expect(e.before).toEqual(params(step - 1));
      expect(e.after).toEqual(params(step));
      expect(e.gradient).toEqual(Array.from(history.rows.subarray((step - 1) * w + 6, step * w)));
      expect(e.value).toBe(history.rows[(step - 1) * w + 1]);
      expect(e.lr).toBe(0.001);
      e.after.forEach((p, i) => expect(p).toBe(e.before[i] - 0.001 * e.gradient[i]));
    }
    await expect(request('explainStep', { runId: 'sgd', step: 301 })).rejects.toThrow(/has not been taken yet/);
  });

  it('shows Adam’s moments before and after, clipping, the scheduled rate, and a change made during the run', async () => {
    const request = host();
    await request('createRun', { runId: 'adam', problem: { kind: 'function', expr: ROSENBROCK }, settings: runSettings({ optimizer: { name: 'adam', lr: 0.02 }, clipNorm: 10, schedule: { type: 'step', step_size: 20, gamma: 0.5 }, start: [-1.5, 2], stop: { maxSteps: 100 } }) });
    await request('step', { runIds: ['adam'], count: 30 });
    await request('setHyperparameters', { runId: 'adam', changes: { betas: [0.8, 0.99] } });
    await request('step', { runIds: ['adam'], count: 70 });
    const early = await request('explainStep', { runId: 'adam', step: 1 });
    expect(early.clip!.coef).toBeLessThan(1); // ‖∇f(−1.5, 2)‖ ≈ 135 > 10
    expect(early.stateBefore.exp_avg).toEqual([0, 0]);
    const g = early.gradient.map((v) => v * early.clip!.coef);
    expect(early.stateAfter.exp_avg).toEqual(g.map((v) => 0 * 0.9 + (1 - 0.9) * v));
    const late = await request('explainStep', { runId: 'adam', step: 45 });
    expect(late.lr).toBe(0.02 * 0.5 * 0.5);
    expect(late.hyperparameters.betas).toEqual([0.8, 0.99]);
    late.stateAfter.exp_avg.forEach((m, i) => expect(m).toBe(late.stateBefore.exp_avg[i] * 0.8 + (1 - 0.8) * (late.gradient[i] * (late.clip!.coef < 1 ? late.clip!.coef : 1))));
  });

  it('explains a mini-batch update with its batch', async () => {
    const request = host();
    await request('generateDataset', { datasetId: 'current', spec: { kind: 'line', n: 40, slope: 2, intercept: 1, noise: 0.3, xMin: -2, xMax: 2, seed: 3 } });
    const problem = { kind: 'data' as const, datasetId: 'current', target: 'y', features: ['x'], model: { kind: 'linear' as const }, loss: { name: 'mse' as const }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: true, missing: 'fail' as const, splitSeed: 0 };
    await request('createRun', { runId: 'd', problem, settings: runSettings({ optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 8, epochs: 3, shuffle: true, seed: 4 }) });
    await request('step', { runIds: ['d'], count: 15 });
    const e = await request('explainStep', { runId: 'd', step: 7 });
    expect(e.batch).toEqual({ epoch: 2, index: 2, size: 8, batches: 5, rows: 40 });
    e.after.forEach((p, i) => expect(p).toBe(e.before[i] - 0.05 * e.gradient[i]));
    // The loss after the update is measured on the same batch: with one batch an epoch it is the next
    // update's loss before it; with mini-batches the next update's is on another batch.
    await request('createRun', { runId: 'full', problem, settings: runSettings({ optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 'full', epochs: 5 }) });
    await request('step', { runIds: ['full'], count: 5 });
    const [e2, e3] = [await request('explainStep', { runId: 'full', step: 2 }), await request('explainStep', { runId: 'full', step: 3 })];
    expect(e2.valueAfter).toBe(e3.value);
    expect(e2.batch).toEqual({ epoch: 2, index: 1, size: 40, batches: 1, rows: 40 });
    const [m7, m8] = [e, await request('explainStep', { runId: 'd', step: 8 })];
    expect(m7.valueAfter).toBeLessThan(m7.value);
    expect(m7.valueAfter).not.toBe(m8.value);
  });
});
