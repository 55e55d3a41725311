// Memory stays bounded however long a run is: the engine's history thins itself, and the renderer's
// copy (fed by the same progress messages) thins with it.
import { runSettings } from '../../engine/spec/run';
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../../engine/host/host';
import type { EngineEvent, RunUpdate } from '../../engine/host/protocol';
import { RunTrace } from '../../renderer/src/state/trace';

const STEPS = 10_000_000;
/** The history's default capacity (engine/run/history.ts): rows kept per run. */
const CAPACITY = 1 << 16;

describe('a 10,000,000-step run', () => {
  it('keeps at most 65,536 history rows in the engine and in the renderer’s copy', async () => {
    let finished = false;
    const trace = new RunTrace();
    let largest = 0;
    const replies = new Map<number, unknown>();
    const host = new EngineHost((event: EngineEvent) => {
      if (event.type === 'reply') replies.set(event.id, event);
      if (event.type !== 'progress') return;
      for (const u of event.updates as RunUpdate[]) {
        trace.append(u.rows, u.width, u.gradients, u.reset, u.generation, u.thinned);
        largest = Math.max(largest, trace.count);
        if (u.status === 'max_steps') finished = true;
      }
    });
    await host.handle({ v: 2, id: 1, type: 'createRun', input: { runId: 'long', problem: { kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' }, settings: runSettings({ start: [-1.5, 2], optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: STEPS } }) } });
    await host.handle({ v: 2, id: 2, type: 'start', input: { runIds: ['long'] } });
    const started = Date.now();
    while (!finished && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 20));
    expect(finished).toBe(true);
    await host.handle({ v: 2, id: 3, type: 'history', input: { runId: 'long' } });
    const history = replies.get(3) as { result: { rows: Float64Array; width: number } };
    const rows = history.result.rows.length / history.result.width;
    expect(rows).toBeLessThanOrEqual(CAPACITY);
    expect(rows).toBeGreaterThan(CAPACITY / 4);
    // The engine keeps the final step whatever its stride.
    expect(history.result.rows[(rows - 1) * history.result.width]).toBe(STEPS);
    // The renderer's copy is the engine's history, row for row, and never grew past it.
    expect(trace.count).toBe(rows);
    expect(largest).toBeLessThanOrEqual(CAPACITY + 1);
    expect(trace.steps.length).toBeLessThanOrEqual(2 * CAPACITY);
    expect(trace.steps[trace.count - 1]).toBe(STEPS);
  }, 150_000);
});
