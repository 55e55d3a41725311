// Streamed rows reach the screen in paced frames: a run's numbers change once a frame (its status at
// once), frames are spaced by what the last one cost, and the charts draw in turn, one a task.
import { describe, expect, it } from 'vitest';
import type { RunUpdate } from '../../../engine';
import { pacedFrames, RunResults } from '../../../renderer/src/state/results.svelte';
import { afterDrawing, drawInTurn } from '../../../renderer/src/lib/drawQueue';

/** One row per step for a run over two parameters: step, f, |g|, lr, x, y. */
function update(runId: string, status: RunUpdate['status'], steps: number[], reset = false): RunUpdate {
  const rows = new Float64Array(steps.flatMap((s) => [s, 10 - s, 1, 0.1, s, -s]));
  const last = steps[steps.length - 1];
  return { runId, status, step: last, value: 10 - last, gradNorm: 1, lr: 0.1, params: [last, -last], generation: 0, reset, thinned: 0, width: 6, gradients: 0, rows, epochs: [] };
}

describe('a run streaming into the results', () => {
  it('shows its numbers with the next frame, its status at once, and everything on a save', () => {
    const frames: Array<() => void> = [];
    const results = new RunResults((tick) => frames.push(tick));
    results.begin('a', 'key', [0, 0]);
    results.onProgress([update('a', 'running', [0, 1], true)]);
    // The first update (the whole history, a new status) is shown at once.
    expect(results.live.a).toMatchObject({ status: 'running', step: 1 });
    results.onProgress([update('a', 'running', [2, 3])]);
    results.onProgress([update('a', 'running', [4])]);
    // Rows are kept as they come; the numbers shown wait for the frame.
    expect(results.traces.get('a')!.count).toBe(5);
    expect(results.live.a.step).toBe(1);
    expect(frames).toHaveLength(1);
    const before = results.frame;
    frames.shift()!();
    expect(results.live.a).toMatchObject({ status: 'running', step: 4, value: 6, params: [4, -4] });
    expect(results.frame).toBe(before + 1);
    // Held numbers are written when a reader needs them all current (a save).
    results.onProgress([update('a', 'running', [5])]);
    expect(results.live.a.step).toBe(4);
    results.settle();
    expect(results.live.a.step).toBe(5);
    // A new status is shown at once, with its numbers, and its rows with a frame at once.
    results.onProgress([update('a', 'running', [6])]);
    const ticked = results.frame;
    results.onProgress([update('a', 'converged', [7])]);
    expect(results.live.a).toMatchObject({ status: 'converged', step: 7 });
    expect(results.traces.get('a')!.count).toBe(8);
    expect(results.frame).toBe(ticked + 1);
    expect(results.pending).toBe(true);
    for (const tick of frames.splice(0)) tick();
    expect(results.pending).toBe(false);
  });

  it('drops held numbers of a run that is dropped or begun again', () => {
    const frames: Array<() => void> = [];
    const results = new RunResults((tick) => frames.push(tick));
    results.begin('a', 'key', [0, 0]);
    results.onProgress([update('a', 'running', [0], true)]);
    results.onProgress([update('a', 'running', [1])]);
    results.drop(['a']);
    for (const tick of frames.splice(0)) tick();
    expect(results.live.a).toBeUndefined();
    results.begin('a', 'key2', [3, 3]);
    results.onProgress([update('a', 'running', [0], true)]);
    results.onProgress([update('a', 'running', [1])]);
    results.begin('a', 'key3', [5, 5]);
    for (const tick of frames.splice(0)) tick();
    expect(results.live.a).toMatchObject({ status: 'idle', step: 0, params: [5, 5] });
  });
});

describe('paced frames', () => {
  it('leave as long again without a frame as the last one took, and never lose a tick', () => {
    let clock = 0;
    const frames: Array<() => void> = [];
    const afters: Array<() => void> = [];
    const next = pacedFrames((callback) => frames.push(callback), () => clock, (callback) => afters.push(callback));
    const ticks: number[] = [];
    /** Runs animation frames 16 ms apart until `until`. */
    const advance = (until: number) => {
      while (clock < until) {
        clock += 16;
        for (const frame of frames.splice(0)) frame();
      }
    };
    // A tick whose drawing takes 40 ms (until its charts have drawn).
    next(() => ticks.push(clock));
    advance(16);
    expect(ticks).toEqual([16]);
    clock += 40;
    afters.shift()!();
    // Asked again at once: not before 16 + 2 × 40 ms.
    next(() => ticks.push(clock));
    advance(80);
    expect(ticks).toEqual([16]);
    advance(120);
    expect(ticks).toHaveLength(2);
    // The first frame from 96 ms on (frames come every 16 ms from 56 ms here).
    expect(ticks[1]).toBe(104);
    // While a tick's drawing is not done, no other tick starts.
    next(() => ticks.push(clock));
    advance(400);
    expect(ticks).toHaveLength(2);
    afters.shift()!();
    advance(420);
    expect(ticks).toHaveLength(3);
  });

  it('wait at most a quarter of a second after a tick began, however long its drawing took', () => {
    let clock = 0;
    const frames: Array<() => void> = [];
    const afters: Array<() => void> = [];
    const next = pacedFrames((callback) => frames.push(callback), () => clock, (callback) => afters.push(callback));
    const ticks: number[] = [];
    next(() => ticks.push(clock));
    for (const frame of frames.splice(0)) frame();
    clock += 2000;
    afters.shift()!();
    next(() => ticks.push(clock));
    while (ticks.length < 2) {
      clock += 16;
      for (const frame of frames.splice(0)) frame();
    }
    // Past 250 ms already when the drawing ended: the next tick comes with the next frame.
    expect(ticks[1]).toBe(ticks[0] + 2000 + 16);
  });
});

describe('charts drawn in turn', () => {
  it('draws each chart once, in a task of its own, in the order first asked, then says all are drawn', async () => {
    const log: string[] = [];
    const [a, b] = [{}, {}];
    drawInTurn(a, () => log.push('a1'));
    drawInTurn(b, () => {
      log.push('b');
      // A microtask queued by a chart runs before the next chart draws: each draws in its own task.
      queueMicrotask(() => log.push('b microtask'));
    });
    // Asked again before its turn: it keeps its place and draws once, with what is current then.
    drawInTurn(a, () => log.push('a2'));
    const drawn = new Promise<void>((resolve) => afterDrawing(resolve));
    expect(log).toEqual([]);
    await drawn;
    expect(log).toEqual(['a2', 'b', 'b microtask']);
  });

  it('draws every chart in turn however often all are asked again, and waits only for those asked before', async () => {
    const counts = [0, 0, 0];
    const owners = [{}, {}, {}];
    const askAll = () => owners.forEach((owner, k) => drawInTurn(owner, () => counts[k]++));
    askAll();
    let called = false;
    const first = new Promise<void>((resolve) => afterDrawing(() => {
      called = true;
      resolve();
    }));
    // Every chart asked again after each turn (a replay slider dragged): none is starved, and the
    // caller waiting for the first three drawings is not held back by the later ones.
    for (let turn = 0; turn < 9 && !called; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      askAll();
    }
    await first;
    expect(counts.every((c) => c >= 1)).toBe(true);
    await new Promise<void>((resolve) => afterDrawing(resolve));
  });

  it('keeps drawing the others when one chart throws, and lets the error through', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      drawInTurn({}, () => {
        throw new Error('a broken chart');
      });
      drawInTurn({}, () => log.push('next'));
      await new Promise<void>((resolve) => afterDrawing(resolve));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(log).toEqual(['next']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['a broken chart']);
  });
});
