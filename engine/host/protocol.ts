/**
 * The engine's message protocol, one contract for all three transports (an
 * Electron utility process behind a MessagePort, a Node child process, a Web
 * Worker). Requests carry an id and get exactly one reply; runs stream
 * progress events, batched to at most ~60 a second. Every request is validated
 * here on arrival: a malformed one gets an error reply, never a crash.
 */
import { z } from 'zod';
import { ScheduleSchema, WarmupSchema } from '../optim/schedule';
import type { EpochRecord } from '../run/fit';

export const PROTOCOL_VERSION = 1;

const finite = z.number().finite();
const name = z.string().min(1).max(200);
const id = z.string().min(1).max(100).regex(/^[\w.-]+$/, 'ids are letters, digits, _ . -');

export const OptimizerSettingsSchema = z
  .object({ name: z.string().min(1).max(40) })
  .catchall(z.union([finite, z.boolean(), z.tuple([finite, finite]), z.string().max(40)]));

export const StopSchema = z
  .object({
    maxSteps: z.number().int().min(0).max(1e9),
    gradTol: z.number().min(0),
    fTol: z.number().min(0),
    signChange: z.boolean(),
    divergenceBound: z.number().positive(),
  })
  .partial();

export const ModelSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  z.object({ kind: z.literal('logistic') }),
  z.object({ kind: z.literal('poly'), degree: z.number().int().min(1).max(20) }),
  z.object({ kind: z.literal('custom'), expr: z.string().max(5000), params: z.array(name).max(100).optional(), init: z.record(z.string(), finite).optional() }),
]);

export const FunctionProblemSchema = z.object({ kind: z.literal('function'), expr: z.string().max(20_000), vars: z.array(name).max(100).optional() });

/** What a data problem fits, shared with the session file. */
export const dataProblemFields = { target: name, features: z.array(name).max(1000), model: ModelSpecSchema };
export const LossSchema = z.object({ name: z.enum(['mse', 'mae', 'huber', 'bce']), delta: z.number().positive().optional() });

export const DataProblemSchema = z.object({
  kind: z.literal('data'),
  datasetId: id,
  ...dataProblemFields,
  missing: z.enum(['fail', 'drop']).default('fail'),
  valSplit: z.number().min(0).max(0.9).default(0),
  standardize: z.boolean().default(false),
  splitSeed: z.number().int().default(0),
});

export const RunSpecSchema = z.object({
  runId: id,
  problem: z.discriminatedUnion('kind', [FunctionProblemSchema, DataProblemSchema]),
  start: z.array(finite).max(10_000).optional(),
  optimizer: OptimizerSettingsSchema,
  schedule: ScheduleSchema.optional(),
  warmup: WarmupSchema.optional(),
  clipNorm: z.number().positive().nullable().optional(),
  stop: StopSchema.optional(),
  // data mode
  loss: LossSchema.optional(),
  reg: z.object({ l1: z.number().min(0), l2: z.number().min(0) }).partial().optional(),
  batchSize: z.union([z.number().int().min(1), z.literal('full')]).optional(),
  epochs: z.number().int().min(1).max(1_000_000).optional(),
  shuffle: z.boolean().optional(),
  seed: z.number().int().optional(),
  /** Updates per second; 0 runs as fast as the engine can. */
  speed: z.number().min(0).max(1e9).default(0),
  historyCapacity: z.number().int().min(8192).max(1 << 22).optional(),
});

export const GeneratorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), n: z.number().int().min(1).max(1e7), slope: finite, intercept: finite, noise: z.number().min(0), xMin: finite, xMax: finite, seed: z.number().int() }),
  z.object({ kind: z.literal('poly'), n: z.number().int().min(1).max(1e7), coefficients: z.array(finite).min(1).max(21), noise: z.number().min(0), xMin: finite, xMax: finite, seed: z.number().int() }),
  z.object({ kind: z.literal('sine'), n: z.number().int().min(1).max(1e7), amplitude: finite, frequency: finite, noise: z.number().min(0), xMin: finite, xMax: finite, seed: z.number().int() }),
  z.object({ kind: z.literal('blobs'), n: z.number().int().min(1).max(1e7), separation: z.number().min(0), spread: z.number().positive(), seed: z.number().int() }),
]);

const runIds = z.array(id).min(1).max(1000);

/** A formula and, optionally, its variables in order. */
const formulaFields = { expr: z.string().max(20_000), vars: z.array(name).max(100).optional() };

/** A 2-D slice: two variable indices, the point the others are held at, and the window. */
const sliceFields = {
  axes: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  at: z.array(finite).max(100),
  x: z.tuple([finite, finite]),
  y: z.tuple([finite, finite]),
};

