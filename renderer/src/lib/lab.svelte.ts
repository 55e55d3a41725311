/**
 * The lab: the models of what the user edits and sees, wired together.
 *
 *   formula  the function, its analysis and evaluation, the plot view  (model/formula.svelte.ts)
 *   data     the dataset and what is fitted to it                      (model/data.svelte.ts)
 *   runs     the run specs, their live state and histories             (model/runs.svelte.ts)
 *   undo     the edit history                                         (model/undo.svelte.ts)
 *   experiments  sweeps, basin maps, the stochastic gap                (model/experiments.svelte.ts)
 *
 * and what spans them: the mode, the message banner, the notes, the fields
 * that hold an invalid value, and the rule that results belong to the problem
 * they were computed for: when the problem changes, runs are reset (their
 * settings kept).
 */
import { formatList, joinSentences, t } from './i18n.svelte';
import { untrack } from 'svelte';
import { EnginePool } from '../../../engine/host/pool';
import { RunRouter } from '../../../engine/host/router';
import type { LabBridge } from '../bridge/types';
import type { Catalog, EngineProblem, Problem, RunSpec } from '../../../engine';
import { engineProblem } from '../../../engine';
import { FormulaModel } from './model/formula.svelte';
import { DataModel, DATASET_ID } from './model/data.svelte';
import { RunsModel } from './model/runs.svelte';
import { UndoModel } from './model/undo.svelte';
import { ExperimentsModel } from './model/experiments.svelte';

export interface Banner {
  kind: 'error' | 'info';
  message: string;
  action?: { label: string; run: () => void };
  /** Stays until dismissed, as errors and banners with an action do; other news goes after BANNER_SECONDS. */
  sticky?: boolean;
}

/** How long news (an info banner without an action) stays, unless the pointer or focus is on it. */
export const BANNER_SECONDS = 12;

export type ChartExporter = (kind: 'png' | 'svg', title: string, data: Uint8Array | string) => void;

export class Lab {
  catalog = $state.raw<Catalog | null>(null);
  mode = $state<'function' | 'data'>('function');
  banner = $state.raw<Banner | null>(null);
  notes = $state('');
  /** Fields holding a value that is not valid, by field id: Run refuses to start while there are any. */
  fieldErrors = $state<Record<string, string>>({});
  /** Saves an exported chart under the session's name (set by the app from its document). */
  chartExporter: ChartExporter | null = null;

  readonly formula: FormulaModel;
  readonly data: DataModel;
  readonly runs: RunsModel;
  readonly undo: UndoModel;
  readonly experiments: ExperimentsModel;
  readonly router: RunRouter;
  private readonly stopWatching: () => void;

