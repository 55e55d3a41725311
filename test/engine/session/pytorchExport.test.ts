// "Export as PyTorch script", checked by running the script with Debian's python3-torch: each run's
// records must match the lab's own trajectory to 1e-9 relative.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSession, sessionRun } from '../../../engine/session/create';
import { pytorchScript } from '../../../engine/session/export/pytorch';
import { buildSessionRun, rerun } from '../../../engine/session/rerun';
import { generateDataset } from '../../../engine/data/generators';
import type { Session } from '../../../engine/spec/session';
import type { RunSettings } from '../../../engine/spec/run';
import type { Dataset } from '../../../engine/data/table';

// Debian's python3 with python3-torch (.ci/run installs it); GDLAB_PYTHON names another interpreter.
const PYTHON = process.env.GDLAB_PYTHON ?? '/usr/bin/python3';
const hasTorch = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTorch) {
  if (process.env.CI) throw new Error('python3-torch is missing: .ci/run installs it (apt-get install python3-torch)');
  console.log('skipped: the PyTorch export check needs python3-torch (apt-get install python3-torch)');
}

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'gdlab-torch-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ScriptRun {
  run: string;
  status: string;
  steps: number;
  finalLoss?: number;
  records: Array<{ step: number; params: number[]; value: number; gradNorm: number }>;
}

