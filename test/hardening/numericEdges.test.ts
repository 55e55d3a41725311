// Numerical edge cases end with a clear status and message, never a hang or an exception.
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../engine/formula/compile';
import { formulaObjective } from '../../engine/run/objective';
import { Run } from '../../engine/run/run';
import { exp } from '../../engine/math/libm';
import { FitRun } from '../../engine/run/fit';
import { prepareData } from '../../engine/data/prepare';
import { buildModel } from '../../engine/model/models';
import { loadDatasetText } from '../../engine/data/load';
import { DatasetError } from '../../engine/data/table';

function minimize(expr: string, start: number[], optimizer: Record<string, unknown>, maxSteps = 1000, gradTol = 0) {
  const run = new Run(formulaObjective(compileFormula(expr)), { start, optimizer: optimizer as never, stop: { maxSteps, gradTol } });
  run.advance(Infinity);
  return run;
}

describe('function mode', () => {
  it.each([
    ['overflow to Infinity at the start', 'exp(x^2)', [30], { name: 'sgd', lr: 0.1 }, 'diverged', 0, /f is Infinity at the start point: choose another start/],
    ['NaN from a domain error at the start', 'log(x)', [-1], { name: 'sgd', lr: 0.1 }, 'undefined', 0, /^f is undefined at the start point: log of a negative number in log\(x\), whose operand is -1; choose another start$/],
    ['NaN once a step leaves the domain', 'sqrt(x) + (x - 3)^2', [0.5], { name: 'sgd', lr: 2 }, 'undefined', null, /^f is undefined at step \d+: square root of a negative number in sqrt\(x\), whose operand is -/],
    ['a huge learning rate', 'x^2 + y^2', [1, 1], { name: 'sgd', lr: 1e300 }, 'diverged', 1, /Diverged at step 1: /],
    ['an overflowing momentum run', 'x^4', [10], { name: 'sgd', lr: 10, momentum: 0.99 }, 'diverged', null, /Diverged at step \d+/],
  ])('%s ends as %s', (_what, expr, start, optimizer, status, step, message) => {
    const run = minimize(expr as string, start as number[], optimizer as Record<string, unknown>);
    expect(run.outcome?.status).toBe(status);
    if (step !== null) expect(run.outcome?.step).toBe(step);
    expect(run.outcome?.message).toMatch(message as RegExp);
  });

  it('a zero learning rate runs to its step limit without moving', () => {
    const run = minimize('x^2 + y^2', [1, 2], { name: 'sgd', lr: 0 }, 500);
    expect(run.outcome).toMatchObject({ status: 'max_steps', step: 500 });
    expect(Array.from(run.p)).toEqual([1, 2]);
  });

  it('measures a denormal gradient instead of squaring it to zero; converges on it only with a tolerance', () => {
    // ∇ = 2e-300·x = 2e-310 at x = 1e-10: its square underflows to 0, its norm is 2e-310 (scaled first).
    const strict = minimize('1e-300 * x^2', [1e-10], { name: 'sgd', lr: 0.1 }, 2000);
    expect(strict.outcome).toMatchObject({ status: 'max_steps', step: 2000 });
    expect(strict.gradNorm).toBe(2e-310);
    expect(Number.isFinite(strict.value)).toBe(true);
    const tolerant = minimize('1e-300 * x^2', [1e-10], { name: 'sgd', lr: 0.1 }, 2000, 1e-300);
    expect(tolerant.outcome).toMatchObject({ status: 'converged', step: 0 });
    expect(tolerant.outcome?.message).toBe('Converged at step 0: gradient norm 2e-310 ≤ 1e-300');
  });

  it('an exactly zero gradient converges at once when a tolerance is set', () => {
    const run = minimize('x^2', [1], { name: 'sgd', lr: 0.5 }, 1000, 1e-8);
    expect(run.outcome).toMatchObject({ status: 'converged', step: 1 });
  });

  it('Adam with a zero gradient everywhere stays put and ends', () => {
    const run = minimize('0*x + 5', [3], { name: 'adam', lr: 0.1 }, 1000, 1e-8);
    expect(run.outcome).toMatchObject({ status: 'converged', step: 0 });
    expect(run.p[0]).toBe(3);
  });

  it('takes a gradient norm above 1.3e154 without overflow: exp(1000x) and 1e160·x run with Adam', () => {
    const run = minimize('exp(1000*x)', [0.5], { name: 'adam', lr: 0.01 }, 200);
    // ∂f/∂x = 1000·e^500 ≈ 1.4e220, finite: its square is not, its norm is.
    expect(run.outcome).toMatchObject({ status: 'max_steps', step: 200 });
    expect(run.gradNorm).toBe(exp(500) * 1000);
    // Adam's second moment g² overflows to ∞, so its update is 0, as torch.optim's is.
    expect(run.p[0]).toBe(0.5);
    const linear = minimize('1e160*x', [1], { name: 'adam', lr: 0.01 }, 50);
    expect(linear.outcome).toMatchObject({ status: 'max_steps', step: 50 });
    expect(linear.gradNorm).toBe(1e160);
    // Clipping measures it the same way: the clipped gradient has the norm asked for.
    const clipped = new Run(formulaObjective(compileFormula('1e160*x + 1e160*y')), { start: [0, 0], optimizer: { name: 'sgd', lr: 0.1 }, clipNorm: 1, stop: { maxSteps: 1 } });
    clipped.advance(Infinity);
    expect(clipped.p[0]).toBeCloseTo(-0.1 / Math.SQRT2, 12);
  });

  it('says f is undefined everywhere for an operation on numbers alone: sqrt(-1) + x', () => {
    const run = minimize('sqrt(-1) + x', [0.5], { name: 'sgd', lr: 0.1 });
    expect(run.outcome).toMatchObject({ status: 'undefined', step: 0 });
    expect(run.outcome?.message).toBe('f is undefined everywhere: square root of a negative number in sqrt(-1), whose operand is -1; correct the formula');
  });

  it('keeps going where momentum would still move the point, though the gradient is within the tolerance', () => {
    // SGD with momentum through the minimum of x²: at step 1 the gradient is 0, the momentum is not.
    const run = minimize('x^2', [1], { name: 'sgd', lr: 0.5, momentum: 0.5 }, 1000, 1e-8);
    expect(run.outcome?.status).toBe('converged');
    expect(run.step).toBeGreaterThan(1);
  });
});

