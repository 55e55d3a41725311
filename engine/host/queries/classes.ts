/**
 * What a classifier shows at a step: the class it predicts over a grid of its two inputs (the
 * decision regions), the training points by class, and its confusion matrices for the training and
 * validation rows. Grid and points are in the features' original units.
 */
import type { FitRun } from '../../run/fit';
import type { Run } from '../../run/run';
import type { RequestData } from '../protocol';
import { accuracy } from '../../model/objective';
import { paramsAt } from './predictions';

export interface ClassView {
  step: number;
  /** Class names in order: text labels, whole numbers, or 0 and 1. */
  classes: string[];
  /** Predicted class per grid cell, row by row from the bottom (y = y[0]) up, nx per row. */
  cells: Uint8Array;
  nx: number;
  ny: number;
  /** Up to `points` training rows: their two features and class. */
  x1: Float64Array;
  x2: Float64Array;
  label: Uint8Array;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  valConfusion: number[][] | null;
  accuracy: number;
  valAccuracy: number;
}

function confusion(predicted: Float64Array, y: Float64Array, count: number, K: number): number[][] {
  const m = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < count; i++) m[y[i]][predicted[i]]++;
  return m;
}

/** A classification's class names in order: its classes, its two text labels, or 0 and 1. */
export function classNames(data: FitRun['data']): string[] {
  return data.classes ?? (data.targetLabels ? [...data.targetLabels] : ['0', '1']);
}

export function classView(hosted: { run: Run; fit: FitRun | null }, req: RequestData<'classView'>): ClassView {
  const fit = hosted.fit;
  if (!fit || !fit.objective.classification) throw new RangeError('Decision regions are for classification fits');
  const { data, objective } = fit;
  const { theta, step } = paramsAt(hosted.run, req.step);
  const classes = classNames(data);
  const K = classes.length;
  const d = data.d;
  const { nx, ny } = req;
  let cells = new Uint8Array(0);
  if (d === 2) {
    // The grid in original units, standardized as the training rows were.
    const G = new Float64Array(nx * ny * 2);
    const s = data.stats;
    for (let r = 0; r < ny; r++) {
      const v = req.y[0] + ((req.y[1] - req.y[0]) * r) / (ny - 1);
      for (let c = 0; c < nx; c++) {
        const u = req.x[0] + ((req.x[1] - req.x[0]) * c) / (nx - 1);
        const o = 2 * (r * nx + c);
        G[o] = s ? (u - s.mean[0]) / s.std[0] : u;
        G[o + 1] = s ? (v - s.mean[1]) / s.std[1] : v;
      }
    }
    cells = Uint8Array.from(objective.classify(theta, G, nx * ny));
  }
  const n = Math.min(data.n, req.points);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = data.stats;
    x1[i] = s ? data.X[i * d] * s.std[0] + s.mean[0] : data.X[i * d];
    x2[i] = d > 1 ? (s ? data.X[i * d + 1] * s.std[1] + s.mean[1] : data.X[i * d + 1]) : 0;
  }
  const train = objective.classify(theta, data.X, data.n);
  const val = data.nVal > 0 ? objective.classify(theta, data.Xval, data.nVal) : null;
  return {
    step,
    classes,
    cells,
    nx,
    ny,
    x1,
    x2,
    label: Uint8Array.from(data.y.subarray(0, n)),
    confusion: confusion(train, data.y, data.n, K),
    valConfusion: val ? confusion(val, data.yval, data.nVal, K) : null,
    accuracy: accuracy(train, data.y, data.n),
    valAccuracy: val ? accuracy(val, data.yval, data.nVal) : NaN,
  };
}
