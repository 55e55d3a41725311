/**
 * The engine as a service: a router from requests to the modules that answer
 * them (formulas, datasets, runs and jobs, predictions, exports). It checks
 * each message's envelope and input against the protocol, replies exactly
 * once, and turns every error into a reply. It knows no transport: an adapter
 * feeds it messages with `handle` and gives it `post`.
 */
import { FormulaError } from '../formula/parse';
import { DatasetError } from '../data/table';
import { buildRun, type BuiltRun } from '../run/build';
import { explainNext, replayTo, type StepExplanation } from '../run/explain';
import { parameterLabels, standardizationReport } from '../model/units';
import type { HyperValue } from '../spec/common';
import { SessionSchema, type Session } from '../spec/session';
import { SESSION_DATASET_ID } from '../session/runs';
import { sessionNotebook, sessionPytorchScript } from '../session/rerun';
import { SweepJob, SweepPointsJob } from '../experiments/sweep';
import { BasinEndsJob, BasinJob } from '../experiments/basins';
import { PROTOCOL_VERSION, EnvelopeSchema, REQUESTS, type CreatedRun, type ErrorInfo, type Replies, type RequestData, type RequestType } from './protocol';
import { compareRun } from '../session/verify';
import type { EngineProblem } from '../spec/problem';
import type { RunSettings } from '../spec/run';
import { catalog } from './catalog';
import { FormulaQueries } from './queries/formulas';
import { DatasetStore } from './queries/datasets';
import { lossSurface, networkSurface, predict, predictionsCsv, stochasticGap } from './queries/predictions';
import { classView } from './queries/classes';
import { fitReport, metricCurve } from './queries/report';
import { CancelledError, Scheduler, wholeUpdate, type Post } from './scheduler';

export type { Post };

type Handlers = { [K in RequestType]: (input: RequestData<K>) => Replies[K] | Promise<Replies[K]> };

function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof FormulaError) return { message: error.message, kind: 'formula', column: error.column, length: error.length, ...(error.words ? { words: error.words } : {}) };
  if (error instanceof DatasetError) return { message: error.message, kind: 'dataset', ...(error.words ? { words: error.words } : {}) };
  if (error instanceof CancelledError) return { message: error.message, kind: 'cancelled' };
  if (error instanceof RangeError) return { message: error.message, kind: 'settings' };
  return { message: error instanceof Error ? error.message : String(error), kind: 'internal' };
}

const OK = { ok: true } as const;

/** What the lab learns of a run it created: its parameters' names and labels, its history's shape, its data. */
function created(runId: string, built: BuiltRun): CreatedRun {
  const { run, fit, paramNames } = built;
  return {
    runId, paramNames, hyperparameters: run.optimizer.hyper, width: run.history.width, gradients: run.history.gradients,
    batchesPerEpoch: fit?.batchesPerEpoch ?? null, features: fit?.data.featureNames ?? null,
    classification: fit ? fit.objective.classification : null, rows: fit?.data.n ?? null,
    paramLabels: fit ? parameterLabels(fit.model, fit.data.featureNames) : [...paramNames],
    standardization: fit ? standardizationReport(fit.data.stats, fit.data.featureNames) : null,
  };
}

export class EngineHost {
  private readonly formulas = new FormulaQueries();
  private readonly datasets = new DatasetStore();
  /** What runs are built from: the engine's compiled formulas and loaded datasets. */
  private readonly context = { formula: this.formulas.compile, dataset: (id: string) => this.datasets.get(id) };
  private readonly scheduler: Scheduler;
  private readonly handlers: Handlers;