  constructor(readonly bridge: LabBridge) {
    const engine = () => this.bridge.engine;
    const catalog = () => this.catalog;
    this.formula = new FormulaModel(engine, catalog);
    this.data = new DataModel(engine, catalog);
    // Runs go on the lab's engine and its helpers, leaving a core for the page: a race ends sooner on 3 cores and more.
    this.router = new RunRouter({
      engines: () => Math.max(1, (navigator.hardwareConcurrency || 1) - 1),
      primary: engine,
      helpers: () => this.bridge.helpers(),
      prepare: async (helper, problem) => {
        if (problem.kind === 'data') await this.data.loadInto(helper);
      },
    });
    const router = () => this.router;
    this.runs = new RunsModel({
      engine: router,
      catalog,
      mode: () => this.mode,
      defaultStart: () => this.formula.defaultStart(),
      problem: () => this.runnable(),
      report: (kind, message, action) => (this.banner = { kind, message, action }),
    });
    this.undo = new UndoModel(() => this.editable(), (s) => this.restore(s));
    const pool = new EnginePool(async () => [this.bridge.engine, ...(await this.bridge.helpers())]);
    this.experiments = new ExperimentsModel({ engine: router, pool, prepareHelper: (e) => this.data.loadInto(e), problem: () => this.runnable(), problemKey: () => this.problemKey }, this.runs, this.formula);
    this.listen();
    this.router.onHelperProgress((updates) => this.runs.onProgress(updates));
    this.router.onHelperLost(({ lostRuns, reason }) => this.helperLost(lostRuns, reason));
    bridge.onEngineRestart(({ lostRuns, reason }) => {
      this.listen();
      const lost = this.loseRuns(lostRuns);
      this.banner = {
        kind: 'error',
        message: joinSentences([
          t('app.engineRestarted', { reason }),
          lost.length ? t('app.lostRuns', { names: formatList(lost) }) : '',
          t('app.settingsKept'),
          this.mode === 'data' && this.data.summary ? t('app.reloadDataset') : '',
        ]),
        action: lost.length ? { label: t('app.rerun'), run: () => void this.runs.runAll() } : undefined,
      };
    });
    this.stopWatching = $effect.root(() => {
      // Results belong to the problem they were computed for.
      $effect(() => {
        const key = this.problemKey;
        untrack(() => {
          if (key !== this.runs.problemKey && this.runs.hasResults) this.runs.reset();
          this.runs.problemKey = key;
        });
      });
      // Start points follow the number of variables.
      $effect(() => {
        const n = this.formula.analysis?.vars.length;
        if (n === undefined || this.mode !== 'function') return;
        untrack(() => {
          for (const run of this.runs.specs) if (run.start.length !== n) run.start = this.formula.defaultStart();
        });
      });
    });
  }

  private listen(): void {
    this.bridge.engine.onProgress((updates) => this.runs.onProgress(updates));
  }

  /** Marks runs lost with the engine that held them; returns their names. */
  private loseRuns(lostRuns: string[]): string[] {
    this.runs.lost(lostRuns);
    return lostRuns.map((id) => this.runs.specs.find((r) => r.id === id)?.name ?? id);
  }

  /** Runs on a helper that stopped are lost as they are when the lab's engine stops; the helper is replaced at the next run. */
  private helperLost(lostRuns: string[], reason: string): void {
    const lost = this.loseRuns(lostRuns);
    this.banner = {
      kind: 'error',
      message: joinSentences([t('app.helperStopped', { reason }), t('app.lostRuns', { names: formatList(lost) }), t('app.settingsKept')]),
      action: { label: t('app.rerun'), run: () => void this.runs.runAll() },
    };
  }

  dispose(): void {
    this.stopWatching();
  }

  async init(): Promise<void> {
    await this.bridge.ready();
    this.catalog = await this.bridge.engine.request('catalog', {});
    await this.formula.analyze();
    this.runs.add('adam', { lr: 0.05 });
    this.runs.add('sgd', { lr: 0.001 });
  }

  /** The problem as a spec: the function, or the data problem (null without a dataset and target). */
  problem(): Problem | null {
    return this.mode === 'function' ? { kind: 'function', expr: this.formula.text } : this.data.problem();
  }

  /** Identifies the problem: two keys are equal when runs would compute the same results. */
  get problemKey(): string {
    if (this.mode === 'function') return `function|${this.formula.text}`;
    const p = this.data.problem();
    if (!p) return 'data|none';
    const source = p.dataset.kind === 'generated' ? JSON.stringify(p.dataset.spec) : p.dataset.sha256;
    return `data|${source}|${JSON.stringify({ ...p, dataset: null })}`;
  }

  /** Why Run cannot start now, or null. */
  get blocked(): string | null {
    const bad = Object.entries(this.fieldErrors);
    if (bad.length) return t('app.fixFields', { count: bad.length, first: bad[0][1] });
    if (this.mode === 'function') {
      if (this.formula.error) return t('app.formulaInvalid', { message: this.formula.error.message });
      if (!this.formula.analysis) return t('app.formulaChecking');
      return null;
    }
    if (!this.data.summary) return t('app.needDataset');
    if (!this.data.target) return t('app.needTarget');
    return this.data.invalid;
  }

