import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../engine/data/prepare';
import { Rng } from '../../../engine/data/random';
import { generateDataset, datasetToCsv, GENERATOR_DEFAULTS } from '../../../engine/data/generators';
import { loadDatasetText } from '../../../engine/data/load';
import type { Dataset } from '../../../engine/data/table';
import { buildModel, parseModelSpec, type ModelSpec } from '../../../engine/model/models';
import { sampleLoss, LOSS_CODES } from '../../../engine/model/losses';
import { originalUnits } from '../../../engine/model/units';
import { FitRun, type FitSettings } from '../../../engine/run/fit';

function table(columns: Record<string, number[]>): Dataset {
  const cols = Object.entries(columns).map(([name, v]) => ({ name, kind: 'numeric' as const, values: Float64Array.from(v), badRows: 0 }));
  return { name: 'test', rowCount: cols[0].values.length, columns: cols, problems: [], problemCount: 0, notes: [], format: 'csv', header: true };
}

/** y = 3·x1 − 2·x2 + 0.5 + N(0, 0.1²), x ~ U(−2, 2), seed 11. */
function linearLaw(n: number): Dataset {
  const rng = new Rng(11);
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = 4 * rng.float() - 2;
    const b = 4 * rng.float() - 2;
    x1.push(a);
    x2.push(b);
    y.push(3 * a - 2 * b + 0.5 + 0.1 * rng.normal());
  }
  return table({ x1, x2, y });
}

function fit(dataset: Dataset, spec: ModelSpec, features: string[], target: string, settings: Partial<FitSettings>, prep: { standardize?: boolean; valSplit?: number } = {}) {
  const data = prepareData(dataset, { target, features, seed: 0, ...prep });
  const model = buildModel(spec, data.featureNames);
  const run = new FitRun(data, model, { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 'full', epochs: 10, shuffle: false, seed: 0, ...settings });
  run.advance(Infinity);
  return { run, data, model };
}

/** Least squares by the normal equations, solved with Cramer's rule (3 unknowns). */
function leastSquares(d: Dataset): number[] {
  const x1 = d.columns[0].values, x2 = d.columns[1].values, y = d.columns[2].values;
  const rows = Array.from(x1, (_, i) => [x1[i], x2[i], 1]);
  const A = [0, 1, 2].map((r) => [0, 1, 2].map((c) => rows.reduce((s, row) => s + row[r] * row[c], 0)));
  const b = [0, 1, 2].map((r) => rows.reduce((s, row, i) => s + row[r] * y[i], 0));
  const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const D = det(A);
  return [0, 1, 2].map((k) => det(A.map((row, r) => row.map((v, c) => (c === k ? b[r] : v)))) / D);
}

describe('batch gradient descent', () => {
  it('converges to the closed-form least-squares solution within 1e-6', () => {
    const d = linearLaw(200);
    const expected = leastSquares(d);
    const { run } = fit(d, { kind: 'linear' }, ['x1', 'x2'], 'y', { epochs: 3000, optimizer: { name: 'sgd', lr: 0.1 } });
    Array.from(run.run.p).forEach((w, i) => expect(Math.abs(w - expected[i])).toBeLessThan(1e-6));
    expect(expected[0]).toBeCloseTo(3, 1);
  });
});

describe('mini-batch and stochastic gradient descent without shuffling', () => {
  const d = linearLaw(100);
  const x1 = d.columns[0].values, x2 = d.columns[1].values, y = d.columns[2].values;

  /** One hand-computed SGD update on rows [from, to): g = (1/B)·Σ 2(ŷ − y)·(x1, x2, 1), p ← p − lr·g. */
  function handUpdate(p: number[], from: number, to: number, lr: number): number[] {
    const g = [0, 0, 0];
    for (let i = from; i < to; i++) {
      const r = 2 * (p[2] + p[0] * x1[i] + p[1] * x2[i] - y[i]);
      g[0] += r * x1[i];
      g[1] += r * x2[i];
      g[2] += r;
    }
    const inv = 1 / (to - from);
    return p.map((v, j) => v - lr * (g[j] * inv));
  }

  it.each([
    [20, 5],
    [1, 100],
  ])('batch size %i: the first updates take rows in file order, exactly as computed by hand', (batchSize, perEpoch) => {
    const data = prepareData(d, { target: 'y', features: ['x1', 'x2'] });
    const run = new FitRun(data, buildModel({ kind: 'linear' }, ['x1', 'x2']), { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 0.05 }, batchSize, epochs: 2, shuffle: false, seed: 0 });
    expect(run.batchesPerEpoch).toBe(perEpoch);
    let p = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      run.advance(1);
      p = handUpdate(p, k * batchSize, (k + 1) * batchSize, 0.05);
      expect(Array.from(run.run.p)).toEqual(p);
    }
  });

  it('the same seed repeats a shuffled run bit for bit; another seed does not', () => {
    const go = (seed: number) => Array.from(fit(d, { kind: 'linear' }, ['x1', 'x2'], 'y', { batchSize: 7, shuffle: true, seed, epochs: 5, optimizer: { name: 'adam', lr: 0.05 } }).run.run.p);
    const a = go(7);
    const b = go(7);
    expect(a.map(String)).toEqual(b.map(String));
    expect(go(8)).not.toEqual(a);
  });

  it('records each epoch with loss, R² and parameters, epoch 0 being the start', () => {
    const { run } = fit(d, { kind: 'linear' }, ['x1', 'x2'], 'y', { batchSize: 10, epochs: 3 });
    expect(run.epochs.map((e) => [e.epoch, e.step])).toEqual([[0, 0], [1, 10], [2, 20], [3, 30]]);
    expect(run.epochs[0].params).toEqual([0, 0, 0]);
    expect(run.epochs[3].loss).toBeLessThan(run.epochs[0].loss);
    expect(run.epochs[3].metric).toBeGreaterThan(0.9);
    expect(run.run.outcome?.message).toBe('Finished 3 epochs (30 updates)');
  });
});

