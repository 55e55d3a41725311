/**
 * The lab: one document (./document.svelte.ts) and what answers it.
 *
 *   document     the session's shape, edited only through `edit`; undo, redo, unsaved
 *   results      the runs' streamed results, each with the key it was computed for
 *   datasets     the datasets' bytes and summaries
 *   views        the engine's answers for what is on screen (queries/views.svelte.ts)
 *   runs         the runs' settings and their life in the engine (./runs.svelte.ts)
 *   data         data mode's edits, through the rules (./data.svelte.ts)
 *   experiments  sweeps, basin maps, the stochastic gap (./experiments.svelte.ts)
 *   files        save, open, new, autosave, the lessons' own document (./files.svelte.ts)
 *
 * Components read the document and these answers and call the lab's methods;
 * none asks the engine anything itself.
 */
import { untrack } from 'svelte';
import type { Draft } from 'immer';
import type { Catalog, EngineClient, EngineProblem, SessionView } from '../../../engine';
import { defaultChartScale, type ChartId, type ChartScale } from '../../../engine/spec/view';
import { EnginePool } from '../../../engine/host/pool';
import { catalog } from '../../../engine/host/catalog';
import { RunRouter } from '../../../engine/host/router';
import type { LabBridge } from '../bridge/types';
import { formatList, joinSentences, t } from '../i18n/i18n.svelte';
import { formulaErrorText } from '../i18n/engineText';
import { LabDocument, type EditOptions } from './document.svelte';
import { RunResults } from './results.svelte';
import { Datasets } from './datasets.svelte';
import { RunControl } from './runs.svelte';
import { DataControl } from './data.svelte';
import { Experiments } from './experiments.svelte';
import { SessionFiles } from './files.svelte';
import { LabViews } from '../queries/views.svelte';
import { FormulaControl } from './formula.svelte';
import { engineProblemOf, problemKey, type LabDoc } from './shape';

export interface Banner {
  kind: 'error' | 'info';
  message: string;
  action?: { label: string; run: () => void };
  /** Stays until dismissed, as errors and banners with an action do; other news goes after BANNER_SECONDS. */
  sticky?: boolean;
  /** Said about this problem: it goes when the problem changes (a run's failure, a dataset's refusal). */
  about?: string;
}

/** How long news (an info banner without an action) stays, unless the pointer or focus is on it. */
export const BANNER_SECONDS = 12;

/** A question the lab puts to the person, answered by one of its choices (the app shows it as a dialog). */
export interface Prompt {
  message: string;
  choices: Array<{ id: string; label: string; primary?: boolean }>;
  answer: (id: string) => void;
}

export class Lab {
  /** The engine's optimizers, schedules, test functions and samples: the same module the engine answers `catalog` from. */
  readonly catalog: Catalog = catalog();
  banner = $state.raw<Banner | null>(null);
  /** Fields holding a value that is not valid, by field id: Run refuses to start while there are any. */
  fieldErrors = $state<Record<string, string>>({});
  /** The step under the pointer on a step chart: while set, the linked views show it instead of the replay step. */
  hoverStep = $state<number | null>(null);
  /** The question waiting for an answer, if any. */
  prompt = $state.raw<Prompt | null>(null);

  readonly document = new LabDocument();
  readonly results = new RunResults();
  readonly datasets: Datasets;
  readonly router: RunRouter;
  readonly pool: EnginePool;
  readonly views: LabViews;
  readonly runs: RunControl;
  readonly data: DataControl;
  readonly experiments: Experiments;
  readonly files: SessionFiles;
  readonly formula: FormulaControl;
  private readonly stopEffects: () => void;

  constructor(readonly bridge: LabBridge) {
    const engine = () => this.bridge.engine;
    this.datasets = new Datasets(engine);
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
    // Runs go on the lab's engine and its helpers, leaving a core for the page: a race ends sooner on 3 cores and more.
    this.router = new RunRouter({
      engines: () => Math.max(1, cores - 1),
      primary: engine,
      helpers: () => this.bridge.helpers(),
      prepare: async (helper, problem) => {
        if (problem.kind === 'data') await this.prepareHelper(helper);
      },
    });
    this.pool = new EnginePool(async () => [this.bridge.engine, ...(await this.bridge.helpers())]);
    this.views = new LabViews(this);
    this.formula = new FormulaControl(this);
    this.runs = new RunControl(this);
    this.data = new DataControl(this);
    this.experiments = new Experiments(this);
    this.files = new SessionFiles(this);
    this.files.startNew();
    this.listen();
    this.router.onHelperProgress((updates) => this.results.onProgress(updates));
    this.router.onHelperLost(({ lostRuns, reason }) => this.lost(lostRuns, t('app.helperStopped', { reason })));
    bridge.onEngineRestart(({ lostRuns, reason }) => {
      this.listen();
      this.datasets.forget(this.bridge.engine);
      this.lost(lostRuns, t('app.engineRestarted', { reason }), this.doc.mode === 'data' && this.data.summary ? t('app.reloadDataset') : '');
    });
    this.stopEffects = $effect.root(() => {
      // News about a problem goes when the problem changes.
      $effect(() => {
        const key = this.problemKey;
        untrack(() => {
          if (this.banner?.about !== undefined && this.banner.about !== key) this.banner = null;
        });
      });
      this.runs.watch();
      this.views.watch();
      this.formula.watch();
    });
  }

  private listen(): void {
    const engine = this.bridge.engine;
    engine.onProgress((updates) => this.results.onProgress(this.router.heldBy(engine, updates)));
  }

