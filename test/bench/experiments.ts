/**
 * Sweeps and basin maps, timed in the engine as the lab would ask for them, beside the rate of one
 * plain run measured in the same process (the baseline: a sweep or map is many such runs).
 */
import { compileFormula } from '../../engine/formula/compile';
import { basinMap } from '../../engine/experiments/basins';
import { sweep } from '../../engine/experiments/sweep';
import { formulaObjective } from '../../engine/run/objective';
import { Run } from '../../engine/run/run';
import { runSettings, type OptimizerSettings } from '../../engine/spec/run';
import { availableParallelism } from 'node:os';
import { forkEngine } from '../../engine/host/nodeClient';
import { EnginePool } from '../../engine/host/pool';
import { RunRouter } from '../../engine/host/router';
import type { EngineClient } from '../../engine/host/client';
import type { RunUpdate } from '../../engine/host/protocol';
import type { EngineProblem } from '../../engine/spec/problem';
import type { BasinSpec } from '../../engine/experiments/basins';
import type { SweepSpec } from '../../engine/experiments/sweep';
import { line, ratio, si } from './harness';

const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';
const HIMMELBLAU = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';

function seconds(work: () => void): number {
  const t0 = performance.now();
  work();
  return (performance.now() - t0) / 1000;
}

export async function benchExperiments(): Promise<void> {
  console.log('Sweeps and basin maps (one engine thread)');
  const f = compileFormula(ROSENBROCK);
  new Run(formulaObjective(f), { start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: 200_000 } }).advance(200_000);
  const plain = seconds(() => new Run(formulaObjective(f), { start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: 1_000_000, divergenceBound: Infinity } }).advance(1_000_000));
  line('baseline: one run of 1,000,000 Adam steps', `${plain.toFixed(2)} s (${si(1e6 / plain)}steps/s)`);
  const context = { formula: (expr: string, vars?: string[]) => compileFormula(expr, { vars }), dataset: () => undefined };
  const spec = { problem: { kind: 'function' as const, expr: ROSENBROCK }, base: runSettings({ optimizer: { name: 'adam' }, start: [-1.5, 2], stop: { maxSteps: 1000 } }), optimizers: [{ name: 'adam' }], lrMin: 1e-5, lrMax: 1, count: 64, tolerance: 1e-3 };
  sweep({ ...spec, count: 4 }, context);
  const s = seconds(() => sweep(spec, context));
  line('sweep: 64 rates × 1,000 steps, Rosenbrock', `${s.toFixed(3)} s (${si(64_000 / s)}steps/s)`);
  const b = seconds(() => basinMap({ expr: HIMMELBLAU, optimizer: { name: 'sgd', lr: 0.01 }, x: [-5, 5], y: [-5, 5], nx: 100, ny: 100, steps: 500 }));
  line('basin map: 100 × 100 starts × 500 steps, Himmelblau', `${b.toFixed(2)} s (${si(5_000_000 / b)}steps/s)`);
  console.log('');
  await benchPool();
}

const RACE_DATA = { kind: 'line', n: 500_000, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 4 } as const;