async function fit(csv: string, options: { standardize?: boolean; valSplit?: number; batchSize?: number | 'full'; epochs?: number }) {
  const dataset = await loadDatasetText(csv, 'edge.csv');
  const data = prepareData(dataset, { target: 'y', features: dataset.columns.map((c) => c.name).filter((c) => c !== 'y'), standardize: options.standardize ?? false, valSplit: options.valSplit ?? 0, seed: 1 });
  const model = buildModel({ kind: 'linear' }, data.featureNames);
  const f = new FitRun(data, model, { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 0.1 }, batchSize: options.batchSize ?? 'full', epochs: options.epochs ?? 20, shuffle: true, seed: 3 });
  f.advance(Infinity);
  return { f, data };
}

describe('data mode', () => {
  it('a zero-variance feature under standardization is kept finite and named in a note', async () => {
    const { f, data } = await fit('x,c,y\n1,5,2\n2,5,4\n3,5,6\n4,5,8\n', { standardize: true });
    expect(f.run.outcome?.status).toBe('max_steps');
    expect(Array.from(f.run.p).every(Number.isFinite)).toBe(true);
    expect(data.notes.join(' ')).toMatch(/c/);
  });

  it('a dataset of one row fits', async () => {
    const { f } = await fit('x,y\n2,3\n', {});
    expect(f.run.outcome?.status).toMatch(/max_steps|converged/);
    expect(Number.isFinite(f.run.value)).toBe(true);
  });

  it('a one-row dataset keeps its row for training when asked for a validation split, and says so', async () => {
    const { f, data } = await fit('x,y\n2,3\n', { valSplit: 0.5 });
    expect([data.n, data.nVal]).toEqual([1, 0]);
    expect(data.notes).toContain('The validation split leaves no rows for validation: one row is all there is to train on');
    expect(Number.isNaN(f.epochs.at(-1)!.valLoss)).toBe(true);
  });

  it('a target column without numbers is refused with a reason', async () => {
    await expect(fit('x,y\n1,a\n2,b\n3,c\n', {})).rejects.toThrow(DatasetError);
  });

  it('a batch larger than the dataset is the whole dataset', async () => {
    const { f } = await fit('x,y\n1,2\n2,4\n3,6\n', { batchSize: 1000, epochs: 5 });
    expect(f.batchesPerEpoch).toBe(1);
    expect(f.objective.batchSize).toBe(3);
    expect(f.run.outcome).toMatchObject({ status: 'max_steps', step: 5 });
  });

  it('speaks of the data, not of a start point, when values near 1e300 make the loss infinite at once', async () => {
    const dataset = await loadDatasetText('x,y\n1e300,2\n2e300,4\n3e300,6\n', 'huge.csv');
    const data = prepareData(dataset, { target: 'y', features: ['x'] });
    const f = new FitRun(data, buildModel({ kind: 'linear' }, ['x']), { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 'full', epochs: 5, shuffle: false, seed: 0, start: [1, 0] });
    f.advance(Infinity);
    expect(f.run.outcome?.status).toBe('diverged');
    expect(f.run.outcome?.message).toBe('The loss is Infinity before the first update: x holds values as large as 3e+300, too large for the arithmetic of this model; rescale x (or standardize the features)');
    expect(f.run.outcome?.message).not.toMatch(/start/);
    expect(f.run.outcome?.words).toEqual({ id: 'dataTooLarge', values: { loss: 'Infinity', column: 'x', largest: '3e+300' } });
  });

  it('standardizes values near the largest doubles without overflow: the feature keeps its scale and the fit learns from it', async () => {
    const dataset = await loadDatasetText('x,y\n1e300,1\n-1e300,2\n1.5e300,3\n0,4\n', 'huge.csv');
    const data = prepareData(dataset, { target: 'y', features: ['x'], standardize: true });
    const x = Array.from(data.X);
    // numpy, in units of 1e300: x = np.array([1, -1, 1.5, 0]); list((x - x.mean()) / x.std())
    const ref = [0.6509445549041194, -1.4320780207890624, 1.171700198827415, -0.39056673294247163] as const;
    x.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 12));
    const f = new FitRun(data, buildModel({ kind: 'linear' }, ['x']), { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 'full', epochs: 3, shuffle: false, seed: 0 });
    f.advance(Infinity);
    expect(f.run.outcome?.status).not.toBe('diverged');
    expect(f.run.p[0]).not.toBe(0);
  });

  it('a diverging fit says so', async () => {
    const dataset = await loadDatasetText('x,y\n100,2\n200,4\n300,6\n', 'big.csv');
    const data = prepareData(dataset, { target: 'y', features: ['x'] });
    const f = new FitRun(data, buildModel({ kind: 'linear' }, ['x']), { loss: { name: 'mse' }, optimizer: { name: 'sgd', lr: 1 }, batchSize: 'full', epochs: 1000, shuffle: false, seed: 0 });
    f.advance(Infinity);
    expect(f.run.outcome?.status).toBe('diverged');
    expect(f.run.outcome?.message).toMatch(/try a smaller learning rate/);
  });
});
