/**
 * The engine as a service: holds datasets and runs, answers requests, and
 * advances running runs in time slices, posting batched progress. It knows no
 * transport: an adapter feeds it messages with `handle` and gives it `post`.
 */
import { compileFormula, type CompiledFormula } from '../formula/compile';
import { FormulaError } from '../formula/parse';
import { loadDatasetBytes } from '../data/load';
import { generateDataset } from '../data/generators';
import { DatasetError, type Dataset } from '../data/table';
import type { FitRun } from '../run/fit';
import type { Run } from '../run/run';
import { buildRun } from '../run/build';
import { originalUnits } from '../model/units';
import { PROTOCOL_VERSION, EnvelopeSchema, RequestSchema, RunSpecSchema, type EngineEvent, type ErrorInfo, type Request, type RunStatus, type RunUpdate } from './protocol';
import { datasetSummary } from './summary';
import { contourBands } from './contours';
import { catalog } from './catalog';
import { SessionSchema } from '../session/format';
import { SESSION_DATASET_ID } from '../session/runs';
import { sessionPytorchScript } from '../session/rerun';
import { csvLine } from '../session/export/csv';
import { sweep, type SweepSpec } from '../experiments/sweep';
import { basinMap, type BasinSpec } from '../experiments/basins';
import { gradientGap } from '../experiments/noise';

export type Post = (event: EngineEvent, transfer?: Transferable[]) => void;

interface HostedRun {
  id: string;
  run: Run;
  fit: FitRun | null;
  formula: CompiledFormula | null;
  state: 'idle' | 'running' | 'paused';
  /** Updates per second, 0 for as fast as possible. */
  speed: number;
  speedClock: number;
  speedDone: number;
  sentRows: number;
  sentGeneration: number;
  sentEpochs: number;
  sentFinal: boolean;
  dirty: boolean;
  paramNames: string[];
  /** Updates per call, tuned to about a millisecond. */
  chunk: number;
  datasetId: string | null;
}

