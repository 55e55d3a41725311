/**
 * Networks: epochs of the lab's network kernels beside the same epochs in PyTorch (one thread,
 * nn.Sequential, autograd and torch.optim.Adam; test/bench/pythonNetwork.py) from the same initial
 * weights, rows and batch order, in this same run:
 *
 *   small  a 2-8-8-1 tanh network, bce, on 500 points of the circle set, batch 32
 *   large  a 13-64-64-1 relu network, mse, on 20,000 rows of 13 features, batch 64
 *
 * Each figure is the best of three; the parameters both end on are compared.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../../engine/data/generators';
import { prepareData } from '../../engine/data/prepare';
import { Rng } from '../../engine/data/random';
import type { Column, Dataset } from '../../engine/data/table';
import { buildModel } from '../../engine/model/models';
import { BatchObjective } from '../../engine/model/objective';
import type { LossName } from '../../engine/model/losses';
import { Run } from '../../engine/run/run';
import { line, ratio } from './harness';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

interface Case {
  name: string;
  dataset: Dataset;
  features: string[];
  hidden: number[];
  activation: 'tanh' | 'relu';
  loss: LossName;
  batch: number;
  epochs: number;
  target: string;
}

function regressionSet(rows: number, d: number): Dataset {
  const rng = new Rng(13);
  const columns: Column[] = [];
  const y = new Float64Array(rows);
  for (let j = 0; j < d; j++) {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      values[i] = 2 * rng.float() - 1;
      y[i] += Math.sin((j + 1) * values[i]) / (j + 1);
    }
    columns.push({ name: `x${j + 1}`, kind: 'numeric', values, badRows: 0 });
  }
  for (let i = 0; i < rows; i++) y[i] += 0.05 * rng.normal();
  columns.push({ name: 'y', kind: 'numeric', values: y, badRows: 0 });
  return { name: 'regression', rowCount: rows, columns, problems: [], problemCount: 0, notes: [], format: 'csv', header: true };
}

function labEpochs(c: Case): { ms: number; params: Float64Array; initial: number[]; X: number[]; y: number[] } {
  const data = prepareData(c.dataset, { target: c.target, features: c.features });
  const model = buildModel({ kind: 'mlp', hidden: c.hidden, activation: c.activation }, c.features);
  const initial = Array.from(model.initial(1));
  let ms = Infinity;
  let params: Float64Array = new Float64Array(0);
  for (let rep = 0; rep < 3; rep++) {
    const objective = new BatchObjective(model, data, { name: c.loss }, { l1: 0, l2: 0 }, { batchSize: c.batch, shuffle: false, seed: 0 });
    const run = new Run(objective, { start: initial, optimizer: { name: 'adam', lr: 0.001 }, stop: { maxSteps: c.epochs * objective.batchesPerEpoch, divergenceBound: Infinity } });
    const t = performance.now();
    run.advance(Infinity);
    ms = Math.min(ms, (performance.now() - t) / c.epochs);
    params = run.p;
  }
  return { ms, params, initial, X: Array.from(data.X), y: Array.from(data.y) };
}

export async function benchNetwork(): Promise<void> {
  console.log('Networks: epochs of Adam on a network, the lab beside PyTorch (1 thread)');
  const cases: Case[] = [
    { name: 'small: 2-8-8-1 tanh, 500 points, batch 32', dataset: generateDataset({ kind: 'circle', n: 500, noise: 0.1, seed: 1 }), features: ['x1', 'x2'], target: 'label', hidden: [8, 8], activation: 'tanh', loss: 'bce', batch: 32, epochs: 20 },
    { name: 'large: 13-64-64-1 relu, 20,000 rows, batch 64', dataset: regressionSet(20_000, 13), features: Array.from({ length: 13 }, (_, j) => `x${j + 1}`), target: 'y', hidden: [64, 64], activation: 'relu', loss: 'mse', batch: 64, epochs: 1 },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'gdlab-net-bench-'));
  try {
    for (const c of cases) {
      const lab = labEpochs(c);
      line(`${c.name}, lab`, `${lab.ms.toFixed(2)} ms per epoch`);
      const input = join(dir, 'case.json');
      writeFileSync(input, JSON.stringify({ X: lab.X, y: lab.y, d: c.features.length, hidden: c.hidden, activation: c.activation, loss: c.loss, batch: c.batch, epochs: c.epochs, initial: lab.initial }));
      const python = spawnSync(PYTHON, [fileURLToPath(new URL('./pythonNetwork.py', import.meta.url)), input], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (python.status !== 0) {
        line(`${c.name}, PyTorch`, `skipped (${PYTHON} with torch is needed: ${python.error?.message ?? python.stderr.trim().split('\n').at(-1)})`);
        continue;
      }
      const py = JSON.parse(python.stdout) as { ms: number; params: number[] };
      let worst = 0;
      py.params.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - lab.params[i]))));
      line(`${c.name}, PyTorch`, `${py.ms.toFixed(2)} ms per epoch; parameters differ by at most ${worst.toExponential(1)}`);
      ratio(`${c.name.split(':')[0]} network: lab speed / PyTorch`, py.ms / lab.ms, c.name.startsWith('small') ? '≥ 10×' : '≥ 1×');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
