/**
 * The engine's answers for what is on screen, one Query each, asked for by
 * key: the formula's analysis, f at the point, contours, the 1-D curve, the
 * 3-D grid; in data mode the points, the fitted curves or boundaries, the loss
 * surface, a network's parameters and confusion, the explained update. Each
 * key names what its answer depends on (the problem, the run and the result it
 * answers, the step), so a view never shows an answer for anything else.
 * Questions about a streaming run are paced to a share of the engine's time.
 */
import { untrack } from 'svelte';
import type { Analysis, ContourBand, Evaluation, Prediction, StepExplanation, Words } from '../../../engine';
import { EngineRequestError } from '../../../engine';
import type { ClassView } from '../../../engine/host/queries/classes';
import type { Requester } from '../../../engine/host/router';
import type { PlotRange } from '../../../engine/host/queries/plotRange';
import { Query } from './query.svelte';
import type { Lab } from '../state/lab.svelte';
import { datasetKey } from '../state/shape';
import { parsePoint } from '../state/point';
import { fitLayout, pathRange, type FitLayout } from './layout';

export type AnalysisAnswer = Analysis | { error: { message: string; column: number; length: number; words?: Words } };

const key = (...parts: unknown[]) => JSON.stringify(parts);

/** While runs stream, questions about them take at most a fifth of the engine's time; otherwise most of it. */
const STREAMING_SHARE = 0.2;

export interface SurfaceAnswer {
  bands: ContourBand[];
  sampled: boolean;
  rows: number;
  range: { x: [number, number]; y: [number, number] };
}

export class LabViews {
  /** A paced query's share of the engine's time: `streaming` while runs stream, most of it otherwise. */
  private readonly share = (streaming: number) => () => (this.lab.runs.anyRunning ? streaming : 0.8);
  readonly analysis = new Query<AnalysisAnswer>();
  readonly evaluation = new Query<Evaluation & { at: number[] }>();
  readonly contours = new Query<{ bands: ContourBand[] }>({ minMs: 60, share: this.share(STREAMING_SHARE) });
  readonly curve = new Query<{ x: Float64Array; y: Float64Array }>();
  readonly grid = new Query<{ values: Float64Array; nx: number; ny: number }>();
  readonly columns = new Query<Float64Array[]>();
  readonly fit = new Query<Record<string, Prediction>>({ minMs: 120, share: this.share(STREAMING_SHARE) });
  readonly regions = new Query<ClassView>({ minMs: 120, share: this.share(STREAMING_SHARE) });
  readonly surface = new Query<SurfaceAnswer>({ minMs: 150, share: this.share(STREAMING_SHARE) });
  readonly params = new Query<Prediction>({ minMs: 100, share: this.share(0.15) });
  readonly classes = new Query<ClassView>({ minMs: 150, share: this.share(0.15) });
  readonly explain = new Query<StepExplanation>({ minMs: 50, share: this.share(STREAMING_SHARE) });
  private rangeAsked: { key: string; answer: Promise<PlotRange | null> } | null = null;

  constructor(private readonly lab: Lab) {}

  private get engine(): Requester {
    return this.lab.router;
  }

  /** The analysis of `expr` (variables, TeX, symbolic gradient), once the engine has given it; null while asked or when it is wrong. */
  analysisOf(expr: string): Analysis | null {
    const a = this.analysis.for(expr);
    return a && !('error' in a) ? a : null;
  }

  /** What is wrong with the formula, once the engine has said. */
  get formulaError(): Extract<AnalysisAnswer, { error: unknown }>['error'] | null {
    const a = this.analysis.for(this.lab.doc.expr);
    return a && 'error' in a ? a.error : null;
  }

  /** The formula's analysis (variables, TeX, symbolic gradient), or its error; asked now. */
  analyzeNow(expr: string): Promise<Analysis | { error: string }> {
    return this.engine.request('analyze', { expr }).catch((error) => ({ error: (error as Error).message }));
  }

  private analyze(expr: string): Promise<AnalysisAnswer> {
    return this.engine.request('analyze', { expr }).catch((error) => {
      const info = error instanceof EngineRequestError ? error.info : { message: String(error), column: 0, length: 1, words: undefined };
      return { error: { message: info.message, column: info.column ?? 0, length: info.length ?? 1, words: info.words } };
    });
  }

