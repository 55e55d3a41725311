/** The engine's questions about a formula: its gradient, its value at a point, grids, contours and curves. */
import type { CompiledFormula } from '../../formula/compile';
import { describeUndefined, undefinedValues } from '../../formula/diagnose';
import { formulaCache } from '../../run/build';
import type { Words } from '../../spec/common';
import { contourBands } from '../contours';
import type { RequestData } from '../protocol';
import { plotRange, type PlotRange } from './plotRange';

export interface Analysis {
  vars: string[];
  expr: string;
  tex: string;
  gradientExprs: string[];
  gradientTex: string[];
}

export interface Evaluation {
  value: number;
  gradient: number[];
  /** Why f or a partial derivative is not finite there, where it is not. */
  undefined?: string;
  /** `undefined` as an id and its values, for the interface's languages. */
  undefinedWords?: Words;
}

export interface Grid {
  values: Float64Array;
  nx: number;
  ny: number;
}

export interface Curve {
  x: Float64Array;
  y: Float64Array;
}

export type ContourResult = ReturnType<typeof contourBands>;

export interface Slice {
  axes: [number, number];
  at: number[];
  x: [number, number];
  y: [number, number];
  nx: number;
  ny: number;
}

/** Values of `f` on an nx × ny grid over two coordinates of `at` (row-major, y outer); the others stay fixed. */
export function sampleSlice(req: Slice, f: (p: Float64Array) => number): Float64Array {
  const [ax, ay] = req.axes;
  const p = Float64Array.from(req.at);
  const values = new Float64Array(req.nx * req.ny);
  for (let j = 0; j < req.ny; j++) {
    p[ay] = req.y[0] + ((req.y[1] - req.y[0]) * j) / (req.ny - 1);
    for (let i = 0; i < req.nx; i++) {
      p[ax] = req.x[0] + ((req.x[1] - req.x[0]) * i) / (req.nx - 1);
      values[j * req.nx + i] = f(p);
    }
  }
  return values;
}

function checkPoint(f: CompiledFormula, at: readonly number[], what = 'point'): void {
  const n = f.vars.length;
  if (at.length !== n) throw new RangeError(`The ${what} has ${at.length} value${at.length === 1 ? '' : 's'} but the formula has ${n} variable${n === 1 ? '' : 's'} (${f.vars.join(', ')})`);
}

export class FormulaQueries {
  /** Compiled formulas, shared with the runs; bounded for the long-lived engine process. */
  readonly compile = formulaCache(undefined, 64);

  analyze(req: RequestData<'analyze'>): Analysis {
    const f = this.compile(req.expr, req.vars);
    return { vars: [...f.vars], expr: f.expr, tex: f.tex, gradientExprs: f.gradientExprs, gradientTex: f.gradientTex };
  }

  evaluate(req: RequestData<'evaluate'>): Evaluation {
    const f = this.compile(req.expr, req.vars);
    checkPoint(f, req.at);
    const g = new Float64Array(f.vars.length);
    const value = f.valueAndGradient(Float64Array.from(req.at), g);
    const gradient = Array.from(g);
    if (Number.isFinite(value) && gradient.every(Number.isFinite)) return { value, gradient };
    const problem = f.diagnose(req.at);
    const why = problem ? describeUndefined(problem) : Number.isFinite(value) ? 'f is not differentiable at this point' : `f is ${value} here`;
    const undefinedWords = problem
      ? { id: 'describe', values: undefinedValues(problem) }
      : Number.isFinite(value) ? { id: 'notDifferentiableHere', values: {} } : { id: 'valueHere', values: { value: String(value) } };
    return { value, gradient, undefined: why, undefinedWords };
  }

  grid(req: RequestData<'grid'>): Grid {
    const f = this.compile(req.expr, req.vars);
    const n = f.vars.length;
    const [ax, ay] = req.axes;
    if (ax >= n || ay >= n || ax === ay) throw new RangeError('The grid axes must be two different variables of the formula');
    checkPoint(f, req.at, 'slice point');
    return { values: sampleSlice(req, (p) => f.value(p)), nx: req.nx, ny: req.ny };
  }

  contours(req: RequestData<'contours'>): ContourResult {
    return contourBands(this.grid(req).values, req);
  }

  plotRange(req: RequestData<'plotRange'>): PlotRange {
    const f = this.compile(req.expr, req.vars);
    const n = f.vars.length;
    if (req.axes.some((a) => a >= n) || (req.axes.length === 2 && req.axes[0] === req.axes[1])) throw new RangeError('The plotted variables must be different variables of the formula');
    checkPoint(f, req.at, 'slice point');
    return plotRange(f, req.axes, req.at);
  }

  curve(req: RequestData<'curve'>): Curve {
    const f = this.compile(req.expr, req.vars);
    if (req.axis >= f.vars.length) throw new RangeError('The curve axis must be a variable of the formula');
    checkPoint(f, req.at);
    const p = Float64Array.from(req.at);
    const x = new Float64Array(req.n);
    const y = new Float64Array(req.n);
    for (let i = 0; i < req.n; i++) {
      p[req.axis] = req.x[0] + ((req.x[1] - req.x[0]) * i) / (req.n - 1);
      x[i] = p[req.axis];
      y[i] = f.value(p);
    }
    return { x, y };
  }
}
