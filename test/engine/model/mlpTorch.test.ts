// Networks against PyTorch (fixtures made by test/fixtures/mlp/make_references.py with Debian's
// python3-torch, float64): forward outputs, mean loss and autograd gradients for every activation
// and loss to 1e-12, and 100-update trajectories of SGD with momentum and Adam on the lab's circle
// and 3-arm spiral sets to 1e-9, through the same path the lab and `gdlab fit` build runs by.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateDataset } from '../../../engine/data/generators';
import { LOSS_CODES, type LossName } from '../../../engine/model/losses';
import { Network } from '../../../engine/model/mlp';
import { buildRun } from '../../../engine/run/build';
import type { Activation, EngineDataProblem } from '../../../engine/spec/problem';
import type { RunSettings } from '../../../engine/spec/run';
import { inputs, SETS } from '../../fixtures/mlp/make_inputs';

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/mlp/${name}`, import.meta.url), 'utf8'));
const references = read('references.json') as {
  kernels: Array<{ activation: Activation; loss: LossName; hidden: number[]; outputs: number; params: number[]; X: number[][]; y: number[]; out: number[][]; value: number; gradient: number[] }>;
  trajectories: Array<{ set: keyof typeof SETS; hidden: number[]; activation: Activation; loss: LossName; seed: number; optimizer: { name: string; lr: number }; batchSize: number; records: Array<{ step: number; loss: number; params: number[] }> }>;
};

/** |a − b| ≤ tol·max(1, |b|). */
function expectClose(a: number, b: number, tol: number, what: string): void {
  if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) throw new Error(`${what}: the lab has ${a}, PyTorch ${b}`);
}

describe('networks against PyTorch', () => {
  it('makes the same inputs as the committed ones (data and initial weights)', () => {
    expect(JSON.parse(JSON.stringify(inputs()))).toEqual(read('inputs.json'));
  });

  it('draws the initial weights as nn.Linear does, U(−1/√in, 1/√in), the same for the same seed', () => {
    const net = new Network(200, [300], 'relu', 1);
    const p = net.initial(5);
    expect(net.initial(5)).toEqual(p);
    expect(net.initial(6)).not.toEqual(p);
    for (const { inputs, w, b, outputs } of net.layers) {
      const bound = 1 / Math.sqrt(inputs);
      const weights = p.subarray(w, b);
      const biases = p.subarray(b, b + outputs);
      expect(Math.max(...weights.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...biases.map(Math.abs))).toBeLessThanOrEqual(bound);
      // Uniform on (−bound, bound): mean 0, variance bound²/3, to sampling error (60,000 weights: under 1%).
      if (weights.length < 10_000) continue;
      const mean = weights.reduce((a, v) => a + v, 0) / weights.length;
      const variance = weights.reduce((a, v) => a + (v - mean) ** 2, 0) / weights.length;
      expect(Math.abs(mean)).toBeLessThan(0.02 * bound);
      expect(variance / (bound * bound / 3)).toBeGreaterThan(0.97);
      expect(variance / (bound * bound / 3)).toBeLessThan(1.03);
    }
  });

  it('covers every activation and loss', () => {
    const pairs = new Set(references.kernels.map((k) => `${k.activation}/${k.loss}`));
    expect(pairs.size).toBe(4 * 5);
  });

  for (const k of references.kernels) {
    it(`forward outputs, loss and gradient: ${k.activation}, ${k.loss}, ${k.y.length} rows`, () => {
      const net = new Network(2, k.hidden, k.activation, k.outputs);
      const p = Float64Array.from(k.params);
      const X = Float64Array.from(k.X.flat());
      const y = Float64Array.from(k.y);
      const n = k.y.length;
      let seen = 0;
      net.eachOutput(p, X, n, (i, out, o) => {
        seen++;
        k.out[i].forEach((v, c) => expectClose(out[o + c], v, 1e-12, `output ${i},${c}`));
      });
      expect(seen).toBe(n);
      const g = new Float64Array(net.paramCount);
      const value = net.lossOver(p, X, y, null, n, LOSS_CODES[k.loss], 1, g) / n;
      expectClose(value, k.value, 1e-12, 'loss');
      k.gradient.forEach((v, j) => expectClose(g[j] / n, v, 1e-12, `∂/∂${net.paramNames()[j]}`));
    });
  }

  for (const r of references.trajectories) {
    it(`trains like torch.optim for 100 updates: ${r.set}, mlp:${r.hidden.join(',')} ${r.activation}, ${r.optimizer.name}`, () => {
      const dataset = generateDataset(SETS[r.set]);
      const problem: EngineDataProblem = {
        kind: 'data', datasetId: 'set', target: 'label', features: ['x1', 'x2'],
        model: { kind: 'mlp', hidden: r.hidden, activation: r.activation }, loss: { name: r.loss },
        reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail', splitSeed: 0,
      };
      const settings: RunSettings = {
        optimizer: r.optimizer as RunSettings['optimizer'], schedule: null, warmup: null, clipNorm: null, start: [],
        stop: { divergenceBound: Infinity }, batchSize: r.batchSize, epochs: 100, shuffle: false, seed: r.seed,
      };
      const { fit, run } = buildRun(problem, settings, { formula: () => { throw new Error('no formula'); }, dataset: () => dataset });
      let worst = 0;
      for (const record of r.records) {
        run.advance(record.step - run.step);
        expect(run.step).toBe(record.step);
        expectClose(fit!.objective.trainLoss(run.p), record.loss, 1e-9, `loss at step ${record.step}`);
        record.params.forEach((v, j) => {
          expectClose(run.p[j], v, 1e-9, `parameter ${j} at step ${record.step}`);
          worst = Math.max(worst, Math.abs(run.p[j] - v));
        });
      }
      // The references moved: a trajectory that stayed at its start could not tell a wrong gradient.
      expect(Math.abs(r.records.at(-1)!.loss - r.records[0].loss)).toBeGreaterThan(0.2);
      expect(worst).toBeLessThan(1e-9);
    });
  }
});
