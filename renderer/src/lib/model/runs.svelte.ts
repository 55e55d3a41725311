/**
 * The runs: each one's spec (engine/spec/run.ts: its settings and the
 * hyperparameter changes made while it ran), and what the engine streams back
 * (its live state and its history, kept in RunTrace typed arrays outside
 * reactivity; `frame` ticks, at most once per animation frame, when rows
 * arrive). Results belong to the problem they were computed for
 * (`problemKey`): the lab resets them, keeping every setting, when the problem
 * changes.
 */
import type { EngineProblem, HyperValue, Replies, RequestInput, RunSpec, RunStatus, RunUpdate } from '../../../../engine';
import { currentHyperparameters, runSettings, settingsOf } from '../../../../engine';
import { RunTrace } from '../trace';
import type { RunInfo, RunLive, RunsEnvironment } from './runTypes';
import { freeName } from './runTypes';
import { RUN_COLORS } from '../colors';
import { t } from '../i18n.svelte';
import { errorText } from '../engineText';

export { isFinished, type RunInfo, type RunLive, type RunsEnvironment } from './runTypes';

let runCounter = 0;

export class RunsModel {
  specs = $state<RunSpec[]>([]);
  live = $state<Record<string, RunLive>>({});
  info = $state<Record<string, RunInfo>>({});
  selected = $state<string | null>(null);
  /** The step every chart shows; null follows the live runs. */
  replayStep = $state<number | null>(null);
  /** The step under the pointer on a step chart: while set, the linked views show it instead. */
  hoverStep = $state<number | null>(null);
  speed = $state(0);
  frame = $state(0);
  busy = $state(false);
  /** Counts changes to the runs' results: part of "unsaved changes". */
  version = $state(0);
  /** The problem the current results were computed for. */
  problemKey = '';
  /** Histories, outside reactivity on purpose (large typed arrays): `frame` says when they changed. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly traces = new Map<string, RunTrace>();
  private framePending = false;

  constructor(private readonly env: RunsEnvironment) {}

  /** The step the linked views show: the hovered one, else the replay step (null: the latest). */
  get viewStep(): number | null {
    return this.hoverStep ?? this.replayStep;
  }

  get selectedSpec(): RunSpec | undefined {
    return this.specs.find((r) => r.id === this.selected) ?? this.specs[0];
  }

  colorOf(run: RunSpec): string {
    return run.color ?? RUN_COLORS[this.specs.indexOf(run) % RUN_COLORS.length];
  }

  optimizerDef(name: string) {
    return this.env.catalog()?.optimizers.find((o) => o.name === name);
  }

  /** An optimizer's title in the current language: a name (Adam, SGD) as it is, a description ("GD + line search") translated. */
  optimizerTitle(name: string): string {
    return t(`optimizers.title.${name}`, { defaultValue: this.optimizerDef(name)?.title ?? name });
  }

  /**
   * A hyperparameter's doc in the current language: the optimizer's own text (`optimizers.doc.<optimizer>.<name>`), else the
   * shared one (`optimizers.doc.<name>`), used only while its English is the engine's doc; else the engine's doc as it is.
   */
  hyperDoc(optimizer: string, h: { name: string; doc: string }): string {
    for (const key of [`optimizers.doc.${optimizer}.${h.name}`, `optimizers.doc.${h.name}`]) {
      if (t(key, { lng: 'en', defaultValue: '' }) === h.doc) return t(key);
    }
    return h.doc;
  }

  /** The hyperparameters the run uses now (its start values with every change made while it ran). */
  hyper(run: RunSpec): Record<string, HyperValue> {
    return currentHyperparameters(run);
  }

  // ---- editing ----

