/**
 * The engine's message protocol, one contract for all three transports (an
 * Electron utility process behind a MessagePort, a Node child process, a Web
 * Worker). A request is `{ v, id, type, input }` and gets exactly one reply;
 * runs stream progress events, batched to at most ~60 a second, and jobs
 * (sweeps, basin maps) report how far they are. Every request's input is
 * validated here on arrival: a malformed one gets an error reply, never a crash.
 *
 * REQUESTS (the inputs' schemas) and Replies (the results' types) are one
 * request → reply map: the host's handlers and the client are both typed by
 * it, so a request cannot be half-wired.
 */
import type { StandardizationReport } from '../model/units';
import { z } from 'zod';
import { finite, HyperValueSchema, id, name, type Words } from '../spec/common';
import { EngineProblemSchema, GeneratorSchema } from '../spec/problem';
import { ChangeSchema, OptimizerSettingsSchema, RunSettingsSchema } from '../spec/run';
import { RUN_STATUSES, type RunStatus } from '../spec/session';
import type { RunDifference } from '../session/verify';
import type { EpochRecord } from '../run/fit';
import type { StepRecord } from '../run/history';
import type { StepExplanation } from '../run/explain';
import type { Catalog } from './catalog';
import type { DatasetSummary } from './summary';
import type { SweepPoint, SweepResult } from '../experiments/sweep';
import type { BasinMap } from '../experiments/basins';
import type { GradientGap } from '../experiments/noise';
import type { Analysis, ContourResult, Curve, Evaluation, Grid } from './queries/formulas';
import type { LossSurface, Prediction } from './queries/predictions';
import type { ClassView } from './queries/classes';
import type { FitReport, MetricCurve } from './queries/report';
import { CURVE_METRICS } from '../model/metrics';
import { NOTEBOOK_TEXT_KEYS } from '../session/export/notebookTexts';
import type { PlotRange } from './queries/plotRange';
import { MAX_FORMULA_LENGTH } from '../formula/limits';

export const PROTOCOL_VERSION = 2;

const runIds = z.array(id).min(1).max(1000);

/** A formula and, optionally, its variables in order. */
const formula = { expr: z.string().max(MAX_FORMULA_LENGTH), vars: z.array(name).max(100).optional() };

/** A 2-D slice: two variable indices, the point the others are held at, and the window. */
const slice = {
  axes: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  at: z.array(finite).max(100),
  x: z.tuple([finite, finite]),
  y: z.tuple([finite, finite]),
};

const none = z.strictObject({});

const sweepSpec = {
  problem: EngineProblemSchema,
  base: RunSettingsSchema,
  optimizers: z.array(OptimizerSettingsSchema).min(1).max(12),
  /** Each optimizer's own run settings (a race's runs); `base` for all when absent. */
  bases: z.array(RunSettingsSchema).max(12).optional(),
  names: z.array(z.string().max(200)).max(12).optional(),
  /** The settings swept (one axis, or two for a grid): the learning rate from lrMin to lrMax when absent. */
  axes: z.array(z.strictObject({ param: z.string().max(60), min: finite, max: finite, count: z.number().int().min(1).max(256), scale: z.enum(['log', 'linear']) })).max(2).optional(),
  lrMin: z.number().positive(),
  lrMax: z.number().positive(),
  count: z.number().int().min(1).max(256),
  tolerance: finite,
};

const basinSpec = {
  ...formula,
  optimizer: OptimizerSettingsSchema,
  x: z.tuple([finite, finite]),
  y: z.tuple([finite, finite]),
  nx: z.number().int().min(2).max(500),
  ny: z.number().int().min(2).max(500),
  steps: z.number().int().min(1).max(100_000),
  minima: z.array(z.tuple([finite, finite])).max(64).optional(),
  gradTol: z.number().positive().optional(),
  radius: z.number().positive().optional(),
};

/** A share of a job's items, from (inclusive) to (exclusive). */
const part = { from: z.number().int().min(0), to: z.number().int().min(1) };

