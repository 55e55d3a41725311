/** What a data run predicts: predictions at a step, the data with predictions as CSV, the loss surface, the stochastic gap. */
import type { Dataset } from '../../data/table';
import type { FitRun } from '../../run/fit';
import type { Run } from '../../run/run';
import { originalUnits } from '../../model/units';
import { csvLine } from '../../session/export/csv';
import { gradientGap, type GradientGap } from '../../experiments/noise';
import { contourBands } from '../contours';
import { sampleSlice, type ContourResult } from './formulas';
import type { RequestData } from '../protocol';
import type { Layer } from '../../model/mlp';
import { Rng } from '../../data/random';

export type Prediction =
  | { y: Float64Array }
  | { params: number[]; originalParams: number[] | null }
  | { train: Float64Array; trainY: Float64Array; validation: Float64Array; validationY: Float64Array; originalParams: number[] | null };

/** `rows`: how many training rows the loss was taken over (all of them unless `sampled`). */
export type LossSurface = ContourResult & { sampled: boolean; rows: number };

function fitOf(run: { fit: FitRun | null }, what: string): FitRun {
  if (!run.fit) throw new RangeError(`${what} are for data runs`);
  return run.fit;
}

/** A run's parameters at the last recorded step at or before `step` (its current ones without a step), and that step. */
export function paramsAt(run: Run, step: number | undefined): { theta: Float64Array; step: number } {
  if (step !== undefined) {
    const h = run.history;
    const index = h.indexAtOrBefore(step);
    if (index >= 0) return { theta: Float64Array.from(h.record(index).params), step: h.stepAt(index) };
  }
  return { theta: run.p, step: run.step };
}

/** Every k-th of `rows` training rows, so that at most `max` are used; null when all of them are. */
function evenSample(rows: number, max: number): Uint32Array | null {
  const stride = Math.max(1, Math.ceil(rows / max));
  return stride === 1 ? null : Uint32Array.from({ length: Math.ceil(rows / stride) }, (_, k) => k * stride);
}

export function predict(hosted: { run: Run; fit: FitRun | null }, req: RequestData<'predict'>): Prediction {
  const { data, objective, model } = fitOf(hosted, 'Predictions');
  const { theta } = paramsAt(hosted.run, req.step);
  if (req.x) {
    if (model.d !== 1) throw new RangeError('Curve predictions need a one-feature model');
    // x is in original units; standardize as the training data was.
    const X = Float64Array.from(req.x, (v) => (data.stats ? (v - data.stats.mean[0]) / data.stats.std[0] : v));
    return { y: objective.predict(theta, X, X.length) };
  }
  const originalParams = originalUnits(model, theta, data.stats);
  if (req.paramsOnly) return { params: Array.from(theta), originalParams };
  // The first rows only, when asked: predicting 77k rows at every frame of a streaming run for a chart
  // that draws 3,000 of them would take the engine's time from the run.
  const n = Math.min(data.n, req.rows ?? data.n);
  const nVal = Math.min(data.nVal, req.rows ?? data.nVal);
  return {
    train: objective.predict(theta, data.X, n),
    trainY: data.y.subarray(0, n),
    validation: objective.predict(theta, data.Xval, nVal),
    validationY: data.yval.subarray(0, nVal),
    originalParams,
  };
}

/**
 * The data with the run's current predictions: original feature values, target, prediction, and which
 * split each row is in. The prediction's header names the run and its step when a name is given:
 * predicted_y (Adam 1, step 100).
 */
export function predictionsCsv(hosted: { run: Run; fit: FitRun | null }, dataset: Dataset, runName?: string): string {
  const { data, objective } = fitOf(hosted, 'Predictions');
  const columns = data.featureNames.map((name) => dataset.columns.find((c) => c.name === name));
  const target = dataset.columns.find((c) => c.name === data.targetName);
  const predicted = `predicted_${data.targetName}${runName ? ` (${runName}, step ${hosted.run.step})` : ''}`;
  const lines = [csvLine([...data.featureNames, data.targetName, predicted, 'split'])];
  // Classes are written by name: the target's and the predicted class's.
  const classes = data.classes;
  const emit = (rows: Uint32Array, y: Float64Array, predictions: Float64Array, split: string) => {
    rows.forEach((row, k) => {
      const actual = classes ? classes[y[k]] : target?.values[row] ?? NaN;
      lines.push(csvLine([...columns.map((c) => c?.values[row] ?? NaN), actual, classes ? classes[predictions[k]] : predictions[k], split]));
    });
  };
  emit(data.trainRows, data.y, objective.predict(hosted.run.p, data.X, data.n), 'train');
  emit(data.valRows, data.yval, objective.predict(hosted.run.p, data.Xval, data.nVal), 'validation');
  return `${lines.join('\n')}\n`;
}

