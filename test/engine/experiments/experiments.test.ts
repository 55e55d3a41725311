// Sweeps and basin maps: fair (the same start and batch order for every point, bit for bit on repeat)
// and right (Himmelblau's four basins where they are known to be).
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../../engine/formula/compile';
import { generateDataset } from '../../../engine/data/generators';
import { basinMap, DIVERGED } from '../../../engine/experiments/basins';
import { logSpaced, sweep, type SweepSpec } from '../../../engine/experiments/sweep';
import { Run } from '../../../engine/run/run';
import { formulaObjective } from '../../../engine/run/objective';
import { buildRun, type BuildContext } from '../../../engine/run/build';
import { DEFAULT_SETTINGS } from '../../../engine/spec/run';
import type { Dataset } from '../../../engine/data/table';
import { gradientGap } from '../../../engine/experiments/noise';
import { prepareData } from '../../../engine/data/prepare';
import { buildModel } from '../../../engine/model/models';
import { FitRun } from '../../../engine/run/fit';

const context = (dataset?: Dataset): BuildContext => ({ formula: (expr, vars) => compileFormula(expr, { vars }), dataset: () => dataset });
const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';
const HIMMELBLAU = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';
const HIMMELBLAU_MINIMA = [[3, 2], [-2.805118086952745, 3.131312518250573], [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404]];

