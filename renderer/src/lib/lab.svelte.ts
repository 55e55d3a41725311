/**
 * The lab's state and its conversation with the engine. Settings are $state;
 * run histories live in RunTrace typed arrays outside reactivity, and `frame`
 * ticks (at most once per animation frame) when new rows arrived, which is
 * what the charts redraw on.
 */
import type { LabBridge } from '../bridge/types';
import type { Catalog } from '../../../engine/host/catalog';
import type { DatasetSummary } from '../../../engine/host/summary';
import type { EpochUpdate, RunStatus, RunUpdate } from '../../../engine/host/protocol';
import { EngineRequestError } from '../../../engine/host/client';
import { RunTrace } from './trace';
import { EMBED_LIMIT, RUN_COLORS, type DatasetSource } from '../../../engine/session/format';
import { embeddedSource } from '../../../engine/session/runs';
import { sha256Hex } from '../../../engine/session/codec';
import type { GeneratorRequestSpec } from '../../../engine/host/protocol';

export type HyperValue = number | boolean | [number, number];

export interface RunConfig {
  id: string;
  name: string;
  color: string;
  optimizer: string;
  hyper: Record<string, HyperValue>;
  start: number[];
  schedule: string;
  clipNorm: number | null;
  maxSteps: number;
  gradTol: number;
  batchSize: number | 'full';
  epochs: number;
  seed: number;
}

export interface RunLive {
  status: RunStatus | 'none';
  step: number;
  value: number;
  gradNorm: number;
  lr: number;
  params: number[];
  message: string;
  bracket?: [number, number];
  epochs: EpochUpdate[];
}

export interface Analysis {
  vars: string[];
  expr: string;
  tex: string;
  gradientExprs: string[];
  gradientTex: string[];
}

export interface FormulaErrorView {
  message: string;
  column: number;
  length: number;
}

export const COLORS = RUN_COLORS;

let runCounter = 0;

export class Lab {
  catalog = $state.raw<Catalog | null>(null);
  mode = $state<'function' | 'data'>('function');
  formula = $state('(1 - x)^2 + 100*(y - x^2)^2');
  analysis = $state.raw<Analysis | null>(null);
  formulaError = $state.raw<FormulaErrorView | null>(null);
  evaluateAt = $state('1, 1');
  evaluation = $state.raw<{ value: number; gradient: number[] } | { error: string } | null>(null);
  xRange = $state<[number, number]>([-2, 2]);
  yRange = $state<[number, number]>([-1, 3]);
  axes = $state<[number, number]>([0, 1]);
  runs = $state<RunConfig[]>([]);
  live = $state<Record<string, RunLive>>({});
  selectedRun = $state<string | null>(null);
  /** The step every chart shows; null follows the live runs. */
  replayStep = $state<number | null>(null);
  /** Saves an exported chart under the session's name (set by the app from its document). */
  chartExporter: ((kind: 'png' | 'svg', title: string, data: Uint8Array | string) => void) | null = null;
  /** The step under the pointer on a step chart: while set, the linked views show it instead. */
  hoverStep = $state<number | null>(null);

  /** The step the linked views show: the hovered one, else the replay step (null: the latest). */
  get viewStep(): number | null {
    return this.hoverStep ?? this.replayStep;
  }
  speed = $state(0);
  logScale = $state(true);
  frame = $state(0);
  banner = $state.raw<{ kind: 'error' | 'info'; message: string; action?: { label: string; run: () => void } } | null>(null);
  busy = $state(false);

  // Data mode
  dataset = $state.raw<DatasetSummary | null>(null);
  datasetError = $state<string | null>(null);
  loadProgress = $state<number | null>(null);
  target = $state('');
  features = $state<string[]>([]);
  modelKind = $state<'linear' | 'logistic' | 'poly' | 'custom'>('linear');
  degree = $state(3);
  customExpr = $state('a*exp(b*x) + c');
  loss = $state<'mse' | 'mae' | 'huber' | 'bce'>('mse');
  l2 = $state(0);
  valSplit = $state(0);
  standardize = $state(false);
  missing = $state<'fail' | 'drop'>('fail');
  runInfo = $state<Record<string, { paramNames: string[]; features: string[] | null; classification: boolean | null }>>({});

