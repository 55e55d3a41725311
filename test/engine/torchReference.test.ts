// 1000-step trajectories of every optimizer on Rosenbrock, Beale's function and an ill-conditioned
// quadratic, with schedules, warm-up and clipping, against PyTorch's own torch.optim with autograd
// gradients (fixtures made by test/fixtures/torch/make_trajectories.py with Debian's python3-torch,
// float64, PyTorch's baseline CPU kernels).
//
// The lab computes the gradient as autograd does (engine/formula/autograd.ts), performs each
// optimizer's operations in torch's order, and rounds the powers and cosines that torch.optim takes
// from the C library correctly (engine/optim/libm.ts), so every recorded step must agree: to 1e-9
// relative with no allowance for how much a run amplifies rounding, and in fact bit for bit.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileFormula } from '../../engine/formula/compile';
import { formulaObjective } from '../../engine/run/objective';
import { Run } from '../../engine/run/run';

interface Case {
  function: string;
  expr: string;
  start: number[];
  optimizer: { name: string; [k: string]: unknown };
  steps: number;
  schedule?: any;
  warmup?: any;
  clipNorm?: number;
  records: Array<{ step: number; params: number[]; value: number; gradient: number[] }>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/trajectories.json', import.meta.url), 'utf8')) as { cases: Case[] };

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

function trajectory(c: Case, fused: boolean) {
  const run = new Run(formulaObjective(compileFormula(c.expr)), {
    start: c.start,
    optimizer: c.optimizer,
    schedule: c.schedule,
    warmup: c.warmup,
    clipNorm: c.clipNorm ?? null,
    stop: { maxSteps: c.steps, divergenceBound: Infinity },
    recordSteps: c.records.map((r) => r.step),
    fused,
  });
  run.advance(Infinity);
  return c.records.map((r) => run.snapshots.get(r.step)!);
}

const results = fixture.cases.map((c) => {
  const fused = trajectory(c, true);
  const stepwise = trajectory(c, false);
  let error = 0;
  let identical = true;
  c.records.forEach((r, k) => {
    const mine = fused[k];
    [[mine.value, r.value], ...mine.params.map((x, i) => [x, r.params[i]])].forEach(([a, b]) => {
      error = Math.max(error, rel(a, b));
      if (a !== b) identical = false;
    });
  });
  return { c, fused, stepwise, error, identical };
});

describe('trajectories match torch.optim', () => {
  it('covers every PyTorch optimizer on Rosenbrock, Beale and the quadratic, and schedules, warm-up and clipping', () => {
    const names = ['adadelta', 'adagrad', 'adam', 'adamax', 'adamw', 'nadam', 'radam', 'rmsprop', 'sgd'];
    for (const fn of ['rosenbrock', 'beale', 'ill-bowl']) {
      for (const name of names) expect(fixture.cases.some((c) => c.function === fn && c.optimizer.name === name), `${name} on ${fn}`).toBe(true);
    }
    for (const type of ['step', 'exponential', 'cosine', 'inverse_time']) expect(fixture.cases.some((c) => c.schedule?.type === type), type).toBe(true);
    expect(fixture.cases.some((c) => c.warmup)).toBe(true);
    expect(fixture.cases.some((c) => c.clipNorm)).toBe(true);
    expect(fixture.cases.every((c) => c.records.at(-1)!.step === 1000)).toBe(true);
  });

  it('computes autograd’s gradient, bit for bit, at every recorded point', () => {
    for (const c of fixture.cases) {
      const f = compileFormula(c.expr);
      const g = new Float64Array(2);
      for (const r of c.records) {
        const value = f.valueAndGradient(Float64Array.from(r.params), g);
        expect([value, ...g], `${c.expr} at ${r.params}`).toEqual([r.value, ...r.gradient]);
      }
    }
  });

  for (const { c, fused, stepwise, error, identical } of results) {
    const { name, ...hyper } = c.optimizer;
    const extras = `${c.schedule ? ` with ${c.schedule.type} schedule` : ''}${c.warmup ? ' with warm-up' : ''}${c.clipNorm ? ` with clipping at ${c.clipNorm}` : ''}`;
    it(`${c.function}: ${name} ${JSON.stringify(hyper)}${extras}`, () => {
      expect(fused.every(Boolean)).toBe(true);
      expect(error, 'relative difference at any recorded step').toBeLessThanOrEqual(1e-9);
      expect(identical, 'bit for bit').toBe(true);
      expect(stepwise, 'the step-by-step loop gives the same bits').toEqual(fused);
    });
  }
});
