// `gdlab fit` as a user runs it, on real files.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../engine/bin/gdlab.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url));

function gdlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-fit-'));
  // y = 2·x1 − x2 + 1 exactly
  const rows = ['x1,x2,y'];
  for (let i = 0; i < 40; i++) {
    const x1 = (i % 7) - 3;
    const x2 = (i % 5) - 2;
    rows.push(`${x1},${x2},${2 * x1 - x2 + 1}`);
  }
  writeFileSync(join(dir, 'linear.csv'), `${rows.join('\n')}\n`);
});

describe('gdlab fit', () => {
  it('fits a line with the contract’s output shape', async () => {
    const r = await gdlab('fit', '--data', join(dir, 'linear.csv'), '--target', 'y', '--features', 'x1,x2', '--model', 'linear', '--loss', 'mse', '--optimizer', 'sgd', '--lr', '0.05', '--batch-size', 'full', '--epochs', '2000', '--record-epochs', '1,2,2000', '--no-standardize', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.params)).toEqual(['w1', 'w2', 'b']);
    expect(out.params.w1).toBeCloseTo(2, 8);
    expect(out.params.w2).toBeCloseTo(-1, 8);
    expect(out.params.b).toBeCloseTo(1, 8);
    expect(out.status).toBe('max_steps');
    expect(out.records.map((x: { epoch: number }) => x.epoch)).toEqual([1, 2, 2000]);
    expect(Object.keys(out.records[0])).toEqual(expect.arrayContaining(['epoch', 'params', 'loss']));
    expect(out.final.params).toEqual(out.params);
  });

  it.each([
    [['--data', '/no/such/file.csv', '--target', 'y'], 'No such file: /no/such/file.csv'],
    [['--data', 'LINEAR', '--target', 'z'], 'Unknown target column "z"'],
    [['--data', 'LINEAR', '--target', 'y', '--features', 'x1,x9'], 'Unknown feature column "x9"'],
    [['--data', fixture('20-text-target.csv'), '--target', 'species'], 'Column "species" holds text with 3 different values'],
    [['--data', fixture('01-empty.csv'), '--target', 'y'], '01-empty.csv is empty'],
    [['--data', fixture('02-header-only.csv'), '--target', 'y'], 'has a header row but no data rows'],
    [['--data', 'LINEAR', '--target', 'y', '--model', 'a*x1 + b*x3'], 'The model formula uses "x3", which is not a column of the dataset'],
    [['--data', 'LINEAR', '--target', 'y', '--model', 'a*x1 +'], 'Model formula: Unexpected end of expression'],
    [['--data', 'LINEAR', '--target', 'y', '--loss', 'bce'], 'The bce loss needs a target of 0s and 1s'],
    [['--data', 'LINEAR', '--target', 'y', '--model', 'poly:2'], 'A polynomial model takes exactly one feature'],
  ])('refuses %j', async (args, message) => {
    const r = await gdlab('fit', ...args.map((a) => (a === 'LINEAR' ? join(dir, 'linear.csv') : a)), '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('gdlab fit with standardized features', () => {
  // numpy's least squares on the raw features and numpy's population statistics (make_reference.py).
  const refDir = fileURLToPath(new URL('../../fixtures/standardize/', import.meta.url));
  it('reports coefficients by feature, in original units beside the trained ones, and echoes the standardization', async () => {
    const { readFileSync } = await import('node:fs');
    const ref = JSON.parse(readFileSync(join(refDir, 'reference.json'), 'utf8'));
    const r = await gdlab('fit', '--data', join(refDir, 'houses.csv'), '--target', 'price', '--standardize', '--optimizer', 'sgd', '--lr', '0.5', '--epochs', '3000', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.standardized).toBe(true);
    expect(out.standardization.statistics).toBe('population');
    expect(out.standardization.features.map((f: { name: string }) => f.name)).toEqual(ref.features);
    out.standardization.features.forEach((f: { mean: number; std: number }, j: number) => {
      expect(Math.abs(f.mean - ref.mean[j]) / Math.abs(ref.mean[j])).toBeLessThan(1e-13);
      expect(Math.abs(f.std - ref.std[j]) / ref.std[j]).toBeLessThan(1e-13);
    });
    expect(out.coefficients.map((c: { label: string }) => c.label)).toEqual([...ref.features, 'intercept']);
    for (const c of out.coefficients) {
      const expected = ref.original[c.label];
      expect(Math.abs(c.original - expected) / Math.abs(expected)).toBeLessThan(1e-9);
      expect(c.value).toBe(out.params[c.name]);
    }
    // The trained weight of a feature is its original-unit weight times the feature's standard deviation.
    expect(out.coefficients[0].value / ref.std[0]).toBeCloseTo(ref.original.area, 6);
    expect(r.stdout).not.toContain('NaN');
    const text = await gdlab('fit', '--data', join(refDir, 'houses.csv'), '--target', 'price', '--standardize', '--optimizer', 'sgd', '--lr', '0.5', '--epochs', '3000');
    expect(text.stdout).toMatch(/in original units: area=1505\.99\d* rooms=8121\.7\d* age=-29768\.6\d* intercept=18637\.3\d*/);
    expect(text.stdout).toMatch(/population standard deviation/);
  });
});

describe('gdlab fit applies the lab’s defaults (engine/data/defaults.ts)', () => {
  const iris = fileURLToPath(new URL('../../fixtures/datasets/iris.csv', import.meta.url));
  const fit = async (...extra: string[]) => {
    const r = await gdlab('fit', '--data', iris, '--target', 'petal_width', '--optimizer', 'sgd', '--lr', '0.05', '--epochs', '20', '--json', ...extra);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  };

  it('standardizes, trains on every row, and takes seed 1 and 100 epochs unless told otherwise', async () => {
    const r = await gdlab('fit', '--data', iris, '--target', 'petal_width', '--optimizer', 'sgd', '--lr', '0.05', '--json');
    const out = JSON.parse(r.stdout);
    expect([out.standardized, out.validationRows, out.seed, out.splitSeed, out.batchSize, out.shuffle]).toEqual([true, 0, 1, 0, 150, false]);
    expect(out.final.epoch).toBe(100);
    expect((await fit('--no-standardize')).standardized).toBe(false);
  });

  it('splits rows for validation by --split-seed alone: --seed changes the batches, not the split', async () => {
    const a = await fit('--val-split', '0.2', '--batch-size', '16', '--seed', '3');
    const b = await fit('--val-split', '0.2', '--batch-size', '16', '--seed', '4');
    const c = await fit('--val-split', '0.2', '--batch-size', '16', '--seed', '3', '--split-seed', '5');
    expect([a.shuffle, a.validationRows]).toEqual([true, 30]);
    // The same split: the same standardization statistics (over the training rows); other batches.
    expect(b.standardization).toEqual(a.standardization);
    expect(b.params).not.toEqual(a.params);
    // Another split: other training rows, other statistics.
    expect(c.splitSeed).toBe(5);
    expect(c.standardization).not.toEqual(a.standardization);
  });

  it('fits a network to species with cross-entropy and tanh when no loss is given', async () => {
    const r = await gdlab('fit', '--data', iris, '--target', 'species', '--model', 'mlp:8,8', '--optimizer', 'adam', '--lr', '0.01', '--epochs', '5', '--json');
    const out = JSON.parse(r.stdout);
    expect([out.loss, out.activation, out.classes]).toEqual(['cross_entropy', 'tanh', ['setosa', 'versicolor', 'virginica']]);
  });
});

describe('gdlab fit: metrics and the optimum', () => {
  const metricsFixture = (name: string) => fileURLToPath(new URL(`../../fixtures/metrics/${name}`, import.meta.url));

  it('reports every regression metric per recorded epoch and at the end, and the gap to the least-squares optimum', async () => {
    const r = await gdlab('fit', '--data', metricsFixture('diabetes.csv'), '--target', 'target', '--optimizer', 'adam', '--lr', '0.5', '--epochs', '200', '--record-epochs', '0,200', '--val-split', '0.2', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.final.metrics)).toEqual(['mse', 'rmse', 'mae', 'r2', 'adjustedR2']);
    // Without a penalty the training loss is the mse, and R² is the R² the lab always reported.
    expect(out.final.metrics.mse).toBe(out.final.loss);
    expect(out.final.metrics.r2).toBe(out.final.r2);
    expect(out.final.metrics.rmse).toBe(Math.sqrt(out.final.metrics.mse));
    expect(out.final.valMetrics.r2).toBe(out.final.valR2);
    expect(out.records.map((e: { metrics: { mse: number } }) => e.metrics.mse)).toEqual(out.records.map((e: { loss: number }) => e.loss));
    expect(out.records[0].valMetrics.mse).toBe(out.records[0].valLoss);
    expect(out.lossIncludesPenalty).toBe(false);
    expect(out.optimum.method).toBe('least_squares');
    expect(out.gapToOptimum).toBe(out.final.loss - out.optimum.loss);
    expect(out.gapToOptimum).toBeGreaterThan(0);
  });

  it('reports classification metrics without the penalty the loss includes, and Newton’s optimum', async () => {
    const r = await gdlab('fit', '--data', metricsFixture('breast_cancer.csv'), '--target', 'target', '--model', 'logistic', '--l2', '0.01', '--optimizer', 'adam', '--lr', '0.1', '--epochs', '100', '--json');
    const out = JSON.parse(r.stdout);
    const m = out.final.metrics;
    expect(Object.keys(m)).toEqual(['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'rocAuc', 'confusion']);
    expect(m.accuracy).toBe(out.final.accuracy);
    expect(m.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(569);
    expect(out.lossIncludesPenalty).toBe(true);
    expect(m.logLoss).toBeLessThan(out.final.loss);
    expect(out.optimum.method).toBe('newton');
    expect(r.stdout).not.toContain('"none"');
  });

  it('says why a network has no optimum', async () => {
    const r = await gdlab('fit', '--data', metricsFixture('diabetes.csv'), '--target', 'target', '--features', 'bmi,s5', '--model', 'mlp:4', '--epochs', '2');
    expect(r.stdout).toContain('optimum: none (a network has no closed-form optimum)');
  });
});