  // Sessions
  notes = $state('');
  /** Where the dataset came from, as a session stores it. */
  datasetSource = $state.raw<DatasetSource | null>(null);
  /** Counts changes to the runs' results (runs started, stepped, finished, changed mid-run): part of "unsaved changes". */
  runsVersion = $state(0);
  /** Per run: the hyperparameters it started with, and those changed while paused, at their steps. */
  readonly startedWith = new Map<string, Record<string, HyperValue>>();
  readonly runChanges = new Map<string, Array<{ step: number; changes: Record<string, HyperValue> }>>();

  readonly traces = new Map<string, RunTrace>();
  // Undo: serialized snapshots of what the problem and optimizer panels edit.
  private undoPast: string[] = [];
  private undoFuture: string[] = [];
  private undoCurrent: string | null = null;
  private restoring = false;
  canUndo = $state(false);
  canRedo = $state(false);
  private framePending = false;
  private analyzeTimer: ReturnType<typeof setTimeout> | null = null;
  private analyzeSeq = 0;

  constructor(readonly bridge: LabBridge) {
    this.listen();
    bridge.onEngineRestart(({ lostRuns, reason }) => {
      this.listen();
      const lost = lostRuns.map((id) => this.runs.find((r) => r.id === id)?.name ?? id);
      for (const id of lostRuns) {
        if (this.live[id]) this.live[id] = { ...this.live[id], status: 'failed', message: 'Lost when the engine stopped' };
      }
      this.banner = {
        kind: 'error',
        message: `The engine stopped (${reason}) and was restarted.${lost.length ? ` Lost runs: ${lost.join(', ')}.` : ''} Your settings are kept.`,
        action: lost.length ? { label: 'Re-run', run: () => void this.runAll() } : undefined,
      };
      if (this.mode === 'data' && this.dataset) this.banner = { ...this.banner, message: `${this.banner.message} Reload the dataset to re-run.` };
    });
  }

  private listen(): void {
    this.bridge.engine.onProgress((updates) => this.onProgress(updates));
  }

  async init(): Promise<void> {
    await this.bridge.ready();
    this.catalog = await this.bridge.engine.request('catalog');
    this.addRun('adam', { lr: 0.05 });
    this.addRun('sgd', { lr: 0.001 });
    await this.analyzeNow();
  }

  optimizerDef(name: string) {
    return this.catalog?.optimizers.find((o) => o.name === name);
  }

  addRun(optimizer = 'adam', overrides: Record<string, HyperValue> = {}): void {
    const def = this.optimizerDef(optimizer);
    const index = this.runs.length;
    const id = `run${++runCounter}`;
    const start = this.runs[0]?.start.slice() ?? this.defaultStart();
    this.runs.push({
      id,
      name: `${def?.title ?? optimizer} ${index + 1}`,
      color: COLORS[index % COLORS.length],
      optimizer,
      hyper: { ...(def?.defaults as Record<string, HyperValue>), ...overrides },
      start,
      schedule: 'constant',
      clipNorm: null,
      maxSteps: 2000,
      gradTol: 1e-8,
      batchSize: 'full',
      epochs: 100,
      seed: 1,
    });
    this.selectedRun ??= id;
  }

  /** New runs get ids after those of runs opened from a session. */
  syncRunCounter(): void {
    for (const run of this.runs) {
      const k = Number(/^run(\d+)$/.exec(run.id)?.[1] ?? 0);
      if (k > runCounter) runCounter = k;
    }
  }

  removeRun(id: string): void {
    this.runs = this.runs.filter((r) => r.id !== id);
    void this.bridge.engine.request('dispose', { runIds: [id] }).catch(() => undefined);
    this.traces.delete(id);
    delete this.live[id];
    if (this.selectedRun === id) this.selectedRun = this.runs[0]?.id ?? null;
  }

  setOptimizer(run: RunConfig, name: string): void {
    const def = this.optimizerDef(name);
    run.optimizer = name;
    run.hyper = { ...(def?.defaults as Record<string, HyperValue>) };
    if (run.name.match(/^[A-Za-z+ ]+ \d+$/)) run.name = `${def?.title ?? name} ${this.runs.indexOf(run) + 1}`;
  }

  defaultStart(): number[] {
    const fn = this.catalog?.testFunctions.find((f) => f.expr === this.formula);
    if (fn) return [...fn.start];
    return new Array(this.analysis?.vars.length ?? 2).fill(0.5);
  }

