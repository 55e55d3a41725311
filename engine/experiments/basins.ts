/**
 * Basin maps: a grid of start points on a 2-D function, each run with one optimizer for a fixed number
 * of steps and labelled by the minimum it settles in: the nearest known minimum (the test functions
 * list theirs), or a new one found on the way; -1 for a run that diverged, -2 for one that had not
 * settled (gradient norm above the tolerance) when the steps ran out.
 *
 * The runs record no history: a 100 × 100 map is 10,000 runs, and only where each ends matters.
 */
import { compileFormula } from '../formula/compile';
import { Optimizer } from '../optim/registry';

export interface BasinSpec {
  expr: string;
  vars?: string[];
  optimizer: { name: string; [hyperparameter: string]: unknown };
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

export function basinMap(spec: BasinSpec): BasinMap {
  const f = compileFormula(spec.expr, spec.vars ? { vars: spec.vars } : {});
  if (f.vars.length !== 2) throw new RangeError(`A basin map needs a function of two variables; this one has ${f.vars.length}`);
  if (!(spec.nx >= 2 && spec.ny >= 2 && spec.nx * spec.ny <= 250_000)) throw new RangeError('A basin map takes from 2 × 2 to 250,000 start points');
  if (!(Number.isInteger(spec.steps) && spec.steps >= 1 && spec.steps <= 100_000)) throw new RangeError('A basin map takes 1 to 100,000 steps per run');
  const minima = (spec.minima ?? []).map((m) => [...m]);
  const radius = spec.radius ?? 0.01 * Math.hypot(spec.x[1] - spec.x[0], spec.y[1] - spec.y[0]);
  const gradTol = spec.gradTol ?? 1e-3;
  const labels = new Int16Array(spec.nx * spec.ny);
  const p = new Float64Array(2);
  const g = new Float64Array(2);
  const { name, ...hyper } = spec.optimizer;
  const probe = new Optimizer(name, hyper, 2);
  if (probe.definition.needs) throw new RangeError(`Basin maps run gradient-only optimizers; ${probe.definition.title} needs ${probe.definition.needs === 'hessian' ? 'second derivatives' : 'extra function values'}`);
  const lr = probe.lr;
  let diverged = 0;
  let unsettled = 0;
  for (let j = 0; j < spec.ny; j++) {
    for (let i = 0; i < spec.nx; i++) {
      p[0] = spec.x[0] + ((spec.x[1] - spec.x[0]) * i) / (spec.nx - 1);
      p[1] = spec.y[0] + ((spec.y[1] - spec.y[0]) * j) / (spec.ny - 1);
      const optimizer = new Optimizer(name, hyper, 2);
      let value = f.valueAndGradient(p, g);
      for (let k = 0; k < spec.steps && Number.isFinite(value); k++) {
        optimizer.step(p, g, lr);
        value = f.valueAndGradient(p, g);
      }
      let label: number;
      if (!Number.isFinite(value) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        label = DIVERGED;
        diverged++;
      } else if (Math.hypot(g[0], g[1]) > gradTol) {
        label = UNSETTLED;
        unsettled++;
      } else {
        label = minima.findIndex((m) => Math.hypot(m[0] - p[0], m[1] - p[1]) <= radius);
        if (label < 0) {
          minima.push([p[0], p[1]]);
          label = minima.length - 1;
        }
      }
      labels[j * spec.nx + i] = label;
    }
  }
  return { nx: spec.nx, ny: spec.ny, labels, minima, counts: { diverged, unsettled } };
}
