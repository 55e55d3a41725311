// Runs of every kind, as engine requests: formulas that use every elementary function family, with
// schedules, warm-up and clipping; linear, polynomial and logistic fits; networks with each activation
// and loss on shuffled mini-batches with a validation split. The same requests go to the engine in a
// browser's Web Worker and to one in Node; their histories must be the same bytes.
import { readFileSync } from 'node:fs';
import { runSettings } from '../../engine/spec/run';
import type { RequestInput } from '../../engine/host/protocol';

export interface Case {
  name: string;
  /** Datasets the run needs, generated or loaded (a file's bytes as base64). */
  datasets: Array<RequestInput<'generateDataset'> | { datasetId: string; name: string; base64: string }>;
  run: Omit<RequestInput<'createRun'>, 'runId' | 'speed'>;
  /** Updates to make (every case makes at least 500, unless it stops on its own rule first). */
  updates: number;
}

const fn = (name: string, expr: string, start: number[], optimizer: Parameters<typeof runSettings>[0]["optimizer"], extra: Partial<Parameters<typeof runSettings>[0]> = {}): Case => ({
  name,
  datasets: [],
  run: { problem: { kind: 'function', expr }, settings: runSettings({ optimizer, start, stop: { maxSteps: 600, gradTol: 0 }, ...extra }) },
  updates: 600,
});