export const REQUESTS = {
  hello: none,
  catalog: none,
  analyze: z.strictObject(formula),
  evaluate: z.strictObject({ ...formula, at: z.array(finite).max(100) }),
  grid: z.strictObject({ ...formula, ...slice, nx: z.number().int().min(2).max(1024), ny: z.number().int().min(2).max(1024) }),
  contours: z.strictObject({ ...formula, ...slice, nx: z.number().int().min(2).max(512), ny: z.number().int().min(2).max(512), levels: z.number().int().min(2).max(64).default(16) }),
  curve: z.strictObject({ ...formula, axis: z.number().int().min(0), at: z.array(finite).max(100), x: z.tuple([finite, finite]), n: z.number().int().min(2).max(100_000) }),
  /** The window a new formula is first plotted over: around its critical points along one or two variables (the others held at `at`). */
  plotRange: z.strictObject({ ...formula, axes: z.array(z.number().int().min(0)).min(1).max(2), at: z.array(finite).max(100) }),
  loadDataset: z.strictObject({
    datasetId: id, name: z.string().max(500), bytes: z.instanceof(Uint8Array), delimiter: z.string().max(4).optional(), header: z.union([z.boolean(), z.literal('auto')]).optional(),
    /** The sheet of a workbook to read (by default its first sheet with a table). */
    sheet: z.string().max(200).optional(),
    /** Also reply with the file's SHA-256 (a session's dataset source names the file by it): work kept off the page's thread. */
    hash: z.literal(true).optional(),
  }),
  generateDataset: z.strictObject({ datasetId: id, spec: GeneratorSchema }),
  datasetColumns: z.strictObject({ datasetId: id, columns: z.array(name).max(1000), maxRows: z.number().int().min(1).max(1e6).default(5000) }),
  createRun: z.strictObject({
    runId: id,
    problem: EngineProblemSchema,
    settings: RunSettingsSchema,
    /** Updates per second; 0 runs as fast as the engine can. */
    speed: z.number().min(0).max(1e9).default(0),
    historyCapacity: z.number().int().min(8192).max(1 << 22).optional(),
  }),
  /**
   * A saved run rebuilt and replayed to the step it was saved at, its recorded changes applied at
   * their steps, and checked against the saved history and end; then held like a created run.
   */
  replayRun: z.strictObject({
    runId: id,
    problem: EngineProblemSchema,
    settings: RunSettingsSchema,
    changes: z.array(ChangeSchema).max(1000),
    speed: z.number().min(0).max(1e9).default(0),
    saved: z.strictObject({ status: z.enum(RUN_STATUSES), step: z.number().int().min(0), width: z.number().int().min(5).max(10_004), rows: z.instanceof(Float64Array) }),
  }),
  start: z.strictObject({ runIds }),
  pause: z.strictObject({ runIds }),
  resume: z.strictObject({ runIds }),
  stop: z.strictObject({ runIds }),
  dispose: z.strictObject({ runIds }),
  step: z.strictObject({ runIds, count: z.number().int().min(1).max(1e7).default(1) }),
  setSpeed: z.strictObject({ runIds, speed: z.number().min(0).max(1e9) }),
  setHyperparameters: z.strictObject({ runId: id, changes: z.record(z.string().max(40), HyperValueSchema) }),
  queryStep: z.strictObject({ runId: id, step: z.number().int().min(0) }),
  history: z.strictObject({ runId: id }),
  /** The update from step − 1 to step, with every number it used (the run is replayed to it). */
  explainStep: z.strictObject({ runId: id, step: z.number().int().min(1) }),
  predict: z.strictObject({
    runId: id,
    step: z.number().int().min(0).optional(),
    x: z.array(finite).max(100_000).optional(),
    /** Only the parameters (as trained, and in original units): no predictions over the rows. */
    paramsOnly: z.boolean().optional(),
    /** At most this many training and validation rows (the first ones), for a chart that shows a sample. */
    rows: z.number().int().min(1).max(10_000_000).optional(),
  }),
  /** The data with a run's predictions; `runName` names the run in the prediction's column header. */
  predictionsCsv: z.strictObject({ runId: id, runName: z.string().max(200).optional() }),
  /** A classifier at a step: its predicted class over a grid of its two inputs, its points and confusion matrices. */
  classView: z.strictObject({ runId: id, step: z.number().int().min(0).optional(), x: z.tuple([finite, finite]), y: z.tuple([finite, finite]), nx: z.number().int().min(2).max(400), ny: z.number().int().min(2).max(400), points: z.number().int().min(0).max(100_000).default(3000) }),
  /** A data fit at a step: every metric on training and validation rows, and its problem's reference optimum. */
  fitReport: z.strictObject({ runId: id, step: z.number().int().min(0).optional() }),
  /** One metric of a data fit after each epoch, at up to `points` epochs. */
  metricCurve: z.strictObject({ runId: id, metric: z.enum(CURVE_METRICS), points: z.number().int().min(2).max(2000).default(200) }),
  lossSurface: z.strictObject({ runId: id, ...slice, nx: z.number().int().min(2).max(200), ny: z.number().int().min(2).max(200), levels: z.number().int().min(2).max(64).default(16) }),
  /** A network's loss on a slice along two seeded random directions, normalised per filter (Li et al. 2018). */
  networkSurface: z.strictObject({ runId: id, step: z.number().int().min(0).optional(), seed: z.number().int().default(1), span: z.number().positive().max(100).default(1), nx: z.number().int().min(2).max(100), ny: z.number().int().min(2).max(100), levels: z.number().int().min(2).max(64).default(16) }),
  gradientGap: z.strictObject({ runId: id, points: z.number().int().min(2).max(2000).default(200) }),
  sweep: z.strictObject({ jobId: id, ...sweepSpec }),
  /** Sweep points from..to (optimizer outer, rate inner): one engine's share of a sweep spread over a pool. */
  sweepPoints: z.strictObject({ jobId: id, ...sweepSpec, ...part }),
  basinMap: z.strictObject({ jobId: id, ...basinSpec }),
  /** Where the runs from start points from..to ended: one engine's share of a basin map spread over a pool. */
  basinEnds: z.strictObject({ jobId: id, ...basinSpec, ...part }),
  /** Ends a sweep or basin map early: its request is refused with kind 'cancelled'. */
  cancelJob: z.strictObject({ jobId: id }),
  /** The session (checked against the session schema on arrival) as a PyTorch script; data sessions use the loaded dataset. */
  exportScript: z.strictObject({ session: z.unknown() }),
  /** The session as a Jupyter notebook, in the reader's words; `stem` names the figures it writes. */
  exportNotebook: z.strictObject({
    session: z.unknown(),
    stem: z.string().min(1).max(200),
    texts: z.strictObject({
      ...Object.fromEntries(NOTEBOOK_TEXT_KEYS.map((k) => [k, z.string().max(MAX_FORMULA_LENGTH + 2000)])) as Record<(typeof NOTEBOOK_TEXT_KEYS)[number], z.ZodString>,
      columns: z.tuple([z.string().max(200), z.string().max(200), z.string().max(200), z.string().max(200), z.string().max(200)]),
    }).optional(),
  }),
} as const;