describe('logistic regression', () => {
  it('separates two Gaussian blobs about as well as the Bayes classifier (Φ(1.5) ≈ 0.933)', () => {
    const blobs = generateDataset({ kind: 'blobs', n: 400, separation: 3, spread: 1, seed: 3 });
    const { run } = fit(blobs, { kind: 'logistic' }, ['x1', 'x2'], 'label', { loss: { name: 'bce' }, epochs: 500, optimizer: { name: 'sgd', lr: 0.5 } });
    const accuracy = run.epochs[run.epochs.length - 1].metric;
    expect(accuracy).toBeGreaterThan(0.9);
    expect(accuracy).toBeLessThan(0.97);
    // the boundary is perpendicular to the diagonal the centres lie on: w1 ≈ w2 > 0
    const [w1, w2] = run.run.p;
    expect(w1).toBeGreaterThan(0);
    expect(Math.abs(w1 - w2) / w1).toBeLessThan(0.25);
  });

  it('bce stays finite for extreme logits, with derivative σ(z) − y', () => {
    const out = new Float64Array(1);
    expect(sampleLoss(LOSS_CODES.bce, 'sigmoid', 1000, 0, 1, out)).toBe(1000);
    expect(out[0]).toBe(1);
    expect(sampleLoss(LOSS_CODES.bce, 'sigmoid', -1000, 1, 1, out)).toBe(1000);
    expect(out[0]).toBe(-1);
    expect(sampleLoss(LOSS_CODES.bce, 'sigmoid', 800, 1, 1, out)).toBe(0);
    expect(sampleLoss(LOSS_CODES.bce, 'sigmoid', 0, 1, 1, out)).toBeCloseTo(Math.LN2, 15);
  });
});

describe('losses and their gradients', () => {
  it.each(['mse', 'mae', 'huber', 'bce'] as const)('%s: the batch gradient matches central differences', (name) => {
    const d = linearLaw(30);
    const y = d.columns[2].values;
    if (name === 'bce') for (let i = 0; i < y.length; i++) y[i] = y[i] > 0.5 ? 1 : 0;
    const data = prepareData(d, { target: 'y', features: ['x1', 'x2'] });
    const run = new FitRun(data, buildModel({ kind: 'linear' }, ['x1', 'x2']), { loss: { name, delta: 0.7 }, reg: { l2: 0.1, l1: 0.05 }, optimizer: { name: 'sgd' }, batchSize: 'full', epochs: 1, shuffle: false, seed: 0 });
    const p = Float64Array.from([0.3, -0.2, 0.1]);
    const g = new Float64Array(3);
    const obj = run.objective;
    obj.lossOver(p, data.X, data.y, null, data.n, g);
    for (let j = 0; j < 3; j++) {
      const h = 1e-6;
      const up = Float64Array.from(p); up[j] += h;
      const down = Float64Array.from(p); down[j] -= h;
      const numeric = (obj.lossOver(up, data.X, data.y, null, data.n, null) - obj.lossOver(down, data.X, data.y, null, data.n, null)) / (2 * h);
      expect(g[j]).toBeCloseTo(numeric, 6);
    }
  });
});