  // ---- formula ----

  setFormula(text: string): void {
    this.formula = text;
    if (this.analyzeTimer) clearTimeout(this.analyzeTimer);
    this.analyzeTimer = setTimeout(() => void this.analyzeNow(), 120);
  }

  async analyzeNow(): Promise<void> {
    const seq = ++this.analyzeSeq;
    try {
      const result = (await this.bridge.engine.request('analyze', { expr: this.formula })) as Analysis;
      if (seq !== this.analyzeSeq) return;
      const varsChanged = result.vars.join(',') !== this.analysis?.vars.join(',');
      this.analysis = result;
      this.formulaError = null;
      if (varsChanged) {
        const n = result.vars.length;
        this.axes = [0, Math.min(1, n - 1)];
        for (const run of this.runs) if (run.start.length !== n) run.start = this.defaultStart();
        this.evaluateAt = new Array(n).fill(1).join(', ');
      }
    } catch (error) {
      if (seq !== this.analyzeSeq) return;
      const info = error instanceof EngineRequestError ? error.info : { message: String(error), column: 0, length: 1 };
      this.formulaError = { message: info.message, column: info.column ?? 0, length: info.length ?? 1 };
    }
  }

  applyPreset(id: string): void {
    const fn = this.catalog?.testFunctions.find((f) => f.id === id);
    if (!fn) return;
    this.formula = fn.expr;
    this.xRange = [...fn.range[0]] as [number, number];
    if (fn.range[1]) this.yRange = [...fn.range[1]] as [number, number];
    for (const run of this.runs) run.start = [...fn.start];
    this.evaluateAt = fn.start.map(() => 1).join(', ');
    void this.analyzeNow().then(() => {
      for (const run of this.runs) run.start = [...fn.start];
      this.evaluateAt = fn.start.map(() => 1).join(', ');
    });
    this.resetRuns();
  }

  async evaluate(): Promise<void> {
    const at = this.evaluateAt.split(/[,\s]+/).filter(Boolean).map(Number);
    if (at.some((v) => !Number.isFinite(v))) {
      this.evaluation = { error: 'Type numbers separated by commas, e.g. 1, 1, 1' };
      return;
    }
    try {
      this.evaluation = await this.bridge.engine.request('evaluate', { expr: this.formula, at });
    } catch (error) {
      this.evaluation = { error: (error as Error).message };
    }
  }

  // ---- runs ----

  /** The engine request for a run, as plain data (state proxies cannot cross postMessage). */
  private runSpec(run: RunConfig): Record<string, unknown> {
    return $state.snapshot(this.runSpecOf(run)) as Record<string, unknown>;
  }

  private runSpecOf(run: RunConfig, hyper: Record<string, HyperValue> = run.hyper): Record<string, unknown> {
    const schedule = this.scheduleOf(run);
    const common = {
      runId: run.id,
      optimizer: { name: run.optimizer, ...hyper },
      ...(schedule ? { schedule } : {}),
      clipNorm: run.clipNorm,
      speed: this.speed,
    };
    if (this.mode === 'function') {
      return { ...common, problem: { kind: 'function', expr: this.formula }, start: run.start, stop: { maxSteps: run.maxSteps, gradTol: run.gradTol } };
    }
    const model =
      this.modelKind === 'poly' ? { kind: 'poly', degree: this.degree } :
      this.modelKind === 'custom' ? { kind: 'custom', expr: this.customExpr } :
      { kind: this.modelKind };
    return {
      ...common,
      problem: { kind: 'data', datasetId: 'current', target: this.target, features: this.modelKind === 'custom' ? [] : this.features, model, missing: this.missing, valSplit: this.valSplit, standardize: this.standardize, splitSeed: 0 },
      loss: { name: this.loss },
      reg: { l2: this.l2 },
      batchSize: run.batchSize,
      epochs: run.epochs,
      shuffle: run.batchSize !== 'full',
      seed: run.seed,
      stop: {},
    };
  }

  /** A run's spec without its id and optimizer: what a learning-rate sweep varies the optimizer over. */
  sweepBase(run: RunConfig): Record<string, unknown> {
    const { runId: _id, optimizer: _optimizer, speed: _speed, ...base } = this.runSpec(run);
    return base;
  }