/**
 * The training loss over a grid of two of a data run's parameters, the others held at `at` (the
 * run's parameters at the shown step), as contour bands. Above 4,000 training rows the loss is
 * taken over an evenly spaced sample of about 4,000 of them, so that a surface (3,600 losses) costs
 * the engine a fraction of a second however large the dataset, and a streaming run keeps its pace.
 */
/** The most training rows a loss surface is computed over. */
export const SURFACE_ROWS = 4_000;

export function lossSurface(hosted: { fit: FitRun | null }, req: RequestData<'lossSurface'>): LossSurface {
  const objective = fitOf(hosted, 'Loss surfaces').objective;
  const n = objective.n;
  const [ax, ay] = req.axes;
  if (ax >= n || ay >= n || ax === ay) throw new RangeError(`The surface axes must be two different parameters of the model (it has ${n})`);
  if (req.at.length !== n) throw new RangeError(`The slice point has ${req.at.length} values but the model has ${n} parameters`);
  const { X, y, n: rows } = objective.data;
  const sample = evenSample(rows, SURFACE_ROWS);
  const count = sample ? sample.length : rows;
  const values = sampleSlice(req, (p) => objective.lossOver(p, X, y, sample, count, null));
  return { ...contourBands(values, req), sampled: sample !== null, rows: count };
}

export function stochasticGap(hosted: { run: Run; fit: FitRun | null }, req: RequestData<'gradientGap'>): GradientGap {
  return gradientGap(fitOf(hosted, 'Stochastic gaps').objective, hosted.run.history, req.points);
}

/** The most training rows a network's loss slice is computed over. */
export const NETWORK_SURFACE_ROWS = 500;

/**
 * A random direction in a network's parameter space, normalised per filter (Li et al. 2018,
 * "Visualizing the Loss Landscape of Neural Nets"): each unit's incoming weights are drawn from
 * N(0, 1) and scaled to the norm of that unit's weights in θ; biases are not moved.
 */
export function filterDirection(layers: readonly Layer[], theta: Float64Array, rng: Rng): Float64Array {
  const d = new Float64Array(theta.length);
  for (const { inputs: m, outputs: h, w } of layers) {
    for (let o = 0; o < h; o++) {
      const from = w + o * m;
      let drawn = 0;
      let own = 0;
      for (let i = from; i < from + m; i++) {
        d[i] = rng.normal();
        drawn += d[i] * d[i];
        own += theta[i] * theta[i];
      }
      const scale = drawn > 0 ? Math.sqrt(own / drawn) : 0;
      for (let i = from; i < from + m; i++) d[i] *= scale;
    }
  }
  return d;
}

/**
 * A network's training loss on a 2-D slice through parameter space: L(θ + α·δ + β·η) for α, β in
 * [−span, span], with θ the selected run's parameters at the shown step and δ, η two seeded random
 * directions normalised per filter. Over an evenly spaced sample of at most NETWORK_SURFACE_ROWS rows.
 */
export function networkSurface(hosted: { run: Run; fit: FitRun | null }, req: RequestData<'networkSurface'>): LossSurface {
  const { values, sampled, rows } = networkSlice(hosted, req);
  const { nx, ny, span } = req;
  return { ...contourBands(values, { x: [-span, span], y: [-span, span], nx, ny, levels: req.levels }), sampled, rows };
}

/** The slice's losses, row-major with β outer (see networkSurface). */
export function networkSlice(hosted: { run: Run; fit: FitRun | null }, req: Omit<RequestData<'networkSurface'>, 'levels'>): { values: Float64Array; sampled: boolean; rows: number } {
  const { objective, model } = fitOf(hosted, 'Loss surfaces');
  const net = model.network;
  if (!net) throw new RangeError('A slice along random directions is for network models');
  const { theta } = paramsAt(hosted.run, req.step);
  const rng = new Rng(req.seed);
  const d1 = filterDirection(net.layers, theta, rng);
  const d2 = filterDirection(net.layers, theta, rng);
  const { X, y, n: rows } = objective.data;
  const sample = evenSample(rows, NETWORK_SURFACE_ROWS);
  const count = sample ? sample.length : rows;
  const { nx, ny, span } = req;
  const p = new Float64Array(theta.length);
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const b = -span + (2 * span * j) / (ny - 1);
    for (let i = 0; i < nx; i++) {
      const a = -span + (2 * span * i) / (nx - 1);
      for (let k = 0; k < p.length; k++) p[k] = theta[k] + a * d1[k] + b * d2[k];
      values[j * nx + i] = objective.lossOver(p, X, y, sample, count, null);
    }
  }
  return { values, sampled: sample !== null, rows: count };
}