/** Four mini-batch fits (SGD, momentum, Adam, RMSprop) placed by a router over `clients`, from their creation (the data prepared for each) to the last one finished. */
async function raceOn(clients: EngineClient[], prefix: string): Promise<void> {
  const router = new RunRouter({ primary: () => clients[0], helpers: async () => clients.slice(1), prepare: async () => undefined, engines: () => clients.length });
  const problem: EngineProblem = { kind: 'data', datasetId: 'data', target: 'y', features: ['x'], model: { kind: 'linear' }, loss: { name: 'mse' }, reg: { l1: 0, l2: 0 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 1 };
  const optimizers: OptimizerSettings[] = [{ name: 'sgd', lr: 0.01 }, { name: 'sgd', lr: 0.01, momentum: 0.9 }, { name: 'adam', lr: 0.01 }, { name: 'rmsprop', lr: 0.01 }];
  const ids = optimizers.map((_, k) => `${prefix}-${k}`);
  const finished = new Set<string>();
  const hear = (updates: RunUpdate[]) => updates.forEach((u) => !['idle', 'running', 'paused'].includes(u.status) && finished.add(u.runId));
  const stops = [clients[0].onProgress(hear), router.onHelperProgress(hear)];
  // Created together, as the lab creates a race's runs.
  await Promise.all(optimizers.map((optimizer, k) => router.request('createRun', { runId: ids[k], problem, settings: runSettings({ optimizer, batchSize: 64, epochs: 10, seed: 1 }) })));
  await router.request('start', { runIds: ids });
  while (ids.some((id) => !finished.has(id))) await new Promise((resolve) => setTimeout(resolve, 2));
  for (const stop of stops) stop();
  await router.request('dispose', { runIds: ids });
}

/** Keeps the best (shortest) wall-clock time of an async piece of work under `key`, in seconds. */
async function timeBest(times: Map<number, number>, key: number, work: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await work();
  times.set(key, Math.min(times.get(key) ?? Infinity, (performance.now() - t0) / 1000));
}

/**
 * The lab's experiments on a pool of engine processes (the protocol the desktop's utility processes
 * and the browser's Web Workers speak), at one engine and at N, in the same run. The engines are
 * started and warmed before timing, as the lab's are by the time a map is asked for.
 */
async function benchPool(): Promise<void> {
  const cores = availableParallelism();
  const sizes = [...new Set([1, 2, Math.max(2, cores)])];
  console.log(`Experiments on a pool of engine processes (${cores} cores)`);
  const engines = Array.from({ length: Math.max(...sizes) }, () => forkEngine());
  try {
    await Promise.all(engines.map((e) => e.ready));
    const map: BasinSpec = { expr: HIMMELBLAU, optimizer: { name: 'sgd', lr: 0.01 }, x: [-6, 6], y: [-6, 6], nx: 200, ny: 200, steps: 2000 };
    const rates: SweepSpec = { problem: { kind: 'function', expr: ROSENBROCK }, base: runSettings({ optimizer: { name: 'adam' }, start: [-1.5, 2], stop: { maxSteps: 50_000 } }), optimizers: [{ name: 'adam' }], lrMin: 1e-5, lrMax: 1, count: 64, tolerance: 1e-3 };
    let job = 0;
    const warm = new EnginePool(() => engines.map((e) => e.client));
    // Warm: every engine's compiler has seen the work whole, alone and beside the others, before it is
    // timed (a cold engine process runs the map's loop up to a third slower for its first seconds).
    for (const e of engines) await new EnginePool(() => [e.client]).basinMap(`warm${job++}`, map);
    await warm.basinMap(`warm${job++}`, map);
    await warm.sweep(`warm${job++}`, rates);
    const times = { map: new Map<number, number>(), sweep: new Map<number, number>() };
    // Rounds alternate the pool sizes, so that a slow spell of a shared machine does not fall on one size only.
    for (let round = 0; round < 5; round++) {
      for (const n of sizes) {
        const pool = new EnginePool(() => engines.slice(0, n).map((e) => e.client));
        await timeBest(times.map, n, () => pool.basinMap(`map${job++}`, map));
        await timeBest(times.sweep, n, () => pool.sweep(`sweep${job++}`, rates));
      }
    }
    for (const n of sizes) line(`basin map 200 × 200 × 2,000 steps, ${n} engine${n > 1 ? 's' : ''}`, `${times.map.get(n)!.toFixed(2)} s (${si(8e7 / times.map.get(n)!)}steps/s)`);
    for (const n of sizes) line(`sweep 64 rates × 50,000 steps, ${n} engine${n > 1 ? 's' : ''}`, `${times.sweep.get(n)!.toFixed(2)} s (${si(3.2e6 / times.sweep.get(n)!)}steps/s)`);
    // A race of four data fits, placed by the lab's router (the desktop gives it cores − 1 engines).
    const race = new Map<number, number>();
    for (const e of engines) await e.client.request('generateDataset', { datasetId: 'data', spec: RACE_DATA });
    for (let round = 0; round < 3; round++) {
      for (const n of sizes) await timeBest(race, n, () => raceOn(engines.slice(0, n).map((e) => e.client), `r${job++}`));
    }
    for (const n of sizes) line(`race: 4 fits of 500,000 rows × 10 epochs, ${n} engine${n > 1 ? 's' : ''}`, `${race.get(n)!.toFixed(2)} s`);
    for (const n of sizes.slice(1)) {
      ratio(`basin map speed-up, ${n} engines against 1`, times.map.get(1)! / times.map.get(n)!, n === 2 ? '≥ 1.6× on 2 cores' : `up to ${n}×`);
      ratio(`sweep speed-up, ${n} engines against 1`, times.sweep.get(1)! / times.sweep.get(n)!, `up to ${n}×`);
      ratio(`race speed-up, ${n} engines against 1`, race.get(1)! / race.get(n)!, `up to ${n}×`);
    }
  } finally {
    for (const e of engines) e.child.kill();
  }
}
