// 1000-step trajectories of every optimizer on Rosenbrock and an ill-conditioned
// quadratic, against PyTorch's own torch.optim (fixtures made by
// test/fixtures/torch/make_trajectories.py with Debian's python3-torch, float64).
//
// The engine performs torch's operations in torch's order, but torch's CPU
// kernels may fuse a·b + c into one rounding (FMA), which JavaScript cannot, so
// single steps agree to rounding, not always bit for bit. Where a run amplifies
// rounding (an optimizer bouncing across a narrow valley), no two float64
// implementations can agree to 1e-9 after 1000 steps; for those runs the bound
// is the run's own sensitivity to rounding: how far the engine's trajectory
// moves when its parameters are perturbed by one unit in the last place at every step.
// Differences are relative to max(|expected|, 1e-3), the parameters being of
// order 1 here: a parameter converging to 1e-9 is compared absolutely.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileFormula } from '../../engine/formula/compile';
import { formulaObjective } from '../../engine/run/objective';
import { Run } from '../../engine/run/run';

interface Case {
  function: string;
  expr: string;
  gradientExprs: string[];
  start: number[];
  optimizer: { name: string; [k: string]: unknown };
  steps: number;
  schedule?: any;
  clipNorm?: number;
  records: Array<{ step: number; params: number[]; value: number; autogradGradient: number[] }>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/trajectories.json', import.meta.url), 'utf8')) as { cases: Case[] };

const FLOOR = 1e-3;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), FLOOR);

/** The engine's run; with `perturb`, the parameters are scaled by 1 ± 2⁻⁵² (alternating) before every evaluation, to model rounding noise. */
function trajectory(c: Case, perturb = false) {
  const objective = formulaObjective(compileFormula(c.expr));
  let flip = 1;
  const noisy = {
    ...objective,
    evaluateInto: undefined,
    valueAndGradient(p: Float64Array, g: Float64Array) {
      for (let i = 0; i < p.length; i++) {
        p[i] *= 1 + flip * Number.EPSILON;
        flip = -flip;
      }
      return objective.valueAndGradient(p, g);
    },
  };
  const run = new Run(perturb ? noisy : objective, {
    start: c.start,
    optimizer: c.optimizer,
    schedule: c.schedule,
    clipNorm: c.clipNorm ?? null,
    stop: { maxSteps: c.steps, divergenceBound: Infinity },
    recordSteps: c.records.map((r) => r.step),
  });
  run.advance(Infinity);
  return c.records.map((r) => run.snapshots.get(r.step)!);
}

/** Largest relative difference over the recorded steps from `fromStep` on. */
function distance(a: Array<{ step: number; params: number[] }>, b: Array<{ step: number; params: number[] }>, fromStep = 0, toStep = Infinity): number {
  let worst = 0;
  a.forEach((ra, k) => {
    if (ra.step < fromStep || ra.step > toStep) return;
    ra.params.forEach((x, i) => { worst = Math.max(worst, rel(x, b[k].params[i])); });
  });
  return worst;
}

const results = fixture.cases.map((c) => {
  const engine = trajectory(c);
  const perturbed = trajectory(c, true);
  return { c, engine, error: distance(engine, c.records), sensitivity: distance(engine, perturbed), early: distance(engine, c.records, 0, 10) };
});
if (process.env.GDLAB_REPORT) {
  for (const r of results) console.log(r.c.function, r.c.optimizer.name, JSON.stringify(r.c.optimizer), r.error.toExponential(2), r.sensitivity.toExponential(2));
}

describe('trajectories match torch.optim', () => {
  it('covers every PyTorch optimizer on both functions, each with at least one well-conditioned run checked to 1e-9', () => {
    const names = ['adadelta', 'adagrad', 'adam', 'adamax', 'adamw', 'nadam', 'radam', 'rmsprop', 'sgd'];
    for (const fn of ['rosenbrock', 'ill-bowl']) {
      for (const name of names) {
        const strict = results.filter((r) => r.c.function === fn && r.c.optimizer.name === name && r.sensitivity < 1e-10);
        expect(strict.length, `${name} on ${fn}`).toBeGreaterThan(0);
      }
    }
  });

  it('uses the same symbolic gradient text the fixture was computed with', () => {
    for (const c of fixture.cases) expect(compileFormula(c.expr).gradientExprs).toEqual(c.gradientExprs);
  });

  it('computes the same gradient as autograd at every recorded point', () => {
    for (const c of fixture.cases) {
      const f = compileFormula(c.expr);
      const g = new Float64Array(2);
      for (const r of c.records) {
        f.valueAndGradient(Float64Array.from(r.params), g);
        r.autogradGradient.forEach((b, i) => expect(Math.abs(g[i] - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b))));
      }
    }
  });

  for (const { c, engine, error, sensitivity, early } of results) {
    const { name, ...hyper } = c.optimizer;
    const extras = `${c.schedule ? ` with ${c.schedule.type} schedule` : ''}${c.clipNorm ? ` with clipping at ${c.clipNorm}` : ''}`;
    it(`${c.function}: ${name} ${JSON.stringify(hyper)}${extras}`, () => {
      expect(engine.every(Boolean)).toBe(true);
      expect(early, 'first 10 steps').toBeLessThan(1e-12);
      const bound = Math.max(1e-9, 100 * sensitivity);
      expect(error, `sensitivity to 1-ulp gradient noise: ${sensitivity.toExponential(2)}`).toBeLessThan(bound);
    });
  }
});