  private runnable(): { problem: EngineProblem; key: string } | { reason: string } {
    const reason = this.blocked;
    if (reason) return { reason };
    const problem = this.problem();
    if (!problem) return { reason: t('app.noProblem') };
    return { problem: engineProblem(problem, DATASET_ID), key: this.problemKey };
  }

  setFieldError(id: string, message: string | null): void {
    if (message) this.fieldErrors[id] = message;
    else if (id in this.fieldErrors) delete this.fieldErrors[id];
  }

  setMode(mode: 'function' | 'data'): void {
    if (mode === this.mode) return;
    this.mode = mode;
    for (const run of this.runs.specs) {
      run.start = mode === 'function' ? this.formula.defaultStart() : [];
      run.stop = mode === 'function' ? { maxSteps: 2000, gradTol: 1e-8 } : {};
    }
  }

  /** A built-in test function, with its range, and every run starting at its start point. */
  applyPreset(id: string): void {
    const start = this.formula.applyPreset(id);
    if (!start) return;
    for (const run of this.runs.specs) run.start = [...start];
  }

  /** Sets the formula and its point, analyzes and evaluates: the tutorial's examples. */
  async showExample(expr: string, at: string): Promise<void> {
    this.formula.text = expr;
    this.formula.setPoint(at);
    await this.formula.analyze();
    await this.formula.evaluate();
  }

  // ---- undo ----

  /** Everything the problem and run panels edit, as plain data. */
  editable(): string {
    const f = this.formula;
    const d = this.data;
    return JSON.stringify({
      mode: this.mode, formula: f.text, xRange: f.xRange, yRange: f.yRange, axes: f.axes,
      runs: this.runs.specs.map((r) => ({ ...r, optimizer: { name: r.optimizer.name, ...this.runs.hyper(r) }, changes: [] })),
      target: d.target, features: d.features, modelKind: d.modelKind, degree: d.degree, customExpr: d.customExpr, hidden: d.hidden, activation: d.activation,
      loss: d.loss, delta: d.delta, l1: d.l1, l2: d.l2, splitSeed: d.splitSeed, valSplit: d.valSplit, standardize: d.standardize, missing: d.missing, notes: this.notes,
      dataset: DataModel.key(d.source),
    });
  }

  private restore(snapshot: string): void {
    const s = JSON.parse(snapshot);
    const f = this.formula;
    const d = this.data;
    this.mode = s.mode;
    f.xRange = s.xRange;
    f.yRange = s.yRange;
    f.axes = s.axes;
    const settings = { target: s.target, features: s.features, modelKind: s.modelKind, degree: s.degree, customExpr: s.customExpr, hidden: s.hidden, activation: s.activation, loss: s.loss, delta: s.delta, l1: s.l1, l2: s.l2, splitSeed: s.splitSeed, valSplit: s.valSplit, standardize: s.standardize, missing: s.missing };
    // The dataset the settings were made for comes back with them, then the settings (never the
    // settings on another dataset, even for a moment).
    if (s.dataset !== DataModel.key(d.source)) void d.bringBack(s.dataset).then(() => Object.assign(d, settings));
    else Object.assign(d, settings);
    this.notes = s.notes ?? '';
    const restored = s.runs as RunSpec[];
    // A run whose settings come back unchanged keeps its result.
    for (const run of restored) {
      const now = this.runs.specs.find((r) => r.id === run.id);
      if (!now || JSON.stringify({ ...now, optimizer: { name: now.optimizer.name, ...this.runs.hyper(now) }, changes: [] }) !== JSON.stringify(run)) this.runs.resetRun(run.id);
      else Object.assign(run, { optimizer: now.optimizer, changes: now.changes });
    }
    this.runs.specs = restored;
    if (s.formula !== f.text) f.setText(s.formula);
  }
}
