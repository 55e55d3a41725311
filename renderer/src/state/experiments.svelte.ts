/**
 * Experiments beyond single runs: a learning-rate sweep of the runs'
 * optimizers (same start, same seed), a basin map of the selected run's
 * optimizer over the plot range, and in data mode the stochastic gap of the
 * selected run. Their settings and results are part of the document (saved,
 * undoable, dropped when the problem changes); the jobs computing them are
 * spread over the lab's engine and its helpers, report how far they are and
 * can be cancelled.
 */
import type { Draft } from 'immer';
import type { BasinMap, EngineClient, GradientGap, OptimizerSettings, RunSettings, SessionExperiments, SweepResult } from '../../../engine';
import type { SweepAxis } from '../../../engine/experiments/sweepPoints';
import type { HyperValue } from '../../../engine/spec/common';
import { bytesToBase64, base64ToBytes, settingsOf, toJsonNumber, fromJsonNumber } from '../../../engine';
import type { GapResultSaved, MapResultSaved, SweepResultSaved } from '../../../engine/spec/view';
import { t } from '../i18n/i18n.svelte';
import type { Lab } from './lab.svelte';

/** A job's failure: the lab's own words (a key of the experiments area) or a text as it came (the engine's). */
type Failure = { key: string; values?: Record<string, unknown> } | { text: string } | null;

function shown(failure: Failure): string | null {
  if (!failure) return null;
  return 'key' in failure ? t(failure.key, failure.values) : failure.text;
}

/** Why a job ended early: cancelled, or the engine's message. */
function failureOf(error: unknown): Failure {
  return (error as { info?: { kind?: string } }).info?.kind === 'cancelled' ? { key: 'experiments.cancelled' } : { text: (error as Error).message };
}

export interface JobState {
  id: string;
  progress: number;
  /** How many engines share the job (the lab's own and its helpers), once known. */
  engines: number | null;
}

let jobCounter = 0;

/**
 * The axes of the sweep the settings describe, or null for a learning-rate sweep. Values are
 * log-spaced when the range is positive and spans a factor of 20 or more (rates, eps, batch sizes),
 * evenly spaced otherwise (momentum, betas).
 */
export function sweepAxesOf(s: SessionExperiments['sweep']): SweepAxis[] | null {
  const scale = (min: number, max: number): SweepAxis['scale'] => (min > 0 && max / min >= 20 ? 'log' : 'linear');
  const param = s.param ?? 'lr';
  if (param === 'lr' && !s.across) return null;
  const axes: SweepAxis[] = [{ param, min: s.lrMin, max: s.lrMax, count: s.count, scale: scale(s.lrMin, s.lrMax) }];
  if (s.across) axes.push({ ...s.across, scale: scale(s.across.min, s.across.max) });
  return axes;
}

/** The saved form's numbers, as numbers (results are decoded once per result). */
const decodedSweeps = new WeakMap<SweepResultSaved, SweepResult>();
const decodedMaps = new WeakMap<MapResultSaved, BasinMap>();
const decodedGaps = new WeakMap<GapResultSaved, GradientGap>();

function decodeSweep(r: SweepResultSaved): SweepResult {
  let out = decodedSweeps.get(r);
  if (!out) decodedSweeps.set(r, (out = { lrs: r.lrs, ...(r.axes ? { axes: r.axes } : {}), series: r.series.map((s) => ({ optimizer: s.optimizer, ...(s.run === undefined ? {} : { run: s.run }), finalValue: s.finalValue.map(fromJsonNumber), stepsToTolerance: s.stepsToTolerance, status: s.status })) }));
  return out;
}

function decodeMap(r: MapResultSaved): BasinMap {
  let out = decodedMaps.get(r);
  if (!out) {
    const bytes = base64ToBytes(r.labels);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const labels = new Int16Array(r.nx * r.ny);
    for (let i = 0; i < labels.length; i++) labels[i] = view.getInt16(2 * i, true);
    decodedMaps.set(r, (out = { nx: r.nx, ny: r.ny, labels, minima: r.minima, counts: r.counts }));
  }
  return out;
}

function decodeGap(r: GapResultSaved): GradientGap {
  let out = decodedGaps.get(r);
  if (!out) decodedGaps.set(r, (out = { steps: r.steps, batchNorm: r.batchNorm.map(fromJsonNumber), fullNorm: r.fullNorm.map(fromJsonNumber), noiseNorm: r.noiseNorm.map(fromJsonNumber), angle: r.angle.map(fromJsonNumber) }));
  return out;
}

function encodeLabels(labels: Int16Array): string {
  const bytes = new Uint8Array(labels.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < labels.length; i++) view.setInt16(2 * i, labels[i], true);
  return bytesToBase64(bytes);
}