/** Values of `f` on an nx × ny grid over two coordinates of `at` (row-major, y outer); the others stay fixed. */
function sampleSlice(req: { axes: [number, number]; at: number[]; x: [number, number]; y: [number, number]; nx: number; ny: number }, f: (p: Float64Array) => number): Float64Array {
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

const SLICE_MS = 12;
const PROGRESS_INTERVAL_MS = 16;

function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof FormulaError) return { message: error.message, kind: 'formula', column: error.column, length: error.length };
  if (error instanceof DatasetError) return { message: error.message, kind: 'dataset' };
  if (error instanceof RangeError) return { message: error.message, kind: 'settings' };
  return { message: error instanceof Error ? error.message : String(error), kind: 'internal' };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class EngineHost {
  private readonly runs = new Map<string, HostedRun>();
  private readonly datasets = new Map<string, Dataset>();
  private readonly formulas = new Map<string, CompiledFormula>();
  private scheduled = false;
  private lastProgress = 0;
  private readonly schedule: (fn: () => void) => void;

  constructor(private readonly post: Post, schedule?: (fn: () => void) => void) {
    this.schedule = schedule ?? defaultScheduler();
  }

  ready(): void {
    this.post({ v: 1, type: 'ready', version: PROTOCOL_VERSION });
  }

  /** One incoming message from any transport. Never throws. */
  async handle(message: unknown): Promise<void> {
    const envelope = EnvelopeSchema.safeParse(message);
    if (!envelope.success) {
      const idValue = (message as { id?: unknown } | null)?.id;
      const replyId = typeof idValue === 'number' && Number.isInteger(idValue) && idValue >= 0 ? idValue : 0;
      const version = (message as { v?: unknown } | null)?.v;
      const text = version !== undefined && version !== PROTOCOL_VERSION ? `Protocol version ${String(version)} is not supported; this engine speaks version ${PROTOCOL_VERSION}` : 'A message without a valid envelope ({ v, id, type }) was ignored';
      this.post({ v: 1, type: 'reply', id: replyId, ok: false, error: { message: text, kind: 'protocol' } });
      return;
    }
    const requestId = envelope.data.id;
    const parsed = RequestSchema.safeParse(message);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
      this.post({ v: 1, type: 'reply', id: requestId, ok: false, error: { message: `Invalid request${where}: ${issue.message}`, kind: 'protocol' } });
      return;
    }
    try {
      const result = await this.dispatch(parsed.data);
      this.post({ v: 1, type: 'reply', id: requestId, ok: true, result });
    } catch (error) {
      this.post({ v: 1, type: 'reply', id: requestId, ok: false, error: errorInfo(error) });
    }
  }

  private formula(expr: string, vars?: string[]): CompiledFormula {
    const key = `${vars?.join(',') ?? ''}|${expr}`;
    let f = this.formulas.get(key);
    if (!f) {
      f = compileFormula(expr, { vars });
      if (this.formulas.size > 64) this.formulas.clear();
      this.formulas.set(key, f);
    }
    return f;
  }

  private hosted(runId: string): HostedRun {
    const r = this.runs.get(runId);
    if (!r) throw new RangeError(`No run "${runId}"`);
    return r;
  }

  private async dispatch(req: Request): Promise<unknown> {
    switch (req.type) {
      case 'hello':
        return { version: PROTOCOL_VERSION };
      case 'catalog':
        return catalog();
      case 'analyze': {
        const f = this.formula(req.expr, req.vars);
        return { vars: f.vars, expr: f.expr, tex: f.tex, gradientExprs: f.gradientExprs, gradientTex: f.gradientTex };
      }
      case 'evaluate': {
        const f = this.formula(req.expr, req.vars);
        if (req.at.length !== f.vars.length) throw new RangeError(`The point has ${req.at.length} values but the formula has ${f.vars.length} variables`);
        const g = new Float64Array(f.vars.length);
        const value = f.valueAndGradient(Float64Array.from(req.at), g);
        return { value, gradient: Array.from(g) };
      }
      case 'grid':
        return this.grid(req);
      case 'contours':
        return contourBands(this.grid({ ...req, type: 'grid' }).values, req);
      case 'curve': {
        const f = this.formula(req.expr, req.vars);
        if (req.axis >= f.vars.length) throw new RangeError('The curve axis must be a variable of the formula');
        if (req.at.length !== f.vars.length) throw new RangeError(`The point has ${req.at.length} values but the formula has ${f.vars.length} variables`);
        const p = Float64Array.from(req.at);
        const xs = new Float64Array(req.n);
        const ys = new Float64Array(req.n);
        for (let i = 0; i < req.n; i++) {
          p[req.axis] = req.x[0] + ((req.x[1] - req.x[0]) * i) / (req.n - 1);
          xs[i] = p[req.axis];
          ys[i] = f.value(p);
        }
        return { x: xs, y: ys };
      }
      case 'loadDataset': {
        const datasetId = req.datasetId;
        const dataset = await loadDatasetBytes(req.bytes, req.name, {
          delimiter: req.delimiter,
          header: req.header,
          onProgress: (fraction, rows) => this.post({ v: 1, type: 'loadProgress', datasetId, fraction, rows }),
        });
        this.datasets.set(req.datasetId, dataset);
        return datasetSummary(dataset);
      }
      case 'generateDataset': {
        const dataset = generateDataset(req.spec);
        this.datasets.set(req.datasetId, dataset);
        return datasetSummary(dataset);
      }
      case 'datasetColumns': {
        const dataset = this.datasets.get(req.datasetId);
        if (!dataset) throw new DatasetError(`No dataset "${req.datasetId}" is loaded`);
        const step = Math.max(1, Math.ceil(dataset.rowCount / req.maxRows));
        const columns = req.columns.map((name) => {
          const c = dataset.columns.find((col) => col.name === name);
          if (!c) throw new DatasetError(`No column "${name}"`);
          const out = new Float64Array(Math.ceil(dataset.rowCount / step));
          for (let i = 0, k = 0; i < dataset.rowCount; i += step, k++) out[k] = c.values[i];
          return out;
        });
        return { columns, stride: step };
      }
      case 'createRun':
        return this.createRun(req.run);
      case 'start':
      case 'resume':
        for (const id of req.runIds) {
          const r = this.hosted(id);
          if (r.run.finished) continue;
          r.state = 'running';
          r.speedClock = now();
          r.speedDone = 0;
          r.dirty = true;
        }
        this.wake();
        return { ok: true };
      case 'pause':
        for (const id of req.runIds) {
          const r = this.hosted(id);
          if (r.state === 'running') r.state = 'paused';
          r.dirty = true;
        }
        this.flush(true);
        return { ok: true };
      case 'step':
        for (const id of req.runIds) {
          const r = this.hosted(id);
          if (r.state === 'running') r.state = 'paused';
          this.advance(r, req.count);
          r.dirty = true;
        }
        this.flush(true);
        return this.snapshot(req.runIds);
      case 'stop':
        for (const id of req.runIds) {
          const r = this.hosted(id);
          r.run.halt();
          r.state = 'idle';
          r.dirty = true;
        }
        this.flush(true);
        return { ok: true };
      case 'dispose':
        for (const id of req.runIds) this.runs.delete(id);
        return { ok: true };
      case 'setSpeed':
        for (const id of req.runIds) {
          const r = this.hosted(id);
          r.speed = req.speed;
          r.speedClock = now();
          r.speedDone = 0;
        }
        return { ok: true };
      case 'setHyperparameters': {
        const r = this.hosted(req.runId);
        if (r.state === 'running') throw new RangeError('Pause the run before changing its hyperparameters');
        r.run.setHyperparameters(req.changes);
        return { step: r.run.step, hyperparameters: r.run.optimizer.hyper };
      }
      case 'queryStep': {
        const r = this.hosted(req.runId);
        const h = r.run.history;
        const index = h.indexAtOrBefore(req.step);
        if (index < 0) throw new RangeError(`Step ${req.step} is not recorded`);
        return h.record(index);
      }
      case 'history': {
        const r = this.hosted(req.runId);
        const h = r.run.history;
        return { width: h.width, generation: h.generation, rows: h.rows(0, h.count), epochs: r.fit?.epochs ?? [] };
      }
      case 'predict':
        return this.predict(req);
      case 'predictionsCsv':
        return this.predictionsCsv(req.runId);
      case 'lossSurface':
        return this.lossSurface(req);
      case 'gradientGap': {
        const r = this.hosted(req.runId);
        if (!r.fit) throw new RangeError('The stochastic gap is measured on data runs');
        return gradientGap(r.fit.objective, r.run.history, req.points);
      }
      case 'exportScript':
        return this.exportScript(req.session);
      case 'sweep': {
        const { type: _type, ...spec } = req;
        return sweep(spec as SweepSpec, { formula: (expr, vars) => this.formula(expr, vars), dataset: (datasetId) => this.datasets.get(datasetId) });
      }
      case 'basinMap': {
        const { type: _type, ...spec } = req;
        return basinMap(spec as BasinSpec);
      }
    }
  }

  private grid(req: Omit<Extract<Request, { type: 'grid' }>, 'type'> & { type: 'grid' }) {
    const f = this.formula(req.expr, req.vars);
    const n = f.vars.length;
    const [ax, ay] = req.axes;
    if (ax >= n || ay >= n || ax === ay) throw new RangeError('The grid axes must be two different variables of the formula');
    if (req.at.length !== n) throw new RangeError(`The slice point has ${req.at.length} values but the formula has ${n} variables`);
    return { values: sampleSlice(req, (p) => f.value(p)), nx: req.nx, ny: req.ny };
  }

  private predict(req: Extract<Request, { type: 'predict' }>) {
    const r = this.hosted(req.runId);
    if (!r.fit) throw new RangeError('Predictions are for data runs');
    const h = r.run.history;
    let theta: Float64Array = r.run.p;
    if (req.step !== undefined) {
      const index = h.indexAtOrBefore(req.step);
      if (index >= 0) theta = Float64Array.from(h.record(index).params);
    }
    const { data, objective, model } = r.fit;
    if (req.x) {
      if (model.d !== 1) throw new RangeError('Curve predictions need a one-feature model');
      // x is in original units; standardize as the training data was.
      const X = Float64Array.from(req.x, (v) => (data.stats ? (v - data.stats.mean[0]) / data.stats.std[0] : v));
      return { y: objective.predict(theta, X, X.length) };
    }
    return {
      train: objective.predict(theta, data.X, data.n),
      trainY: data.y,
      validation: objective.predict(theta, data.Xval, data.nVal),
      validationY: data.yval,
      originalParams: originalUnits(model, theta, data.stats),
    };
  }

  /** The data with the run's current predictions: original feature values, target, prediction, and which split each row is in. */
  private predictionsCsv(runId: string): string {
    const r = this.hosted(runId);
    if (!r.fit || !r.datasetId) throw new RangeError('Predictions are for data runs');
    const dataset = this.datasets.get(r.datasetId);
    if (!dataset) throw new DatasetError('The dataset of this run is no longer loaded');
    const { data, objective } = r.fit;
    const columns = data.featureNames.map((name) => dataset.columns.find((c) => c.name === name));
    const target = dataset.columns.find((c) => c.name === data.targetName);
    const lines = [csvLine([...data.featureNames, data.targetName, `predicted_${data.targetName}`, 'split'])];
    const emit = (rows: Uint32Array, predictions: Float64Array, split: string) => {
      rows.forEach((row, k) => lines.push(csvLine([...columns.map((c) => c?.values[row] ?? NaN), target?.values[row] ?? NaN, predictions[k], split])));
    };
    emit(data.trainRows, objective.predict(r.run.p, data.X, data.n), 'train');
    emit(data.valRows, objective.predict(r.run.p, data.Xval, data.nVal), 'validation');
    return `${lines.join('\n')}\n`;
  }

  /**
   * The training loss over a grid of two of a data run's parameters, the others held at `at` (the
   * run's parameters at the shown step), as contour bands. Above 20,000 training rows the loss is
   * taken over an evenly spaced sample of them, so the surface stays quick to draw.
   */
  private lossSurface(req: Extract<Request, { type: 'lossSurface' }>) {
    const r = this.hosted(req.runId);
    if (!r.fit) throw new RangeError('The loss surface is drawn for data runs');
    const objective = r.fit.objective;
    const n = objective.n;
    const [ax, ay] = req.axes;
    if (ax >= n || ay >= n || ax === ay) throw new RangeError(`The surface axes must be two different parameters of the model (it has ${n})`);
    if (req.at.length !== n) throw new RangeError(`The slice point has ${req.at.length} values but the model has ${n} parameters`);
    const { X, y, n: rows } = objective.data;
    const stride = Math.max(1, Math.ceil(rows / 20_000));
    const sample = stride === 1 ? null : Uint32Array.from({ length: Math.ceil(rows / stride) }, (_, k) => k * stride);
    const count = sample ? sample.length : rows;
    const values = sampleSlice(req, (p) => objective.lossOver(p, X, y, sample, count, null));
    return { ...contourBands(values, req), sampled: sample !== null };
  }

  private exportScript(raw: unknown): string {
    const parsed = SessionSchema.safeParse(raw);
    if (!parsed.success) throw new RangeError(`The session to export is not valid: ${parsed.error.issues[0].message}`);
    return sessionPytorchScript(parsed.data, this.datasets.get(SESSION_DATASET_ID) ?? null);
  }


  private createRun(raw: unknown) {
    const spec = RunSpecSchema.parse(raw);
    if (this.runs.has(spec.runId)) throw new RangeError(`A run "${spec.runId}" exists already`);
    const { run, fit, formula, paramNames } = buildRun(spec, { formula: (expr, vars) => this.formula(expr, vars), dataset: (id) => this.datasets.get(id) });
    const hosted: HostedRun = {
      id: spec.runId, run, fit, formula, state: 'idle', speed: spec.speed, speedClock: now(), speedDone: 0,
      sentRows: 0, sentGeneration: 0, sentEpochs: 0, sentFinal: false, dirty: true, paramNames, chunk: 256,
      datasetId: spec.problem.kind === 'data' ? spec.problem.datasetId : null,
    };
    this.runs.set(spec.runId, hosted);
    this.flush(true);
    return {
      runId: spec.runId,
      paramNames,
      hyperparameters: run.optimizer.hyper,
      width: run.history.width,
      batchesPerEpoch: fit?.batchesPerEpoch ?? null,
      features: fit?.data.featureNames ?? null,
      classification: fit ? fit.objective.classification : null,
      rows: fit?.data.n ?? null,
    };
  }

  private advance(r: HostedRun, count: number): number {
    return r.fit ? r.fit.advance(count) : r.run.advance(count);
  }

  private snapshot(runIds: string[]) {
    return runIds.map((id) => {
      const r = this.hosted(id);
      return { runId: id, ...r.run.current(), status: this.status(r) };
    });
  }

  private status(r: HostedRun): RunStatus {
    if (r.run.outcome) return r.run.outcome.status;
    return r.state;
  }

  private wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.tick());
  }

  /** One time slice: advance every running run, round robin, then post progress if it is time. */
  private tick(): void {
    this.scheduled = false;
    const running = [...this.runs.values()].filter((r) => r.state === 'running' && !r.run.finished);
    const deadline = now() + SLICE_MS;
    while (running.length && now() < deadline) {
      for (let k = running.length - 1; k >= 0; k--) {
        const r = running[k];
        let budget = r.chunk;
        if (r.speed > 0) {
          const allowed = Math.floor(((now() - r.speedClock) / 1000) * r.speed) - r.speedDone;
          budget = Math.min(budget, allowed);
          if (budget <= 0) {
            running.splice(k, 1);
            continue;
          }
        }
        const t0 = now();
        const done = this.advance(r, budget);
        r.speedDone += done;
        r.dirty = true;
        if (r.run.finished) {
          r.state = 'idle';
          running.splice(k, 1);
        }
        // Aim at about a millisecond per call so pauses and progress stay responsive.
        const took = now() - t0;
        if (took < 0.5) r.chunk = Math.min(r.chunk * 2, 1 << 20);
        else if (took > 2) r.chunk = Math.max(16, r.chunk >> 1);
      }
    }
    const more = [...this.runs.values()].some((r) => r.state === 'running' && !r.run.finished);
    // The last news before going idle is always sent, whatever the rate limit.
    this.flush(!more);
    if (more) this.wake();
  }

  /** Posts one progress event with every run that changed, at most every ~16 ms unless forced. */
  private flush(force: boolean): void {
    const t = now();
    if (!force && t - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    const updates: RunUpdate[] = [];
    const transfer: Transferable[] = [];
    for (const r of this.runs.values()) {
      if (!r.dirty && !(r.run.finished && !r.sentFinal)) continue;
      r.dirty = false;
      const h = r.run.history;
      // When the history thinned since the last update, the client thins its copy the same way
      // (keeps every other row, as many times) instead of receiving it all again.
      const thinned = h.generation - r.sentGeneration;
      let from = r.sentRows;
      for (let k = 0; k < thinned; k++) from = Math.ceil(from / 2);
      const rows = h.rows(from, h.count);
      // A run's first update is its whole history: a receiver holding an older copy (a reopened session) drops it.
      const first = r.sentRows === 0;
      r.sentRows = h.count;
      r.sentGeneration = h.generation;
      const epochs = r.fit ? r.fit.epochs.slice(r.sentEpochs) : [];
      r.sentEpochs += epochs.length;
      const outcome = r.run.outcome;
      if (outcome) r.sentFinal = true;
      transfer.push(rows.buffer);
      updates.push({
        runId: r.id,
        status: this.status(r),
        step: r.run.step,
        value: r.run.value,
        gradNorm: r.run.gradNorm,
        lr: r.run.learningRate,
        params: Array.from(r.run.p),
        generation: h.generation,
        reset: first,
        thinned: first ? 0 : thinned,
        width: h.width,
        rows,
        epochs,
        ...(outcome ? { message: outcome.message } : {}),
        ...(outcome?.bracket ? { bracket: outcome.bracket } : {}),
      });
    }
    if (updates.length === 0) return;
    this.lastProgress = t;
    this.post({ v: 1, type: 'progress', updates }, transfer);
  }
}

/** setImmediate in Node; a MessageChannel elsewhere (setTimeout is clamped to 4 ms in browsers). */
function defaultScheduler(): (fn: () => void) => void {
  const g = globalThis as { setImmediate?: (fn: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return (fn) => g.setImmediate!(fn);
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: Array<() => void> = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (fn) => {
      queue.push(fn);
      channel.port2.postMessage(null);
    };
  }
  return (fn) => setTimeout(fn, 0);
}