function runScript(name: string, script: string): Promise<ScriptRun[]> {
  const path = join(dir, name);
  writeFileSync(path, script);
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [path], { timeout: 120_000, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} failed: ${stderr}`));
      else resolve(stdout.trim().split('\n').map((line) => JSON.parse(line)));
    });
  });
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-3);

/**
 * Runs every session run in the engine and compares each record of the script with the engine's
 * history at that step: value, parameters and gradient norm to 1e-9 relative. Returns how many of
 * those numbers are bit-identical, and how many were compared.
 */
function compare(session: Session, dataset: Dataset | null, results: ScriptRun[]): { identical: number; compared: number } {
  let identical = 0;
  let compared = 0;
  expect(results.map((r) => r.run)).toEqual(session.runs.map((r) => r.id));
  for (const [k, saved] of session.runs.entries()) {
    const { run, fit } = rerun(session, saved, dataset);
    const mine = results[k];
    if (fit) {
      // The script's final loss over all training rows is the lab's.
      compared++;
      const lab = fit.objective.trainLoss(run.p);
      if (lab === mine.finalLoss) identical++;
      else if (mine.finalLoss === undefined || !close(lab, mine.finalLoss)) throw new Error(`${saved.name}: the final loss is ${lab} in the lab, ${mine.finalLoss} in PyTorch`);
    }
    expect(mine.status, saved.name).toBe(run.outcome?.status);
    expect(mine.steps, saved.name).toBe(run.step);
    const h = run.history;
    for (const r of mine.records) {
      const row = h.record(h.indexAtOrBefore(r.step));
      expect(row.step).toBe(r.step);
      const pairs: Array<[string, number, number]> = [['f', row.value, r.value], ['‖∇f‖', row.gradNorm, r.gradNorm], ...row.params.map((p, i): [string, number, number] => [`p${i}`, p, r.params[i]])];
      for (const [what, lab, torch] of pairs) {
        compared++;
        if (lab === torch) identical++;
        else if (!close(lab, torch)) throw new Error(`${saved.name} at step ${r.step}: ${what} is ${lab} in the lab, ${torch} in PyTorch`);
      }
    }
  }
  return { identical, compared };
}

type Settings = RunSettings;
const base = (start: number[], steps: number): Omit<Settings, 'optimizer'> => ({
  schedule: null, warmup: null, clipNorm: null, start, stop: { maxSteps: steps, gradTol: 0, fTol: 0, divergenceBound: 1e12 }, batchSize: 'full', epochs: 1, shuffle: false, seed: 0,
});

/** Every torch.optim optimizer the lab has, some with non-default hyperparameters, a schedule, warm-up or clipping. */
function everyOptimizer(lr: number, start: number[], steps: number): Settings[] {
  const b = base(start, steps);
  return [
    { ...b, optimizer: { name: 'sgd', lr: lr / 10, momentum: 0.9, nesterov: true } },
    { ...b, optimizer: { name: 'sgd', lr: lr / 10, momentum: 0.8, dampening: 0.1, weight_decay: 0.01 }, schedule: { type: 'step', step_size: 50, gamma: 0.5 } },
    { ...b, optimizer: { name: 'adagrad', lr: lr * 10, lr_decay: 0.01, initial_accumulator_value: 0.1 } },
    { ...b, optimizer: { name: 'rmsprop', lr: lr / 10, alpha: 0.9, momentum: 0.5 } },
    { ...b, optimizer: { name: 'rmsprop', lr: lr / 10, centered: true, weight_decay: 0.01 }, clipNorm: 20 },
    { ...b, optimizer: { name: 'adadelta', lr: 1, rho: 0.95 } },
    { ...b, optimizer: { name: 'adam', lr, amsgrad: true }, schedule: { type: 'cosine', T_max: steps, eta_min: lr / 100 }, warmup: { warmup_steps: 10, start_factor: 0.25 } },
    { ...b, optimizer: { name: 'adamw', lr, betas: [0.8, 0.99], weight_decay: 0.1 }, clipNorm: 5 },
    { ...b, optimizer: { name: 'adamax', lr }, schedule: { type: 'exponential', gamma: 0.99 } },
    { ...b, optimizer: { name: 'nadam', lr, momentum_decay: 0.01 } },
    { ...b, optimizer: { name: 'radam', lr, weight_decay: 0.01 }, schedule: { type: 'inverse_time', decay: 0.01 } },
  ];
}

function session(problem: Session['problem'], settings: Settings[]): Session {
  return newSession(problem, settings.map((s, i) => sessionRun(i, s, null)));
}

describe.skipIf(!hasTorch)('the PyTorch export reproduces the lab’s runs with python3-torch', () => {
  // Formulas run as autograd computes them: every record of every run agrees, and on these functions bit for bit.
  it.each([
    ['Rosenbrock', '(1 - x)^2 + 100*(y - x^2)^2', 0.002, [-1.5, 2]],
    ['Beale’s function', '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2', 0.002, [1, 1]],
    ['an ill-conditioned, rotated quadratic', 'x^2 + 10*y^2 + 3*x*y - 2*x', 0.01, [3, -2]],
    ['Booth’s function with implicit multiplication and a function call', '(x + 2y - 7)^2 + (2x + y - 5)^2 + 0.1*log(1 + x^2)', 0.05, [-3, -2]],
  ] as const)('on %s: every optimizer, 300 steps, every record to 1e-9', async (name, expr, lr, start) => {
    const s = session({ kind: 'function', expr }, everyOptimizer(lr, [...start], 300));
    const { identical, compared } = compare(s, null, await runScript(`${name.split(' ')[0]}.py`, pytorchScript(s)));
    console.log(`PyTorch export on ${name}: ${identical} of ${compared} recorded numbers bit-identical`);
    if (!expr.includes('log')) expect(identical).toBe(compared);
  }, 120_000);

  it('stops where the lab stops: RMSprop with momentum on Beale keeps moving after its gradient is 0, and converges with a tolerance only once the next update would not move it', async () => {
    const beale = '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2';
    const b = base([1, 1.5], 1000);
    const s = session({ kind: 'function', expr: beale }, [
      { ...b, optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.9 } },
      { ...b, optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.9 }, stop: { ...b.stop, gradTol: 1e-3 } },
    ]);
    const results = await runScript('stops.py', pytorchScript(s));
    compare(s, null, results);
    expect(results[0]).toMatchObject({ status: 'max_steps', steps: 1000 });
    expect(results[1].status).toBe('converged');
    expect(results[1].steps).toBeLessThan(1000);
  }, 120_000);

  it('on a dataset fit: shuffled mini-batches with a seed, L2, standardization and a validation split', async () => {
    const spec = { kind: 'line' as const, n: 67, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 5 };
    const dataset = generateDataset(spec);
    const b = { ...base([], 0), stop: { gradTol: 0 } };
    const settings: Settings[] = [
      { ...b, optimizer: { name: 'adam', lr: 0.05 }, batchSize: 8, epochs: 15, shuffle: true, seed: 7 },
      { ...b, optimizer: { name: 'sgd', lr: 0.02, momentum: 0.9, nesterov: true }, batchSize: 1, epochs: 4, shuffle: true, seed: 11 },
      { ...b, optimizer: { name: 'rmsprop', lr: 0.01 }, batchSize: 'full', epochs: 30, shuffle: false, seed: 0 },
    ];
    const s = session({
      kind: 'data', dataset: { kind: 'generated', spec }, target: 'y', features: ['x'], model: { kind: 'linear' },
      loss: { name: 'mse' }, reg: { l1: 0, l2: 0.01 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 3,
    }, settings);
    const { fit } = buildSessionRun(s, s.runs[0], dataset);
    const results = await runScript('fit.py', pytorchScript(s, { data: fit!.data, model: fit!.model }));
    expect(results.map((r) => r.steps)).toEqual([15 * 7, 4 * 54, 30]);
    compare(s, dataset, results);
  }, 120_000);

  it.each([
    ['circle', { kind: 'circle', n: 300, noise: 0.1, seed: 2 }, { kind: 'mlp', hidden: [8, 8], activation: 'tanh' }, 'bce'],
    ['3-arm spiral', { kind: 'spiral', n: 300, classes: 3, noise: 0.05, seed: 2 }, { kind: 'mlp', hidden: [16, 16], activation: 'relu' }, 'cross_entropy'],
    ['two-Gaussian (regressed with mse)', { kind: 'gauss', n: 300, noise: 0.1, seed: 2 }, { kind: 'mlp', hidden: [6], activation: 'sigmoid' }, 'mse'],
    ['XOR (huber, linear activation)', { kind: 'xor', n: 300, noise: 0.1, seed: 2 }, { kind: 'mlp', hidden: [5, 3], activation: 'linear' }, 'huber'],
  ] as const)('on a network fitted to the %s set: nn.Sequential from the lab’s initial weights, every record to 1e-9', async (name, spec, model, loss) => {
    const dataset = generateDataset(spec);
    const b = { ...base([], 0), stop: { gradTol: 0 } };
    const settings: Settings[] = [
      { ...b, optimizer: { name: 'adam', lr: 0.01 }, batchSize: 32, epochs: 12, shuffle: true, seed: 7 },
      { ...b, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, weight_decay: 0.001 }, batchSize: 16, epochs: 6, shuffle: true, seed: 8, clipNorm: 5 },
    ];
    const s = session({
      kind: 'data', dataset: { kind: 'generated', spec }, target: 'label', features: ['x1', 'x2'], model: { ...model, hidden: [...model.hidden] },
      loss: { name: loss }, reg: { l1: 0, l2: 0 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 3,
    }, settings);
    const { fit } = buildSessionRun(s, s.runs[0], dataset);
    const script = pytorchScript(s, { data: fit!.data, model: fit!.model });
    expect(script).toContain('NET = torch.nn.Sequential(');
    const results = await runScript(`${spec.kind}-${loss}.py`, script);
    expect(results.map((r) => r.steps)).toEqual([12 * 8, 6 * 15]);
    const { identical, compared } = compare(s, dataset, results);
    console.log(`PyTorch export of a network on ${name}: ${identical} of ${compared} recorded numbers bit-identical`);
  }, 120_000);
});