export const RequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello') }),
  z.object({ type: z.literal('catalog') }),
  z.object({ type: z.literal('analyze'), ...formulaFields }),
  z.object({ type: z.literal('evaluate'), ...formulaFields, at: z.array(finite).max(100) }),
  z.object({ type: z.literal('grid'), ...formulaFields, ...sliceFields, nx: z.number().int().min(2).max(1024), ny: z.number().int().min(2).max(1024) }),
  z.object({ type: z.literal('contours'), ...formulaFields, ...sliceFields, nx: z.number().int().min(2).max(512), ny: z.number().int().min(2).max(512), levels: z.number().int().min(2).max(64).default(16) }),
  z.object({
    type: z.literal('curve'),
    ...formulaFields,
    axis: z.number().int().min(0),
    at: z.array(finite).max(100),
    x: z.tuple([finite, finite]),
    n: z.number().int().min(2).max(100_000),
  }),
  z.object({ type: z.literal('loadDataset'), datasetId: id, name: z.string().max(500), bytes: z.instanceof(Uint8Array), delimiter: z.string().max(4).optional(), header: z.union([z.boolean(), z.literal('auto')]).optional() }),
  z.object({ type: z.literal('generateDataset'), datasetId: id, spec: GeneratorSchema }),
  z.object({ type: z.literal('datasetColumns'), datasetId: id, columns: z.array(name).max(1000), maxRows: z.number().int().min(1).max(1e6).default(5000) }),
  z.object({ type: z.literal('createRun'), run: RunSpecSchema }),
  z.object({ type: z.literal('start'), runIds }),
  z.object({ type: z.literal('pause'), runIds }),
  z.object({ type: z.literal('resume'), runIds }),
  z.object({ type: z.literal('stop'), runIds }),
  z.object({ type: z.literal('dispose'), runIds }),
  z.object({ type: z.literal('step'), runIds, count: z.number().int().min(1).max(1e7).default(1) }),
  z.object({ type: z.literal('setSpeed'), runIds, speed: z.number().min(0).max(1e9) }),
  z.object({ type: z.literal('setHyperparameters'), runId: id, changes: z.record(z.string(), z.union([finite, z.boolean(), z.tuple([finite, finite])])) }),
  z.object({ type: z.literal('queryStep'), runId: id, step: z.number().int().min(0) }),
  z.object({ type: z.literal('history'), runId: id }),
  z.object({ type: z.literal('predict'), runId: id, step: z.number().int().min(0).optional(), x: z.array(finite).max(100_000).optional() }),
  z.object({ type: z.literal('predictionsCsv'), runId: id }),
  z.object({ type: z.literal('lossSurface'), runId: id, ...sliceFields, nx: z.number().int().min(2).max(200), ny: z.number().int().min(2).max(200), levels: z.number().int().min(2).max(64).default(16) }),
  z.object({ type: z.literal('gradientGap'), runId: id, points: z.number().int().min(2).max(2000).default(200) }),
  z.object({
    type: z.literal('sweep'),
    base: RunSpecSchema.omit({ runId: true, optimizer: true }),
    optimizers: z.array(OptimizerSettingsSchema).min(1).max(12),
    lrMin: z.number().positive(),
    lrMax: z.number().positive(),
    count: z.number().int().min(1).max(256),
    tolerance: finite,
  }),
  z.object({
    type: z.literal('basinMap'),
    ...formulaFields,
    optimizer: OptimizerSettingsSchema,
    x: z.tuple([finite, finite]),
    y: z.tuple([finite, finite]),
    nx: z.number().int().min(2).max(500),
    ny: z.number().int().min(2).max(500),
    steps: z.number().int().min(1).max(100_000),
    minima: z.array(z.tuple([finite, finite])).max(64).optional(),
    gradTol: z.number().positive().optional(),
    radius: z.number().positive().optional(),
  }),
  /** The session (checked against the session schema on arrival) as a PyTorch script; data sessions use the loaded dataset. */
  z.object({ type: z.literal('exportScript'), session: z.unknown() }),
]);

export const EnvelopeSchema = z.object({ v: z.literal(PROTOCOL_VERSION), id: z.number().int().min(0) });

export type Request = z.infer<typeof RequestSchema>;
export type RequestInput = z.input<typeof RequestSchema>;
export type RequestType = Request['type'];
export type RunSpec = z.input<typeof RunSpecSchema>;
export type GeneratorRequestSpec = z.infer<typeof GeneratorSchema>;

export interface ErrorInfo {
  message: string;
  /** Which kind of input was refused: the UI words and places the error by it. */
  kind: 'formula' | 'dataset' | 'settings' | 'protocol' | 'internal';
  column?: number;
  length?: number;
}

export type Reply = { v: 1; type: 'reply'; id: number; ok: true; result: unknown } | { v: 1; type: 'reply'; id: number; ok: false; error: ErrorInfo };

export type RunStatus = 'idle' | 'running' | 'paused' | 'max_steps' | 'converged' | 'diverged' | 'undefined' | 'unbounded' | 'stopped' | 'failed';

export type EpochUpdate = EpochRecord;

/** One run's news since its previous update. History rows are packed: `width` numbers per row (step, value, gradNorm, lr, params…). */
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
  rows: Float64Array;
  epochs: EpochUpdate[];
  message?: string;
  bracket?: [number, number];
}

export type EngineEvent =
  | Reply
  | { v: 1; type: 'progress'; updates: RunUpdate[] }
  | { v: 1; type: 'ready'; version: number }
  | { v: 1; type: 'loadProgress'; datasetId: string; fraction: number; rows: number };