export class Experiments {
  sweepJob = $state<JobState | null>(null);
  mapJob = $state<JobState | null>(null);
  private sweepFailure = $state.raw<Failure>(null);
  private mapFailure = $state.raw<Failure>(null);
  private gapFailure = $state.raw<Failure>(null);

  constructor(private readonly lab: Lab) {}

  private get state(): SessionExperiments {
    return this.lab.doc.experiments;
  }

  get settings(): SessionExperiments {
    return this.state;
  }

  set(change: (x: Draft<SessionExperiments>) => void, group?: string): void {
    this.lab.edit((d) => change(d.experiments), { group });
  }

  get sweepError(): string | null {
    return shown(this.sweepFailure);
  }

  get mapError(): string | null {
    return shown(this.mapFailure);
  }

  get gapError(): string | null {
    return shown(this.gapFailure);
  }

  /** The sweep on view, as numbers, with what it was run with. */
  get sweep(): (SweepResult & { saved: SweepResultSaved }) | null {
    const r = this.state.sweep.result;
    return r ? { ...decodeSweep(r), saved: r } : null;
  }

  get map(): (BasinMap & { saved: MapResultSaved }) | null {
    const r = this.state.map.result;
    return r ? { ...decodeMap(r), saved: r } : null;
  }

  /** The stochastic gap on view, while its run's result stands. */
  get gap(): { run: string; runId: string; gap: GradientGap } | null {
    const r = this.state.gap.result;
    return r && this.lab.results.has(r.runId) ? { run: r.run, runId: r.runId, gap: decodeGap(r) } : null;
  }

  /**
   * The settings a sweep can vary: the learning rate, the numeric hyperparameters of the runs'
   * optimizers (β₁ and β₂ of a pair), and in data mode the batch size.
   */
  get sweepParams(): string[] {
    const out = ['lr'];
    for (const run of this.lab.doc.runs) {
      const def = this.lab.catalog?.optimizers.find((o) => o.name === run.optimizer.name);
      for (const h of def?.hyperparameters ?? []) {
        if (h.kind === 'number' && !out.includes(h.name)) out.push(h.name);
        if (h.kind === 'pair' && !out.includes(`${h.name}.0`)) out.push(`${h.name}.0`, `${h.name}.1`);
      }
    }
    if (this.lab.doc.mode === 'data') out.push('batchSize');
    return out;
  }

  /** The runs a sweep sweeps, by name and optimizer. */
  get sweptRuns(): Array<{ name: string; optimizer: string }> {
    return this.lab.doc.runs.map((run) => ({ name: run.name, optimizer: run.optimizer.name }));
  }

  /** Each run's optimizer with its own hyperparameters (SGD and SGD with momentum are two series). */
  get optimizers(): OptimizerSettings[] {
    return this.lab.doc.runs.map((run) => ({ name: run.optimizer.name, ...this.lab.runs.hyper(run) }));
  }

  private progress(id: string, news: Partial<Omit<JobState, 'id'>>): void {
    if (this.sweepJob?.id === id) this.sweepJob = { ...this.sweepJob, ...news };
    if (this.mapJob?.id === id) this.mapJob = { ...this.mapJob, ...news };
  }

  private jobOptions(id: string) {
    return { onProgress: (progress: number) => this.progress(id, { progress }), onStart: (engines: number) => this.progress(id, { engines }) };
  }

  async runSweep(): Promise<void> {
    const base = this.lab.runs.selected;
    const problem = this.lab.engineProblem;
    const reason = this.lab.blocked;
    if (!base || reason || !problem) {
      this.sweepFailure = reason ? { text: reason } : { key: 'experiments.addRunFirst' };
      return;
    }
    const id = `sweep${++jobCounter}`;
    const key = this.lab.problemKey;
    const settings = this.state.sweep;
    const optimizers = this.optimizers;
    // A race sweeps its runs, each with its own settings (batch size, epochs, seed, schedule …) but the rate.
    const runs = this.lab.doc.runs;
    this.sweepJob = { id, progress: 0, engines: null };
    this.sweepFailure = null;
    try {
      const axes = sweepAxesOf(settings);
      const spec = { problem, base: settingsOf(base) as RunSettings, optimizers, bases: runs.map((r) => settingsOf(r) as RunSettings), names: runs.map((r) => r.name), ...(axes ? { axes } : {}), lrMin: settings.lrMin, lrMax: settings.lrMax, count: settings.count, tolerance: settings.tolerance };
      const prepare = problem.kind === 'data' ? (engine: EngineClient) => this.lab.prepareHelper(engine) : undefined;
      if (problem.kind === 'data' && this.lab.doc.data.dataset) await this.lab.datasets.ensure(this.lab.doc.data.dataset);
      const started = performance.now();
      const result = await this.lab.pool.sweep(id, spec, { ...this.jobOptions(id), prepare });
      if (key !== this.lab.problemKey) return;
      const saved: SweepResultSaved = {
        lrs: result.lrs,
        ...(result.axes ? { axes: result.axes } : {}),
        series: result.series.map((s, k) => ({ ...s, settings: optimizers[k], finalValue: s.finalValue.map(toJsonNumber) })),
        tolerance: settings.tolerance,
        timing: this.timing(this.sweepJob, started),
      };
      this.set((x) => {
        x.sweep.result = saved as Draft<SweepResultSaved>;
      });
    } catch (error) {
      this.sweepFailure = failureOf(error);
    } finally {
      if (this.sweepJob?.id === id) this.sweepJob = null;
    }
  }

