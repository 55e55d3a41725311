// The engine protocol over a real Node child process, through the same host
// every transport uses: requests, a four-optimizer race of a million steps
// each, pause/resume/step/stop, bad messages, and a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { forkEngine, type ForkedEngine } from '../../engine/host/nodeClient';
import type { RunUpdate } from '../../engine/host/protocol';
import { runSettings } from '../../engine/spec/run';
import { RunTrace } from '../../renderer/src/state/trace';

const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';
let engine: ForkedEngine | null = null;

afterEach(() => {
  engine?.child.kill('SIGKILL');
  engine = null;
});

async function start(): Promise<ForkedEngine> {
  engine = forkEngine();
  await engine.ready;
  return engine;
}

function collect(e: ForkedEngine) {
  const latest = new Map<string, RunUpdate>();
  const rows = new Map<string, number>();
  const traces = new Map<string, RunTrace>();
  let events = 0;
  e.client.onProgress((updates) => {
    events++;
    for (const u of updates) {
      latest.set(u.runId, u);
      if (!traces.has(u.runId)) traces.set(u.runId, new RunTrace());
      traces.get(u.runId)!.append(u.rows, u.width, u.gradients, u.reset, u.generation, u.thinned);
      let held = u.reset ? 0 : rows.get(u.runId) ?? 0;
      for (let k = 0; k < u.thinned; k++) held = Math.ceil(held / 2);
      rows.set(u.runId, held + u.rows.length / u.width);
    }
  });
  return { latest, rows, traces, events: () => events };
}

