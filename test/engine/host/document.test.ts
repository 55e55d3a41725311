// The engine's part of one document: the window a new formula is first plotted over (its critical
// points, found by the engine, in closed form here), and a saved run checked against its settings on
// open (the same bits, or the first number that differs).
import { describe, expect, it } from 'vitest';
import { host } from './request';
import { runSettings } from '../../../engine/spec/run';

const ROSENBROCK = '(1 - x)^2 + 100*(y - x^2)^2';

describe('a new formula’s plot window', () => {
  it('holds every critical point of x⁴ − 3x² + y² with a margin: the wells at ±√1.5 and the saddle at 0', async () => {
    const request = host();
    const r = await request('plotRange', { expr: 'x^4 - 3*x^2 + y^2', axes: [0, 1], at: [0, 0] });
    expect(r.how).toBe('critical');
    const xs = r.critical.map((p) => p[0]).sort((a, b) => a - b);
    expect(xs).toHaveLength(3);
    expect(xs[0]).toBeCloseTo(-Math.sqrt(1.5), 9);
    expect(xs[1]).toBeCloseTo(0, 9);
    expect(xs[2]).toBeCloseTo(Math.sqrt(1.5), 9);
    for (const p of r.critical) expect(p[1]).toBeCloseTo(0, 9);
    // The wells are inside, not at the edge; y (all three at 0) gets a window of its own, at least ±1.
    // Symmetric like the formula: ±1.22 with a margin, out to the next half unit.
    expect(r.x).toEqual([-2, 2]);
    expect(r.y![0]).toBeLessThanOrEqual(-1);
    expect(r.y![1]).toBeGreaterThanOrEqual(1);
  });

  it('centres a lone minimum far from the origin: (x − 30)² + (y + 7)²', async () => {
    const request = host();
    const r = await request('plotRange', { expr: '(x - 30)^2 + (y + 7)^2', axes: [0, 1], at: [0, 0] });
    expect(r.critical).toHaveLength(1);
    expect(r.critical[0][0]).toBeCloseTo(30, 10);
    expect(r.critical[0][1]).toBeCloseTo(-7, 10);
    expect(r.x[0]).toBeLessThan(30);
    expect(r.x[1]).toBeGreaterThan(30);
    expect(r.y![0]).toBeLessThan(-7);
    expect(r.y![1]).toBeGreaterThan(-7);
  });

  it('samples a formula without a critical point: log(x) + y has a value only for x > 0', async () => {
    const request = host();
    const r = await request('plotRange', { expr: 'log(x) + y', axes: [0, 1], at: [1, 0] });
    expect(r.how).toBe('sampled');
    expect(r.critical).toEqual([]);
    expect(r.x[0]).toBeGreaterThanOrEqual(0);
    expect(r.x[1]).toBe(5);
  });
});

describe('a saved run checked on open', () => {
  const settings = (lr: number) => runSettings({ optimizer: { name: 'adam', lr }, start: [-1.5, 2], stop: { maxSteps: 200 } });

  /** A run taken to its end, and its history as a session saves it (without the gradient columns). */
  async function saved() {
    const request = host();
    await request('createRun', { runId: 'a', problem: { kind: 'function', expr: ROSENBROCK }, settings: settings(0.05) });
    await request('step', { runIds: ['a'], count: 200 });
    const h = await request('history', { runId: 'a' });
    const width = h.width - h.gradients;
    const rows = new Float64Array((h.rows.length / h.width) * width);
    for (let r = 0; r * h.width < h.rows.length; r++) rows.set(h.rows.subarray(r * h.width, r * h.width + width), r * width);
    return { status: h.status, step: h.step, width, rows };
  }

  it('agrees to the bit when the settings are the ones saved', async () => {
    const run = await saved();
    expect(run.status).toBe('max_steps');
    const request = host();
    const r = await request('replayRun', { runId: 'b', problem: { kind: 'function', expr: ROSENBROCK }, settings: settings(0.05), changes: [], speed: 0, saved: run });
    expect(r.differences).toEqual([]);
  });

  it('names the first number that differs when the learning rate was edited in the file', async () => {
    const run = await saved();
    const request = host();
    const r = await request('replayRun', { runId: 'b', problem: { kind: 'function', expr: ROSENBROCK }, settings: settings(0.04), changes: [], speed: 0, saved: run });
    expect(r.differences[0]).toEqual({ what: 'lr', step: 0, saved: 0.05, now: 0.04 });
  });

  it('names the step and the number when a saved value was edited', async () => {
    const run = await saved();
    const edited = run.rows.slice();
    const row = 10 * run.width;
    expect(edited[row]).toBe(10);
    const was = edited[row + 1];
    edited[row + 1] = was * 2;
    const request = host();
    const r = await request('replayRun', { runId: 'b', problem: { kind: 'function', expr: ROSENBROCK }, settings: settings(0.05), changes: [], speed: 0, saved: { ...run, rows: edited } });
    expect(r.differences).toEqual([{ what: 'value', step: 10, saved: was * 2, now: was }]);
  });

  it('says how the ends differ when the file claims another end', async () => {
    const run = await saved();
    const request = host();
    const r = await request('replayRun', { runId: 'b', problem: { kind: 'function', expr: ROSENBROCK }, settings: settings(0.05), changes: [], speed: 0, saved: { ...run, status: 'converged', step: 200 } });
    expect(r.differences).toEqual([{ what: 'end', saved: { status: 'converged', step: 200 }, now: { status: 'max_steps', step: 200 } }]);
  });
});
