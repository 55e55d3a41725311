// The fused loop (a formula compiled together with its optimizer) gives the same
// bits as the step-by-step loop: over random optimizers, hyperparameters,
// schedules, clipping, stopping rules, snapshots, history thinning, slicing and
// mid-run changes, every parameter, value, record, outcome and optimizer state agrees exactly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFormula, type CompiledFormula } from '../../../engine/formula/compile';
import { formulaObjective } from '../../../engine/run/objective';
import { Run, type RunSettings } from '../../../engine/run/run';
import { OPTIMIZERS } from '../../../engine/optim/registry';
import { fusedLoop } from '../../../engine/run/fused';
import { ProgramBuilder } from '../../../engine/formula/ir';
import type { FusionSource } from '../../../engine/formula/compile';

const FORMULAS: Array<{ expr: string; start: number[] }> = [
  { expr: '(1 - x)^2 + 100*(y - x^2)^2', start: [-1.5, 2] },
  { expr: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', start: [0.3, -0.7] },
  { expr: '2x^2 + 6z^2 + 7m^3', start: [1, 1, 1] },
  { expr: 'x^4 - 3x^2 + x', start: [2] },
  { expr: '5x^2', start: [1] },
  { expr: 'sqrt(x) + (x - 3)^2 + log(1 + y^2) * exp(-x/4)', start: [0.5, 1] },
  { expr: '-(x^2) - y^2 + sin(x*y)', start: [0.2, 0.1] },
  // Every function of the whitelist, so that each one's code runs inside the fused loop.
  {
    expr:
      'sin(x) + cos(y) + tan(x/3) + sec(y/3) + csc(x+2) + cot(y+2) + asin(x/9) + acos(y/9) + atan(x) + sinh(y/2) + cosh(x/2) + tanh(y) + sech(x) + csch(y+3) + coth(x+3)' +
      ' + asec(y+3) + acsc(x+3) + acot(y) + asinh(x) + acosh(y^2+2) + atanh(x/9) + asech(1/(y^2+2)) + acsch(x+3) + acoth(y+3) + exp(x/4) + expm1(y/4) + log(x^2+1) + log(y^2+1, 3)' +
      ' + log10(x^2+2) + log2(y^2+2) + log1p(x^2) + sqrt(y^2+1) + cbrt(x) + abs(y) + sign(x) + atan2(y, x+3) + hypot(x, y) + min(x, y) + max(x, y) + sigmoid(x) + softplus(y)' +
      ' + ln(x^2+3) + pow(y, 2) + square(x) + cube(y/2) + pi*e*tau*phi*x^2',
    start: [0.4, -0.3],
  },
];
const compiled = new Map<string, CompiledFormula>(FORMULAS.map((f) => [f.expr, compileFormula(f.expr, { backend: 'generated' })]));

const unit = fc.double({ min: 0, max: 0.999, noNaN: true });
const rate = fc.double({ min: 1e-4, max: 0.5, noNaN: true });
const decay = fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.5, noNaN: true }));
const betas = fc.tuple(unit, unit);
const eps = fc.double({ min: 1e-12, max: 1e-3, noNaN: true });

/** Random settings for each torch.optim optimizer, flags included. */
const HYPER: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  sgd: fc.record({ lr: rate, momentum: fc.oneof(fc.constant(0), unit), weight_decay: decay, maximize: fc.boolean(), nesterov: fc.boolean() }).map((h) => ({
    ...h,
    nesterov: h.nesterov && h.momentum > 0,
    dampening: 0,
  })),
  adagrad: fc.record({ lr: rate, lr_decay: decay, weight_decay: decay, initial_accumulator_value: decay, eps, maximize: fc.boolean() }),
  rmsprop: fc.record({ lr: rate, alpha: unit, eps, weight_decay: decay, momentum: fc.oneof(fc.constant(0), unit), centered: fc.boolean(), maximize: fc.boolean() }),
  adadelta: fc.record({ lr: rate, rho: unit, eps, weight_decay: decay, maximize: fc.boolean() }),
  adam: fc.record({ lr: rate, betas, eps, weight_decay: decay, amsgrad: fc.boolean(), maximize: fc.boolean() }),
  adamw: fc.record({ lr: rate, betas, eps, weight_decay: decay, amsgrad: fc.boolean(), maximize: fc.boolean() }),
  adamax: fc.record({ lr: rate, betas, eps, weight_decay: decay, maximize: fc.boolean() }),
  nadam: fc.record({ lr: rate, betas, eps, weight_decay: decay, momentum_decay: decay, decoupled_weight_decay: fc.boolean(), maximize: fc.boolean() }),
  radam: fc.record({ lr: rate, betas, eps, weight_decay: decay, decoupled_weight_decay: fc.boolean(), maximize: fc.boolean() }),
};