const until = async (predicate: () => boolean, timeoutMs = 60_000) => {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the engine in a child process', () => {
  it('answers formula requests', async () => {
    const { client } = await start();
    expect(await client.request('analyze', { expr: '2*x^2 + 6*z^2 + 7*m^3' })).toMatchObject({ vars: ['x', 'z', 'm'], gradientExprs: ['4 * x', '12 * z', '21 * m ^ 2'] });
    expect(await client.request('evaluate', { expr: '2*x^2 + 6*z^2 + 7*m^3', at: [1, 1, 1] })).toEqual({ value: 15, gradient: [4, 12, 21] });
    await expect(client.request('analyze', { expr: 'sine(x)' })).rejects.toMatchObject({ info: { kind: 'formula', column: 1, message: 'Unknown function sine at column 1 — did you mean sin?' } });
    const grid = await client.request('grid', { expr: 'x^2 + y^2', axes: [0, 1], at: [0, 0], x: [-1, 1], y: [-1, 1], nx: 3, ny: 3 });
    expect(grid.values).toBeInstanceOf(Float64Array);
    expect(Array.from(grid.values)).toEqual([2, 1, 2, 1, 0, 1, 2, 1, 2]);
  });

  it('races four optimizers on Rosenbrock for 1,000,000 steps each, with pause, step, resume', async () => {
    const e = await start();
    const seen = collect(e);
    const names = ['sgd', 'adam', 'rmsprop', 'nadam'];
    for (const name of names) {
      await e.client.request('createRun', {
        // 100,000 steps a second at first, so that none finishes before the pause however busy the machine is
        runId: name, problem: { kind: 'function', expr: ROSENBROCK }, settings: runSettings({ start: [-1.5, 2], optimizer: { name, lr: name === 'sgd' ? 0.0005 : 0.001 }, stop: { maxSteps: 1_000_000, divergenceBound: 1e300 } }), speed: 100_000,
      });
    }
    const t0 = Date.now();
    await e.client.request('start', { runIds: names });
    await until(() => names.every((n) => (seen.latest.get(n)?.step ?? 0) > 10_000));
    await e.client.request('pause', { runIds: names });
    const paused = names.map((n) => seen.latest.get(n)!.step);
    expect(names.map((n) => seen.latest.get(n)!.status)).toEqual(['paused', 'paused', 'paused', 'paused']);
    await new Promise((r) => setTimeout(r, 100));
    expect(names.map((n) => seen.latest.get(n)!.step)).toEqual(paused);

    const stepped = await e.client.request('step', { runIds: ['adam'], count: 1 });
    expect(stepped[0].step).toBe(paused[1] + 1);

    await e.client.request('setSpeed', { runIds: names, speed: 0 });
    await e.client.request('resume', { runIds: names });
    await until(() => names.every((n) => seen.latest.get(n)?.status === 'max_steps'), 120_000);
    const seconds = (Date.now() - t0) / 1000;
    for (const n of names) {
      const u = seen.latest.get(n)!;
      expect(u.step).toBe(1_000_000);
      expect(u.message).toBe('Reached the maximum of 1000000 steps');
    }
    // Adam reaches (1, 1); the history streamed to the client is bounded.
    expect(seen.latest.get('adam')!.params[0]).toBeCloseTo(1, 6);
    for (const n of names) expect(seen.rows.get(n)!).toBeLessThanOrEqual(1 << 16);
    // progress is batched: at most ~60 events a second (plus the forced ones around pause/step)
    expect(seen.events()).toBeLessThan(70 * seconds + 20);

    // The client's copy, thinned locally as the engine thinned its own, is the engine's history exactly.
    for (const n of names) {
      const history = await e.client.request('history', { runId: n });
      const t = seen.traces.get(n)!;
      expect(t.count).toBe(history.rows.length / history.width);
      for (let i = 0; i < t.count; i++) {
        expect(t.steps[i]).toBe(history.rows[i * history.width]);
        expect(t.values[i]).toBe(history.rows[i * history.width + 1]);
      }
    }

    const record = await e.client.request('queryStep', { runId: 'adam', step: 500_000 });
    expect(record.step).toBeLessThanOrEqual(500_000);
    expect(record.step).toBeGreaterThan(490_000);
  });

  it('stops a run on request and lets a paused run change its learning rate', async () => {
    const e = await start();
    const seen = collect(e);
    await e.client.request('createRun', { runId: 'a', problem: { kind: 'function', expr: 'x^2' }, settings: runSettings({ start: [1], optimizer: { name: 'sgd', lr: 0.25 }, stop: { maxSteps: 100 } }) });
    await e.client.request('step', { runIds: ['a'], count: 2 });
    await e.client.request('setHyperparameters', { runId: 'a', changes: { lr: 0.5 } });
    const [after] = await e.client.request('step', { runIds: ['a'], count: 1 });
    expect(after.params).toEqual([0]);
    await expect(e.client.request('setHyperparameters', { runId: 'a', changes: { lr: -1 } })).rejects.toThrow('Invalid learning rate: -1');
    await e.client.request('createRun', { runId: 'long', problem: { kind: 'function', expr: 'x^2 + y^2' }, settings: runSettings({ start: [1, 1], optimizer: { name: 'sgd', lr: 1e-9 }, stop: { maxSteps: 1e9 } }) });
    await e.client.request('start', { runIds: ['long'] });
    await until(() => (seen.latest.get('long')?.step ?? 0) > 1000);
    await e.client.request('stop', { runIds: ['long'] });
    await until(() => seen.latest.get('long')?.status === 'stopped');
    expect(seen.latest.get('long')!.message).toMatch(/^Stopped by the user at step \d+$/);
  });

  it('answers malformed messages with an error and keeps working', async () => {
    const e = await start();
    const replies: unknown[] = [];
    e.child.on('message', (m: any) => { if (m.type === 'reply' && m.id >= 1000) replies.push(m); });
    e.child.send({ v: 2, id: 1000, type: 'createRun', input: { runId: 'x' } });
    e.child.send({ v: 2, id: 1001, type: 'selfDestruct', input: {} });
    e.child.send({ v: 99, id: 1002, type: 'hello', input: {} });
    e.child.send('garbage' as never);
    e.child.send({ v: 2, id: 1003, type: 'grid', input: { expr: 'x', axes: [0, 1], at: [], x: [0, 1], y: [0, 1], nx: 1e9, ny: 2 } });
    await until(() => replies.length >= 4);
    expect(replies).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 1000, ok: false, error: expect.objectContaining({ kind: 'protocol', message: expect.stringMatching(/^Invalid createRun request at problem/) }) }),
      expect.objectContaining({ id: 1001, ok: false, error: expect.objectContaining({ kind: 'protocol', message: 'Unknown request "selfDestruct"' }) }),
      expect.objectContaining({ id: 1002, ok: false, error: expect.objectContaining({ message: 'Protocol version 99 is not supported; this engine speaks version 2' }) }),
      expect.objectContaining({ id: 1003, ok: false, error: expect.objectContaining({ message: expect.stringMatching(/^Invalid grid request at nx/) }) }),
    ]));
    expect(await e.client.request('hello', {})).toEqual({ version: 2 });
  });

  it('reports which runs were lost when the process dies mid-run', async () => {
    const e = await start();
    const seen = collect(e);
    for (const runId of ['r1', 'r2']) {
      await e.client.request('createRun', { runId, problem: { kind: 'function', expr: ROSENBROCK }, settings: runSettings({ start: [-1.5, 2], optimizer: { name: 'adam', lr: 1e-6 }, stop: { maxSteps: 1e9 } }) });
    }
    await e.client.request('start', { runIds: ['r1', 'r2'] });
    await until(() => (seen.latest.get('r1')?.step ?? 0) > 1000);
    const crash = new Promise<{ lostRuns: string[]; reason: string }>((resolve) => e.client.onCrash(resolve));
    const pending = e.client.request('queryStep', { runId: 'r1', step: 1 });
    e.child.kill('SIGKILL');
    const info = await crash;
    expect(info.lostRuns.sort()).toEqual(['r1', 'r2']);
    expect(info.reason).toBe('killed by SIGKILL');
    await pending.then(
      () => undefined,
      (error: Error) => expect(error.message).toMatch(/^The engine stopped/),
    );
    await expect(e.client.request('hello', {})).rejects.toThrow('The engine is not running');
  });
});

