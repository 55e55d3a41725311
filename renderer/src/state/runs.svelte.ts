/**
 * The runs: their settings in the document (engine/spec/run.ts: the optimizer
 * with the hyperparameters it starts with, the schedule, the start and the
 * stopping rules, and the changes made while it ran) and their life in the
 * engine. A result belongs to the key it was computed for (shape.ts's runKey):
 * when a run's settings or its problem change, `watch` drops its result and the
 * engine's copy, keeping every setting.
 */
import { untrack } from 'svelte';
import type { Draft } from 'immer';
import type { EngineProblem, HyperValue, RunSettings, RunSpec, RunStatus } from '../../../engine';
import { currentHyperparameters, runSettings, settingsOf } from '../../../engine';
import { DEFAULT_EPOCHS, DEFAULT_RUN_SEED } from '../../../engine/data/defaults';
import { errorText } from '../i18n/engineText';
import { t } from '../i18n/i18n.svelte';
import { RUN_COLORS } from '../lib/colors';
import type { Lab } from './lab.svelte';
import { isFinished } from './results.svelte';
import { freeId, freeName, runKey, type LabDoc } from './shape';
import type { SavedResult } from './session';
import type { RunDifference } from '../../../engine/session/verify';

/** A saved run that its settings do not reproduce: how it differs, or why it could not be rebuilt. */
export interface ReplayNotice {
  run: RunSpec;
  differences: RunDifference[] | string;
}

/** The run's settings as a fresh run starts them: each change it recorded folded into its start values. */
function fold(run: Draft<RunSpec>): void {
  if (!run.changes.length) return;
  run.optimizer = { name: run.optimizer.name, ...currentHyperparameters(run as RunSpec) };
  run.changes = [];
}

export class RunControl {
  /** A run, step or replay is being set up: the buttons wait. */
  busy = $state(false);

  constructor(private readonly lab: Lab) {}

  private get doc(): LabDoc {
    return this.lab.doc;
  }

  private get engine() {
    return this.lab.router;
  }

  // ---- what the run cards show ----

  get specs(): RunSpec[] {
    return this.doc.runs;
  }

  colorOf(run: RunSpec): string {
    return run.color ?? RUN_COLORS[this.specs.indexOf(run) % RUN_COLORS.length];
  }

  get selected(): RunSpec | undefined {
    return this.specs.find((r) => r.id === this.doc.view.selectedRun) ?? this.specs[0];
  }

