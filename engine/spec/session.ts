/**
 * The `.gdlab` session file, version 1: one UTF-8 JSON document.
 *
 *   { format: "gdlab-session", version: 1, savedAt, app, notes,
 *     problem: { kind: "function", expr, vars? }
 *            | { kind: "data", dataset, target, features, model, loss, reg, valSplit, standardize, missing, splitSeed },
 *     runs: [{ id, name, color, optimizer, schedule, warmup, clipNorm, start, stop,
 *              batchSize, epochs, shuffle, seed, changes, result }],
 *     view: { xRange, yRange, axes, logScale, replayStep, selectedRun, speed } }
 *
 * The problem and the runs are the specs of ./problem.ts and ./run.ts; a run
 * adds its result. A dataset is embedded (base64 of the original bytes, with
 * its SHA-256 and the path it came from) up to EMBED_LIMIT bytes, and
 * referenced by path and hash above it; a generated dataset is stored as its
 * generator spec. A run's result holds its recorded history as little-endian
 * float64 rows in base64, thinned to at most HISTORY_ROW_LIMIT rows (every
 * k-th row, always the first and last). Every object is strict: a key this
 * version does not define is refused.
 */
import { z } from 'zod';
import { finite, text } from './common';
import { base64, ProblemSchema } from './problem';
import { RunSpecSchema } from './run';

export const SESSION_FORMAT = 'gdlab-session';
export const SESSION_VERSION = 1;
/** A file larger than this is refused before it is parsed. */
export const MAX_SESSION_BYTES = 256 * 1024 * 1024;
/** Histories longer than this are thinned when saved. */
export const HISTORY_ROW_LIMIT = 20_000;
export const MAX_RUNS = 64;

export const HistorySchema = z.strictObject({
  encoding: z.literal('f64le-base64'),
  width: z.number().int().min(5).max(10_004),
  rows: z.number().int().min(0).max(HISTORY_ROW_LIMIT),
  data: base64(Math.ceil((HISTORY_ROW_LIMIT * 10_004 * 8 * 4) / 3) + 4),
});

const nonFinite = z.union([finite, z.literal('NaN'), z.literal('Infinity'), z.literal('-Infinity')]);

export const EpochSchema = z.strictObject({
  epoch: z.number().int().min(0),
  step: z.number().int().min(0),
  loss: nonFinite,
  valLoss: nonFinite,
  metric: nonFinite,
  valMetric: nonFinite,
  params: z.array(nonFinite).max(10_000),
});

export const RUN_STATUSES = ['idle', 'running', 'paused', 'max_steps', 'converged', 'diverged', 'undefined', 'unbounded', 'stopped', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ResultSchema = z.strictObject({
  status: z.enum(RUN_STATUSES),
  message: text(2000),
  step: z.number().int().min(0),
  bracket: z.tuple([finite, finite]).optional(),
  history: HistorySchema,
  epochs: z.array(EpochSchema).max(HISTORY_ROW_LIMIT),
});

export const SessionRunSchema = RunSpecSchema.extend({ result: ResultSchema.nullable() });

export const ViewSchema = z.strictObject({
  xRange: z.tuple([finite, finite]),
  yRange: z.tuple([finite, finite]),
  axes: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  logScale: z.boolean(),
  replayStep: z.number().int().min(0).nullable(),
  selectedRun: z.string().max(100).nullable(),
  speed: z.number().min(0).max(1e9),
});

export const SessionSchema = z.strictObject({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(SESSION_VERSION),
  savedAt: text(64),
  app: text(200),
  notes: text(100_000),
  problem: ProblemSchema,
  runs: z.array(SessionRunSchema).max(MAX_RUNS),
  view: ViewSchema,
});

export type Session = z.infer<typeof SessionSchema>;
export type SessionRun = z.infer<typeof SessionRunSchema>;
export type SessionResult = z.infer<typeof ResultSchema>;
export type SessionView = z.infer<typeof ViewSchema>;
export type SessionEpoch = z.infer<typeof EpochSchema>;

export const DEFAULT_VIEW: SessionView = { xRange: [-2, 2], yRange: [-1, 3], axes: [0, 1], logScale: true, replayStep: null, selectedRun: null, speed: 0 };