  /** The window the engine chooses for the current formula (its critical points), asked once per formula and slice. */
  plotRangeNow(): Promise<PlotRange | null> {
    const { expr, view } = this.lab.doc;
    const n = this.lab.vars.length;
    if (n === 0) return Promise.resolve(null);
    const axes = n === 1 ? [0] : [...view.axes];
    const at = this.sliceAt(false);
    const k = key(expr, axes, at);
    if (this.rangeAsked?.key !== k) this.rangeAsked = { key: k, answer: this.engine.request('plotRange', { expr, axes, at }).catch(() => null) };
    return this.rangeAsked.answer;
  }

  /**
   * Where a slice of three or more variables passes: the selected run's point at the view step
   * (`moving`), or its start; every other variable 0 for two.
   */
  sliceAt(moving: boolean): number[] {
    const n = this.lab.vars.length;
    if (n <= 2) return new Array(n).fill(0);
    const run = this.lab.runs.selected;
    const state = moving && run ? this.lab.results.stateAt(run.id, this.lab.viewStep) : null;
    return state?.params ?? (run && run.start.length === n ? [...run.start] : new Array(n).fill(0));
  }

  /** The layout of data mode's fit chart: what it plots and over which window. */
  get layout(): FitLayout | null {
    return fitLayout(this.lab.doc.data, this.columns.for(this.columnsKey()));
  }

  private columnsKey(): string | null {
    const d = this.lab.doc.data;
    const cols = fitLayout(d, null)?.columns;
    return this.lab.doc.mode === 'data' && d.dataset && cols && this.lab.data.summary ? key(datasetKey(d.dataset), cols) : null;
  }

  /** The step a run's views show: the view step, within what the run has taken. */
  stepOf(runId: string): number | null {
    const live = this.lab.results.live[runId];
    if (!live || live.status === 'none' || live.status === 'failed') return null;
    const view = this.lab.viewStep;
    return view === null ? live.step : Math.min(view, live.step);
  }

  /** Keys of a run's step questions: the run, the result it answers, the step. */
  runKey(runId: string | undefined): { id: string; step: number; key: string } | null {
    if (!runId) return null;
    const step = this.stepOf(runId);
    const result = this.lab.results.keyOf(runId);
    return step === null || result === undefined ? null : { id: runId, step, key: key(runId, result, step) };
  }