  optimizerDef(name: string) {
    return this.lab.catalog?.optimizers.find((o) => o.name === name);
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

  /** A new run of `optimizer` (its defaults, then `overrides`); function runs start where the first run does. */
  add(optimizer = 'adam', overrides: Record<string, HyperValue> = {}, start?: number[]): string {
    const def = this.optimizerDef(optimizer);
    let id = '';
    this.lab.edit((d) => {
      const index = d.runs.length;
      id = freeId(d.runs);
      const data = d.mode === 'data';
      d.runs.push({
        id,
        name: freeName(this.optimizerTitle(optimizer), index + 1, d.runs.map((r) => r.name)),
        color: RUN_COLORS[index % RUN_COLORS.length],
        ...runSettings({
          optimizer: { name: optimizer, ...(def?.defaults as Record<string, HyperValue>), ...overrides },
          start: data ? [] : start ?? d.runs[0]?.start.slice() ?? this.lab.formula.defaultStart(d.expr),
          stop: data ? {} : { maxSteps: 2000, gradTol: 1e-8 },
          epochs: DEFAULT_EPOCHS,
          seed: DEFAULT_RUN_SEED,
        }),
        changes: [],
      });
      d.view.selectedRun ??= id;
    });
    return id;
  }

  remove(id: string): void {
    this.lab.edit((d) => {
      d.runs = d.runs.filter((r) => r.id !== id);
      if (d.view.selectedRun === id) d.view.selectedRun = d.runs[0]?.id ?? null;
    });
  }

  /** Changes a run's settings (the result, no longer theirs, is dropped by `watch`). */
  update(id: string, change: (run: Draft<RunSpec>) => void, group?: string): void {
    this.lab.edit((d) => {
      const run = d.runs.find((r) => r.id === id);
      if (run) change(run);
    }, { group });
  }

  setOptimizer(id: string, name: string): void {
    const def = this.optimizerDef(name);
    this.update(id, (run) => {
      run.optimizer = { name, ...(def?.defaults as Record<string, HyperValue>) };
      run.changes = [];
      if (/^[\p{L}+ ]+ \d+$/u.test(run.name)) run.name = freeName(this.optimizerTitle(name), this.specs.findIndex((r) => r.id === id) + 1, this.specs.filter((r) => r.id !== id).map((r) => r.name));
    });
  }

  /**
   * Changes a hyperparameter. A run the engine holds takes it from its next update, running or not,
   * and records it at that step (a re-run replays it there); a run not started yet starts with it.
   */
  async setHyperparameter(id: string, key: string, value: HyperValue): Promise<void> {
    const live = this.lab.results.live[id];
    if (!live || live.status === 'none' || live.status === 'failed') {
      this.update(id, (run) => {
        run.optimizer = { ...run.optimizer, [key]: value };
      });
      return;
    }
    const name = this.specs.find((r) => r.id === id)?.name ?? id;
    try {
      const reply = await this.engine.request('setHyperparameters', { runId: id, changes: { [key]: value } });
      this.update(id, (run) => {
        run.changes.push({ step: reply.step, changes: { [key]: value } });
      });
      // The result took the change: it answers the settings with the change recorded.
      const run = this.specs.find((r) => r.id === id);
      if (run) this.lab.results.rekey(id, runKey(this.doc, run));
      this.lab.report('info', t('runs.changed', { name, key, value: Array.isArray(value) ? value.join(', ') : String(value), step: reply.step }));
    } catch (error) {
      this.lab.report('error', t('runs.runFailed', { name, message: errorText(error) }), { about: true });
    }
  }

  /** Moves the start of the selected run (every run's with `all`) to a point picked on the map. */
  pickStart(axes: [number, number], x: number, y: number, all: boolean, n: number): void {
    const selected = this.selected?.id;
    this.lab.edit((d) => {
      for (const run of d.runs) {
        if (!all && run.id !== selected) continue;
        const start = run.start.length === n ? run.start.slice() : new Array(n).fill(0);
        start[axes[0]] = +x.toPrecision(4);
        start[axes[1]] = +y.toPrecision(4);
        run.start = start;
      }
    });
  }

  // ---- results follow the document ----

  /** Drops each result that no longer answers its run's settings (or whose run is gone), in the engine too. */
  watch(): void {
    $effect(() => {
      const doc = this.doc;
      void this.lab.results.revision;
      untrack(() => {
        const results = this.lab.results;
        const stale = results.ids.filter((id) => {
          const run = doc.runs.find((r) => r.id === id);
          return !run || results.keyOf(id) !== runKey(doc, run);
        });
        const dropped = results.drop(stale);
        if (dropped.length) void this.engine.request('dispose', { runIds: dropped }).catch(() => undefined);
      });
    });
    // The speed is the document's: an undo or an opened session changes it for the runs too.
    $effect(() => {
      const speed = this.doc.view.speed;
      untrack(() => {
        if (this.sentSpeed !== null && speed !== this.sentSpeed) void this.sendSpeed(speed);
        this.sentSpeed = speed;
      });
    });
  }

  // ---- the engine ----

  private ids(states: Array<RunStatus | 'none'>): string[] {
    return this.specs.filter((r) => states.includes(this.lab.results.live[r.id]?.status ?? 'none')).map((r) => r.id);
  }

  get anyRunning(): boolean {
    return this.ids(['running']).length > 0;
  }

  /** Runs that can take another update (started or not, not finished). */
  get advanceable(): string[] {
    return this.ids(['idle', 'paused', 'running']);
  }

  get canResume(): boolean {
    return !this.anyRunning && this.ids(['paused', 'idle']).some((id) => (this.lab.results.live[id]?.step ?? 0) > 0 || this.lab.results.live[id]?.status === 'paused');
  }

  get hasResults(): boolean {
    return this.lab.results.ids.length > 0;
  }

  /** Whether Step can take an update now. */
  get canStep(): boolean {
    return !this.lab.blocked && !this.busy && this.specs.length > 0 && (this.advanceable.length > 0 || this.specs.some((r) => !this.lab.results.has(r.id)));
  }

  /** The problem to run, its dataset in the lab's engine; null (said in the banner) when it cannot run. */
  private async runnable(): Promise<EngineProblem | null> {
    const reason = this.lab.blocked;
    const problem = this.lab.engineProblem;
    if (reason || !problem) {
      this.lab.report('error', reason ?? t('app.noProblem'));
      return null;
    }
    if (this.doc.data.dataset && problem.kind === 'data') await this.lab.datasets.ensure(this.doc.data.dataset);
    return problem;
  }

  /** Creates runs in the engine afresh (their recorded changes folded into their start values). */
  private async create(ids: string[]): Promise<boolean> {
    const problem = await this.runnable();
    if (!problem) return false;
    this.lab.edit((d) => {
      for (const run of d.runs) if (ids.includes(run.id)) fold(run);
    }, { merge: true });
    const specs = this.specs.filter((r) => ids.includes(r.id));
    for (const run of specs) this.lab.results.begin(run.id, runKey(this.doc, run), run.start.slice());
    // Created together: runs placed on different engines are prepared at the same time.
    await Promise.all(specs.map(async (run) => {
      try {
        const info = await this.engine.request('createRun', { runId: run.id, problem, settings: settingsOf(run) as RunSettings, speed: this.doc.view.speed });
        this.lab.results.created(run.id, info);
      } catch (error) {
        this.lab.results.failed(run.id, errorText(error));
        this.lab.report('error', t('runs.runFailed', { name: run.name, message: errorText(error) }), { about: true });
      }
    }));
    this.lab.results.bumpFrame();
    return true;
  }

  /** Engine calls from buttons and shortcuts: a failure becomes a message, never an unhandled rejection. */
  private async guard(what: 'run' | 'pause' | 'resume' | 'step' | 'speed', fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.lab.report('error', t('runs.actionFailed', { action: t(`runs.action.${what}`), message: errorText(error) }));
    }
  }

