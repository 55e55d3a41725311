// A race spread over engines in real child processes: each run on the engine with the fewest, every
// request about a run reaching the engine that holds it, the same numbers as on one engine, and the
// runs of a helper that dies reported lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEngine, type ForkedEngine } from '../../engine/host/nodeClient';
import { RunRouter } from '../../engine/host/router';
import type { EngineClient } from '../../engine/host/client';
import type { RunUpdate } from '../../engine/host/protocol';
import type { EngineProblem } from '../../engine/spec/problem';
import { runSettings } from '../../engine/spec/run';

const ROSENBROCK: EngineProblem = { kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' };
const LINE = { kind: 'line', n: 200, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 4 } as const;
const DATA: EngineProblem = { kind: 'data', datasetId: 'data', target: 'y', features: ['x'], model: { kind: 'linear' }, loss: { name: 'mse' }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail', splitSeed: 0 };

let engines: ForkedEngine[] = [];
let reference: ForkedEngine;

beforeAll(async () => {
  engines = [forkEngine(), forkEngine()];
  reference = forkEngine();
  await Promise.all([...engines, reference].map((e) => e.ready));
  for (const e of [engines[0], reference]) await e.client.request('generateDataset', { datasetId: 'data', spec: LINE });
}, 60_000);

afterAll(() => {
  for (const e of [...engines, reference]) e.child.kill('SIGKILL');
});

function router(helpers: () => EngineClient[], engineCount = 2) {
  const prepared: Array<{ engine: EngineClient; kind: string }> = [];
  const r = new RunRouter({
    primary: () => engines[0].client,
    helpers: async () => helpers(),
    prepare: async (engine, problem) => {
      prepared.push({ engine, kind: problem.kind });
      if (problem.kind === 'data') await engine.request('generateDataset', { datasetId: 'data', spec: LINE });
    },
    engines: () => engineCount,
  });
  return { r, prepared };
}

const until = async (predicate: () => boolean) => {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > 30_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('runs spread over engines', () => {
  it('places each run on the engine with the fewest, and gets the numbers one engine gets', async () => {
    let asked = 0;
    const { r, prepared } = router(() => (asked++, [engines[1].client]));
    const settings = (lr: number) => runSettings({ optimizer: { name: 'adam', lr }, start: [-1.5, 2], stop: { maxSteps: 3000 } });
    // A lone run stays on the lab's engine, without starting helpers.
    await r.request('createRun', { runId: 'a', problem: ROSENBROCK, settings: settings(0.01) });
    expect(asked).toBe(0);
    await r.request('createRun', { runId: 'b', problem: ROSENBROCK, settings: settings(0.02) });
    await r.request('createRun', { runId: 'c', problem: ROSENBROCK, settings: settings(0.03) });
    expect(await r.placement()).toEqual([2, 1]);
    expect(prepared.map((p) => p.kind)).toEqual(['function']);
    // Updates arrive from both engines: the lab's own to its listeners, the helper's through the router.
    const latest = new Map<string, RunUpdate>();
    const hear = (updates: RunUpdate[]) => updates.forEach((u) => latest.set(u.runId, u));
    const stops = [engines[0].client.onProgress(hear), r.onHelperProgress(hear)];
    // One step of every run, the snapshots in the order asked.
    const stepped = await r.request('step', { runIds: ['c', 'b', 'a'], count: 1 });
    expect(stepped.map((s) => s.runId)).toEqual(['c', 'b', 'a']);
    await r.request('start', { runIds: ['a', 'b', 'c'] });
    await until(() => ['a', 'b', 'c'].every((id) => latest.get(id)?.status === 'max_steps'));
    for (const stop of stops) stop();
    // Each run's end, bit for bit as the same run on an engine of its own.
    for (const [id, lr] of [['a', 0.01], ['b', 0.02], ['c', 0.03]] as const) {
      await reference.client.request('createRun', { runId: `ref-${id}`, problem: ROSENBROCK, settings: settings(lr) });
      await reference.client.request('step', { runIds: [`ref-${id}`], count: 3000 });
      const ours = await r.request('queryStep', { runId: id, step: 3000 });
      const theirs = await reference.client.request('queryStep', { runId: `ref-${id}`, step: 3000 });
      expect(ours).toEqual(theirs);
    }
    // Requests about one run reach the engine that holds it (the helper does not know 'a').
    expect((await r.request('history', { runId: 'b' })).rows.length).toBeGreaterThan(0);
    await expect(engines[1].client.request('history', { runId: 'a' })).rejects.toThrow();
    await r.request('dispose', { runIds: ['a', 'b', 'c'] });
    expect(await r.placement()).toEqual([0, 0]);
  });

  it('readies a helper with the dataset before a data run is created there', async () => {
    const { r, prepared } = router(() => [engines[1].client]);
    const settings = runSettings({ optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 8, epochs: 3, seed: 5 });
    await r.request('createRun', { runId: 'd1', problem: DATA, settings });
    await r.request('createRun', { runId: 'd2', problem: DATA, settings });
    expect(prepared).toEqual([{ engine: engines[1].client, kind: 'data' }]);
    await r.request('step', { runIds: ['d1', 'd2'], count: 60 });
    const [one, two] = await Promise.all([r.request('queryStep', { runId: 'd1', step: 60 }), r.request('queryStep', { runId: 'd2', step: 60 })]);
    // The same run, same seed, on two engines: the same parameters.
    expect(two.params).toEqual(one.params);
    await r.request('dispose', { runIds: ['d1', 'd2'] });
  });

  it('keeps runs on as many engines as it is given (one on a 2-core machine, where the page needs the other core), starting no helper', async () => {
    let asked = 0;
    const { r, prepared } = router(() => (asked++, [engines[1].client]), 1);
    const settings = runSettings({ optimizer: { name: 'sgd', lr: 0.001 }, start: [-1.5, 2], stop: { maxSteps: 10 } });
    for (const id of ['s1', 's2', 's3']) await r.request('createRun', { runId: id, problem: ROSENBROCK, settings });
    expect(asked).toBe(0);
    await r.request('dispose', { runIds: ['s1', 's2', 's3'] });
    expect(prepared).toEqual([]);
  });

  it('places runs created together evenly, and disposes one removed while its helper was being readied', async () => {
    const { r } = router(() => [engines[1].client]);
    const settings = runSettings({ optimizer: { name: 'sgd', lr: 0.001 }, start: [-1.5, 2], stop: { maxSteps: 10 } });
    await Promise.all(['t1', 't2', 't3', 't4'].map((id) => r.request('createRun', { runId: id, problem: ROSENBROCK, settings })));
    expect(await r.placement()).toEqual([2, 2]);
    await r.request('dispose', { runIds: ['t1', 't2', 't3', 't4'] });
    // Removed while its helper loads the dataset: the helper is told to drop it once it exists.
    const slow = new RunRouter({
      primary: () => engines[0].client,
      helpers: async () => [engines[1].client],
      prepare: () => new Promise((resolve) => setTimeout(resolve, 200)),
      engines: () => 2,
    });
    await slow.request('createRun', { runId: 'u1', problem: ROSENBROCK, settings });
    const creating = slow.request('createRun', { runId: 'u2', problem: ROSENBROCK, settings });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await slow.request('dispose', { runIds: ['u2'] });
    await creating;
    const t0 = Date.now();
    let known = true;
    while (known && Date.now() - t0 < 5000) {
      known = await engines[1].client.request('history', { runId: 'u2' }).then(() => true, () => false);
      if (known) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(known).toBe(false);
    await slow.request('dispose', { runIds: ['u1'] });
  });

  it('reports the runs of a helper that dies as lost, and places the next run elsewhere', async () => {
    const helper = forkEngine();
    await helper.ready;
    let alive = true;
    const { r } = router(() => (alive ? [helper.client] : []));
    const lost: string[][] = [];
    r.onHelperLost(({ lostRuns }) => lost.push(lostRuns));
    const settings = runSettings({ optimizer: { name: 'sgd', lr: 0.001 }, start: [-1.5, 2], stop: { maxSteps: 10 } });
    await r.request('createRun', { runId: 'p', problem: ROSENBROCK, settings });
    await r.request('createRun', { runId: 'q', problem: ROSENBROCK, settings });
    const exited = new Promise((resolve) => helper.child.once('exit', resolve));
    helper.child.kill('SIGKILL');
    await exited;
    alive = false;
    expect(lost).toEqual([['q']]);
    await r.request('createRun', { runId: 'q', problem: ROSENBROCK, settings });
    expect(await r.placement()).toEqual([2]);
    await r.request('dispose', { runIds: ['p', 'q'] });
  });
});