  private timing(job: JobState | null, started: number) {
    return { seconds: (performance.now() - started) / 1000, engines: job?.engines ?? 1 };
  }

  /**
   * Adds the sweep's point as a run: that optimizer, with the settings it was swept with, at that
   * point's values (`index` runs over the first axis fastest).
   */
  openPoint(series: number, index: number): void {
    const result = this.state.sweep.result;
    if (!result) return;
    const s = result.series[series];
    const { name: _name, ...given } = s.settings ?? this.optimizers.find((o) => o.name === s.optimizer) ?? { name: '' };
    const hyper = { ...given } as Record<string, HyperValue>;
    let batchSize: number | null = null;
    let rest = index;
    for (const axis of result.axes ?? [{ param: 'lr', values: result.lrs }]) {
      const value = Number(axis.values[rest % axis.values.length].toPrecision(4));
      rest = Math.floor(rest / axis.values.length);
      const pair = /^(\w+)\.([01])$/.exec(axis.param);
      if (axis.param === 'batchSize') batchSize = Math.max(1, Math.round(value));
      else if (pair) {
        const current = Array.isArray(hyper[pair[1]]) ? [...(hyper[pair[1]] as [number, number])] : [0.9, 0.999];
        current[Number(pair[2])] = value;
        hyper[pair[1]] = current as [number, number];
      } else hyper[axis.param] = value;
    }
    const id = this.lab.runs.add(s.optimizer, hyper);
    if (batchSize !== null) this.lab.runs.update(id, (r) => void (r.batchSize = batchSize));
    this.lab.selectRun(id);
  }

  async runMap(): Promise<void> {
    const run = this.lab.runs.selected;
    const analysis = this.lab.analysis;
    if (!run || !analysis) return;
    const key = this.lab.problemKey;
    const id = `map${++jobCounter}`;
    const { view } = this.lab.doc;
    const { resolution, steps } = this.state.map;
    this.mapJob = { id, progress: 0, engines: null };
    this.mapFailure = null;
    const known = this.lab.formula.testFunction()?.minima?.map((m) => m.point.slice(0, 2) as [number, number]);
    try {
      const optimizer = { name: run.optimizer.name, ...this.lab.runs.hyper(run) };
      const spec = { expr: this.lab.doc.expr, optimizer, x: view.xRange, y: view.yRange, nx: resolution, ny: resolution, steps, ...(known?.length ? { minima: known } : {}) };
      const started = performance.now();
      const map = await this.lab.pool.basinMap(id, spec, this.jobOptions(id));
      if (key !== this.lab.problemKey) return;
      const saved: MapResultSaved = {
        nx: map.nx, ny: map.ny, labels: encodeLabels(map.labels), minima: map.minima, counts: map.counts,
        frame: { x: [...view.xRange], y: [...view.yRange], vars: [analysis.vars[0] ?? 'x', analysis.vars[1] ?? 'y'] },
        optimizer, steps, timing: this.timing(this.mapJob, started),
      };
      this.set((x) => {
        x.map.result = saved as Draft<MapResultSaved>;
      });
    } catch (error) {
      this.mapFailure = failureOf(error);
    } finally {
      if (this.mapJob?.id === id) this.mapJob = null;
    }
  }

  cancel(job: JobState | null): void {
    if (job) this.lab.pool.cancel(job.id);
  }

  async measureGap(): Promise<void> {
    const run = this.lab.runs.selected;
    if (!run) return;
    this.gapFailure = null;
    const key = this.lab.problemKey;
    try {
      const gap = await this.lab.router.request('gradientGap', { runId: run.id, points: 200 });
      if (key !== this.lab.problemKey) return;
      const saved: GapResultSaved = {
        runId: run.id, run: run.name, steps: gap.steps,
        batchNorm: gap.batchNorm.map(toJsonNumber), fullNorm: gap.fullNorm.map(toJsonNumber), noiseNorm: gap.noiseNorm.map(toJsonNumber), angle: gap.angle.map(toJsonNumber),
      };
      this.set((x) => {
        x.gap.result = saved as Draft<GapResultSaved>;
      });
    } catch (error) {
      const message = (error as Error).message;
      this.gapFailure = this.lab.results.has(run.id) ? { text: message } : { key: 'experiments.gap.runFirst', values: { message } };
    }
  }
}