  private async exclusive(what: 'run' | 'step', fn: () => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.guard(what, fn);
    } finally {
      this.busy = false;
    }
  }

  /** Starts every run afresh, together: same start, same seed, a fair race. */
  runAll(): Promise<void> {
    return this.exclusive('run', async () => {
      const ids = this.specs.map((r) => r.id);
      const dropped = this.lab.results.drop(ids);
      if (dropped.length) await this.engine.request('dispose', { runIds: dropped }).catch(() => undefined);
      this.lab.edit((d) => {
        d.view.replayStep = null;
      }, { merge: true });
      if (!(await this.create(ids))) return;
      const ok = this.ids(['idle']);
      if (ok.length) await this.engine.request('start', { runIds: ok });
    });
  }

  pause(): Promise<void> {
    const ids = this.ids(['running']);
    return this.guard('pause', async () => ids.length && this.engine.request('pause', { runIds: ids }));
  }

  resume(): Promise<void> {
    const ids = this.ids(['paused', 'idle']);
    return this.guard('resume', async () => ids.length && this.engine.request('start', { runIds: ids }));
  }

  async toggle(): Promise<void> {
    if (this.anyRunning) await this.pause();
    else if (this.canResume && !this.lab.blocked) await this.resume();
    else await this.runAll();
  }

  /** Exactly one update of every run that can take one; runs not in the engine yet are created first. */
  step(): Promise<void> {
    return this.exclusive('step', async () => {
      const fresh = this.specs.filter((r) => !this.lab.results.has(r.id)).map((r) => r.id);
      if (fresh.length && !(await this.create(fresh))) return;
      const ids = this.advanceable;
      if (ids.length) await this.engine.request('step', { runIds: ids, count: 1 });
    });
  }

  /** Drops every result, keeping the settings (a run's changes become its start values). */
  reset(): void {
    const dropped = this.lab.results.drop(this.specs.map((r) => r.id));
    if (dropped.length) void this.engine.request('dispose', { runIds: dropped }).catch(() => undefined);
    this.lab.edit((d) => {
      for (const run of d.runs) fold(run);
      d.view.replayStep = null;
    }, { merge: true });
    this.lab.hoverStep = null;
  }

  setSpeed(stepsPerSecond: number): Promise<void> {
    this.lab.setView({ speed: stepsPerSecond });
    return this.sendSpeed(stepsPerSecond);
  }

  /** The speed the engine's runs were last told. */
  private sentSpeed: number | null = null;

  private sendSpeed(stepsPerSecond: number): Promise<void> {
    this.sentSpeed = stepsPerSecond;
    const ids = this.advanceable;
    return this.guard('speed', async () => ids.length && this.engine.request('setSpeed', { runIds: ids, speed: stepsPerSecond }));
  }

  /**
   * Rebuilds saved runs in the engine at the step each was saved at, its recorded changes applied at
   * their steps, and checks each against its saved history and end. A run that agrees to the bit is
   * shown as its result (resumable, explainable); one that does not is named, with what differs, and
   * is not shown as a result. Returns the differences by run.
   */
  async replaySaved(saved: Record<string, SavedResult>): Promise<ReplayNotice[]> {
    const problem = this.lab.engineProblem;
    const notices: ReplayNotice[] = [];
    if (!problem) return notices;
    if (this.doc.data.dataset && problem.kind === 'data') await this.lab.datasets.ensure(this.doc.data.dataset);
    for (const run of this.specs) {
      const s = saved[run.id];
      if (!s) continue;
      try {
        const reply = await this.engine.request('replayRun', {
          runId: run.id, problem, settings: settingsOf(run) as RunSettings, changes: run.changes, speed: this.doc.view.speed,
          saved: { status: s.status, step: s.step, width: s.width, rows: s.rows as Float64Array<ArrayBuffer> },
        });
        if (reply.differences.length) {
          notices.push({ run, differences: reply.differences });
          await this.engine.request('dispose', { runIds: [run.id] });
          continue;
        }
        this.lab.results.begin(run.id, runKey(this.doc, run), run.start.slice());
        this.lab.results.created(run.id, reply);
        this.lab.results.onProgress([await this.engine.request('history', { runId: run.id })]);
      } catch (error) {
        notices.push({ run, differences: errorText(error) });
      }
    }
    return notices;
  }
}

export { isFinished };