  constructor(private readonly post: Post, schedule?: (fn: () => void) => void) {
    this.scheduler = new Scheduler(post, schedule);
    const runs = this.scheduler;
    const context = this.context;
    this.handlers = {
      hello: () => ({ version: PROTOCOL_VERSION }),
      catalog: () => catalog(),
      analyze: (req) => this.formulas.analyze(req),
      evaluate: (req) => this.formulas.evaluate(req),
      grid: (req) => this.formulas.grid(req),
      contours: (req) => this.formulas.contours(req),
      curve: (req) => this.formulas.curve(req),
      plotRange: (req) => this.formulas.plotRange(req),
      loadDataset: (req) => this.datasets.load(req, (fraction, rows) => this.post({ v: PROTOCOL_VERSION, type: 'loadProgress', datasetId: req.datasetId, fraction, rows })),
      generateDataset: (req) => this.datasets.generate(req),
      datasetColumns: (req) => this.datasets.columns(req),
      createRun: (req) => {
        const built = this.build(req.problem, req.settings, req.historyCapacity);
        runs.add(req.runId, req.problem, req.settings, built, req.speed);
        return created(req.runId, built);
      },
      replayRun: (req) => {
        const built = this.build(req.problem, req.settings);
        replayTo(built, req.changes, req.saved.step);
        const { run } = built;
        const status = run.outcome?.status ?? (run.step > 0 ? 'paused' : 'idle');
        const differences = compareRun(req.saved, { status, step: run.step, history: run.history });
        runs.add(req.runId, req.problem, req.settings, built, req.speed, status === 'paused' ? 'paused' : 'idle');
        return { ...created(req.runId, built), differences };
      },
      start: (req) => (runs.start(req.runIds), OK),
      resume: (req) => (runs.start(req.runIds), OK),
      pause: (req) => (runs.pause(req.runIds), OK),
      stop: (req) => (runs.stop(req.runIds), OK),
      dispose: (req) => (runs.dispose(req.runIds), OK),
      step: (req) => runs.step(req.runIds, req.count),
      setSpeed: (req) => (runs.setSpeed(req.runIds, req.speed), OK),
      setHyperparameters: (req) => runs.setHyperparameters(req.runId, req.changes),
      queryStep: (req) => {
        const h = runs.get(req.runId).run.history;
        const index = h.indexAtOrBefore(req.step);
        if (index < 0) throw new RangeError(`Step ${req.step} is not recorded`);
        return h.record(index);
      },
      history: (req) => wholeUpdate(runs.get(req.runId)),
      explainStep: (req) => this.explain(req.runId, req.step),
      predict: (req) => predict(runs.get(req.runId), req),
      predictionsCsv: (req) => {
        const r = runs.get(req.runId);
        if (!r.datasetId) throw new RangeError('Predictions are for data runs');
        return predictionsCsv(r, this.datasets.require(r.datasetId), req.runName);
      },
      lossSurface: (req) => lossSurface(runs.get(req.runId), req),
      classView: (req) => classView(runs.get(req.runId), req),
      fitReport: (req) => fitReport(runs.get(req.runId), req),
      metricCurve: (req) => metricCurve(runs.get(req.runId), req),
      networkSurface: (req) => networkSurface(runs.get(req.runId), req),
      gradientGap: (req) => stochasticGap(runs.get(req.runId), req),
      sweep: ({ jobId, ...spec }) => runs.runJob(jobId, new SweepJob(spec, context)),
      sweepPoints: async ({ jobId, from, to, ...spec }) => ({ points: await runs.runJob(jobId, new SweepPointsJob(spec, context, from, to)) }),
      basinMap: ({ jobId, ...spec }) => runs.runJob(jobId, new BasinJob(spec, this.formulas.compile)),
      basinEnds: async ({ jobId, from, to, ...spec }) => ({ ends: await runs.runJob(jobId, new BasinEndsJob(spec, this.formulas.compile, from, to)) }),
      cancelJob: (req) => ({ cancelled: runs.cancelJob(req.jobId) }),
      exportScript: (req) => sessionPytorchScript(this.exported(req.session), this.datasets.get(SESSION_DATASET_ID) ?? null),
      exportNotebook: (req) => sessionNotebook(this.exported(req.session), this.datasets.get(SESSION_DATASET_ID) ?? null, { stem: req.stem, texts: req.texts }),
    };
  }

  /** A session sent to be exported, checked. */
  private exported(session: unknown): Session {
    const parsed = SessionSchema.safeParse(session);
    if (!parsed.success) throw new RangeError(`The session to export is not valid: ${parsed.error.issues[0].message}`);
    return parsed.data;
  }

  /** A run as the lab's engine holds it: function runs keep ∇f with each recorded step, which views draw from. */
  private build(problem: EngineProblem, settings: RunSettings, historyCapacity?: number): BuiltRun {
    return buildRun(problem, settings, this.context, { historyCapacity, recordGradient: problem.kind === 'function' });
  }

  /** The last run rebuilt to explain a step: explaining the next step continues it instead of starting again. */
  private replay: { runId: string; run: unknown; changes: number; built: BuiltRun } | null = null;

  private explain(runId: string, step: number): StepExplanation {
    const hosted = this.scheduler.get(runId);
    if (step > hosted.run.step) throw new RangeError(`Step ${step} has not been taken yet (the run is at step ${hosted.run.step})`);
    const changes = hosted.run.changes.map((c) => ({ step: c.step, changes: c.changes as Record<string, HyperValue> }));
    let cached = this.replay;
    if (!cached || cached.runId !== runId || cached.run !== hosted.run || cached.changes !== changes.length || cached.built.run.step > step - 1) {
      cached = this.replay = { runId, run: hosted.run, changes: changes.length, built: buildRun(hosted.problem, hosted.settings, this.context) };
    }
    replayTo(cached.built, changes, step - 1);
    return explainNext(cached.built, hosted.settings.clipNorm);
  }

  /** Drops every run and cancels every job: the page this host served has gone. */
  close(): void {
    this.scheduler.close();
  }

  ready(): void {
    this.post({ v: PROTOCOL_VERSION, type: 'ready', version: PROTOCOL_VERSION });
  }

  /** One incoming message from any transport. Never throws. */
  async handle(message: unknown): Promise<void> {
    const envelope = EnvelopeSchema.safeParse(message);
    if (!envelope.success) {
      const idValue = (message as { id?: unknown } | null)?.id;
      const replyId = typeof idValue === 'number' && Number.isInteger(idValue) && idValue >= 0 ? idValue : 0;
      const version = (message as { v?: unknown } | null)?.v;
      const text = version !== undefined && version !== PROTOCOL_VERSION ? `Protocol version ${String(version)} is not supported; this engine speaks version ${PROTOCOL_VERSION}` : 'A message without a valid envelope ({ v, id, type, input }) was ignored';
      this.reply(replyId, { ok: false, error: { message: text, kind: 'protocol' } });
      return;
    }
    const { id, type, input } = envelope.data;
    if (!Object.hasOwn(REQUESTS, type)) {
      this.reply(id, { ok: false, error: { message: `Unknown request "${type}"`, kind: 'protocol' } });
      return;
    }
    const parsed = REQUESTS[type as RequestType].safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
      this.reply(id, { ok: false, error: { message: `Invalid ${type} request${where}: ${issue.message}`, kind: 'protocol' } });
      return;
    }
    try {
      const handler = this.handlers[type as RequestType] as (input: unknown) => unknown;
      this.reply(id, { ok: true, result: await handler(parsed.data) });
    } catch (error) {
      this.reply(id, { ok: false, error: errorInfo(error) });
    }
  }

  private reply(id: number, body: { ok: true; result: unknown } | { ok: false; error: ErrorInfo }): void {
    this.post({ v: PROTOCOL_VERSION, type: 'reply', id, ...body });
  }
}