type DataFields = Omit<Extract<RequestInput<'createRun'>['problem'], { kind: 'data' }>, 'kind' | 'datasetId'>;
const base: Omit<DataFields, 'target' | 'features' | 'model' | 'loss'> = { reg: { l1: 0, l2: 0 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 7 };
const fit = (name: string, dataset: Case['datasets'][number], fields: Pick<DataFields, 'target' | 'features' | 'model' | 'loss'> & Partial<DataFields>, optimizer: Parameters<typeof runSettings>[0]["optimizer"], batchSize: number | 'full', epochs: number, extra: Partial<Parameters<typeof runSettings>[0]> = {}): Case => ({
  name,
  datasets: [dataset],
  run: { problem: { kind: 'data', datasetId: dataset.datasetId, ...base, ...fields }, settings: runSettings({ optimizer, batchSize, epochs, shuffle: batchSize !== 'full', seed: 3, ...extra }) },
  updates: 1_000_000,
});

const iris = { datasetId: 'iris', name: 'iris.csv', base64: readFileSync('test/fixtures/datasets/iris.csv').toString('base64') };

export const CASES: Case[] = [
  fn('exp, sin, log and hypot; Adam with warm-up and cosine', 'exp(-(x^2 + y^2) / 4) * sin(3 * x) + log(1 + x^2) + hypot(x, y - 1)', [1.3, -0.7], { name: 'adam', lr: 0.01 }, { schedule: { type: 'cosine', T_max: 600, eta_min: 0.0001 }, warmup: { warmup_steps: 50, start_factor: 0.1 } }),
  fn('Rastrigin; Nesterov SGD with a step schedule', '20 + x^2 - 10 * cos(2 * pi * x) + y^2 - 10 * cos(2 * pi * y)', [2.3, -1.7], { name: 'sgd', lr: 0.002, momentum: 0.9, nesterov: true }, { schedule: { type: 'step', step_size: 100, gamma: 0.5 } }),
  fn('real powers, cosh and atan; RMSprop clipped', 'abs(x)^1.5 + cosh(y / 3) + atan(x * y) + 2^(x / 4) + (1 + y^2)^0.3', [1.7, 2.2], { name: 'rmsprop', lr: 0.01, momentum: 0.5 }, { clipNorm: 1 }),
  fn('tanh, sqrt, asin and acos; NAdam with inverse-time decay', 'tanh(x - 1)^2 + sqrt(1 + y^2) + x^4 * y^2 / 10 + asin(x / 10) + acos(y / 10)', [2.5, -1.5], { name: 'nadam', lr: 0.01 }, { schedule: { type: 'inverse_time', decay: 0.01 } }),
  fn('log10, log2, expm1, sinh and tan; AdamW with exponential decay', 'log10(2 + x^2) + log2(3 + y^2) + expm1(x / 5) + sinh(y / 5) + tan(x / 4)', [1.1, 2.4], { name: 'adamw', lr: 0.02, weight_decay: 0.1 }, { schedule: { type: 'exponential', gamma: 0.998 } }),
  fn('six-hump camel with cbrt and atan2; Adagrad, RAdam and Adamax', '(4 - 2.1 * x^2 + x^4 / 3) * x^2 + x * y + (-4 + 4 * y^2) * y^2 + cbrt(1 + x^2) + atan2(y, 2)', [1.658549307702144, 1], { name: 'radam', lr: 0.01 }),
  fn('log1p, asinh, acosh, atanh; Adamax', 'log1p(x^2) + asinh(y) * 0.3 + acosh(2 + x^2) + atanh(y / 4)^2', [-2.1, 1.3], { name: 'adamax', lr: 0.01 }),
  fn('sigmoid-like exp and sin of sums; Adadelta', '1 / (1 + exp(-x * y)) + sin(x + y)^2 + cos(x - y) / 2', [0.4, 2.1], { name: 'adadelta', lr: 1 }),
  fit('linear, mini-batches', { datasetId: 'line', spec: { kind: 'line', n: 400, slope: 2, intercept: -1, noise: 0.5, xMin: -3, xMax: 3, seed: 5 } }, { target: 'y', features: ['x'], model: { kind: 'linear' }, loss: { name: 'mse' } }, { name: 'sgd', lr: 0.05, momentum: 0.9 }, 16, 30),
  fit('cubic with L2, huber', { datasetId: 'poly', spec: { kind: 'poly', n: 300, coefficients: [1, -2, 0.5, 0.3], noise: 0.4, xMin: -2, xMax: 2, seed: 6 } }, { target: 'y', features: ['x'], model: { kind: 'poly', degree: 3 }, loss: { name: 'huber', delta: 1 }, reg: { l1: 0, l2: 0.01 } }, { name: 'adam', lr: 0.02 }, 20, 50),
  fit('logistic, bce', { datasetId: 'blobs', spec: { kind: 'blobs', n: 300, separation: 2, spread: 1, seed: 8 } }, { target: 'label', features: ['x1', 'x2'], model: { kind: 'logistic' }, loss: { name: 'bce' } }, { name: 'adam', lr: 0.05 }, 8, 20),
  fit('network tanh, mse on a sine', { datasetId: 'sine', spec: { kind: 'sine', n: 300, amplitude: 1.5, frequency: 1, noise: 0.1, xMin: -3, xMax: 3, seed: 9 } }, { target: 'y', features: ['x'], model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' }, loss: { name: 'mse' } }, { name: 'adam', lr: 0.01 }, 16, 40),
  fit('network relu, cross-entropy on spirals', { datasetId: 'spiral', spec: { kind: 'spiral', n: 300, classes: 3, noise: 0.2, seed: 10 } }, { target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp', hidden: [16, 16], activation: 'relu' }, loss: { name: 'cross_entropy' } }, { name: 'adam', lr: 0.01 }, 16, 40),
  fit('network sigmoid, bce on xor', { datasetId: 'xor', spec: { kind: 'xor', n: 300, noise: 0.2, seed: 11 } }, { target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp', hidden: [8], activation: 'sigmoid' }, loss: { name: 'bce' } }, { name: 'rmsprop', lr: 0.01 }, 16, 40),
  fit('network linear, mae on a circle', { datasetId: 'circle', spec: { kind: 'circle', n: 300, noise: 0.1, seed: 12 } }, { target: 'label', features: ['x1', 'x2'], model: { kind: 'mlp', hidden: [4], activation: 'linear' }, loss: { name: 'mae' } }, { name: 'sgd', lr: 0.05, momentum: 0.9 }, 16, 40, { clipNorm: 1 }),
  fit('iris, relu 8-8, three classes, L2', iris, { target: 'species', features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], model: { kind: 'mlp', hidden: [8, 8], activation: 'relu' }, loss: { name: 'cross_entropy' }, reg: { l1: 0, l2: 0.001 } }, { name: 'adam', lr: 0.01 }, 8, 40),
];

/** What a run leaves: its end and its whole history, as bytes (base64) so that every bit is compared. */
export interface Ending { status: string; step: number; value: string; params: string; rows: string; epochs: string }

/**
 * Drives one case through `window.__gdlab.bridge.engine.request` and returns its ending: in the page
 * (the engine's Web Worker), or in Node with that name bound to an engine host in the process. It is
 * self-contained (the browser receives its source).
 */
export async function drive(c: Case): Promise<Ending> {
  const engine = (window as unknown as { __gdlab: { bridge: { engine: { request(type: string, input: unknown): Promise<any> } } } }).__gdlab.bridge.engine;
  const request = (type: string, input: unknown) => engine.request(type, input);
  const bits = (v: number) => {
    const d = new DataView(new ArrayBuffer(8));
    d.setFloat64(0, v);
    return d.getBigUint64(0).toString(16);
  };
  const canon = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' ? bits(x) : x));
  const base64 = (a: Float64Array) => {
    const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let s = '';
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
    return btoa(s);
  };
  for (const d of c.datasets) {
    if ('spec' in d) await request('generateDataset', d);
    else await request('loadDataset', { datasetId: d.datasetId, name: d.name, bytes: Uint8Array.from(atob(d.base64), (ch) => ch.charCodeAt(0)) });
  }
  const runId = `cross-${c.name.replace(/[^a-z0-9]+/gi, '-')}`;
  await request('createRun', { runId, ...c.run, speed: 0 });
  await request('step', { runIds: [runId], count: c.updates });
  const h = await request('history', { runId });
  await request('dispose', { runIds: [runId] });
  return { status: h.status, step: h.step, value: bits(h.value), params: canon(h.params), rows: base64(h.rows), epochs: canon(h.epochs) };
}