describe('other models', () => {
  it('a polynomial fit on standardized x recovers the coefficients in original units', () => {
    const x = Array.from({ length: 50 }, (_, i) => -2 + (4 * i) / 49);
    const d = table({ x, y: x.map((v) => 1 - 2 * v + 0.5 * v * v + 0.3 * v ** 3) });
    const { run, data, model } = fit(d, { kind: 'poly', degree: 3 }, ['x'], 'y', { epochs: 4000, optimizer: { name: 'sgd', lr: 0.05 } }, { standardize: true });
    const original = originalUnits(model, run.run.p, data.stats)!;
    [-2, 0.5, 0.3, 1].forEach((c, i) => expect(original[i]).toBeCloseTo(c, 5));
  });

  it('standardized linear weights convert back to the unstandardized solution', () => {
    const d = linearLaw(200);
    const { run, data, model } = fit(d, { kind: 'linear' }, ['x1', 'x2'], 'y', { epochs: 2000 }, { standardize: true });
    const expected = leastSquares(d);
    originalUnits(model, run.run.p, data.stats)!.forEach((w, i) => expect(w).toBeCloseTo(expected[i], 6));
  });

  it('a custom formula a*exp(b*x) + c fits exponential data', () => {
    const x = Array.from({ length: 40 }, (_, i) => i / 20);
    const d = table({ x, y: x.map((v) => 2 * Math.exp(0.7 * v) - 1) });
    const spec = parseModelSpec('a*exp(b*x) + c');
    const { run, model } = fit(d, spec, ['x'], 'y', { epochs: 20000, optimizer: { name: 'adam', lr: 0.01 } });
    expect(model.paramNames).toEqual(['a', 'b', 'c']);
    const [a, b, c] = run.run.p;
    expect(a).toBeCloseTo(2, 2);
    expect(b).toBeCloseTo(0.7, 2);
    expect(c).toBeCloseTo(-1, 2);
  });

  it('refuses model formulas that use unknown or target columns', async () => {
    const { modelFeatures } = await import('../../../engine/model/models');
    expect(() => modelFeatures(parseModelSpec('a*x3 + b'), ['x1', 'x2', 'y'], 'y')).toThrow('The model formula uses "x3", which is not a column of the dataset');
    expect(() => modelFeatures(parseModelSpec('a*y'), ['x', 'y'], 'y')).toThrow('uses the target column "y"');
    expect(() => modelFeatures({ kind: 'custom', expr: 'a*x + q', params: ['a'] }, ['x', 'y'], 'y')).toThrow('The model formula uses "q", which is neither a parameter (a) nor a column (x, y)');
    expect(() => modelFeatures(parseModelSpec('a*b'), ['x', 'y'], 'y')).toThrow('uses no data column');
  });
});

describe('data preparation', () => {
  it('a seeded validation split is the same every time and keeps training rows in file order', () => {
    const d = linearLaw(100);
    const a = prepareData(d, { target: 'y', features: ['x1'], valSplit: 0.2, seed: 5 });
    const b = prepareData(d, { target: 'y', features: ['x1'], valSplit: 0.2, seed: 5 });
    expect(a.nVal).toBe(20);
    expect(Array.from(a.valRows)).toEqual(Array.from(b.valRows));
    expect(Array.from(a.trainRows)).toEqual([...a.trainRows].sort((p, q) => p - q));
    expect(Array.from(prepareData(d, { target: 'y', features: ['x1'], valSplit: 0.2, seed: 6 }).valRows)).not.toEqual(Array.from(a.valRows));
  });

  it('a zero-variance feature is centred, not divided by zero', () => {
    const d = table({ x: [1, 2, 3], c: [5, 5, 5], y: [1, 2, 3] });
    const data = prepareData(d, { target: 'y', features: ['x', 'c'], standardize: true });
    expect(Array.from(data.X).every(Number.isFinite)).toBe(true);
    expect(data.notes).toContain('Feature c has the same value in every training row: it is centred but not scaled');
  });
});

describe('generators', () => {
  it.each(Object.values(GENERATOR_DEFAULTS))('$kind: the same seed gives the same rows, and survives a CSV round trip', async (spec) => {
    const a = generateDataset(spec);
    const b = generateDataset(spec);
    expect(a.columns.map((c) => Array.from(c.values))).toEqual(b.columns.map((c) => Array.from(c.values)));
    const back = await loadDatasetText(datasetToCsv(a), 'round.csv');
    expect(back.columns.map((c) => Array.from(c.values))).toEqual(a.columns.map((c) => Array.from(c.values)));
  });

  it('a noisy line is scattered around its law', () => {
    const d = generateDataset({ ...GENERATOR_DEFAULTS.line, n: 2000, noise: 0.5 } as never);
    const x = d.columns[0].values, y = d.columns[1].values;
    let sq = 0;
    for (let i = 0; i < x.length; i++) sq += (y[i] - (2 * x[i] + 1)) ** 2;
    expect(Math.sqrt(sq / x.length)).toBeCloseTo(0.5, 1);
  });
});