export type RequestType = keyof typeof REQUESTS;
/** What a caller sends (fields with defaults may be left out). */
export type RequestInput<K extends RequestType> = z.input<(typeof REQUESTS)[K]>;
/** What a handler receives, validated, with defaults filled in. */
export type RequestData<K extends RequestType> = z.output<(typeof REQUESTS)[K]>;

export interface CreatedRun {
  runId: string;
  paramNames: string[];
  hyperparameters: Record<string, unknown>;
  width: number;
  /** Gradient columns in each history row, after the parameters (function runs: one per variable). */
  gradients: number;
  batchesPerEpoch: number | null;
  features: string[] | null;
  classification: boolean | null;
  rows: number | null;
  /** What each parameter multiplies: feature names, powers, "intercept"; a formula's variables. */
  paramLabels: string[];
  /** How a data run's features were standardized (null: they were not). */
  standardization: StandardizationReport | null;
}

export interface RunSnapshot extends StepRecord {
  runId: string;
  status: RunStatus;
}

export interface Ok {
  ok: true;
}

/** The result of each request. */
export interface Replies {
  hello: { version: number };
  catalog: Catalog;
  analyze: Analysis;
  evaluate: Evaluation;
  grid: Grid;
  contours: ContourResult;
  curve: Curve;
  plotRange: PlotRange;
  loadDataset: DatasetSummary & { sha256?: string };
  generateDataset: DatasetSummary;
  datasetColumns: { columns: Float64Array[]; stride: number };
  createRun: CreatedRun;
  /** `differences` is empty when the replay agrees with the saved run to the bit. */
  replayRun: CreatedRun & { differences: RunDifference[] };
  start: Ok;
  pause: Ok;
  resume: Ok;
  stop: Ok;
  dispose: Ok;
  step: RunSnapshot[];
  setSpeed: Ok;
  setHyperparameters: { step: number; hyperparameters: Record<string, unknown> };
  queryStep: StepRecord;
  /** The run's whole history and state, as an update that replaces what a receiver holds. */
  history: RunUpdate;
  explainStep: StepExplanation;
  predict: Prediction;
  predictionsCsv: string;
  classView: ClassView;
  fitReport: FitReport;
  metricCurve: MetricCurve;
  lossSurface: LossSurface;
  networkSurface: LossSurface;
  gradientGap: GradientGap;
  sweep: SweepResult;
  basinMap: BasinMap;
  basinEnds: { ends: Float64Array };
  sweepPoints: { points: SweepPoint[] };
  cancelJob: { cancelled: boolean };
  exportScript: string;
  exportNotebook: string;
}