const optimizer = fc.constantFrom(...Object.keys(HYPER)).chain((name) => fc.tuple(fc.constant(name), HYPER[name], HYPER[name]));

const schedule = fc.option(
  fc.oneof(
    fc.record({ type: fc.constant('step' as const), step_size: fc.integer({ min: 1, max: 300 }), gamma: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
    fc.record({ type: fc.constant('cosine' as const), T_max: fc.integer({ min: 1, max: 3000 }), eta_min: fc.constant(0) }),
    fc.record({ type: fc.constant('inverse_time' as const), decay: fc.double({ min: 0, max: 0.1, noNaN: true }) }),
  ),
  { nil: undefined },
);

const settings = fc.record({
  formula: fc.constantFrom(...FORMULAS),
  optimizer,
  schedule,
  warmup: fc.option(fc.record({ warmup_steps: fc.integer({ min: 1, max: 500 }), start_factor: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { nil: undefined }),
  clipNorm: fc.option(fc.double({ min: 0.01, max: 10, noNaN: true }), { nil: null }),
  maxSteps: fc.integer({ min: 1, max: 12_000 }),
  gradTol: fc.oneof(fc.constant(0), fc.double({ min: 1e-8, max: 1e-2, noNaN: true })),
  fTol: fc.oneof(fc.constant(0), fc.double({ min: 1e-14, max: 1e-6, noNaN: true })),
  signChange: fc.boolean(),
  divergenceBound: fc.constantFrom(1e12, 10, Infinity),
  recordSteps: fc.array(fc.integer({ min: 0, max: 12_000 }), { maxLength: 5 }),
  slices: fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }),
  changeAfter: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
});

type Case = typeof settings extends fc.Arbitrary<infer T> ? T : never;

function runOf(c: Case, fused: boolean): Run {
  const [name, hyper] = c.optimizer;
  const s: RunSettings = {
    start: c.formula.start,
    optimizer: { name, ...hyper },
    schedule: c.schedule,
    warmup: c.warmup,
    clipNorm: c.clipNorm,
    stop: { maxSteps: c.maxSteps, gradTol: c.gradTol, fTol: c.fTol, signChange: c.signChange, divergenceBound: c.divergenceBound },
    recordSteps: c.recordSteps,
    // The smallest history, so that long cases thin it.
    historyCapacity: 1,
    fused,
  };
  return new Run(formulaObjective(compiled.get(c.formula.expr) as CompiledFormula), s);
}

/** Advances in the case's slices (the hyperparameter change, if any, after slice `changeAfter`), then to the end. */
function play(c: Case, run: Run): void {
  c.slices.forEach((count, k) => {
    run.advance(count);
    if (k === c.changeAfter && !run.finished) run.setHyperparameters(c.optimizer[2]);
  });
  run.advance(Infinity);
}

/** Everything a run holds, as plain values Object.is can compare (NaN equals NaN, 0 differs from -0). */
function stateOf(run: Run) {
  const { state } = run.optimizer;
  return {
    step: run.step,
    value: run.value,
    gradNorm: run.gradNorm,
    p: Array.from(run.p),
    g: Array.from(run.g),
    outcome: run.outcome,
    learningRate: run.learningRate,
    snapshots: [...run.snapshots.entries()].sort((a, b) => a[0] - b[0]),
    history: { count: run.history.count, stride: run.history.stride, generation: run.history.generation, rows: Array.from(run.history.rows(0, run.history.count)) },
    optimizer: { t: state.t, buffers: Object.fromEntries(Object.entries(state.buffers).map(([k, b]) => [k, Array.from(b)])), scalars: state.scalars, done: Array.from(state.biasCorrectionDone) },
  };
}

/** Deep equality with Object.is on numbers; returns the path of the first difference. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? null : `${path}: ${String(a)} ≠ ${String(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

describe('the fused loop', () => {
  it('agrees bit for bit with the step-by-step loop over random runs', () => {
    let thinned = 0;
    const reasons = new Set<string>();
    fc.assert(
      fc.property(settings, (c) => {
        const fused = runOf(c, true);
        const stepwise = runOf(c, false);
        expect(fused.fused).toBe(true);
        expect(stepwise.fused).toBe(false);
        play(c, fused);
        play(c, stepwise);
        expect(firstDifference(stateOf(fused), stateOf(stepwise))).toBeNull();
        if (fused.history.generation > 0) thinned++;
        reasons.add(fused.outcome?.reason ?? 'none');
      }),
      { numRuns: 300, seed: 20261125 },
    );
    // The cases reach every way a run can end, and some thin the history.
    expect([...reasons].sort()).toEqual(['bound', 'f_tol', 'grad_tol', 'max_steps', 'sign_change', 'unbounded', 'undefined']);
    expect(thinned).toBeGreaterThan(10);
  });

  it('covers every torch.optim optimizer; Newton and line search keep the step-by-step loop', () => {
    const f = formulaObjective(compileFormula('(1 - x)^2 + 100*(y - x^2)^2', { backend: 'generated' }));
    for (const name of Object.keys(OPTIMIZERS)) {
      const run = new Run(f, { start: [-1.5, 2], optimizer: { name } });
      expect([name, run.fused]).toEqual([name, name !== 'newton' && name !== 'backtracking']);
    }
  });

  it('switches loops when a mid-run change alters the code shape, keeping the state', () => {
    const f = formulaObjective(compileFormula('(1 - x)^2 + 100*(y - x^2)^2', { backend: 'generated' }));
    const make = (fused: boolean) => new Run(f, { start: [-1.5, 2], optimizer: { name: 'sgd', lr: 1e-3 }, stop: { maxSteps: 3000 }, fused });
    const [a, b] = [make(true), make(false)];
    for (const run of [a, b]) {
      run.advance(1000);
      run.setHyperparameters({ momentum: 0.9, nesterov: true });
      run.advance(1000);
      run.setHyperparameters({ momentum: 0, nesterov: false });
      run.advance(Infinity);
    }
    expect(a.optimizer.state.scalars.has_momentum_buffer).toBe(1);
    expect(firstDifference(stateOf(a), stateOf(b))).toBeNull();
  });

  it('is not used where generated code is not (closure backend), nor for formulas too large to unroll', () => {
    const closure = new Run(formulaObjective(compileFormula('x^2 + y^2', { backend: 'closure' })), { start: [1, 1], optimizer: { name: 'adam' } });
    expect(closure.fused).toBe(false);
    // Σ vᵢ² over n variables, built as instructions directly (mathjs takes long to differentiate a 65-term sum).
    const sumOfSquares = (n: number): FusionSource => {
      const b = new ProgramBuilder(Array.from({ length: n }, (_, i) => `v${i}`));
      const vars = Array.from({ length: n }, (_, i) => b.variable(i));
      const valueRoot = vars.map((v) => b.binary('mul', v, v)).reduce((acc, sq) => b.binary('add', acc, sq));
      return { program: b.program(), valueRoot, gradRoots: vars.map((v) => b.binary('mul', b.constant(2), v)) };
    };
    const adam = OPTIMIZERS.adam;
    const shape = { clipping: false, scheduled: false, fTol: false, signChange: false };
    expect(fusedLoop(sumOfSquares(64), adam, adam.defaults, adam.init(64, adam.defaults), shape)).not.toBeNull();
    expect(fusedLoop(sumOfSquares(65), adam, adam.defaults, adam.init(65, adam.defaults), shape)).toBeNull();
  });
});

describe('every fused loop compiles', () => {
  it('for every optimizer, every combination of its flags, coupled or not, and every loop shape', () => {
    const source = compiled.get('(1 - x)^2 + 100*(y - x^2)^2')!.fusion!;
    let count = 0;
    for (const definition of Object.values(OPTIMIZERS)) {
      if (!definition.fused) continue;
      const flags = definition.hyperparameters.filter((h) => h.kind === 'boolean').map((h) => h.name);
      for (let mask = 0; mask < 1 << flags.length; mask++) {
        for (const weightDecay of [0, 0.01]) {
          const h = { ...definition.defaults, weight_decay: weightDecay, ...Object.fromEntries(flags.map((f, k) => [f, ((mask >> k) & 1) === 1])) } as Record<string, unknown>;
          // Nesterov needs momentum, as in torch.
          if (h.nesterov === true) h.momentum = 0.9;
          for (let shape = 0; shape < 16; shape++) {
            const state = definition.init(2, h as never);
            const loop = fusedLoop(source, definition, h as never, state, { clipping: (shape & 1) === 1, scheduled: (shape & 2) === 2, fTol: (shape & 4) === 4, signChange: (shape & 8) === 8 });
            expect(loop, `${definition.name} ${JSON.stringify(h)} shape ${shape}`).not.toBeNull();
            count++;
          }
        }
      }
    }
    expect(count).toBeGreaterThan(500);
  });
});
