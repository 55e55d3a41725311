/**
 * What a session keeps of the lab's screen and experiments (format version 2):
 * the view (ranges and the slice of a formula, the point it was evaluated at,
 * the contour map or the 3-D surface with its camera, each chart's scales, the
 * replay step, the selected run, the open panels) and the experiments (a
 * learning-rate sweep, a basin map, the stochastic gap) as their settings and
 * their results. Results are stored, not recomputed: a session reopens with
 * what was on screen at once, and each result belongs to the problem it was
 * saved with (the lab drops them when the problem changes).
 */
import { z } from 'zod';
import { finite, id, text } from './common';
import { base64 } from './problem';
import { OptimizerSettingsSchema } from './run';
import { MAX_FORMULA_LENGTH } from '../formula/limits';
import { CURVE_METRICS } from '../model/metrics';

const range = z.tuple([finite, finite]);
const vector3 = z.tuple([finite, finite, finite]);
/** A number JSON cannot hold is written as a string: "NaN", "Infinity", "-Infinity". */
export const JsonNumberSchema = z.union([finite, z.literal('NaN'), z.literal('Infinity'), z.literal('-Infinity')]);

/** The step charts a view keeps scales for. */
export const CHART_IDS = ['value', 'gradNorm', 'lr', 'param', 'epoch'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const ChartScaleSchema = z.strictObject({
  logX: z.boolean(),
  /** 'auto': a log axis while every value shown is above 0, a linear one otherwise. */
  logY: z.union([z.boolean(), z.literal('auto')]),
  /** TensorBoard's smoothing weight, 0 (off) to 0.99. */
  smoothing: z.number().min(0).max(0.99),
  /** Ranges held by the person; null follows the data. */
  pinned: z.strictObject({ x: range, y: range }).nullable(),
});

export const CameraSchema = z.strictObject({ position: vector3, target: vector3 });

export const ViewSchema = z.strictObject({
  xRange: range,
  yRange: range,
  axes: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  /** The formula the plot range was last chosen for by the lab (null: the person chose it). */
  rangeFor: z.string().max(MAX_FORMULA_LENGTH).nullable(),
  /** The point typed under "Evaluate", and whether f was evaluated there. */
  point: text(2000),
  evaluated: z.boolean(),
  /** A function of two or more variables: the contour map or the 3-D surface, its camera and height scale. */
  functionView: z.enum(['contour', 'surface']),
  camera: CameraSchema.nullable(),
  logHeight: z.boolean(),
  charts: z.partialRecord(z.enum(CHART_IDS), ChartScaleSchema),
  /** Data mode's loss surface: the two parameters it is drawn over. */
  surfaceAxes: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  replayStep: z.number().int().min(0).nullable(),
  selectedRun: z.string().max(100).nullable(),
  speed: z.number().min(0).max(1e9),
  /** The metric the metrics panel follows over the epochs (absent: R² for regression, accuracy for classification). */
  metric: z.enum(CURVE_METRICS).optional(),
  /** Which experiment panels are open. */
  panels: z.strictObject({ sweep: z.boolean(), map: z.boolean(), gap: z.boolean() }),
});

const timing = z.strictObject({ seconds: z.number().min(0), engines: z.number().int().min(1) });

/** The most points a sweep's series holds: 256 values on each of two axes. */
const SERIES_POINTS = 256 * 256;

export const SweepResultSchema = z.strictObject({
  /** The first axis' values (the learning rates of a learning-rate sweep). */
  lrs: z.array(finite).max(256),
  /** The settings swept and their values, for a sweep of another setting or of two (a grid, first axis fastest). */
  axes: z.array(z.strictObject({ param: text(60), values: z.array(finite).max(256) })).min(1).max(2).optional(),
  series: z.array(z.strictObject({
    optimizer: text(40),
    /** The run swept (a race sweeps each run with its own settings). */
    run: text(200).optional(),
    /** The run's name and settings it swept (its optimizer, and its hyperparameters but the rate). */
    settings: OptimizerSettingsSchema.optional(),
    finalValue: z.array(JsonNumberSchema).max(SERIES_POINTS),
    stepsToTolerance: z.array(z.number().int().min(0).nullable()).max(SERIES_POINTS),
    status: z.array(text(40)).max(SERIES_POINTS),
  })).max(64),
  /** The tolerance "steps to reach" was measured against. */
  tolerance: finite,
  timing,
});

export const MapResultSchema = z.strictObject({
  nx: z.number().int().min(2).max(500),
  ny: z.number().int().min(2).max(500),
  /** Each start point's label (int16, little-endian, row-major with y outer) in base64. */
  labels: base64(Math.ceil((500 * 500 * 2 * 4) / 3) + 4),
  minima: z.array(z.array(finite).max(2)).max(10_000),
  counts: z.strictObject({ diverged: z.number().int().min(0), unsettled: z.number().int().min(0) }),
  frame: z.strictObject({ x: range, y: range, vars: z.tuple([text(200), text(200)]) }),
  optimizer: OptimizerSettingsSchema,
  steps: z.number().int().min(1),
  timing,
});

export const GapResultSchema = z.strictObject({
  runId: id,
  run: text(200),
  steps: z.array(z.number().int().min(0)).max(2000),
  batchNorm: z.array(JsonNumberSchema).max(2000),
  fullNorm: z.array(JsonNumberSchema).max(2000),
  noiseNorm: z.array(JsonNumberSchema).max(2000),
  angle: z.array(JsonNumberSchema).max(2000),
});

export const ExperimentsSchema = z.strictObject({
  sweep: z.strictObject({
    /** The setting swept (the learning rate when absent) from lrMin to lrMax, at count values. */
    param: text(60).optional(),
    lrMin: finite,
    lrMax: finite,
    count: z.number().int().min(1).max(256),
    /** A second setting, for a grid of the two (a heat map), or null. */
    across: z.strictObject({ param: text(60), min: finite, max: finite, count: z.number().int().min(2).max(64) }).nullable().optional(),
    tolerance: finite,
    result: SweepResultSchema.nullable(),
  }),
  map: z.strictObject({
    resolution: z.number().int().min(2).max(500),
    steps: z.number().int().min(1).max(100_000),
    result: MapResultSchema.nullable(),
  }),
  gap: z.strictObject({ result: GapResultSchema.nullable() }),
});

export type ChartScale = z.infer<typeof ChartScaleSchema>;
export type Camera = z.infer<typeof CameraSchema>;
export type SessionView = z.infer<typeof ViewSchema>;
export type SessionExperiments = z.infer<typeof ExperimentsSchema>;
export type SweepResultSaved = z.infer<typeof SweepResultSchema>;
export type MapResultSaved = z.infer<typeof MapResultSchema>;
export type GapResultSaved = z.infer<typeof GapResultSchema>;

/** A chart's scales until the person changes them: the value and the gradient norm on a log axis where it can show them. */
export function defaultChartScale(chart: ChartId): ChartScale {
  return { logX: false, logY: chart === 'value' || chart === 'gradNorm' || chart === 'epoch' ? 'auto' : false, smoothing: 0, pinned: null };
}

export const DEFAULT_VIEW: SessionView = {
  xRange: [-2, 2], yRange: [-1, 3], axes: [0, 1], rangeFor: null, point: '1, 1', evaluated: false,
  functionView: 'contour', camera: null, logHeight: false, charts: {}, surfaceAxes: [0, 1],
  replayStep: null, selectedRun: null, speed: 0, panels: { sweep: false, map: false, gap: false },
};

export const DEFAULT_EXPERIMENTS: SessionExperiments = {
  sweep: { lrMin: 1e-4, lrMax: 1, count: 24, tolerance: 1e-3, result: null },
  map: { resolution: 100, steps: 2000, result: null },
  gap: { result: null },
};
