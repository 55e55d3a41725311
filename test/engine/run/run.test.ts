import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../../engine/formula/compile';
import { formulaObjective } from '../../../engine/run/objective';
import { Run, type RunSettings } from '../../../engine/run/run';
import { History } from '../../../engine/run/history';
import { scheduledLearningRate } from '../../../engine/optim/schedule';
import { TEST_FUNCTIONS } from '../../../engine/problems/testFunctions';

function run(expr: string, settings: RunSettings): Run {
  const r = new Run(formulaObjective(compileFormula(expr)), settings);
  r.advance(Infinity);
  return r;
}

describe('gradient descent on 5x² from x = 1 (the tutorial’s example)', () => {
  it('lr 0.05 converges: x halves every step', () => {
    const r = run('5*x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.05 }, stop: { maxSteps: 30 } });
    for (let k = 0; k <= 30; k++) expect(r.history.record(k).params[0]).toBe(Math.pow(0.5, k));
    expect(r.outcome?.status).toBe('max_steps');
  });

  it('lr 0.2 oscillates between ±1 forever', () => {
    const r = run('5*x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.2 }, stop: { maxSteps: 100 } });
    for (let k = 0; k <= 100; k++) expect(r.history.record(k).params[0]).toBe(k % 2 === 0 ? 1 : -1);
    expect(r.outcome?.status).toBe('max_steps');
  });

  it('lr 0.25 diverges and says so', () => {
    const r = run('5*x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.25 }, stop: { maxSteps: 10_000 } });
    expect(r.outcome?.status).toBe('diverged');
    expect(r.outcome?.reason).toBe('bound');
    expect(r.outcome?.message).toMatch(/^Diverged at step \d+: .*try a smaller learning rate/);
    // x multiplies by −1.5 each step: |x_k| = 1.5^k
    expect(Math.abs(r.p[0]) / Math.pow(1.5, r.step)).toBeCloseTo(1, 12);
  });

  it('with the sign-change rule, stops where the derivative changes sign and brackets the minimum', () => {
    const r = run('5*x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.15 }, stop: { maxSteps: 100, signChange: true } });
    // x₁ = 1 − 0.15·10 = −0.5: f′ went from +10 to −5
    expect(r.outcome).toMatchObject({ status: 'converged', reason: 'sign_change', step: 1, bracket: [-0.5, 1] });
  });
});

describe('stopping rules', () => {
  it('gradient-norm tolerance', () => {
    const r = run('x^2 + y^2', { start: [3, 4], optimizer: { name: 'sgd', lr: 0.25 }, stop: { maxSteps: 1000, gradTol: 1e-3 } });
    // p_k = (3, 4)·0.5^k, ‖∇f‖ = 10·0.5^k ≤ 1e-3 first at k = 14
    expect(r.outcome).toMatchObject({ status: 'converged', reason: 'grad_tol', step: 14 });
  });

  it('change-in-value tolerance', () => {
    const r = run('x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.25 }, stop: { maxSteps: 1000, fTol: 1e-6 } });
    // f_k = 0.25^k; |f_k − f_{k−1}| = 3·0.25^k ≤ 1e-6 first at k = 11
    expect(r.outcome).toMatchObject({ status: 'converged', reason: 'f_tol', step: 11 });
  });

  it('a step out of the formula’s domain ends the run as undefined there, saying where and why', () => {
    const r = run('log(x)', { start: [0.5], optimizer: { name: 'sgd', lr: 1 }, stop: { maxSteps: 100, divergenceBound: Infinity } });
    // x₁ = x₀ − 1/x₀ = 0.5 − 2 = −1.5 → log(−1.5) is undefined
    expect(r.outcome).toMatchObject({ status: 'undefined', reason: 'undefined', step: 1 });
    expect(r.outcome?.message).toBe('f is undefined at step 1: log of a negative number in log(x), whose operand is -1.5');
  });

  it('a start point outside the domain is reported at step 0', () => {
    const r = run('sqrt(x)', { start: [-1], optimizer: { name: 'adam' } });
    expect(r.outcome).toMatchObject({ status: 'undefined', step: 0 });
    expect(r.outcome?.message).toBe('f is undefined at the start point: square root of a negative number in sqrt(x), whose operand is -1; choose another start');
  });

  it('a gradient that is not finite where f is (a kink) ends the run as undefined', () => {
    const r = run('sqrt(x^2 + y^2)', { start: [0, 0], optimizer: { name: 'sgd', lr: 0.1 } });
    expect(r.outcome).toMatchObject({ status: 'undefined', step: 0 });
    expect(r.outcome?.message).toMatch(/gradient of f is not finite at the start point: f is not differentiable there/);
  });

  it('a function unbounded below ends as unbounded, not diverged: the saddle x² − y²', () => {
    const r = run('x^2 - y^2', { start: [1, 0.1], optimizer: { name: 'sgd', lr: 0.1 }, stop: { maxSteps: 10_000 } });
    expect(r.outcome).toMatchObject({ status: 'unbounded', reason: 'unbounded', step: 89 });
    expect(r.outcome?.message).toBe('f decreases without bound: f = -1.2424e+12 at step 89, past 1e+12 times its start; the function has no minimum along this path');
    const up = run('-(x^2) + y^2', { start: [1, 0.1], optimizer: { name: 'sgd', lr: 0.1, maximize: true }, stop: { maxSteps: 10_000 } });
    expect(up.outcome?.message).toMatch(/^f increases without bound/);
    // Overshooting a bowl still diverges, with the learning-rate hint.
    expect(run('5*x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.25 } }).outcome?.message).toMatch(/^Diverged at step 35: .* try a smaller learning rate$/);
  });

  it('a start point with the wrong number of values is refused', () => {
    expect(() => run('x*y', { start: [1], optimizer: { name: 'sgd' } })).toThrow('The start point has 1 value but the problem has 2 variables');
  });

  it('stop by the user ends the run and records its last step', () => {
    const r = new Run(formulaObjective(compileFormula('x^2')), { start: [1], optimizer: { name: 'sgd', lr: 0.01 }, stop: { maxSteps: 1e9 } });
    r.advance(37);
    r.halt();
    expect(r.outcome).toMatchObject({ status: 'stopped', step: 37 });
    expect(r.advance(10)).toBe(0);
    expect(r.history.lastStep).toBe(37);
  });
});

describe('changing hyperparameters mid-run', () => {
  it('takes effect on the next update and is recorded', () => {
    const r = new Run(formulaObjective(compileFormula('x^2')), { start: [1], optimizer: { name: 'sgd', lr: 0.25 }, stop: { maxSteps: 10 } });
    r.advance(2); // x = 0.25
    r.setHyperparameters({ lr: 0.5 }); // one step of lr 0.5 on x² lands at 0
    r.advance(1);
    expect(r.p[0]).toBe(0);
    expect(r.changes).toEqual([{ step: 2, changes: { lr: 0.5 } }]);
    expect(() => r.setHyperparameters({ lr: -1 })).toThrow('Invalid learning rate: -1');
  });
});

describe('learning-rate schedules', () => {
  it.each([
    [{ type: 'constant' }, 7, 0.1],
    [{ type: 'step', step_size: 3, gamma: 0.5 }, 7, 0.1 * 0.25],
    [{ type: 'exponential', gamma: 0.9 }, 2, 0.1 * 0.81],
    [{ type: 'cosine', T_max: 10, eta_min: 0 }, 5, 0.05],
    [{ type: 'cosine', T_max: 10, eta_min: 0.01 }, 10, 0.01],
    [{ type: 'inverse_time', decay: 0.5 }, 4, 0.1 / 3],
  ] as const)('%j at k = %i', (schedule, k, expected) => {
    expect(scheduledLearningRate(0.1, k, schedule)).toBeCloseTo(expected, 15);
  });

  it('linear warm-up multiplies any schedule', () => {
    const warmup = { warmup_steps: 4, start_factor: 0.2 };
    expect([0, 1, 2, 4, 9].map((k) => scheduledLearningRate(1, k, { type: 'constant' }, warmup))).toEqual([0.2, 0.4, 0.6000000000000001, 1, 1]);
  });

  it('is recorded with every step', () => {
    const r = run('x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.1 }, schedule: { type: 'step', step_size: 2, gamma: 0.5 }, stop: { maxSteps: 4 } });
    expect([0, 1, 2, 3, 4].map((k) => r.history.record(k).lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
});

describe('history', () => {
  it('keeps a bounded, evenly spread record of a long run, and always its last step', () => {
    const r = run('x^2 + y^2', { start: [1, 1], optimizer: { name: 'sgd', lr: 1e-6 }, stop: { maxSteps: 100_001 }, historyCapacity: 8192 });
    const h = r.history;
    expect(h.count).toBeLessThanOrEqual(8192);
    expect(h.count).toBeGreaterThan(4096);
    expect(h.stride).toBe(16);
    for (let i = 0; i < h.count - 1; i++) expect(h.stepAt(i)).toBe(i * h.stride);
    expect(h.lastStep).toBe(100_001);
    const rec = h.record(h.indexAtOrBefore(50_000));
    expect(rec.step).toBe(50_000);
    // x_k = (1 − 2e-6)^k exactly as the loop computes it is checked against the closed form loosely
    expect(rec.params[0]).toBeCloseTo(Math.pow(1 - 2e-6, 50_000), 9);
  });

  it('thins by dropping every other record', () => {
    const h = new History(1, 8192);
    const p = new Float64Array(1);
    for (let step = 0; step < 8192 + 10; step++) {
      p[0] = step;
      if (h.wants(step)) h.push(step, step * 2, 0, 0, p, p);
    }
    expect(h.generation).toBe(1);
    expect(h.record(100)).toEqual({ step: 200, value: 400, gradNorm: 0, lr: 0, params: [200] });
  });

  it('snapshots the steps asked for, exactly', () => {
    const r = run('5*x^2', { start: [1], optimizer: { name: 'sgd', lr: 0.05 }, stop: { maxSteps: 5 }, recordSteps: [0, 2, 5, 9] });
    expect([...r.snapshots.keys()]).toEqual([0, 2, 5]);
    expect(r.snapshots.get(2)).toEqual({ step: 2, value: 5 * 0.0625, gradNorm: 2.5, lr: 0.05, params: [0.25] });
  });
});

describe('built-in test functions', () => {
  it.each(TEST_FUNCTIONS.map((f) => [f.id, f] as const))('%s: the gradient vanishes at each known minimum, with the known value', (_id, fn) => {
    const f = compileFormula(fn.expr, { vars: fn.vars });
    for (const m of fn.minima) {
      const g = new Float64Array(fn.vars.length);
      const value = f.valueAndGradient(Float64Array.from(m.point), g);
      expect(value).toBeCloseTo(m.value, 9);
      // Ackley's minimum is the tip of a cone: there the gradient is undefined (NaN), as its note says.
      if (fn.id === 'ackley') expect(g.every(Number.isNaN)).toBe(true);
      else for (const gi of g) expect(Math.abs(gi)).toBeLessThan(1e-7);
    }
  });

  it('every optimizer reaches Booth’s minimum from the customary start', () => {
    const fn = TEST_FUNCTIONS.find((f) => f.id === 'booth')!;
    const lrs: Record<string, number> = { sgd: 0.05, adagrad: 1, rmsprop: 0.01, adadelta: 1, adam: 0.1, adamw: 0.1, adamax: 0.1, nadam: 0.1, radam: 0.1, newton: 1, backtracking: 1 };
    for (const [name, lr] of Object.entries(lrs)) {
      // With its default eps 1e-6, Adadelta's effective rate √(u+eps)/√(v+eps) grows as the gradient
      // shrinks and it drifts back out of Booth's valley (it matches PyTorch doing so); eps 1e-2 settles.
      const extra = name === 'adamw' ? { weight_decay: 0 } : name === 'adadelta' ? { eps: 1e-2 } : {};
      const r = run(fn.expr, { start: fn.start, optimizer: { name, lr, ...extra }, stop: { maxSteps: 20_000, gradTol: 1e-6 } });
      expect(r.p[0], name).toBeCloseTo(1, 3);
      expect(r.p[1], name).toBeCloseTo(3, 3);
    }
  });
});