// Every request has a reply type and every reply a request.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const covered: Same<keyof Replies, RequestType> = true;
void covered;

export const EnvelopeSchema = z.strictObject({ v: z.literal(PROTOCOL_VERSION), id: z.number().int().min(0), type: z.string().max(40), input: z.unknown() });

export interface ErrorInfo {
  message: string;
  /** Which kind of input was refused: the UI words and places the error by it. */
  kind: 'formula' | 'dataset' | 'settings' | 'protocol' | 'cancelled' | 'internal';
  column?: number;
  length?: number;
  /** The message as an id and its values, for the interface's languages (`message` is its English). */
  words?: Words;
}

export type Reply = { v: typeof PROTOCOL_VERSION; type: 'reply'; id: number; ok: true; result: unknown } | { v: typeof PROTOCOL_VERSION; type: 'reply'; id: number; ok: false; error: ErrorInfo };

export type EpochUpdate = EpochRecord;

/** One run's news since its previous update. History rows are packed: `width` numbers per row (step, value, gradNorm, lr, params…, then `gradients` entries of ∇f). */
export interface RunUpdate {
  runId: string;
  status: RunStatus;
  step: number;
  value: number;
  gradNorm: number;
  lr: number;
  params: number[];
  /** The history's thinning generation. */
  generation: number;
  /** The receiver drops its copy and takes `rows` as the whole history. */
  reset: boolean;
  /** Times the history was thinned since the last update: the receiver keeps every other row of its copy that many times, then appends `rows`. */
  thinned: number;
  width: number;
  gradients: number;
  rows: Float64Array;
  epochs: EpochUpdate[];
  message?: string;
  /** `message` as an id and values, for the interface's languages. */
  words?: Words;
  bracket?: [number, number];
}

export type EngineEvent =
  | Reply
  | { v: typeof PROTOCOL_VERSION; type: 'progress'; updates: RunUpdate[] }
  | { v: typeof PROTOCOL_VERSION; type: 'jobProgress'; jobId: string; fraction: number }
  | { v: typeof PROTOCOL_VERSION; type: 'ready'; version: number }
  | { v: typeof PROTOCOL_VERSION; type: 'loadProgress'; datasetId: string; fraction: number; rows: number };

export type { RunStatus };