  scheduleOf(run: RunConfig) {
    return run.schedule !== 'constant' ? this.catalog?.schedules[run.schedule as keyof Catalog['schedules']] : undefined;
  }

  /**
   * Rebuilds a saved run in the engine and advances it to the step it was saved at, re-applying the
   * hyperparameter changes made while it was paused: the engine then holds the same state, bit for
   * bit, and streams the same history, so the run can be resumed, explained and predicted from.
   */
  async replayRun(run: RunConfig, initial: Record<string, HyperValue>, changes: Array<{ step: number; changes: Record<string, HyperValue> }>, savedStep: number): Promise<void> {
    const engine = this.bridge.engine;
    const info = await engine.request('createRun', { run: $state.snapshot(this.runSpecOf(run, initial)) as never });
    this.runInfo[run.id] = { paramNames: info.paramNames, features: info.features, classification: info.classification };
    this.startedWith.set(run.id, { ...initial });
    this.runChanges.set(run.id, changes.map((c) => ({ step: c.step, changes: { ...c.changes } })));
    let at = 0;
    const advance = async (to: number) => {
      while (at < to) {
        const count = Math.min(to - at, 10_000_000);
        await engine.request('step', { runIds: [run.id], count });
        at += count;
      }
    };
    for (const change of changes) {
      await advance(change.step);
      await engine.request('setHyperparameters', { runId: run.id, changes: change.changes as never });
    }
    await advance(savedStep);
  }

