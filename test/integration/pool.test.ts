// Experiments spread over a pool of engines in real child processes: the same numbers, bit for bit,
// as one engine in process, whatever the pool's size; progress that adds up; cancel and failure that
// stop every share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEngine, type ForkedEngine } from '../../engine/host/nodeClient';
import { EnginePool, shares } from '../../engine/host/pool';
import { basinMap, type BasinSpec } from '../../engine/experiments/basins';
import { sweep, type SweepSpec } from '../../engine/experiments/sweep';
import { compileFormula } from '../../engine/formula/compile';
import { generateDataset } from '../../engine/data/generators';
import { DEFAULT_SETTINGS } from '../../engine/spec/run';
import type { EngineClient } from '../../engine/host/client';
import type { EngineDataProblem } from '../../engine/spec/problem';

const HIMMELBLAU = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';
const HIMMELBLAU_MINIMA = [[3, 2], [-2.805118086952745, 3.131312518250573], [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404]];
const LINE = { kind: 'line', n: 120, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 4 } as const;

let engines: ForkedEngine[] = [];

beforeAll(async () => {
  engines = [forkEngine(), forkEngine(), forkEngine()];
  await Promise.all(engines.map((e) => e.ready));
  // The first engine is the lab's own and has the dataset; helpers get it through `prepare`.
  await engines[0].client.request('generateDataset', { datasetId: 'data', spec: LINE });
}, 60_000);

afterAll(() => {
  for (const e of engines) e.child.kill('SIGKILL');
});

const pool = (n: number) => new EnginePool(() => engines.slice(0, n).map((e) => e.client));

const mapSpec: BasinSpec = { expr: HIMMELBLAU, optimizer: { name: 'adam', lr: 0.05 }, x: [-6, 6], y: [-6, 6], nx: 37, ny: 29, steps: 400, minima: HIMMELBLAU_MINIMA.slice(0, 2) };

describe('a pool of engines', () => {
  it('cuts work into contiguous shares that cover every item once', () => {
    expect(shares(10, 4)).toEqual([[0, 2], [2, 5], [5, 7], [7, 10]]);
    expect(shares(3, 8)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(shares(5, 1)).toEqual([[0, 5]]);
  });

  it('draws a basin map bit for bit as one engine does, at 1, 2 and 3 engines, minima found in cell order', async () => {
    const reference = basinMap(mapSpec);
    // Two of Himmelblau's minima are given; the other two are found on the way, by whichever share.
    expect(reference.minima.length).toBeGreaterThanOrEqual(4);
    for (const n of [1, 2, 3]) {
      const fractions: number[] = [];
      const map = await pool(n).basinMap(`map${n}`, mapSpec, { onProgress: (f) => fractions.push(f) });
      expect(map.minima).toEqual(reference.minima);
      expect(map.counts).toEqual(reference.counts);
      expect(Buffer.from(map.labels.buffer).equals(Buffer.from(reference.labels.buffer))).toBe(true);
      expect(fractions.at(-1)).toBe(1);
      for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThanOrEqual(fractions[k - 1]);
    }
  });

  it('runs a function sweep and a data sweep bit for bit as one engine does; helpers get the dataset first', async () => {
    const functionSpec: SweepSpec = {
      problem: { kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' },
      base: { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd' }, start: [-1.5, 2], stop: { maxSteps: 800 } },
      optimizers: [{ name: 'sgd', momentum: 0.9 }, { name: 'adam' }, { name: 'rmsprop' }],
      lrMin: 1e-5, lrMax: 1, count: 13, tolerance: 1e-3,
    };
    const formula = (expr: string, vars?: string[]) => compileFormula(expr, { vars });
    expect(await pool(3).sweep('fsweep', functionSpec)).toEqual(sweep(functionSpec, { formula, dataset: () => undefined }));

    const problem: EngineDataProblem = { kind: 'data', datasetId: 'data', target: 'y', features: ['x'], model: { kind: 'linear' }, loss: { name: 'mse' }, reg: { l1: 0, l2: 0 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 3 };
    const dataSpec: SweepSpec = {
      problem,
      base: { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd' }, batchSize: 8, epochs: 4, shuffle: true, seed: 17 },
      optimizers: [{ name: 'sgd' }, { name: 'adam' }],
      lrMin: 1e-3, lrMax: 0.3, count: 9, tolerance: 0.3,
    };
    const prepared: number[] = [];
    const prepare = async (engine: EngineClient, index: number) => {
      prepared.push(index);
      await engine.request('generateDataset', { datasetId: 'data', spec: LINE });
    };
    const pooled = await pool(3).sweep('dsweep', dataSpec, { prepare });
    expect(prepared.sort()).toEqual([1, 2]);
    expect(pooled).toEqual(sweep(dataSpec, { formula, dataset: () => generateDataset(LINE) }));
    // Without the dataset a helper refuses its share, and the sweep fails with that engine's reason.
    await engines[1].client.request('generateDataset', { datasetId: 'other', spec: LINE });
    await expect(pool(3).sweep('dsweep2', { ...dataSpec, problem: { ...problem, datasetId: 'other' } })).rejects.toThrow(/other|dataset/i);
  });

  it('runs a 20 × 20 grid of lr × momentum on Rosenbrock bit for bit as one engine does, on 1 and 2 engines', async () => {
    const grid: SweepSpec = {
      problem: { kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' },
      base: { ...DEFAULT_SETTINGS, optimizer: { name: 'sgd' }, start: [-1.5, 2], stop: { maxSteps: 400 } },
      optimizers: [{ name: 'sgd' }],
      axes: [{ param: 'lr', min: 1e-4, max: 3e-3, count: 20, scale: 'log' }, { param: 'momentum', min: 0, max: 0.95, count: 20, scale: 'linear' }],
      lrMin: 1, lrMax: 1, count: 1, tolerance: 0.5,
    };
    const alone = sweep(grid, { formula: (expr, vars) => compileFormula(expr, { vars }), dataset: () => undefined });
    expect(alone.series[0].stepsToTolerance).toHaveLength(400);
    expect(await pool(1).sweep('grid1', grid)).toEqual(alone);
    expect(await pool(2).sweep('grid2', grid)).toEqual(alone);
  });

  it('cancels every share in flight, and the engines take new work after', async () => {
    const p = pool(2);
    const big: BasinSpec = { ...mapSpec, nx: 300, ny: 300, steps: 3000 };
    let last = 0;
    const pending = p.basinMap('long', big, { onProgress: (f) => (last = f) });
    const t0 = Date.now();
    while (last < 0.05 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5));
    expect(last).toBeGreaterThan(0);
    expect(p.cancel('long')).toBe(true);
    await expect(pending).rejects.toMatchObject({ info: { kind: 'cancelled' } });
    expect(last).toBeLessThan(1);
    expect(p.cancel('long')).toBe(false);
    const small = await p.basinMap('after', { ...mapSpec, nx: 5, ny: 5 });
    expect(small.labels.length).toBe(25);
  });

  it('fails with the engine’s own reason on a spec no engine can run', async () => {
    await expect(pool(2).basinMap('bad', { ...mapSpec, expr: 'x^2' })).rejects.toThrow(/two variables/);
  });
});
