// The lab's state driving the real engine in this process: runs, results that follow their settings,
// the document saved and opened again as it was, a hand-edited session checked, lessons in their own
// document, and the engine's answers for what is on screen.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSession, serializeSession } from '../../../engine';
import { Lab } from '../../../renderer/src/state/lab.svelte';
import { MemoryBridge, until } from './bridge';

const labs: Lab[] = [];

async function lab(): Promise<{ lab: Lab; bridge: MemoryBridge }> {
  const bridge = new MemoryBridge();
  const l = new Lab(bridge);
  labs.push(l);
  await l.init();
  flushSync();
  await until(() => l.analysis !== null, 10_000, 'the formula’s analysis');
  return { lab: l, bridge };
}

afterEach(() => {
  for (const l of labs.splice(0)) l.dispose();
});

const finished = (l: Lab) => l.doc.runs.length > 0 && l.doc.runs.every((r) => ['max_steps', 'converged', 'diverged', 'undefined', 'unbounded'].includes(l.results.live[r.id]?.status ?? ''));

describe('the lab', () => {
  it('starts with Rosenbrock, Adam and SGD from its start point, saved', async () => {
    const { lab: l } = await lab();
    expect(l.doc.expr).toBe('(1 - x)^2 + 100*(y - x^2)^2');
    expect(l.doc.runs.map((r) => [r.optimizer.name, r.optimizer.lr, r.start])).toEqual([['adam', 0.05, [-1.5, 2]], ['sgd', 0.001, [-1.5, 2]]]);
    expect(l.files.dirty).toBe(false);
    expect(l.blocked).toBeNull();
  });

  it('runs every run to its end and keeps each result with what it was computed for', async () => {
    const { lab: l } = await lab();
    await l.runs.runAll();
    await until(() => finished(l), 20_000, 'the runs to finish');
    const adam = l.doc.runs[0];
    const trace = l.results.traces.get(adam.id)!;
    expect(trace.count).toBe(l.results.live[adam.id].step + 1);
    // the gradient comes with each recorded step: ∇f at the start of Rosenbrock from (−1.5, 2)
    expect([trace.gradients[0][0], trace.gradients[1][0]]).toEqual([2 * (-1.5 - 1) - 400 * -1.5 * (2 - 2.25), 200 * (2 - 2.25)]);
    expect(l.files.dirty).toBe(true);
    // a setting changed: that run's result is dropped, the other's kept
    l.runs.update(adam.id, (r) => void (r.optimizer = { ...r.optimizer, lr: 0.01 }));
    flushSync();
    expect(l.results.has(adam.id)).toBe(false);
    expect(l.results.has(l.doc.runs[1].id)).toBe(true);
    // undo brings the setting back; the result it had is gone with the engine's copy
    l.undo();
    expect(l.doc.runs[0].optimizer.lr).toBe(0.05);
    // the problem changed: every result is dropped, every setting kept
    l.formula.setExpr('x^2 + y^2');
    flushSync();
    expect(l.results.ids).toEqual([]);
    expect(l.doc.runs.map((r) => r.optimizer.lr)).toEqual([0.05, 0.001]);
  });

  it('gives a new formula its own plot range around its critical points, and Reset view returns to it without moving a start', async () => {
    const { lab: l } = await lab();
    l.formula.setExpr('x^4 - 3*x^2 + y^2');
    flushSync();
    await until(() => l.doc.view.rangeFor === 'x^4 - 3*x^2 + y^2', 10_000, 'the new range');
    const { xRange, yRange } = l.doc.view;
    expect(xRange[0]).toBeLessThan(-Math.sqrt(1.5));
    expect(xRange[1]).toBeGreaterThan(Math.sqrt(1.5));
    expect(xRange[1] - xRange[0]).toBeLessThan(6);
    expect(yRange[0]).toBeLessThan(0);
    expect(yRange[1]).toBeGreaterThan(0);
    const starts = l.doc.runs.map((r) => r.start);
    l.formula.zoom([0, 1], [0, 1]);
    await l.formula.resetView();
    expect(l.doc.view.xRange).toEqual(xRange);
    expect(l.doc.runs.map((r) => r.start)).toEqual(starts);
    // undo: the reset, the zoom, then the formula and its range together
    l.undo();
    expect(l.doc.view.xRange).toEqual([0, 1]);
    l.undo();
    expect(l.doc.view.xRange).toEqual(xRange);
    l.undo();
    expect(l.doc.expr).toBe('(1 - x)^2 + 100*(y - x^2)^2');
    expect(l.doc.view.xRange).toEqual([-2, 2]);
  });

  it('saves a document that opens again as the same document, results checked bit for bit', async () => {
    const { lab: l, bridge } = await lab();
    l.setChartScale('gradNorm', { logX: true });
    l.setView({ functionView: 'surface' });
    l.setCamera({ position: [1, 2, 3], target: [0, 0, 0.3] });
    await l.runs.runAll();
    await until(() => finished(l), 20_000, 'the runs to finish');
    await l.experiments.runSweep();
    expect(await l.files.save()).toBe(true);
    const text = bridge.saved.at(-1)!.data as string;
    const before = l.doc;
    const session = parseSession(text);
    expect(session.view.charts.gradNorm?.logX).toBe(true);
    expect(session.experiments.sweep.result).not.toBeNull();
    const { lab: other } = await lab();
    expect(await other.files.openBytes('saved.gdlab', new TextEncoder().encode(text), '/files/saved.gdlab')).toBe(true);
    expect(other.doc).toEqual(before);
    expect(other.banner?.message).toBe('Opened saved.gdlab');
    for (const run of other.doc.runs) {
      expect(Array.from(other.results.traces.get(run.id)!.packed())).toEqual(Array.from(l.results.traces.get(run.id)!.packed()));
      expect(other.results.live[run.id].status).toBe(l.results.live[run.id].status);
    }
    expect(other.files.dirty).toBe(false);
  });

  it('opens a hand-edited session with a notice naming the run and what differs, and shows no result for it', async () => {
    const { lab: l, bridge } = await lab();
    await l.runs.runAll();
    await until(() => finished(l), 20_000, 'the runs to finish');
    await l.files.save();
    const session = parseSession(bridge.saved.at(-1)!.data as string);
    session.runs[0].optimizer.lr = 0.04;
    const { lab: other } = await lab();
    await other.files.openBytes('edited.gdlab', new TextEncoder().encode(serializeSession(session)), null);
    expect(other.banner?.kind).toBe('error');
    expect(other.banner?.message).toMatch(/^Opened edited\.gdlab, but not every saved result follows from its settings: Adam 1: at step 0, the learning rate is 0\.05 in the file and 0\.04 from its settings; it is shown without a result\.$/);
    expect(other.results.has(session.runs[0].id)).toBe(false);
    expect(other.results.has(session.runs[1].id)).toBe(true);

    const broken = { ...session, problem: { kind: 'function' as const, expr: 'x^2 + foo(' } };
    const { lab: third } = await lab();
    await third.files.openBytes('badexpr.gdlab', new TextEncoder().encode(serializeSession(broken)), null);
    expect(third.banner?.message).toMatch(/badexpr\.gdlab.*formula/i);
    expect(third.results.ids).toEqual([]);
    expect(third.doc.expr).toBe('x^2 + foo(');
  });

  it('keeps the lessons in their own document: leaving them brings the open one back, unsaved as it was', async () => {
    const { lab: l, bridge } = await lab();
    l.setNotes('the teacher’s note');
    await l.files.save();
    l.setNotes('the teacher’s note, edited');
    expect(l.files.dirty).toBe(true);
    await l.files.enterLessons(() => 'Lesson 1');
    l.formula.setExpr('5*x^2');
    expect(l.files.title).toBe('Lesson 1');
    await l.files.save();
    expect(bridge.saved.at(-1)!.path).toBeNull();
    expect(bridge.saved.at(-1)!.suggestedName).toBe('lesson-1.gdlab');
    await l.files.leaveLessons();
    expect(l.doc.notes).toBe('the teacher’s note, edited');
    expect(l.doc.expr).toBe('(1 - x)^2 + 100*(y - x^2)^2');
    expect(l.files.fileName).toBe('experiment.gdlab');
    expect(l.files.dirty).toBe(true);
    l.undo();
    expect(l.doc.notes).toBe('the teacher’s note');
  });

  it('names only the columns with missing cells, and lets the refusal go once the rows are dropped', async () => {
    const { lab: l } = await lab();
    l.setMode('data');
    const file = join(process.cwd(), 'test', 'fixtures', 'datasets', 'iris-missing.csv');
    expect(await l.data.loadFile('iris-missing.csv', new Uint8Array(readFileSync(file)), null)).toBe(true);
    flushSync();
    await l.runs.runAll();
    await until(() => l.banner?.kind === 'error', 20_000, 'the refusal');
    // Only sepal_width and petal_length have empty cells (see make_datasets.py).
    expect(l.banner!.message).toMatch(/^(Adam 1|SGD 2): 12 rows have a missing or non-numeric value in sepal_width, petal_length \(lines 5, 11, /);
    l.data.set((d) => void (d.missing = 'drop'));
    flushSync();
    expect(l.banner).toBeNull();
    await l.runs.runAll();
    await until(() => finished(l), 20_000, 'the runs to finish');
    expect(l.banner?.kind).not.toBe('error');
  });

  it('opens a session with the plot range it was saved with, a version-1 file too, and gives a formula typed after it its own', async () => {
    const { lab: l } = await lab();
    const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'test', 'fixtures', 'sessions', 'v1-function.gdlab')));
    expect(await l.files.openBytes('v1-function.gdlab', bytes, null)).toBe(true);
    flushSync();
    await until(() => l.analysis?.vars.length === 2 && l.views.idle, 10_000, 'the opened formula’s analysis');
    await l.views.plotRangeNow();
    flushSync();
    expect([l.doc.view.xRange, l.doc.view.yRange]).toEqual([[-3, 3], [-2, 2]]);
    expect(l.files.dirty).toBe(false);
    l.formula.setExpr('x^4 - 3*x^2 + y^2');
    flushSync();
    await until(() => l.doc.view.rangeFor === 'x^4 - 3*x^2 + y^2', 10_000, 'the new formula’s window');
    expect(l.doc.view.xRange).toEqual([-2, 2]);
  });

  it('takes the lesson strip down when Open or New leaves the lessons, and a lesson saved before is not written over by the next', async () => {
    const { lab: l, bridge } = await lab();
    let left = 0;
    l.files.onLeftLessons = () => left++;
    await l.files.enterLessons(() => 'Lesson 1');
    await l.files.save();
    expect(l.files.fileName).toBe('lesson-1.gdlab');
    await l.files.enterLessons(() => 'Lesson 2');
    expect([l.files.fileName, l.files.filePath, l.files.title]).toEqual([null, null, 'Lesson 2']);
    await l.files.save();
    expect(bridge.saved.at(-1)!.suggestedName).toBe('lesson-2.gdlab');
    expect(bridge.saved.at(-1)!.path).toBeNull();
    await l.files.newSession();
    expect(left).toBe(1);
    expect(l.files.lesson).toBeNull();
  });
});