  add(optimizer = 'adam', overrides: Record<string, HyperValue> = {}, start?: number[]): RunSpec {
    const def = this.optimizerDef(optimizer);
    const index = this.specs.length;
    const id = `run${++runCounter}`;
    const data = this.env.mode() === 'data';
    this.specs.push({
      id,
      name: freeName(this.optimizerTitle(optimizer), index + 1, this.specs.map((r) => r.name)),
      color: RUN_COLORS[index % RUN_COLORS.length],
      ...runSettings({
        optimizer: { name: optimizer, ...(def?.defaults as Record<string, HyperValue>), ...overrides },
        start: data ? [] : start ?? this.specs[0]?.start.slice() ?? this.env.defaultStart(),
        stop: data ? {} : { maxSteps: 2000, gradTol: 1e-8 },
        epochs: 100,
        seed: 1,
      }),
      changes: [],
    });
    this.selected ??= id;
    return this.specs[this.specs.length - 1];
  }

  /** New runs get ids after those of runs opened from a session. */
  syncCounter(): void {
    for (const run of this.specs) {
      const k = Number(/^run(\d+)$/.exec(run.id)?.[1] ?? 0);
      if (k > runCounter) runCounter = k;
    }
  }

  remove(id: string): void {
    this.specs = this.specs.filter((r) => r.id !== id);
    void this.env.engine().request('dispose', { runIds: [id] }).catch(() => undefined);
    this.traces.delete(id);
    delete this.live[id];
    delete this.info[id];
    if (this.selected === id) this.selected = this.specs[0]?.id ?? null;
    this.version++;
    this.bumpFrame();
  }

  setOptimizer(run: RunSpec, name: string): void {
    const def = this.optimizerDef(name);
    run.optimizer = { name, ...(def?.defaults as Record<string, HyperValue>) };
    run.changes = [];
    if (/^[\p{L}+ ]+ \d+$/u.test(run.name)) run.name = freeName(this.optimizerTitle(name), this.specs.indexOf(run) + 1, this.specs.filter((r) => r !== run).map((r) => r.name));
    this.resetRun(run.id);
  }

  /** Whether the engine holds this run (created, not yet reset). */
  private inEngine(id: string): boolean {
    const status = this.live[id]?.status;
    return status !== undefined && status !== 'none' && status !== 'failed';
  }

  /**
   * Changes a hyperparameter. A run the engine holds takes it from its next update, running or not,
   * and records it at that step (a re-run replays it there); a run not started yet starts with it.
   */
  async setHyperparameter(run: RunSpec, key: string, value: HyperValue): Promise<void> {
    if (!this.inEngine(run.id)) {
      run.optimizer = { ...run.optimizer, [key]: value };
      return;
    }
    try {
      const reply = await this.env.engine().request('setHyperparameters', { runId: run.id, changes: { [key]: value } });
      run.changes.push({ step: reply.step, changes: { [key]: value } });
      this.version++;
      this.env.report('info', t('runs.changed', { name: run.name, key, value: Array.isArray(value) ? value.join(', ') : String(value), step: reply.step }));
    } catch (error) {
      this.env.report('error', t('runs.runFailed', { name: run.name, message: errorText(error) }));
    }
  }

  // ---- the engine ----

  /** Creates every run afresh in the engine, with its current settings; false when the problem cannot run. */
  private async createAll(): Promise<boolean> {
    await this.env.engine().request('dispose', { runIds: this.specs.map((r) => r.id) }).catch(() => undefined);
    this.replayStep = null;
    return this.create(this.specs);
  }

  /** Creates runs in the engine for the current problem (runs added since the others started, or all). */
  private async create(specs: RunSpec[]): Promise<boolean> {
    const target = this.env.problem();
    if ('reason' in target) {
      this.env.report('error', target.reason);
      return false;
    }
    const engine = this.env.engine();
    this.problemKey = target.key;
    this.version++;
    for (const run of specs) {
      // A fresh run starts with the values the run card shows.
      run.optimizer = { name: run.optimizer.name, ...currentHyperparameters(run) };
      run.changes = [];
      this.traces.set(run.id, new RunTrace());
      this.live[run.id] = { status: 'idle', step: 0, value: NaN, gradNorm: NaN, lr: NaN, params: run.start.slice(), message: '', epochs: [] };
    }
    // Created together: runs placed on different engines are prepared at the same time.
    await Promise.all(specs.map(async (run) => {
      try {
        const settings = $state.snapshot(settingsOf(run));
        const created = await engine.request('createRun', { runId: run.id, problem: target.problem, settings, speed: this.speed });
        this.info[run.id] = created;
      } catch (error) {
        this.live[run.id] = { ...this.live[run.id], status: 'failed', message: errorText(error) };
        this.env.report('error', t('runs.runFailed', { name: run.name, message: errorText(error) }));
      }
    }));
    this.bumpFrame();
    return true;
  }

