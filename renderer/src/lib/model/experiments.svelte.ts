/**
 * Experiments beyond single runs: a learning-rate sweep of the runs'
 * optimizers (same start, same seed), a basin map of the selected run's
 * optimizer over the plot range, and, in data mode, the stochastic gap of the
 * selected run. Sweeps and maps are engine jobs: they report how far they
 * are, can be cancelled, and never hold up the runs. Each result is shown
 * only for the problem it was computed for.
 */
import type { BasinMap, EngineClient, EnginePool, EngineProblem, GradientGap, OptimizerSettings, RunSettings, SweepResult } from '../../../../engine';
import { settingsOf } from '../../../../engine';
import type { Requester } from '../../../../engine/host/router';
import type { RunsModel } from './runs.svelte';
import type { FormulaModel } from './formula.svelte';
import { t } from '../i18n.svelte';

/** A job's failure: the lab's own words (a key of the experiments area, shown in the current language) or a text as it came (the engine's). */
type Failure = { key: string; values?: Record<string, unknown> } | { text: string } | null;

/** A failure as the panel shows it; reading it in the markup follows a change of language. */
function shown(failure: Failure): string | null {
  if (!failure) return null;
  return 'key' in failure ? t(failure.key, failure.values) : failure.text;
}

/** Why a job ended early: cancelled, or the engine's message. */
function failureOf(error: unknown): Failure {
  return (error as { info?: { kind?: string } }).info?.kind === 'cancelled' ? { key: 'experiments.cancelled' } : { text: (error as Error).message };
}

/** How long a finished job took, on how many engines. */
export interface JobTiming {
  seconds: number;
  engines: number;
}

interface JobState {
  id: string;
  progress: number;
  /** How many engines share the job (the lab's own and its helpers), once known. */
  engines: number | null;
}

let jobCounter = 0;

export interface ExperimentsEnvironment {
  /** The engines the runs are on (the stochastic gap asks the one holding the run). */
  engine(): Requester;
  /** The lab's engine and its helpers: sweeps and maps are spread over them. */
  pool: EnginePool;
  /** Loads the current dataset into a helper engine before a data sweep's first share there. */
  prepareHelper(engine: EngineClient): Promise<void>;
  problem(): { problem: EngineProblem; key: string } | { reason: string };
  problemKey(): string;
}

/** What a basin map's axes show: its ranges and the two variables. */
export interface MapFrame {
  x: [number, number];
  y: [number, number];
  vars: [string, string];
}

export class ExperimentsModel {
  lrMin = $state(1e-4);
  lrMax = $state(1);
  count = $state(24);
  tolerance = $state(1e-3);
  sweepJob = $state<JobState | null>(null);
  private sweepFailure = $state.raw<Failure>(null);
  private sweepResult = $state.raw<{ key: string; result: SweepResult; timing: JobTiming } | null>(null);

  steps = $state(2000);
  resolution = $state(100);
  mapJob = $state<JobState | null>(null);
  private mapFailure = $state.raw<Failure>(null);
  private mapResult = $state.raw<{ key: string; map: BasinMap; frame: MapFrame; timing: JobTiming } | null>(null);

  private gapFailure = $state.raw<Failure>(null);
  private gapResult = $state.raw<{ key: string; runId: string; run: string; gap: GradientGap } | null>(null);

  constructor(
    private readonly env: ExperimentsEnvironment,
    private readonly runs: RunsModel,
    private readonly formula: FormulaModel,
  ) {}

  /** Why the last sweep, basin map or gap measure failed, in the current language, or null. */
  get sweepError(): string | null {
    return shown(this.sweepFailure);
  }

  get mapError(): string | null {
    return shown(this.mapFailure);
  }

  get gapError(): string | null {
    return shown(this.gapFailure);
  }

  /** How far a job has come, and on how many engines; news of a job no longer shown is dropped. */
  private progress(jobId: string, news: Partial<Omit<JobState, 'id'>>): void {
    if (this.sweepJob?.id === jobId) this.sweepJob = { ...this.sweepJob, ...news };
    if (this.mapJob?.id === jobId) this.mapJob = { ...this.mapJob, ...news };
  }

  private jobOptions(id: string) {
    return { onProgress: (progress: number) => this.progress(id, { progress }), onStart: (engines: number) => this.progress(id, { engines }) };
  }

  get sweep(): SweepResult | null {
    return this.sweepResult?.key === this.env.problemKey() ? this.sweepResult.result : null;
  }

  /** The ranges and variable names the shown basin map was drawn over. */
  get mapFrame(): MapFrame | null {
    return this.mapResult?.key === this.env.problemKey() ? this.mapResult.frame : null;
  }

  get map(): BasinMap | null {
    return this.mapResult?.key === this.env.problemKey() ? this.mapResult.map : null;
  }

