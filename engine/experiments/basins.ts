/**
 * Basin maps: a grid of start points on a 2-D function, each run with one optimizer for a fixed number
 * of steps and labelled by the minimum it settles in: the nearest known minimum (the test functions
 * list theirs), or a new one found on the way; -1 for a run that diverged, -2 for one that had not
 * settled (gradient norm above the tolerance) when the steps ran out.
 *
 * The runs record no history: a 100 × 100 map is 10,000 runs, and only where each ends matters.
 */
import { compileFormula, type CompiledFormula, type ValueAndGradient } from '../formula/compile';
import { Optimizer } from '../optim/registry';
import type { Hyperparameters, OptimizerDefinition, OptimizerState } from '../optim/types';
import { complete, type Job } from './job';
import { END_WIDTH, labelBasins, type BasinMap, type BasinSpec } from './basinLabels';
import { hypot } from '../math/libm';

export { DIVERGED, END_WIDTH, UNSETTLED, labelBasins, type BasinMap, type BasinSpec } from './basinLabels';

/**
 * Compiles the formula. The engine host passes its cache: a map's shares then run one compiled
 * function, whose call site in the loop below stays monomorphic (a new function per share would
 * make it megamorphic and slow every later share).
 */
export type Compile = (expr: string, vars?: string[]) => CompiledFormula;
const compileOnce: Compile = (expr, vars) => compileFormula(expr, vars ? { vars } : {});

/** Checks a basin spec; returns its compiled formula and the optimizer's learning rate and other settings. */
function prepare(spec: BasinSpec, compile: Compile): { f: CompiledFormula; lr: number; definition: OptimizerDefinition; hyper: Hyperparameters } {
  const f = compile(spec.expr, spec.vars);
  if (f.vars.length !== 2) throw new RangeError(`A basin map needs a function of two variables; this one has ${f.vars.length}`);
  if (!(spec.nx >= 2 && spec.ny >= 2 && spec.nx * spec.ny <= 250_000)) throw new RangeError('A basin map takes from 2 × 2 to 250,000 start points');
  if (!(Number.isInteger(spec.steps) && spec.steps >= 1 && spec.steps <= 100_000)) throw new RangeError('A basin map takes 1 to 100,000 steps per run');
  const { name, ...given } = spec.optimizer;
  const probe = new Optimizer(name, given, 2);
  if (probe.definition.needs) throw new RangeError(`Basin maps run gradient-only optimizers; ${probe.definition.title} needs ${probe.definition.needs === 'hessian' ? 'second derivatives' : 'extra function values'}`);
  return { f, lr: probe.lr, definition: probe.definition, hyper: probe.hyper };
}

/**
 * One start point's run to its end (or to a point where f has no value); returns f there. A function
 * of its own, called once per start point with the same two functions, so that the JIT compiles it
 * whole with both calls monomorphic; inside a long `work` loop it was only replaced on the stack,
 * and some engine processes ran it at half the speed.
 */
function descend(valueAndGradient: ValueAndGradient, step: OptimizerDefinition['step'], p: Float64Array, g: Float64Array, state: OptimizerState, hyper: Hyperparameters, lr: number, steps: number): number {
  let value = valueAndGradient(p, g);
  for (let k = 0; k < steps && Number.isFinite(value); k++) {
    step(p, g, state, hyper, lr);
    value = valueAndGradient(p, g);
  }
  return value;
}

/**
 * The costly half of a basin map: the runs from start points `from` to `to` (row-major cell indices),
 * each to its end, keeping where it ended. Every run is independent of the others, so ranges can be
 * computed on different engines and put side by side; the labels come after, in cell order.
 */
export class BasinEndsJob implements Job<Float64Array> {
  private readonly f: CompiledFormula;
  private readonly lr: number;
  private readonly definition: OptimizerDefinition;
  private readonly hyper: Hyperparameters;
  private readonly ends: Float64Array;
  private readonly p = new Float64Array(2);
  private readonly g = new Float64Array(2);
  private cell: number;

  constructor(
    private readonly spec: BasinSpec,
    compile: Compile = compileOnce,
    private readonly from = 0,
    private readonly to = spec.nx * spec.ny,
  ) {
    ({ f: this.f, lr: this.lr, definition: this.definition, hyper: this.hyper } = prepare(spec, compile));
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to > from && to <= spec.nx * spec.ny)) throw new RangeError(`Start points ${from} to ${to} are not within the map's ${spec.nx * spec.ny}`);
    this.cell = from;
    this.ends = new Float64Array((to - from) * END_WIDTH);
  }

  get progress(): number {
    return (this.cell - this.from) / (this.to - this.from);
  }

  work(deadline: number, now: () => number): boolean {
    const { spec, f, p, g, ends, definition, hyper, lr } = this;
    const { steps } = spec;
    while (this.cell < this.to) {
      const i = this.cell % spec.nx;
      const j = Math.floor(this.cell / spec.nx);
      p[0] = spec.x[0] + ((spec.x[1] - spec.x[0]) * i) / (spec.nx - 1);
      p[1] = spec.y[0] + ((spec.y[1] - spec.y[0]) * j) / (spec.ny - 1);
      // A fresh optimizer state per start point; the checked settings are shared.
      const value = descend(f.valueAndGradient, definition.step, p, g, definition.init(2, hyper), hyper, lr, steps);
      const at = (this.cell - this.from) * END_WIDTH;
      ends[at] = p[0];
      ends[at + 1] = p[1];
      ends[at + 2] = value;
      ends[at + 3] = hypot(g[0], g[1]);
      this.cell++;
      if (now() >= deadline) break;
    }
    return this.cell >= this.to;
  }

  result(): Float64Array {
    return this.ends;
  }
}

/** A basin map as one job: every run, then the labels. */
export class BasinJob implements Job<BasinMap> {
  private readonly ends: BasinEndsJob;

  constructor(
    private readonly spec: BasinSpec,
    compile?: Compile,
  ) {
    this.ends = new BasinEndsJob(spec, compile);
  }

  get progress(): number {
    return this.ends.progress;
  }

  work(deadline: number, now: () => number): boolean {
    return this.ends.work(deadline, now);
  }

  result(): BasinMap {
    return labelBasins(this.spec, this.ends.result());
  }
}

export function basinMap(spec: BasinSpec): BasinMap {
  return complete(new BasinJob(spec));
}
