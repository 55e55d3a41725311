// Random protocol messages: the engine answers every one that carries an id (an error for the bad ones),
// never throws, and keeps working, in process and as a real child process.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EngineHost } from '../../engine/host/host';
import { REQUESTS, type EngineEvent } from '../../engine/host/protocol';
import { runSettings } from '../../engine/spec/run';
import { forkEngine, type ForkedEngine } from '../../engine/host/nodeClient';

/** Messages per property: 5,000 in process, 1,000 through a child process. */
export const PROTOCOL_RUNS = { inProcess: 5000, childProcess: 1000 };

const TYPES = [...Object.keys(REQUESTS), 'bogus', '__proto__', 'constructor', 'hasOwnProperty'];

const field = fc.oneof(fc.jsonValue(), fc.constantFrom('run1', 'current', 'x^2 + y^2', '(1 - x)^2', [0, 1], [[-1, 1]], { name: 'adam', lr: 0.1 }, { kind: 'function', expr: 'x^2' }, 1e9, -1, 1e308, Number.NaN, new Uint8Array([120, 44, 121, 10, 49, 44, 50])));

/** Messages shaped like requests (some valid, most not), and arbitrary values. */
const message = fc.oneof(
  fc.record(
    {
      v: fc.constantFrom(2, 2, 2, 1, 0, '2', null),
      id: fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, '7', null)),
      type: fc.constantFrom(...TYPES),
      input: fc.oneof(
        fc.record(
          {
            expr: field, at: field, runId: field, runIds: fc.oneof(field, fc.array(fc.constantFrom('run1', 'run2', 'r'), { maxLength: 3 })), settings: field, problem: field,
            count: field, step: field, axes: field, x: field, y: field, nx: field, ny: field, spec: field, changes: field, datasetId: field, bytes: field, session: field, jobId: field,
          },
          { requiredKeys: [] },
        ),
        field,
      ),
    },
    { requiredKeys: ['v', 'id', 'type'] },
  ),
  fc.anything(),
);

/** A valid run, so that run-level messages find something to act on. */
const SETUP = [
  { v: 2, id: 900001, type: 'createRun', input: { runId: 'run1', problem: { kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' }, settings: runSettings({ start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.01 }, stop: { maxSteps: 1_000_000 } }) } },
  { v: 2, id: 900002, type: 'generateDataset', input: { datasetId: 'current', spec: { kind: 'line', n: 50, slope: 2, intercept: 1, noise: 0.1, xMin: 0, xMax: 1, seed: 1 } } },
];

describe('protocol fuzzing, in process', () => {
  it(`answers ${PROTOCOL_RUNS.inProcess} random messages without throwing, and still works`, async () => {
    const replies: EngineEvent[] = [];
    const host = new EngineHost((event) => void replies.push(event), (fn) => setTimeout(fn, 0));
    for (const m of SETUP) await host.handle(m);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const before = replies.filter((r) => r.type === 'reply').length;
        await host.handle(m);
        sent++;
        // Every message gets exactly one reply (id 0 when it had none worth using).
        expect(replies.filter((r) => r.type === 'reply').length).toBe(before + 1);
      }),
      { numRuns: PROTOCOL_RUNS.inProcess },
    );
    expect(sent).toBe(PROTOCOL_RUNS.inProcess);
    await host.handle({ v: 2, id: 424242, type: 'evaluate', input: { expr: '2*x^2 + 6*z^2 + 7*m^3', at: [1, 1, 1] } });
    expect(replies.filter((r) => r.type === 'reply').at(-1)).toMatchObject({ type: 'reply', id: 424242, ok: true, result: { value: 15, gradient: [4, 12, 21] } });
    await host.handle({ v: 2, id: 999, type: 'dispose', input: { runIds: ['run1', 'run2', 'r'] } });
  }, 120_000);
});

describe('protocol fuzzing, a real engine process', () => {
  let engine: ForkedEngine | null = null;
  afterAll(() => engine?.child.kill());

  it(`survives ${PROTOCOL_RUNS.childProcess} random messages and answers a request afterwards`, async () => {
    engine = forkEngine();
    await engine.ready;
    const messages = fc.sample(message, { numRuns: PROTOCOL_RUNS.childProcess, seed: 20261125 });
    let exited = false;
    engine.child.on('exit', () => (exited = true));
    // Raw messages take ids far above the client's own, so that their error replies answer nobody.
    const raw = messages.map((m, i) => (m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'number' ? { ...(m as object), id: 1e9 + i } : m));
    for (const m of [...SETUP, ...raw]) {
      try {
        engine.child.send(m as never);
      } catch {
        // Values the IPC channel itself cannot carry (functions, symbols) never reach the engine.
      }
    }
    const answer = await engine.client.request('evaluate', { expr: '5*x^2', at: [1] });
    expect(answer).toEqual({ value: 5, gradient: [10] });
    expect(exited).toBe(false);
    expect(await engine.client.request('hello', {})).toEqual({ version: 2 });
  }, 120_000);
});