  /** How long the shown sweep and basin map took, and on how many engines. */
  get sweepTiming(): JobTiming | null {
    return this.sweepResult?.key === this.env.problemKey() ? this.sweepResult.timing : null;
  }

  get mapTiming(): JobTiming | null {
    return this.mapResult?.key === this.env.problemKey() ? this.mapResult.timing : null;
  }

  /** The timing of job `id` as it ends. */
  private timing(id: string, started: number): JobTiming {
    const job = this.sweepJob?.id === id ? this.sweepJob : this.mapJob;
    return { seconds: (performance.now() - started) / 1000, engines: job?.engines ?? 1 };
  }

  get gap(): { run: string; runId: string; gap: GradientGap } | null {
    const g = this.gapResult;
    return g && g.key === this.env.problemKey() && this.runs.traces.has(g.runId) ? g : null;
  }

  /** The optimizers of the runs, one each (the first run using it gives its other hyperparameters). */
  get optimizers(): OptimizerSettings[] {
    const out: OptimizerSettings[] = [];
    for (const run of this.runs.specs) if (!out.some((o) => o.name === run.optimizer.name)) out.push({ name: run.optimizer.name, ...this.runs.hyper(run) });
    return out;
  }

  async runSweep(): Promise<void> {
    const base = this.runs.selectedSpec;
    const target = this.env.problem();
    if (!base || 'reason' in target) {
      // The lab's reason comes in the language of the moment it is asked.
      this.sweepFailure = 'reason' in target ? { text: target.reason } : { key: 'experiments.addRunFirst' };
      return;
    }
    const id = `sweep${++jobCounter}`;
    this.sweepJob = { id, progress: 0, engines: null };
    this.sweepFailure = null;
    try {
      const spec = {
        problem: target.problem, base: $state.snapshot(settingsOf(base)) as RunSettings,
        optimizers: $state.snapshot(this.optimizers) as OptimizerSettings[], lrMin: this.lrMin, lrMax: this.lrMax, count: this.count, tolerance: this.tolerance,
      };
      const prepare = target.problem.kind === 'data' ? (engine: EngineClient) => this.env.prepareHelper(engine) : undefined;
      const started = performance.now();
      const result = await this.env.pool.sweep(id, spec, { ...this.jobOptions(id), prepare });
      this.sweepResult = { key: target.key, result, timing: this.timing(id, started) };
    } catch (error) {
      this.sweepFailure = failureOf(error);
    } finally {
      if (this.sweepJob?.id === id) this.sweepJob = null;
    }
  }

  /** Adds the sweep's point as a run: that optimizer at that learning rate. */
  openPoint(series: number, index: number): void {
    const result = this.sweep;
    if (!result) return;
    const optimizer = this.optimizers.find((o) => o.name === result.series[series].optimizer);
    const { name: _name, ...hyper } = optimizer ?? { name: '' };
    const run = this.runs.add(result.series[series].optimizer, { ...(hyper as Record<string, number>), lr: Number(result.lrs[index].toPrecision(4)) });
    this.runs.selected = run.id;
  }

  async runMap(): Promise<void> {
    const run = this.runs.selectedSpec;
    const key = this.env.problemKey();
    if (!run || !this.formula.analysis) return;
    const id = `map${++jobCounter}`;
    this.mapJob = { id, progress: 0, engines: null };
    this.mapFailure = null;
    const known = this.formula.testFunction?.minima?.map((m) => m.point.slice(0, 2) as [number, number]);
    try {
      const spec = {
        expr: this.formula.text, optimizer: { name: run.optimizer.name, ...$state.snapshot(this.runs.hyper(run)) },
        x: $state.snapshot(this.formula.xRange), y: $state.snapshot(this.formula.yRange), nx: this.resolution, ny: this.resolution, steps: this.steps,
        ...(known?.length ? { minima: known } : {}),
      };
      const started = performance.now();
      const map = await this.env.pool.basinMap(id, spec, this.jobOptions(id));
      this.mapResult = { key, map, timing: this.timing(id, started), frame: { x: [...this.formula.xRange], y: [...this.formula.yRange], vars: [this.formula.vars[0] ?? 'x', this.formula.vars[1] ?? 'y'] } };
    } catch (error) {
      this.mapFailure = failureOf(error);
    } finally {
      if (this.mapJob?.id === id) this.mapJob = null;
    }
  }

  cancel(job: JobState | null): void {
    if (job) this.env.pool.cancel(job.id);
  }

  async measureGap(): Promise<void> {
    const run = this.runs.selectedSpec;
    if (!run) return;
    this.gapFailure = null;
    const key = this.env.problemKey();
    try {
      const gap = await this.env.engine().request('gradientGap', { runId: run.id, points: 200 });
      this.gapResult = { key, runId: run.id, run: run.name, gap };
    } catch (error) {
      const message = (error as Error).message;
      this.gapFailure = this.runs.live[run.id] ? { text: message } : { key: 'experiments.gap.runFirst', values: { message } };
    }
  }
}