  /** Creates every run afresh in the engine and starts them together (same start, same seed: a fair race). */
  async runAll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.banner = null;
    this.replayStep = null;
    const engine = this.bridge.engine;
    try {
      await engine.request('dispose', { runIds: this.runs.map((r) => r.id) }).catch(() => undefined);
      this.runsVersion++;
      for (const run of this.runs) {
        this.startedWith.set(run.id, $state.snapshot(run.hyper) as Record<string, HyperValue>);
        this.runChanges.set(run.id, []);
        this.traces.set(run.id, new RunTrace());
        this.live[run.id] = { status: 'idle', step: 0, value: NaN, gradNorm: NaN, lr: NaN, params: run.start.slice(), message: '', epochs: [] };
      }
      for (const run of this.runs) {
        try {
          const info = await engine.request('createRun', { run: this.runSpec(run) as never });
          this.runInfo[run.id] = { paramNames: info.paramNames, features: info.features, classification: info.classification };
        } catch (error) {
          this.live[run.id] = { ...this.live[run.id], status: 'failed', message: (error as Error).message };
          this.banner = { kind: 'error', message: `${run.name}: ${(error as Error).message}` };
        }
      }
      const ok = this.runs.filter((r) => this.live[r.id]?.status !== 'failed').map((r) => r.id);
      if (ok.length) await engine.request('start', { runIds: ok });
    } finally {
      this.busy = false;
    }
  }

  get anyRunning(): boolean {
    return Object.values(this.live).some((l) => l.status === 'running');
  }

  get anyPaused(): boolean {
    return Object.values(this.live).some((l) => l.status === 'paused' || l.status === 'idle');
  }

  private liveIds(states: Array<RunStatus | 'none'>): string[] {
    return this.runs.filter((r) => states.includes(this.live[r.id]?.status ?? 'none')).map((r) => r.id);
  }

  /** Engine calls from buttons and shortcuts: a failure becomes a banner, never an unhandled rejection. */
  private async guard(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.banner = { kind: 'error', message: `${what}: ${(error as Error).message}` };
    }
  }

  pause(): Promise<void> {
    const ids = this.liveIds(['running']);
    return this.guard('Pause', async () => ids.length && this.bridge.engine.request('pause', { runIds: ids }));
  }

  resume(): Promise<void> {
    const ids = this.liveIds(['paused', 'idle']);
    return this.guard('Resume', async () => ids.length && this.bridge.engine.request('resume', { runIds: ids }));
  }

  async toggle(): Promise<void> {
    if (this.anyRunning) await this.pause();
    else if (this.liveIds(['paused', 'idle']).length) await this.resume();
    else await this.runAll();
  }

  step(count = 1): Promise<void> {
    return this.guard('Step', async () => {
      let ids = this.liveIds(['paused', 'idle', 'running']);
      if (!ids.length) {
        await this.runAll();
        await this.pause();
        ids = this.liveIds(['paused', 'idle', 'running']);
      }
      if (ids.length) await this.bridge.engine.request('step', { runIds: ids, count });
    });
  }

  resetRuns(): void {
    void this.bridge.engine.request('dispose', { runIds: this.runs.map((r) => r.id) }).catch(() => undefined);
    if (this.traces.size) this.runsVersion++;
    this.startedWith.clear();
    this.runChanges.clear();
    this.traces.clear();
    this.live = {};
    this.replayStep = null;
    this.bumpFrame();
  }

  setSpeed(stepsPerSecond: number): Promise<void> {
    this.speed = stepsPerSecond;
    const ids = this.liveIds(['running', 'paused', 'idle']);
    return this.guard('Speed', async () => ids.length && this.bridge.engine.request('setSpeed', { runIds: ids, speed: stepsPerSecond }));
  }

  /** Change a paused run's hyperparameter; the engine records the change at the current step. */
  async changeHyperparameter(run: RunConfig, key: string, value: HyperValue): Promise<void> {
    run.hyper[key] = value;
    const status = this.live[run.id]?.status;
    if (status === 'paused' || status === 'idle') {
      try {
        await this.bridge.engine.request('setHyperparameters', { runId: run.id, changes: { [key]: value } });
        this.runChanges.get(run.id)?.push({ step: this.live[run.id].step, changes: { [key]: $state.snapshot(value) as HyperValue } });
        this.runsVersion++;
        this.banner = { kind: 'info', message: `${run.name}: ${key} = ${Array.isArray(value) ? value.join(', ') : value} from step ${this.live[run.id].step}` };
      } catch (error) {
        this.banner = { kind: 'error', message: `${run.name}: ${(error as Error).message}` };
      }
    }
  }

  private onProgress(updates: RunUpdate[]): void {
    for (const u of updates) {
      let trace = this.traces.get(u.runId);
      if (!trace) {
        trace = new RunTrace();
        this.traces.set(u.runId, trace);
      }
      trace.append(u.rows, u.width, u.reset, u.generation, u.thinned);
      const prev = this.live[u.runId];
      if (prev?.status !== u.status) this.runsVersion++;
      this.live[u.runId] = {
        status: u.status,
        step: u.step,
        value: u.value,
        gradNorm: u.gradNorm,
        lr: u.lr,
        params: u.params,
        message: u.message ?? '',
        bracket: u.bracket,
        epochs: u.epochs.length ? [...(prev?.epochs ?? []), ...u.epochs] : prev?.epochs ?? [],
      };
    }
    this.bumpFrame();
  }

  bumpFrame(): void {
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      this.frame++;
    });
  }

  get maxStep(): number {
    let max = 0;
    for (const t of this.traces.values()) max = Math.max(max, t.lastStep);
    return max;
  }

  /** A run's recorded state at the replay step (or its latest). */
  stateAt(runId: string): { step: number; value: number; gradNorm: number; lr: number; params: number[] } | null {
    const t = this.traces.get(runId);
    if (!t || t.count === 0) return null;
    const step = this.viewStep;
    const i = step === null ? t.count - 1 : Math.max(0, t.indexAt(step));
    return { step: t.steps[i], value: t.values[i], gradNorm: t.gradNorms[i], lr: t.lrs[i], params: t.params.map((p) => p[i]) };
  }

  // ---- undo ----

  /** Everything the problem and optimizer panels edit, as plain data. */
  editable(): string {
    return JSON.stringify({
      mode: this.mode, formula: this.formula, xRange: this.xRange, yRange: this.yRange, axes: this.axes, runs: this.runs,
      target: this.target, features: this.features, modelKind: this.modelKind, degree: this.degree, customExpr: this.customExpr,
      loss: this.loss, l2: this.l2, valSplit: this.valSplit, standardize: this.standardize, missing: this.missing, notes: this.notes,
    });
  }

  /** Records the editable state as one undo step (call after edits settle). */
  commitEdit(snapshot: string): void {
    if (this.restoring) {
      this.restoring = false;
      this.undoCurrent = snapshot;
      return;
    }
    if (snapshot === this.undoCurrent) return;
    if (this.undoCurrent !== null) this.undoPast.push(this.undoCurrent);
    if (this.undoPast.length > 200) this.undoPast.shift();
    this.undoCurrent = snapshot;
    this.undoFuture = [];
    this.canUndo = this.undoPast.length > 0;
    this.canRedo = false;
  }

  private restore(snapshot: string): void {
    const s = JSON.parse(snapshot);
    this.restoring = true;
    const formulaChanged = s.formula !== this.formula;
    Object.assign(this, {
      mode: s.mode, xRange: s.xRange, yRange: s.yRange, axes: s.axes, runs: s.runs, target: s.target, features: s.features,
      modelKind: s.modelKind, degree: s.degree, customExpr: s.customExpr, loss: s.loss, l2: s.l2, valSplit: s.valSplit,
      standardize: s.standardize, missing: s.missing, notes: s.notes ?? '',
    });
    if (formulaChanged) this.setFormula(s.formula);
    this.undoCurrent = snapshot;
    this.canUndo = this.undoPast.length > 0;
    this.canRedo = this.undoFuture.length > 0;
  }

  undo(): void {
    const previous = this.undoPast.pop();
    if (previous === undefined || this.undoCurrent === null) return;
    this.undoFuture.push(this.undoCurrent);
    this.restore(previous);
  }

  redo(): void {
    const next = this.undoFuture.pop();
    if (next === undefined || this.undoCurrent === null) return;
    this.undoPast.push(this.undoCurrent);
    this.restore(next);
  }

  // ---- data ----

  async loadDataset(name: string, bytes: Uint8Array, path: string | null = null): Promise<boolean> {
    this.datasetError = null;
    this.loadProgress = 0;
    // Kept for sessions before the bytes move to the engine: embedded when small or when there is no path to refer to.
    const source: DatasetSource = bytes.byteLength <= EMBED_LIMIT || !path
      ? embeddedSource(name, bytes, path)
      : { kind: 'reference', name, path, sha256: sha256Hex(bytes), size: bytes.byteLength };
    const stop = this.bridge.engine.onLoadProgress(({ fraction }) => (this.loadProgress = fraction));
    try {
      const summary = (await this.bridge.engine.request('loadDataset', { datasetId: 'current', name, bytes: bytes as never }, [bytes.buffer as ArrayBuffer])) as DatasetSummary;
      this.datasetSource = source;
      this.useDataset(summary);
      return true;
    } catch (error) {
      this.datasetError = (error as Error).message;
      return false;
    } finally {
      stop();
      this.loadProgress = null;
    }
  }

  /** Generates a sample dataset from its spec (a session's generated dataset). */
  async generateFrom(spec: GeneratorRequestSpec): Promise<boolean> {
    this.datasetError = null;
    try {
      this.useDataset(await this.bridge.engine.request('generateDataset', { datasetId: 'current', spec }));
      this.datasetSource = { kind: 'generated', spec };
      return true;
    } catch (error) {
      this.datasetError = (error as Error).message;
      return false;
    }
  }

  async generate(kind: 'line' | 'poly' | 'sine' | 'blobs'): Promise<void> {
    const spec = this.catalog?.generators[kind];
    if (!spec || !(await this.generateFrom($state.snapshot(spec) as GeneratorRequestSpec))) return;
    if (kind === 'blobs') {
      this.modelKind = 'logistic';
      this.loss = 'bce';
    } else if (kind === 'poly' || kind === 'sine') {
      this.modelKind = 'poly';
      this.degree = kind === 'poly' ? 3 : 5;
      this.standardize = true;
    }
  }

  private useDataset(summary: DatasetSummary): void {
    this.dataset = summary;
    const usable = summary.columns.filter((c) => c.kind !== 'text').map((c) => c.name);
    this.target = usable[usable.length - 1] ?? '';
    this.features = usable.filter((c) => c !== this.target);
    const label = summary.columns.find((c) => c.name === this.target);
    if (label?.kind === 'label') {
      this.modelKind = 'logistic';
      this.loss = 'bce';
    } else {
      this.modelKind = 'linear';
      this.loss = 'mse';
    }
    for (const run of this.runs) {
      run.batchSize = summary.rowCount > 1000 ? 64 : 'full';
      if (run.optimizer === 'sgd') run.hyper.lr = 0.05;
    }
    this.resetRuns();
  }

  get runsReady(): boolean {
    return this.mode === 'function' ? this.analysis !== null && this.formulaError === null : this.dataset !== null && this.target !== '';
  }
}