  private ids(states: Array<RunStatus | 'none'>): string[] {
    return this.specs.filter((r) => states.includes(this.live[r.id]?.status ?? 'none')).map((r) => r.id);
  }

  /** Engine calls from buttons and shortcuts: a failure becomes a message, never an unhandled rejection. */
  private async guard(what: 'run' | 'pause' | 'resume' | 'step' | 'speed', fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.env.report('error', t('runs.actionFailed', { action: t(`runs.action.${what}`), message: errorText(error) }));
    }
  }

  /** Starts every run afresh, together: same start, same seed, a fair race. */
  async runAll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.guard('run', async () => {
        if (!(await this.createAll())) return;
        const ok = this.ids(['idle']);
        if (ok.length) await this.env.engine().request('start', { runIds: ok });
      });
    } finally {
      this.busy = false;
    }
  }

  get anyRunning(): boolean {
    return this.specs.some((r) => this.live[r.id]?.status === 'running');
  }

  /** Runs that can take another update (started or not, not finished). */
  get advanceable(): string[] {
    return this.ids(['idle', 'paused', 'running']);
  }

  get canPause(): boolean {
    return this.anyRunning;
  }

  get canResume(): boolean {
    return !this.anyRunning && this.ids(['paused', 'idle']).some((id) => (this.live[id]?.step ?? 0) > 0 || this.live[id]?.status === 'paused');
  }

  get hasResults(): boolean {
    return this.traces.size > 0 || Object.keys(this.live).length > 0;
  }

  pause(): Promise<void> {
    const ids = this.ids(['running']);
    return this.guard('pause', async () => ids.length && this.env.engine().request('pause', { runIds: ids }));
  }

  resume(): Promise<void> {
    const ids = this.ids(['paused', 'idle']);
    return this.guard('resume', async () => ids.length && this.env.engine().request('start', { runIds: ids }));
  }

  async toggle(): Promise<void> {
    if (this.anyRunning) await this.pause();
    else if (this.canResume) await this.resume();
    else await this.runAll();
  }

  /** Exactly one update of every run that can take one; runs not yet in the engine are created first. */
  async step(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.guard('step', async () => {
        // One update of every run that can take one: runs not started yet (all of them, or runs added
        // since the others started) are created first and take their first update.
        if (this.advanceable.length === 0 && this.ids(['none']).length === this.specs.length) {
          if (!(await this.createAll())) return;
        } else {
          const fresh = this.specs.filter((r) => !this.live[r.id]);
          if (fresh.length && !(await this.create(fresh))) return;
        }
        const ids = this.advanceable;
        if (ids.length) await this.env.engine().request('step', { runIds: ids, count: 1 });
      });
    } finally {
      this.busy = false;
    }
  }

  /** Drops every result, keeping the settings (a run's changes become its start values). */
  reset(): void {
    const ids = this.specs.map((r) => r.id);
    if (ids.length) void this.env.engine().request('dispose', { runIds: ids }).catch(() => undefined);
    if (this.traces.size || Object.keys(this.live).length) this.version++;
    for (const run of this.specs) {
      if (run.changes.length) {
        run.optimizer = { name: run.optimizer.name, ...currentHyperparameters(run) };
        run.changes = [];
      }
    }
    this.traces.clear();
    this.live = {};
    this.info = {};
    this.replayStep = null;
    this.hoverStep = null;
    this.bumpFrame();
  }

  /** Drops one run's result (its settings changed). */
  resetRun(id: string): void {
    if (!this.live[id]) return;
    void this.env.engine().request('dispose', { runIds: [id] }).catch(() => undefined);
    this.traces.delete(id);
    delete this.live[id];
    delete this.info[id];
    this.version++;
    this.bumpFrame();
  }

  setSpeed(stepsPerSecond: number): Promise<void> {
    this.speed = stepsPerSecond;
    const ids = this.advanceable;
    return this.guard('speed', async () => ids.length && this.env.engine().request('setSpeed', { runIds: ids, speed: stepsPerSecond }));
  }

  /**
   * Rebuilds a saved run in the engine and advances it to the step it was saved at, re-applying its
   * recorded hyperparameter changes: the engine then holds the same state, bit for bit, and streams
   * the same history, so the run can be resumed, explained and predicted from.
   */
  async replay(run: RunSpec, problem: EngineProblem, savedStep: number): Promise<void> {
    const engine = this.env.engine();
    this.info[run.id] = await engine.request('createRun', { runId: run.id, problem, settings: $state.snapshot(settingsOf(run)), speed: this.speed });
    let at = 0;
    const advance = async (to: number) => {
      while (at < to) {
        const count = Math.min(to - at, 10_000_000);
        await engine.request('step', { runIds: [run.id], count });
        at += count;
      }
    };
    for (const change of $state.snapshot(run.changes)) {
      await advance(change.step);
      await engine.request('setHyperparameters', { runId: run.id, changes: change.changes });
    }
    await advance(savedStep);
  }

  /**
   * Asks the engine about a run's results (predictions, its loss surface, the stochastic gap); resolves
   * null when the run was reset meanwhile, so that no answer for an earlier run is shown.
   */
  async ask<K extends 'predict' | 'lossSurface' | 'gradientGap' | 'explainStep' | 'classView' | 'networkSurface'>(type: K, input: RequestInput<K>): Promise<Replies[K] | null> {
    const key = this.problemKey;
    const trace = this.traces.get(input.runId);
    if (!trace) return null;
    try {
      const reply = await this.env.engine().request(type, input);
      return key === this.problemKey && this.traces.get(input.runId) === trace ? reply : null;
    } catch {
      return null;
    }
  }

  onProgress(updates: RunUpdate[]): void {
    for (const u of updates) {
      // News of a run that was reset or removed meanwhile is dropped.
      if (!this.specs.some((r) => r.id === u.runId) || !this.live[u.runId]) continue;
      let trace = this.traces.get(u.runId);
      if (!trace) this.traces.set(u.runId, (trace = new RunTrace()));
      trace.append(u.rows, u.width, u.reset, u.generation, u.thinned);
      const prev = this.live[u.runId];
      if (prev?.status !== u.status) this.version++;
      this.live[u.runId] = {
        status: u.status,
        step: u.step,
        value: u.value,
        gradNorm: u.gradNorm,
        lr: u.lr,
        params: u.params,
        message: u.message ?? '',
        words: u.words,
        bracket: u.bracket,
        // A run's first update is its whole history, epochs included (a reopened run's saved ones are replaced).
        epochs: u.reset ? u.epochs : u.epochs.length ? [...(prev?.epochs ?? []), ...u.epochs] : prev?.epochs ?? [],
      };
    }
    this.bumpFrame();
  }

  /** The engine restarted: runs it held are lost. */
  lost(ids: readonly string[]): void {
    for (const id of ids) if (this.live[id]) this.live[id] = { ...this.live[id], status: 'failed', message: t('runs.lost', { lng: 'en' }), messageKey: 'runs.lost' };
  }

  bumpFrame(): void {
    if (this.framePending) return;
    this.framePending = true;
    const tick = () => {
      this.framePending = false;
      this.frame++;
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(tick);
    else setTimeout(tick, 16);
  }

  get maxStep(): number {
    let max = 0;
    for (const t of this.traces.values()) max = Math.max(max, t.lastStep);
    return max;
  }

  /** A run's recorded state at the shown step (or its latest). */
  stateAt(runId: string): { step: number; value: number; gradNorm: number; lr: number; params: number[] } | null {
    const t = this.traces.get(runId);
    if (!t || t.count === 0) return null;
    const step = this.viewStep;
    const i = step === null ? t.count - 1 : Math.max(0, t.indexAt(step));
    return { step: t.steps[i], value: t.values[i], gradNorm: t.gradNorms[i], lr: t.lrs[i], params: t.params.map((p) => p[i]) };
  }
}
