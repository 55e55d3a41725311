// The lab and `gdlab fit` follow one rule for their defaults: the same file with the same visible
// settings (model, target, validation split and its seed, optimizer, batches, epochs, seed) gives the
// same parameters, bit for bit, whether fitted in the lab or on the command line.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../../renderer/src/state/lab.svelte';
import { MemoryBridge, until } from './bridge';

const root = process.cwd();
const bin = join(root, 'engine/bin/gdlab.js');
const labs: Lab[] = [];
afterEach(() => {
  for (const l of labs.splice(0)) l.dispose();
});

function gdlab(...args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args, '--json'], { timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(JSON.parse(stdout))));
  });
}

/** Fits `file` in the lab: loaded as a person opens it, `setup` as they would set it, one run of `run`; its final parameters. */
async function labFit(file: string, setup: (lab: Lab) => void, run: { optimizer: string; lr: number; batchSize: number | 'full'; epochs: number; seed: number }): Promise<{ names: string[]; params: number[] }> {
  const bridge = new MemoryBridge();
  const lab = new Lab(bridge);
  labs.push(lab);
  await lab.init();
  lab.setMode('data');
  expect(await lab.data.loadFile(file.split('/').pop()!, new Uint8Array(readFileSync(file)), null)).toBe(true);
  setup(lab);
  lab.edit((d) => void (d.runs = []));
  const id = lab.runs.add(run.optimizer, { lr: run.lr });
  lab.runs.update(id, (r) => {
    r.batchSize = run.batchSize;
    r.shuffle = run.batchSize !== 'full';
    r.epochs = run.epochs;
    r.seed = run.seed;
  });
  flushSync();
  expect(lab.blocked).toBeNull();
  await lab.runs.runAll();
  await until(() => ['max_steps', 'converged'].includes(lab.results.live[id]?.status ?? ''), 30_000, 'the fit to end');
  const trace = lab.results.traces.get(id)!;
  return { names: lab.results.info[id]!.paramNames, params: trace.params.map((p) => p[trace.count - 1]) };
}

/** The command line's parameters in the lab's order. */
const cliParams = (out: Record<string, unknown>, names: string[]) => names.map((n) => (out.params as Record<string, number>)[n]);

describe('the lab and gdlab fit on the same file with the same settings', () => {
  it('fit a linear model with a validation split to the same bits', async () => {
    const iris = join(root, 'test/fixtures/datasets/iris.csv');
    const lab = await labFit(iris, (l) => l.data.set((d) => void (d.valSplit = 0.2)), { optimizer: 'sgd', lr: 0.05, batchSize: 16, epochs: 30, seed: 3 });
    const cli = await gdlab('fit', '--data', iris, '--target', 'petal_width', '--model', 'linear', '--optimizer', 'sgd', '--lr', '0.05', '--batch-size', '16', '--epochs', '30', '--seed', '3', '--val-split', '0.2');
    expect(cli.standardized).toBe(true);
    expect(cli.validationRows).toBe(30);
    expect(lab.params).toEqual(cliParams(cli, lab.names));
  });

  it('fit a logistic model to two classes to the same bits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdlab-same-'));
    const circle = join(dir, 'circle.csv');
    await gdlab('generate', 'circle', '--n', '200', '--seed', '4', '--out', circle);
    const lab = await labFit(circle, (l) => {
      expect(l.doc.data.model.kind).toBe('logistic');
      l.data.set((d) => void (d.valSplit = 0.25));
    }, { optimizer: 'adam', lr: 0.05, batchSize: 'full', epochs: 60, seed: 1 });
    const cli = await gdlab('fit', '--data', circle, '--target', 'label', '--model', 'logistic', '--optimizer', 'adam', '--lr', '0.05', '--epochs', '60', '--seed', '1', '--val-split', '0.25');
    expect(cli.loss).toBe('bce');
    expect(lab.params).toEqual(cliParams(cli, lab.names));
  });

  it('fit a network to three classes to the same bits: the same default loss, activation and split', async () => {
    const iris = join(root, 'test/fixtures/datasets/iris.csv');
    const lab = await labFit(iris, (l) => {
      l.data.edit({ kind: 'model', model: 'mlp' });
      l.data.edit({ kind: 'target', name: 'species' });
      l.data.set((d) => void (d.valSplit = 0.2));
      expect(l.doc.data.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    }, { optimizer: 'adam', lr: 0.01, batchSize: 16, epochs: 15, seed: 2 });
    const cli = await gdlab('fit', '--data', iris, '--target', 'species', '--model', 'mlp:8,8', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '16', '--epochs', '15', '--seed', '2', '--val-split', '0.2');
    expect(cli.loss).toBe('cross_entropy');
    expect(cli.activation).toBe('tanh');
    expect(lab.params).toEqual(cliParams(cli, lab.names));
  });
});
