// A host whose page has gone (a reload hands the engine process a new port) is closed: its runs
// dropped, its jobs cancelled, so that nothing keeps running for nobody.
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../../../engine/host/host';
import type { EngineEvent } from '../../../engine/host/protocol';
import { runSettings } from '../../../engine/spec/run';

describe('closing a host', () => {
  it('cancels its jobs and drops its runs', async () => {
    const replies = new Map<number, EngineEvent & { type: 'reply' }>();
    const host = new EngineHost((e) => { if (e.type === 'reply') replies.set(e.id, e); }, (fn) => setTimeout(fn, 0));
    await host.handle({ v: 2, id: 1, type: 'createRun', input: { runId: 'r', problem: { kind: 'function', expr: 'x^2' }, settings: runSettings({ optimizer: { name: 'sgd', lr: 0.1 }, start: [1] }) } });
    expect(replies.get(1)?.ok).toBe(true);
    const job = host.handle({ v: 2, id: 2, type: 'basinMap', input: { jobId: 'j', expr: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', optimizer: { name: 'sgd', lr: 0.01 }, x: [-6, 6], y: [-6, 6], nx: 500, ny: 500, steps: 100_000 } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    host.close();
    await job;
    expect(replies.get(2)).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    await host.handle({ v: 2, id: 3, type: 'history', input: { runId: 'r' } });
    expect(replies.get(3)?.ok).toBe(false);
  });
});
