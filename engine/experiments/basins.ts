/**
 * Basin maps: a grid of start points on a 2-D function, each run with one optimizer for a fixed number
 * of steps and labelled by the minimum it settles in: the nearest known minimum (the test functions
 * list theirs), or a new one found on the way; -1 for a run that diverged, -2 for one that had not
 * settled (gradient norm above the tolerance) when the steps ran out.
 *
 * The runs record no history: a 100 × 100 map is 10,000 runs, and only where each ends matters.
 */
import { compileFormula, type CompiledFormula } from '../formula/compile';
import { Optimizer } from '../optim/registry';
import type { OptimizerSettings } from '../spec/run';
import { complete, type Job } from './job';

export interface BasinSpec {
  expr: string;
  vars?: string[];
  optimizer: OptimizerSettings;
  x: [number, number];
  y: [number, number];
  nx: number;
  ny: number;
  steps: number;
  /** Known minima to label by; others are added as found. */
  minima?: number[][];
  /** A run has settled when its gradient norm is at most this. */
  gradTol?: number;
  /** A final point within this distance of a minimum belongs to it (default: 1% of the grid's diagonal). */
  radius?: number;
}

export interface BasinMap {
  nx: number;
  ny: number;
  /** Row-major, y outer: label of the start (x_i, y_j) at j·nx + i. */
  labels: Int16Array;
  minima: number[][];
  counts: { diverged: number; unsettled: number };
}

export const DIVERGED = -1;
export const UNSETTLED = -2;

/** A basin map as a job: start points row by row, each run to its end. */
export class BasinJob implements Job<BasinMap> {
  private readonly f: CompiledFormula;
  private readonly minima: number[][];
  private readonly radius: number;
  private readonly gradTol: number;
  private readonly labels: Int16Array;
  private readonly p = new Float64Array(2);
  private readonly g = new Float64Array(2);
  private readonly lr: number;
  private readonly hyper: Record<string, unknown>;
  private cell = 0;
  private diverged = 0;
  private unsettled = 0;

  constructor(private readonly spec: BasinSpec) {
    this.f = compileFormula(spec.expr, spec.vars ? { vars: spec.vars } : {});
    if (this.f.vars.length !== 2) throw new RangeError(`A basin map needs a function of two variables; this one has ${this.f.vars.length}`);
    if (!(spec.nx >= 2 && spec.ny >= 2 && spec.nx * spec.ny <= 250_000)) throw new RangeError('A basin map takes from 2 × 2 to 250,000 start points');
    if (!(Number.isInteger(spec.steps) && spec.steps >= 1 && spec.steps <= 100_000)) throw new RangeError('A basin map takes 1 to 100,000 steps per run');
    this.minima = (spec.minima ?? []).map((m) => [...m]);
    this.radius = spec.radius ?? 0.01 * Math.hypot(spec.x[1] - spec.x[0], spec.y[1] - spec.y[0]);
    this.gradTol = spec.gradTol ?? 1e-3;
    this.labels = new Int16Array(spec.nx * spec.ny);
    const { name, ...hyper } = spec.optimizer;
    this.hyper = hyper;
    const probe = new Optimizer(name, hyper, 2);
    if (probe.definition.needs) throw new RangeError(`Basin maps run gradient-only optimizers; ${probe.definition.title} needs ${probe.definition.needs === 'hessian' ? 'second derivatives' : 'extra function values'}`);
    this.lr = probe.lr;
  }

  get progress(): number {
    return this.cell / this.labels.length;
  }

  work(deadline: number, now: () => number): boolean {
    const { spec, f, p, g } = this;
    while (this.cell < this.labels.length) {
      const i = this.cell % spec.nx;
      const j = Math.floor(this.cell / spec.nx);
      p[0] = spec.x[0] + ((spec.x[1] - spec.x[0]) * i) / (spec.nx - 1);
      p[1] = spec.y[0] + ((spec.y[1] - spec.y[0]) * j) / (spec.ny - 1);
      const optimizer = new Optimizer(spec.optimizer.name, this.hyper, 2);
      let value = f.valueAndGradient(p, g);
      for (let k = 0; k < spec.steps && Number.isFinite(value); k++) {
        optimizer.step(p, g, this.lr);
        value = f.valueAndGradient(p, g);
      }
      this.labels[this.cell] = this.label(value);
      this.cell++;
      if (now() >= deadline) break;
    }
    return this.cell >= this.labels.length;
  }

  private label(value: number): number {
    const { p, g, minima } = this;
    if (!Number.isFinite(value) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      this.diverged++;
      return DIVERGED;
    }
    // Within the radius of a minimum is settled there, even while an adaptive optimizer still
    // circles it with a gradient above the tolerance; elsewhere only a small gradient is settled.
    const found = minima.findIndex((m) => Math.hypot(m[0] - p[0], m[1] - p[1]) <= this.radius);
    if (found >= 0) return found;
    if (Math.hypot(g[0], g[1]) > this.gradTol) {
      this.unsettled++;
      return UNSETTLED;
    }
    minima.push([p[0], p[1]]);
    return minima.length - 1;
  }

  result(): BasinMap {
    return { nx: this.spec.nx, ny: this.spec.ny, labels: this.labels, minima: this.minima, counts: { diverged: this.diverged, unsettled: this.unsettled } };
  }
}

export function basinMap(spec: BasinSpec): BasinMap {
  return complete(new BasinJob(spec));
}
