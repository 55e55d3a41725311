/**
 * Data mode at scale: loading a 1,000,000 × 10 CSV, and one epoch of
 * mini-batch (64) linear regression on it, engine vs a hand-written
 * typed-array loop doing the same arithmetic in the same order, and beside the same epoch in NumPy
 * and in PyTorch (test/bench/pythonEpoch.py, run on the same file).
 */
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadDatasetFile } from '../../engine/data/file';
import { prepareData } from '../../engine/data/prepare';
import { Rng } from '../../engine/data/random';
import { buildModel } from '../../engine/model/models';
import { BatchObjective } from '../../engine/model/objective';
import { Run } from '../../engine/run/run';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { line, ratio } from './harness';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const ROWS = 1_000_000;
const D = 10;
const BATCH = 64;
const LR = 0.01;

async function writeCsv(path: string): Promise<void> {
  const rng = new Rng(42);
  const out = createWriteStream(path);
  out.write(`${Array.from({ length: D }, (_, j) => `x${j + 1}`).join(',')},y\n`);
  let buffer = '';
  for (let i = 0; i < ROWS; i++) {
    let y = 0.5;
    const cells: string[] = [];
    for (let j = 0; j < D; j++) {
      const x = Math.round((4 * rng.float() - 2) * 1e4) / 1e4;
      y += (j + 1) * 0.1 * x;
      cells.push(String(x));
    }
    buffer += `${cells.join(',')},${(y + 0.1 * rng.normal()).toFixed(5)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function handWrittenEpoch(X: Float64Array, y: Float64Array, n: number): Float64Array {
  const p = new Float64Array(D + 1);
  const g = new Float64Array(D + 1);
  for (let from = 0; from < n; from += BATCH) {
    const to = Math.min(from + BATCH, n);
    g.fill(0);
    for (let i = from; i < to; i++) {
      let z = p[D];
      const o = i * D;
      for (let j = 0; j < D; j++) z += p[j] * X[o + j];
      const r = 2 * (z - y[i]);
      for (let j = 0; j < D; j++) g[j] += r * X[o + j];
      g[D] += r;
    }
    const inv = 1 / (to - from);
    for (let j = 0; j <= D; j++) p[j] = p[j] - LR * (g[j] * inv);
  }
  return p;
}

export async function benchDataFit(): Promise<void> {
  console.log(`Data mode: ${ROWS.toLocaleString('en')} rows × ${D} features`);
  const dir = mkdtempSync(join(tmpdir(), 'gdlab-bench-'));
  try {
    const path = join(dir, 'big.csv');
    await writeCsv(path);
    const heapBefore = process.memoryUsage().rss;
    let t = performance.now();
    const dataset = await loadDatasetFile(path);
    const loadSeconds = (performance.now() - t) / 1000;
    line('load the CSV (read, decode, parse, type)', `${loadSeconds.toFixed(2)} s (${(ROWS / loadSeconds / 1e3).toFixed(0)} k rows/s)`);
    line('resident memory added by the load', `${((process.memoryUsage().rss - heapBefore) / 2 ** 20).toFixed(0)} MiB`);
    const features = Array.from({ length: D }, (_, j) => `x${j + 1}`);
    const data = prepareData(dataset, { target: 'y', features });
    const model = buildModel({ kind: 'linear' }, features);

    const times = { engine: Infinity, hand: Infinity };
    let engineParams: Float64Array = new Float64Array(0);
    let handParams: Float64Array = new Float64Array(0);
    for (let rep = 0; rep < 3; rep++) {
      const objective = new BatchObjective(model, data, { name: 'mse' }, { l1: 0, l2: 0 }, { batchSize: BATCH, shuffle: false, seed: 0 });
      const run = new Run(objective, { start: new Array(D + 1).fill(0), optimizer: { name: 'sgd', lr: LR }, stop: { maxSteps: objective.batchesPerEpoch } });
      t = performance.now();
      run.advance(objective.batchesPerEpoch);
      times.engine = Math.min(times.engine, performance.now() - t);
      engineParams = run.p;
      t = performance.now();
      handParams = handWrittenEpoch(data.X, data.y, data.n);
      times.hand = Math.min(times.hand, performance.now() - t);
    }
    const same = engineParams.every((v, i) => v === handParams[i]);
    line('one epoch, batch 64, engine', `${times.engine.toFixed(0)} ms`);
    line('one epoch, batch 64, hand-written loop', `${times.hand.toFixed(0)} ms`);
    line('same parameters after the epoch', same ? 'yes, bit for bit' : 'NO');
    ratio('engine speed / hand-written', times.hand / times.engine, '≥ 0.7×');
    // The same epoch in NumPy and in PyTorch (one thread), from the same file, in the same run.
    const python = spawnSync(PYTHON, [fileURLToPath(new URL('./pythonEpoch.py', import.meta.url)), path], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (python.status !== 0) {
      console.log(`  NumPy and PyTorch epochs: skipped (${PYTHON} with numpy is needed: ${python.error?.message ?? python.stderr.trim().split('\n').at(-1)})`);
      return;
    }
    const py = JSON.parse(python.stdout) as { numpy_ms: number; numpy_params: number[]; torch_ms: number | null; torch_params?: number[] };
    const close = (q: number[]) => q.every((v, i) => Math.abs(v - engineParams[i]) <= 1e-9 * Math.max(1, Math.abs(engineParams[i])));
    line('one epoch, batch 64, NumPy (vectorised per batch)', `${py.numpy_ms.toFixed(0)} ms; parameters ${close(py.numpy_params) ? 'equal the engine’s to 1e-9' : 'DIFFER from the engine’s'}`);
    ratio('engine speed / NumPy', py.numpy_ms / times.engine, '> 1×');
    if (py.torch_ms !== null && py.torch_params) {
      line('one epoch, batch 64, PyTorch (1 thread, autograd + SGD)', `${py.torch_ms.toFixed(0)} ms; parameters ${close(py.torch_params) ? 'equal the engine’s to 1e-9' : 'DIFFER from the engine’s'}`);
      ratio('engine speed / PyTorch', py.torch_ms / times.engine, '—');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