  /** Runs lost with the engine that held them: marked, named in the banner, with Re-run. */
  private lost(lostRuns: string[], why: string, more = ''): void {
    this.results.lose(lostRuns, t('runs.lost', { lng: 'en' }), 'runs.lost');
    const names = lostRuns.map((id) => this.doc.runs.find((r) => r.id === id)?.name ?? id);
    this.banner = {
      kind: 'error',
      message: joinSentences([why, names.length ? t('app.lostRuns', { names: formatList(names) }) : '', t('app.settingsKept'), more]),
      action: names.length ? { label: t('app.rerun'), run: () => void this.runs.runAll() } : undefined,
    };
  }

  /** Loads the document's dataset into a helper engine before its first share of a data job or race. */
  prepareHelper(helper: EngineClient): Promise<void> {
    const ref = this.doc.data.dataset;
    if (!ref) return Promise.reject(new Error(t('data.loadFirst')));
    return this.datasets.ensure(ref, helper).then(() => undefined);
  }

  dispose(): void {
    this.stopEffects();
    this.files.stopAutosave();
  }

  /** Resolves once the engine is ready (the document is there from the start: a click before this edits it). */
  async init(): Promise<void> {
    await this.bridge.ready();
  }

  // ---- the document ----

  get doc(): LabDoc {
    return this.document.doc;
  }

  edit(recipe: (draft: Draft<LabDoc>) => void, options?: EditOptions): boolean {
    return this.document.edit(recipe, options);
  }

  get problemKey(): string {
    return problemKey(this.doc);
  }

  /** The problem the runs run, as the engine takes it, or null. */
  get engineProblem(): EngineProblem | null {
    return engineProblemOf(this.doc);
  }

  /** The formula's analysis, once the engine has given it for the current text. */
  get analysis() {
    return this.views.analysisOf(this.doc.expr);
  }

  get vars(): string[] {
    return this.analysis?.vars ?? [];
  }

  /** The step the linked views show: the hovered one, else the replay step (null: the latest). */
  get viewStep(): number | null {
    return this.hoverStep ?? this.doc.view.replayStep;
  }

  /** Why Run cannot start now, or null. */
  get blocked(): string | null {
    const bad = Object.entries(this.fieldErrors);
    if (bad.length) return t('app.fixFields', { count: bad.length, first: bad[0][1] });
    if (this.doc.mode === 'function') {
      const error = this.views.formulaError;
      if (error) return t('app.formulaInvalid', { message: formulaErrorText(error) });
      if (!this.analysis) return t('app.formulaChecking');
      return null;
    }
    if (!this.data.summary) return t('app.needDataset');
    if (!this.doc.data.target) return t('app.needTarget');
    return this.data.invalid;
  }

  setFieldError(id: string, message: string | null): void {
    if (message) this.fieldErrors[id] = message;
    else if (id in this.fieldErrors) delete this.fieldErrors[id];
  }

  /** Says something; `about` ties it to the current problem (it goes when the problem changes). */
  report(kind: Banner['kind'], message: string, options: { action?: Banner['action']; about?: boolean; sticky?: boolean } = {}): void {
    this.banner = { kind, message, ...(options.action ? { action: options.action } : {}), ...(options.sticky ? { sticky: true } : {}), ...(options.about ? { about: this.problemKey } : {}) };
  }

  /** Asks the person; resolves with the id of the choice they make (the last choice's if the question is dismissed). */
  ask(message: string, choices: Prompt['choices']): Promise<string> {
    return new Promise((resolve) => {
      this.prompt = {
        message,
        choices,
        answer: (id) => {
          this.prompt = null;
          resolve(id);
        },
      };
    });
  }

  undo(): void {
    this.document.undo();
  }

  redo(): void {
    this.document.redo();
  }

  // ---- the view ----

  setMode(mode: LabDoc['mode']): void {
    this.edit((d) => {
      if (d.mode === mode) return;
      d.mode = mode;
      // Function runs start somewhere and stop by steps; data runs start from the model's initialisation and stop by epochs.
      for (const run of d.runs) {
        run.start = mode === 'function' ? this.formula.defaultStart(d.expr) : [];
        run.stop = mode === 'function' ? { maxSteps: 2000, gradTol: 1e-8 } : {};
      }
    });
  }


  setView(patch: Partial<Pick<SessionView, 'functionView' | 'logHeight' | 'surfaceAxes' | 'speed' | 'metric'>>, group?: string): void {
    this.edit((d) => {
      Object.assign(d.view, patch);
    }, { group });
  }

  setCamera(camera: SessionView['camera']): void {
    this.edit((d) => {
      d.view.camera = camera;
    }, { group: 'camera' });
  }

  setReplay(step: number | null): void {
    this.edit((d) => {
      d.view.replayStep = step;
    }, { group: 'replay' });
  }

  chartScale(chart: ChartId): ChartScale {
    return this.doc.view.charts[chart] ?? defaultChartScale(chart);
  }

  setChartScale(chart: ChartId, patch: Partial<ChartScale>): void {
    this.edit((d) => {
      d.view.charts[chart] = { ...(d.view.charts[chart] ?? defaultChartScale(chart)), ...patch };
    }, { group: patch.smoothing !== undefined ? `smooth-${chart}` : undefined });
  }

  setPanel(panel: keyof SessionView['panels'], open: boolean): void {
    this.edit((d) => {
      d.view.panels[panel] = open;
    });
  }

  selectRun(id: string): void {
    this.edit((d) => {
      d.view.selectedRun = id;
    });
  }

  setNotes(text: string): void {
    this.edit((d) => {
      d.notes = text;
    }, { group: 'notes' });
  }
}