  /** Asks, as the screen changes, for what it shows. Called inside the lab's effect root. */
  watch(): void {
    const lab = this.lab;
    const want = <T>(query: Query<T>, compute: () => { key: string; fetch: () => Promise<T> } | null) =>
      $effect(() => {
        const wish = compute();
        untrack(() => query.want(wish?.key ?? null, wish?.fetch ?? (() => Promise.reject(new Error('nothing asked')))));
      });

    want(this.analysis, () => {
      const expr = lab.doc.expr;
      return { key: expr, fetch: () => this.analyze(expr) };
    });

    want(this.evaluation, () => {
      const { expr, view } = lab.doc;
      const a = this.analysisOf(expr);
      if (!view.evaluated || !a) return null;
      const at = parsePoint(view.point, a.vars.length);
      if (!('values' in at)) return null;
      return { key: key(expr, at.values), fetch: async () => ({ ...(await this.engine.request('evaluate', { expr, at: at.values })), at: at.values }) };
    });

    const fn = () => (lab.doc.mode === 'function' && lab.analysis ? lab.doc : null);
    want(this.contours, () => {
      const doc = fn();
      if (!doc || lab.vars.length < 2 || doc.view.functionView !== 'contour') return null;
      void lab.results.frame;
      const { expr, view } = doc;
      const at = this.sliceAt(true);
      const req = { expr, axes: view.axes, at, x: view.xRange, y: view.yRange, nx: 120, ny: 120, levels: 18 };
      return { key: key(expr, view.axes, at, view.xRange, view.yRange), fetch: () => this.engine.request('contours', req) };
    });

    want(this.grid, () => {
      const doc = fn();
      if (!doc || lab.vars.length < 2 || doc.view.functionView !== 'surface') return null;
      const { expr, view } = doc;
      const at = this.sliceAt(false);
      const req = { expr, axes: view.axes, at, x: view.xRange, y: view.yRange, nx: 81, ny: 81 };
      return { key: key(expr, view.axes, at, view.xRange, view.yRange), fetch: () => this.engine.request('grid', req) };
    });

    want(this.curve, () => {
      const doc = fn();
      if (!doc || lab.vars.length !== 1) return null;
      const x = doc.view.xRange;
      return { key: key(doc.expr, x), fetch: () => this.engine.request('curve', { expr: doc.expr, axis: 0, at: [0], x, n: 400 }) };
    });

    want(this.columns, () => {
      const k = this.columnsKey();
      const ref = lab.doc.data.dataset;
      const cols = fitLayout(lab.doc.data, null)?.columns;
      if (!k || !ref || !cols) return null;
      return { key: k, fetch: async () => (await lab.datasets.ensure(ref), (await this.engine.request('datasetColumns', { datasetId: 'current', columns: cols, maxRows: 3000 })).columns) };
    });

    want(this.fit, () => this.fitWish());
    want(this.regions, () => {
      const layout = this.layout;
      const run = this.runKey(lab.runs.selected?.id);
      if (!layout || layout.mode !== 'regions' || !run) return null;
      const req = { runId: run.id, step: run.step, x: layout.x, y: layout.y, nx: 120, ny: 90, points: 3000 };
      return { key: key(run.key, layout.x, layout.y), fetch: () => this.engine.request('classView', req) };
    });

    want(this.surface, () => {
      if (lab.doc.mode !== 'data') return null;
      const run = lab.runs.selected;
      const r = this.runKey(run?.id);
      const info = run ? lab.results.info[run.id] : undefined;
      if (!run || !r || !info) return null;
      if (lab.doc.data.model.kind === 'mlp') {
        const range = { x: [-1, 1] as [number, number], y: [-1, 1] as [number, number] };
        return { key: key('network', r.key), fetch: async () => ({ ...(await this.engine.request('networkSurface', { runId: r.id, step: r.step, seed: 1, span: 1, nx: 31, ny: 31, levels: 16 })), range }) };
      }
      if (info.paramLabels.length < 2) return null;
      void lab.results.frame;
      const axes = lab.doc.view.surfaceAxes;
      const state = lab.results.stateAt(r.id, r.step);
      if (!state) return null;
      const range = pathRange(lab.doc.runs.map((s) => ({ trace: lab.results.traces.get(s.id), escaped: ['diverged', 'undefined', 'unbounded'].includes(lab.results.live[s.id]?.status ?? '') })), axes);
      const req = { runId: r.id, axes, at: state.params, x: range.x, y: range.y, nx: 60, ny: 60, levels: 16 };
      return { key: key(r.key, axes, range), fetch: async () => ({ ...(await this.engine.request('lossSurface', req)), range }) };
    });

    want(this.params, () => {
      const r = lab.doc.mode === 'data' ? this.runKey(lab.runs.selected?.id) : null;
      return r && { key: r.key, fetch: () => this.engine.request('predict', { runId: r.id, step: r.step, paramsOnly: true }) };
    });

    want(this.classes, () => {
      const d = lab.doc.data;
      const r = lab.doc.mode === 'data' && d.model.kind === 'mlp' && (d.loss.name === 'bce' || d.loss.name === 'cross_entropy') ? this.runKey(lab.runs.selected?.id) : null;
      return r && { key: r.key, fetch: () => this.engine.request('classView', { runId: r.id, step: r.step, x: [0, 1], y: [0, 1], nx: 2, ny: 2, points: 0 }) };
    });

    want(this.explain, () => {
      const r = this.runKey(lab.runs.selected?.id);
      return r && r.step > 0 ? { key: r.key, fetch: () => this.engine.request('explainStep', { runId: r.id, step: r.step }) } : null;
    });
  }

  /** The fitted curves (every run's, over the chart's window), boundaries (parameters) or predicted against actual (the selected run's). */
  private fitWish(): { key: string; fetch: () => Promise<Record<string, Prediction>> } | null {
    const layout = this.layout;
    if (!layout || layout.mode === 'regions') return null;
    const lab = this.lab;
    const runs = (layout.mode === 'parity' ? lab.doc.runs.filter((r) => r.id === lab.runs.selected?.id) : lab.doc.runs).map((r) => this.runKey(r.id)).filter((r) => r !== null);
    if (!runs.length) return null;
    const grid = Array.from({ length: 200 }, (_, i) => layout.x[0] + ((layout.x[1] - layout.x[0]) * i) / 199);
    const request = (id: string, step: number) =>
      layout.mode === 'curve' ? { runId: id, step, x: grid } : layout.mode === 'boundary' ? { runId: id, step, paramsOnly: true } : { runId: id, step, rows: 3000 };
    return {
      key: key(layout.mode, layout.x, runs.map((r) => r.key)),
      fetch: async () => Object.fromEntries(await Promise.all(runs.map(async (r) => [r.id, await this.engine.request('predict', request(r.id, r.step))] as const))),
    };
  }
}