describe('jobs beside runs', () => {
  it('cancels a 500 × 500 basin map half-way while a run keeps streaming', async () => {
    const e = await start();
    const seen = collect(e);
    const progress: number[] = [];
    e.client.onJobProgress((p) => p.jobId === 'map' && progress.push(p.fraction));
    await e.client.request('createRun', { runId: 'r', problem: { kind: 'function', expr: ROSENBROCK }, settings: runSettings({ start: [-1.5, 2], optimizer: { name: 'sgd', lr: 1e-9 }, stop: { maxSteps: 1e9 } }) });
    await e.client.request('start', { runIds: ['r'] });
    const map = e.client.request('basinMap', { jobId: 'map', expr: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', optimizer: { name: 'sgd', lr: 0.01 }, x: [-5, 5], y: [-5, 5], nx: 500, ny: 500, steps: 500 });
    const outcome = map.then(() => 'finished', (error: { info?: { kind: string } }) => error.info?.kind);
    await until(() => progress.length > 0 && progress[progress.length - 1] > 0.05);
    // While the map is drawn, the run streams on.
    const during = seen.latest.get('r')!.step;
    await until(() => seen.latest.get('r')!.step > during + 1000);
    expect(await e.client.request('cancelJob', { jobId: 'map' })).toEqual({ cancelled: true });
    expect(await outcome).toBe('cancelled');
    const at = progress[progress.length - 1];
    expect(at).toBeGreaterThan(0.05);
    expect(at).toBeLessThan(0.9);
    // …and after it: the run keeps going, and the engine answers.
    const after = seen.latest.get('r')!.step;
    await until(() => seen.latest.get('r')!.step > after + 1000);
    expect(seen.latest.get('r')!.status).toBe('running');
    expect(await e.client.request('cancelJob', { jobId: 'map' })).toEqual({ cancelled: false });
    expect(await e.client.request('evaluate', { expr: '5*x^2', at: [1] })).toEqual({ value: 5, gradient: [10] });
  });
});

describe('loading a dataset in the engine process', () => {
  it('reports progress while a large file is parsed, then its summary', async () => {
    const e = await start();
    const rows = ['a,b,c,y'];
    for (let i = 0; i < 200_000; i++) rows.push(`${i % 97},${i % 13},${(i * 7) % 31},${i % 5}`);
    const bytes = new TextEncoder().encode(`${rows.join('\n')}\n`);
    const progress: number[] = [];
    e.client.onLoadProgress((p) => progress.push(p.fraction));
    const summary = await e.client.request('loadDataset', { datasetId: 'big', name: 'big.csv', bytes });
    expect(summary.rowCount).toBe(200_000);
    expect(summary.columns.map((c: { name: string }) => c.name)).toEqual(['a', 'b', 'c', 'y']);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(1);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);
  });
});
