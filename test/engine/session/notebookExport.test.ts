// "Export as Jupyter notebook", executed headless with Debian's python3-nbclient, python3-ipykernel
// and python3-matplotlib: a function run, a linear fit and a network fit reproduce the lab's final
// numbers to 1e-9 and write their figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSession, sessionRun } from '../../../engine/session/create';
import { rerun, sessionNotebook } from '../../../engine/session/rerun';
import { generateDataset } from '../../../engine/data/generators';
import type { Session } from '../../../engine/spec/session';
import type { RunSettings } from '../../../engine/spec/run';
import type { Dataset } from '../../../engine/data/table';

const PYTHON = process.env.GDLAB_PYTHON ?? '/usr/bin/python3';
const hasJupyter = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch, nbclient, nbformat, ipykernel, matplotlib'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasJupyter) {
  if (process.env.CI) throw new Error('the notebook check needs python3-torch, python3-nbclient, python3-ipykernel and python3-matplotlib: .ci/run installs them');
  console.log('skipped: the notebook check needs python3-torch, python3-nbclient, python3-ipykernel and python3-matplotlib (apt-get install them)');
}

const EXECUTE = `import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[3])
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-notebook-'));
  writeFileSync(join(dir, 'execute.py'), EXECUTE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Output { output_type: string; text?: string | string[]; data?: Record<string, unknown> }
interface Notebook { cells: Array<{ cell_type: string; source: string | string[]; outputs?: Output[] }> }

/** Writes the notebook, executes it in a fresh kernel in `dir`, and returns the executed notebook. */
function execute(stem: string, text: string): Promise<Notebook> {
  const path = join(dir, `${stem}.ipynb`);
  const out = join(dir, `${stem}.out.ipynb`);
  writeFileSync(path, text);
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [join(dir, 'execute.py'), path, dir, out], { timeout: 300_000, maxBuffer: 64 * 2 ** 20 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${stem}.ipynb failed: ${stderr.slice(-4000)}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')) as Notebook);
    });
  });
}

const text = (o: Output) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-3);

/** The notebook's final numbers of each run against the lab's own re-run, and its figures. */
function check(nb: Notebook, session: Session, dataset: Dataset | null, stem: string, figures: string[]): void {
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const line = outputs.map(text).join('').split('\n').find((l) => l.startsWith('GDLAB_RESULTS '));
  expect(line, 'the comparison cell printed its results').toBeDefined();
  const results = JSON.parse(line!.slice('GDLAB_RESULTS '.length)) as Array<{ run: string; status: string; steps: number; params: number[]; value: number; finalLoss?: number }>;
  // Every run torch.optim has (Newton's method and backtracking have no counterpart: left out, and said so).
  expect(results.map((r) => r.run)).toEqual(session.runs.filter((r) => !['newton', 'backtracking'].includes(r.optimizer.name)).map((r) => r.id));
  for (const mine of results) {
    const saved = session.runs.find((r) => r.id === mine.run)!;
    const { run, fit } = rerun(session, saved, dataset);
    expect([mine.status, mine.steps]).toEqual([run.outcome?.status, run.step]);
    Array.from(run.p).forEach((p, i) => expect(close(p, mine.params[i]), `${saved.name} p${i}: ${p} in the lab, ${mine.params[i]} in the notebook`).toBe(true));
    if (fit) expect(close(fit.objective.trainLoss(run.p), mine.finalLoss!)).toBe(true);
  }
  // The notebook says so itself, in its own words.
  expect(outputs.map(text).join('')).toContain('Every final number agrees with the lab’s to');
  // Its figures: drawn in the notebook and written beside it, not empty.
  const images = outputs.filter((o) => o.output_type === 'display_data' && o.data && 'image/png' in o.data);
  expect(images.length).toBe(figures.length);
  for (const figure of figures) {
    const path = join(dir, `${stem}-${figure}.png`);
    expect(existsSync(path), path).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(10_000);
  }
}

const base = (start: number[], steps: number): Omit<RunSettings, 'optimizer'> => ({
  schedule: null, warmup: null, clipNorm: null, start, stop: { maxSteps: steps, gradTol: 0, fTol: 0, divergenceBound: 1e12 }, batchSize: 'full', epochs: 1, shuffle: false, seed: 0,
});
const session = (problem: Session['problem'], settings: RunSettings[]) => newSession(problem, settings.map((s, i) => sessionRun(i, s, null)));

describe.skipIf(!hasJupyter)('the Jupyter notebook export, executed with nbclient', () => {
  it('of a function run: the runs, the check against the lab, the loss curve and the contour map with the paths', async () => {
    const b = base([-1.5, 2], 400);
    const s = session({ kind: 'function', expr: '(1 - x)^2 + 100*(y - x^2)^2' }, [
      // First, a run the script leaves out: the notebook compares the others with their own lab runs.
      { ...b, optimizer: { name: 'newton', lr: 1 } },
      { ...b, optimizer: { name: 'adam', lr: 0.02 } },
      { ...b, optimizer: { name: 'sgd', lr: 0.0005, momentum: 0.9 }, schedule: { type: 'cosine', T_max: 400, eta_min: 0.0001 } },
    ]);
    s.view.xRange = [-2, 2];
    s.view.yRange = [-1, 3];
    const nb = await execute('rosenbrock', sessionNotebook(s, null, { stem: 'rosenbrock' }));
    // The problem and each run's settings are stated first.
    const first = [nb.cells[0].source].flat().join('');
    expect(first).toContain('Minimize f(x, y) = (1 - x)^2 + 100*(y - x^2)^2.');
    expect(first).toMatch(/\| Adam 2 \| adam \| lr=0\.02 \| constant \| up to 400 steps \|/);
    expect(first).toContain('"type":"cosine"');
    check(nb, s, null, 'rosenbrock', ['loss', 'contour']);
  }, 300_000);

  it('of a run that ends where f is not a number: compared as such, its figures still drawn', async () => {
    const b = base([-1, 1], 200);
    const s = session({ kind: 'function', expr: 'sqrt(x) + y^2' }, [
      { ...b, optimizer: { name: 'sgd', lr: 0.1 } },
      { ...b, optimizer: { name: 'adam', lr: 0.1 }, start: [1, 1] },
    ]);
    const { run } = rerun(s, s.runs[0], null);
    expect([run.outcome?.status, Number.isNaN(run.history.record(run.history.indexAtOrBefore(run.step)).value)]).toEqual(['undefined', true]);
    const nb = await execute('diverging', sessionNotebook(s, null, { stem: 'diverging' }));
    const printed = nb.cells.flatMap((c) => c.outputs ?? []).map(text).join('');
    expect(printed).toContain('Every final number agrees with the lab’s to');
    expect(existsSync(join(dir, 'diverging-loss.png'))).toBe(true);
  }, 300_000);

  it('of a linear fit with shuffled mini-batches, L2 and a validation split: the fitted lines', async () => {
    const spec = { kind: 'line' as const, n: 80, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 5 };
    const dataset = generateDataset(spec);
    const b = { ...base([], 0), stop: { gradTol: 0 } };
    const s = session({
      kind: 'data', dataset: { kind: 'generated', spec }, target: 'y', features: ['x'], model: { kind: 'linear' },
      loss: { name: 'mse' }, reg: { l1: 0, l2: 0.01 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 3,
    }, [
      { ...b, optimizer: { name: 'adam', lr: 0.05 }, batchSize: 8, epochs: 15, shuffle: true, seed: 7 },
      { ...b, optimizer: { name: 'sgd', lr: 0.02, momentum: 0.9 }, batchSize: 'full', epochs: 40, shuffle: false, seed: 0 },
    ]);
    const nb = await execute('line', sessionNotebook(s, dataset, { stem: 'line' }));
    expect([nb.cells[0].source].flat().join('')).toContain('| Adam 1 | adam | lr=0.05 | constant | 15 epochs in batches of 8 |');
    check(nb, s, dataset, 'line', ['loss', 'fit']);
  }, 300_000);

  it('of a network fitted to the circle set: the class regions', async () => {
    const spec = { kind: 'circle' as const, n: 200, noise: 0.1, seed: 2 };
    const dataset = generateDataset(spec);
    const b = { ...base([], 0), stop: { gradTol: 0 } };
    const s = session({
      kind: 'data', dataset: { kind: 'generated', spec }, target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp', hidden: [8], activation: 'tanh' },
      loss: { name: 'bce' }, reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: true, missing: 'fail', splitSeed: 0,
    }, [{ ...b, optimizer: { name: 'adam', lr: 0.03 }, batchSize: 32, epochs: 20, shuffle: true, seed: 4 }]);
    const nb = await execute('circle', sessionNotebook(s, dataset, { stem: 'circle' }));
    check(nb, s, dataset, 'circle', ['loss', 'fit']);
  }, 300_000);
});
