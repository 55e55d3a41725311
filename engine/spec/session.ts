/**
 * The `.gdlab` session file, version 2: one UTF-8 JSON document.
 *
 *   { format: "gdlab-session", version: 2, savedAt, app, notes,
 *     problem: { kind: "function", expr, vars? }
 *            | { kind: "data", dataset, target, features, model, loss, reg, valSplit, standardize, missing, splitSeed },
 *     other: the other mode's problem, kept for switching back (or null),
 *     runs: [{ id, name, color, optimizer, schedule, warmup, clipNorm, start, stop,
 *              batchSize, epochs, shuffle, seed, changes, result }],
 *     view: { xRange, yRange, axes, rangeFor, point, evaluated, functionView, camera, logHeight,
 *             charts, surfaceAxes, replayStep, selectedRun, speed, panels },
 *     experiments: { sweep, map, gap } }
 *
 * `problem` and `runs` are what `gdlab run` re-runs; `view` and `experiments`
 * (./view.ts) bring back the lab's screen. Version 1 had no `other` and no
 * `experiments`, and a view of ranges, axes, a log flag, the replay step, the
 * selected run and the speed: it is migrated (./session/migrate.ts).
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
import { ExperimentsSchema, ViewSchema } from './view';

export const SESSION_FORMAT = 'gdlab-session';
export const SESSION_VERSION = 2;
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

export const SessionSchema = z.strictObject({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(SESSION_VERSION),
  savedAt: text(64),
  app: text(200),
  notes: text(100_000),
  problem: ProblemSchema,
  other: ProblemSchema.nullable(),
  runs: z.array(SessionRunSchema).max(MAX_RUNS),
  view: ViewSchema,
  experiments: ExperimentsSchema,
});

export type Session = z.infer<typeof SessionSchema>;
export type SessionRun = z.infer<typeof SessionRunSchema>;
export type SessionResult = z.infer<typeof ResultSchema>;
export type SessionEpoch = z.infer<typeof EpochSchema>;
export { DEFAULT_EXPERIMENTS, DEFAULT_VIEW, type SessionExperiments, type SessionView } from './view';