describe('learning-rate sweeps', () => {
  const functionSweep: SweepSpec = {
    problem: { kind: 'function', expr: ROSENBROCK },
    base: { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd' }, start: [-1.5, 2], stop: { maxSteps: 1000 } },
    optimizers: [{ name: 'sgd', momentum: 0.9 }, { name: 'adam' }],
    lrMin: 1e-5,
    lrMax: 1,
    count: 16,
    tolerance: 1e-3,
  };

  it('spaces the rates evenly in log scale, ends included', () => {
    const lrs = logSpaced(1e-4, 1, 5);
    expect(lrs[0]).toBe(1e-4);
    expect(lrs[4]).toBeCloseTo(1, 15);
    for (let i = 1; i < 5; i++) expect(Math.log10(lrs[i] / lrs[i - 1])).toBeCloseTo(1, 12);
    expect(() => logSpaced(0, 1, 3)).toThrow(/0 < lrMin/);
  });

  it('gives each point exactly the run it names', () => {
    const result = sweep(functionSweep, context());
    const k = 11;
    const run = new Run(formulaObjective(compileFormula(ROSENBROCK)), { start: [-1.5, 2], optimizer: { name: 'adam', lr: result.lrs[k] }, stop: { maxSteps: 1000 } });
    run.advance(Infinity);
    expect(result.series[1].finalValue[k]).toBe(run.value);
    // Too large a rate diverges, a tiny one never reaches the tolerance.
    expect(result.series[0].status.at(-1)).toBe('diverged');
    expect(result.series[0].stepsToTolerance[0]).toBeNull();
    expect(result.series[1].stepsToTolerance.some((s) => s !== null && s <= 1000)).toBe(true);
  });

  it('repeats bit for bit, in data mode too, where every point shares the seed and so the batch order', () => {
    const dataset = generateDataset({ kind: 'line', n: 80, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 4 });
    const spec: SweepSpec = {
      problem: { kind: 'data', datasetId: 'd', target: 'y', features: ['x'], model: { kind: 'linear' }, loss: { name: 'mse' }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail', splitSeed: 0 },
      base: { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd' }, batchSize: 8, epochs: 5, shuffle: true, seed: 17 },
      optimizers: [{ name: 'sgd' }, { name: 'rmsprop' }],
      lrMin: 1e-3,
      lrMax: 0.3,
      count: 6,
      tolerance: 0.3,
    };
    const a = sweep(spec, context(dataset));
    const b = sweep(spec, context(dataset));
    expect(b).toEqual(a);
    expect(a.series[0].finalValue.every(Number.isFinite)).toBe(true);
    // A different seed is a different batch order, so different numbers.
    const c = sweep({ ...spec, base: { ...spec.base, seed: 18 } }, context(dataset));
    expect(c.series[0].finalValue).not.toEqual(a.series[0].finalValue);
  });

  it('sweeps a race’s runs each with its own settings: SGD beside SGD with momentum, each at its batch size', () => {
    const dataset = generateDataset({ kind: 'line', n: 80, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 4 });
    const problem = { kind: 'data' as const, datasetId: 'd', target: 'y', features: ['x'], model: { kind: 'linear' as const }, loss: { name: 'mse' as const }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail' as const, splitSeed: 0 };
    const plain = { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd' }, batchSize: 8, epochs: 5, shuffle: true, seed: 17 };
    const heavy = { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd', momentum: 0.9 }, batchSize: 'full' as const, epochs: 20, shuffle: false, seed: 3 };
    const spec: SweepSpec = {
      problem, base: plain, optimizers: [{ name: 'sgd' }, { name: 'sgd', momentum: 0.9 }], bases: [plain, heavy], names: ['SGD 1', 'SGD momentum 2'],
      lrMin: 1e-3, lrMax: 0.1, count: 4, tolerance: 0.3,
    };
    const result = sweep(spec, context(dataset));
    expect(result.series.map((s) => [s.optimizer, s.run])).toEqual([['sgd', 'SGD 1'], ['sgd', 'SGD momentum 2']]);
    // Each point is its own run at that rate, to the bit.
    for (const [k, settings] of [[0, plain], [1, heavy]] as const) {
      const built = buildRun(problem, { ...settings, optimizer: { ...spec.optimizers[k], lr: result.lrs[2] } }, context(dataset));
      built.fit!.advance(Infinity);
      expect(result.series[k].finalValue[2]).toBe(built.fit!.objective.trainLoss(built.run.p));
    }
    expect(result.series[1].finalValue).not.toEqual(result.series[0].finalValue);
  });
});

describe('basin maps', () => {
  const spec = { expr: HIMMELBLAU, optimizer: { name: 'sgd', lr: 0.01 }, x: [-5, 5] as [number, number], y: [-5, 5] as [number, number], steps: 500, minima: HIMMELBLAU_MINIMA };

  it('labels hand-checked starts with the minimum of their basin on Himmelblau', () => {
    // Each start lies next to one minimum, inside its basin: gradient descent runs downhill into it.
    const starts: Array<[number, number, number]> = [[3.5, 2.5, 0], [-2.5, 3.5, 1], [-3.5, -3.5, 2], [3.5, -2, 3]];
    for (const [x, y, expected] of starts) {
      const map = basinMap({ ...spec, x: [x, x + 1e-9], y: [y, y + 1e-9], nx: 2, ny: 2 });
      expect(Array.from(map.labels)).toEqual([expected, expected, expected, expected]);
    }
  });

  it('finds Himmelblau’s four minima from a coarse grid, and only those', () => {
    const map = basinMap({ ...spec, nx: 11, ny: 11 });
    expect(map.minima).toHaveLength(4);
    const seen = new Set(map.labels);
    for (const label of [0, 1, 2, 3]) expect(seen.has(label)).toBe(true);
    // The grid's corners are in the corner minima's basins: (5, 5) → (3, 2), (−5, 5) → the second, …
    const at = (i: number, j: number) => map.labels[j * 11 + i];
    expect([at(10, 10), at(0, 10), at(0, 0), at(10, 0)]).toEqual([0, 1, 2, 3]);
  });

  it('marks runs that diverge', () => {
    const map = basinMap({ ...spec, optimizer: { name: 'sgd', lr: 0.2 }, nx: 5, ny: 5, steps: 50 });
    expect(map.counts.diverged).toBeGreaterThan(0);
    expect(Array.from(map.labels)).toContain(DIVERGED);
  });

  it('refuses what it cannot map', () => {
    expect(() => basinMap({ ...spec, expr: 'x^2', nx: 3, ny: 3 })).toThrow(/two variables/);
    expect(() => basinMap({ ...spec, optimizer: { name: 'newton' }, nx: 3, ny: 3 })).toThrow(/second derivatives/);
  });
});


describe('the stochastic gap', () => {
  const dataset = generateDataset({ kind: 'line', n: 60, slope: 2, intercept: 1, noise: 0.8, xMin: -3, xMax: 3, seed: 9 });
  const data = prepareData(dataset, { target: 'y', features: ['x'] });
  const fit = (batchSize: number | 'full', shuffle: boolean) => {
    const f = new FitRun(data, buildModel({ kind: 'linear' }, ['x']), { loss: { name: 'mse' }, reg: { l2: 0.01 }, optimizer: { name: 'sgd', lr: 0.05 }, batchSize, epochs: 20, shuffle, seed: 5 });
    f.advance(Infinity);
    return f;
  };

  it('finds each step’s mini-batch again: its gradient norm is the one the run recorded', () => {
    const f = fit(8, true);
    const gap = gradientGap(f.objective, f.run.history, 50);
    expect(gap.steps.length).toBeGreaterThan(40);
    gap.steps.forEach((step, i) => {
      const recorded = f.run.history.record(f.run.history.indexAtOrBefore(step));
      expect(gap.batchNorm[i]).toBe(recorded.gradNorm);
    });
    // Mini-batches of 8 out of 60 are noisy: the gap is real, and the angle between the gradients is not zero.
    expect(Math.max(...gap.noiseNorm)).toBeGreaterThan(0.05);
    expect(gap.angle.some((a) => a > 1)).toBe(true);
  });

  it('measures the full-batch gradient exactly: at w = b = 0 it is −(2/n)·(Σxy, Σy)', () => {
    const gap = gradientGap(fit(8, true).objective, fit(8, true).run.history, 10);
    const n = data.n;
    let sxy = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sxy += data.X[i] * data.y[i];
      sy += data.y[i];
    }
    expect(gap.steps[0]).toBe(0);
    expect(gap.fullNorm[0]).toBeCloseTo(Math.hypot((2 / n) * sxy, (2 / n) * sy), 12);
  });

  it('has no gap with full batches', () => {
    const f = fit('full', false);
    const gap = gradientGap(f.objective, f.run.history, 20);
    expect(gap.noiseNorm.every((v) => v === 0)).toBe(true);
    expect(gap.batchNorm).toEqual(gap.fullNorm);
  });
});

describe('fair races', () => {
  it('give every optimizer the same mini-batch at every step when they share a seed, and repeat bit for bit', () => {
    const dataset = generateDataset({ kind: 'line', n: 50, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 2 });
    const data = prepareData(dataset, { target: 'y', features: ['x'] });
    const race = () => ['sgd', 'adam', 'rmsprop'].map((name) => new FitRun(data, buildModel({ kind: 'linear' }, ['x']), { loss: { name: 'mse' }, optimizer: { name, lr: 0.01 }, batchSize: 7, epochs: 6, shuffle: true, seed: 11 }));
    const runs = race();
    const B = runs[0].batchesPerEpoch;
    for (let step = 0; step < 6 * B; step++) {
      const batches = runs.map((f) => Array.from(f.objective.currentBatch()).join());
      expect(new Set(batches).size).toBe(1);
      for (const f of runs) f.advance(1);
    }
    const again = race();
    for (const f of again) f.advance(Infinity);
    for (const [k, f] of runs.entries()) {
      f.advance(Infinity);
      expect(Array.from(again[k].run.p)).toEqual(Array.from(f.run.p));
    }
  });
});

describe('sweeps of any setting', () => {
  const rosenbrock = (optimizers: SweepSpec['optimizers'], axes: SweepSpec['axes']): SweepSpec => ({
    problem: { kind: 'function', expr: ROSENBROCK },
    base: { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd', lr: 1e-3 }, start: [-1.5, 2], stop: { maxSteps: 3000 } },
    optimizers, axes, lrMin: 1, lrMax: 1, count: 1, tolerance: 1e-3,
  });

  it('a grid of lr × momentum gives in each cell the steps of that run alone, bit for bit', () => {
    const spec = rosenbrock([{ name: 'sgd' }], [
      { param: 'lr', min: 1e-4, max: 3e-3, count: 5, scale: 'log' },
      { param: 'momentum', min: 0, max: 0.95, count: 4, scale: 'linear' },
    ]);
    const result = sweep(spec, context());
    expect(result.axes?.map((a) => a.param)).toEqual(['lr', 'momentum']);
    expect(result.axes?.[1].values).toEqual([0, 0.95 / 3, (0.95 * 2) / 3, 0.95]);
    expect(result.series[0].stepsToTolerance).toHaveLength(20);
    for (const [i, j] of [[0, 0], [3, 2], [4, 3], [2, 1]]) {
      const lr = result.axes![0].values[i];
      const momentum = result.axes![1].values[j];
      const run = new Run(formulaObjective(compileFormula(ROSENBROCK)), { start: [-1.5, 2], optimizer: { name: 'sgd', lr, momentum }, stop: { maxSteps: 3000 } });
      run.advance(Infinity);
      const k = j * 5 + i;
      expect(result.series[0].finalValue[k]).toBe(run.value);
      const first = run.history.column(1).findIndex((v) => v <= 1e-3);
      expect(result.series[0].stepsToTolerance[k]).toBe(first >= 0 ? run.history.stepAt(first) : null);
    }
    // Momentum reaches the tolerance where plain SGD at the same rate does not.
    expect(result.series[0].stepsToTolerance.slice(15).some((s) => s !== null)).toBe(true);
  });

  it('sweeps Adam’s β₁, and refuses a setting an optimizer of the race does not have, naming it', () => {
    const betas = sweep(rosenbrock([{ name: 'adam', lr: 0.02 }], [{ param: 'betas.0', min: 0.5, max: 0.9, count: 3, scale: 'linear' }]), context());
    expect(new Set(betas.series[0].finalValue).size).toBe(3);
    expect(() => sweep(rosenbrock([{ name: 'sgd' }, { name: 'adam' }], [{ param: 'momentum', min: 0, max: 0.9, count: 3, scale: 'linear' }]), context())).toThrow(/adam has no hyperparameter "momentum"/);
  });
});
