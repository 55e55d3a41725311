/**
 * The engine's answers for what is on screen, one Query each, asked for by
 * key: the formula's analysis, f at the point, contours, the 1-D curve, the
 * 3-D grid, f at the runs' starts; in data mode the points, the fitted curves
 * or boundaries, class regions, the loss surface, a network's parameters and
 * confusion, the explained update. Questions about a streaming run are paced
 * to a share of the engine's time.
 *
 * A key is what its answer depends on, in two parts: what the view is of (the
 * formula and window, the run and the result it answers) and where it stands
 * (the step, the slice point). A view shows an answer only while the first
 * part is still its own; while a run streams it shows the newest answer for
 * the run until the one for the step catches up. So nothing computed for
 * another formula, window, run or result ever stays on screen.
 */
import { flushSync, untrack } from 'svelte';
import type { Analysis, ContourBand, CurveMetric, Evaluation, FitReport, MetricCurve, Prediction, StepExplanation, Words } from '../../../engine';
import { CLASSIFICATION_CURVES, EngineRequestError } from '../../../engine';
import { lengthRefusal } from '../../../engine/formula/limits';
import type { ClassView } from '../../../engine/host/queries/classes';
import type { Requester } from '../../../engine/host/router';
import type { PlotRange } from '../../../engine/host/queries/plotRange';
import { Query } from './query.svelte';
import type { Lab } from '../state/lab.svelte';
import { datasetKey } from '../state/shape';
import { parsePoint } from '../state/point';
import { fitLayout, pathRange, type FitLayout } from './layout';

export type AnalysisAnswer = Analysis | { error: { message: string; column: number; length: number; words?: Words } };

export interface SurfaceAnswer {
  bands: ContourBand[];
  sampled: boolean;
  rows: number;
  range: { x: [number, number]; y: [number, number] };
}

/** A question: what its answer is of (`of`), where it stands (`at`), and how to ask it. */
interface Wish<T> {
  of: unknown[];
  at?: unknown;
  fetch: () => Promise<T>;
}

const key = (of: unknown[], at?: unknown) => JSON.stringify(at === undefined ? of : [...of, at]);
/** What every key of answers about `of` starts with. */
const prefix = (of: unknown[]) => `${JSON.stringify(of).slice(0, -1)},`;

/** While runs stream, questions about them take at most a fifth of the engine's time; otherwise most of it. */
const STREAMING_SHARE = 0.2;

export class LabViews {
  /** A paced query's share of the engine's time: `streaming` while runs stream, most of it otherwise. */
  private readonly share = (streaming: number) => () => (this.lab.runs.anyRunning ? streaming : 0.8);
  readonly analysis = new Query<AnalysisAnswer>();
  readonly evaluation = new Query<Evaluation & { at: number[] }>();
  readonly contours = new Query<{ bands: ContourBand[] }>({ minMs: 60, share: this.share(STREAMING_SHARE) });
  readonly curve = new Query<{ x: Float64Array; y: Float64Array }>();
  readonly grid = new Query<{ values: Float64Array; nx: number; ny: number }>();
  /** f and ∇f at each run's start, before it runs (the map's first arrows, the curve's first tangents). */
  readonly starts = new Query<Array<Evaluation | null>>();
  readonly columns = new Query<Float64Array[]>();
  readonly fit = new Query<Record<string, Prediction>>({ minMs: 120, share: this.share(STREAMING_SHARE) });
  readonly regions = new Query<ClassView>({ minMs: 120, share: this.share(STREAMING_SHARE) });
  readonly surface = new Query<SurfaceAnswer>({ minMs: 150, share: this.share(STREAMING_SHARE) });
  readonly params = new Query<Prediction>({ minMs: 100, share: this.share(0.15) });
  readonly classes = new Query<ClassView>({ minMs: 150, share: this.share(0.15) });
  /** The selected fit's metrics at the step shown, and its problem's reference optimum. */
  readonly report = new Query<FitReport>({ minMs: 150, share: this.share(0.15) });
  readonly metricCurve = new Query<MetricCurve>({ minMs: 250, share: this.share(0.15) });
  readonly explain = new Query<StepExplanation>({ minMs: 50, share: this.share(STREAMING_SHARE) });
  private rangeAsked: { key: string; answer: Promise<PlotRange | null> } | null = null;

  constructor(private readonly lab: Lab) {}

  /** Where the answer a view shows stands (its key's last part: the step, or the steps of the runs), or null. */
  shownAt(query: Query<unknown>): unknown {
    const k = query.shownKey;
    if (k === null) return null;
    const parts = JSON.parse(k) as unknown[];
    return parts[parts.length - 1];
  }

  /** Every view has the answer it wants (for tests and benches: the screen has caught up with the document). */
  get idle(): boolean {
    return [this.analysis, this.evaluation, this.contours, this.curve, this.grid, this.starts, this.columns, this.fit, this.regions, this.surface, this.params, this.classes, this.explain].every((q) => q.idle);
  }

  private get engine(): Requester {
    return this.lab.router;
  }

  /** The analysis of `expr` (variables, TeX, symbolic gradient), once the engine has given it; null while asked or when it is wrong. */
  analysisOf(expr: string): Analysis | null {
    const a = this.answerFor(expr);
    return a && !('error' in a) ? a : null;
  }

  /** The engine's analysis of `expr`, or what is wrong with it; null while it is asked. */
  answerFor(expr: string): AnalysisAnswer | null {
    return this.analysis.for(key([expr]));
  }

  /** What is wrong with the formula, once the engine has said. */
  get formulaError(): Extract<AnalysisAnswer, { error: unknown }>['error'] | null {
    const a = this.answerFor(this.lab.doc.expr);
    return a && 'error' in a ? a.error : null;
  }

  /** The formula's analysis, or what is wrong with it, asked now. */
  analyzeNow(expr: string): Promise<Analysis | { error: string }> {
    return this.engine.request('analyze', { expr }).catch((error) => ({ error: (error as Error).message }));
  }

  /** Resolves once the engine has answered the analysis of `expr` (or said what is wrong with it), or the formula changed. */
  async analyzed(expr: string): Promise<void> {
    // The effect that asks runs after this task: let it ask first.
    await Promise.resolve();
    flushSync();
    await this.analysis.settle(key([expr]));
  }

  /** f at the point shown: the formula and the point, once it is evaluated there; null otherwise. */
  private evaluationWish(): { key: string; at: number[] } | null {
    const { expr, view } = this.lab.doc;
    const a = this.analysisOf(expr);
    if (!view.evaluated || !a) return null;
    const at = parsePoint(view.point, a.vars.length);
    return 'values' in at ? { key: key([expr, at.values]), at: at.values } : null;
  }

  /** f and ∇f at the point shown, as the engine computed them for the formula shown, or null. */
  get evaluationShown(): (Evaluation & { at: number[] }) | null {
    return this.evaluation.for(this.evaluationWish()?.key ?? null);
  }

  /** The window the engine chooses for the current formula (its critical points), asked once per formula and slice. */
  plotRangeNow(): Promise<PlotRange | null> {
    const { expr, view } = this.lab.doc;
    const n = this.lab.vars.length;
    if (n === 0) return Promise.resolve(null);
    const axes = n === 1 ? [0] : [...view.axes];
    const at = this.sliceAt(false);
    const k = key([expr, axes, at]);
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

  /** The metric the metrics panel follows over the epochs: the document's, or R² or accuracy by the problem. */
  get curveMetric(): CurveMetric | null {
    const d = this.lab.doc.data;
    if (!d.dataset || !d.target) return null;
    // As the engine decides: a classification loss, or a logistic or softmax model whatever its loss.
    const classification = d.loss.name === 'bce' || d.loss.name === 'cross_entropy' || d.model.kind === 'logistic' || d.model.kind === 'softmax';
    const chosen = this.lab.doc.view.metric;
    const fits = chosen && (CLASSIFICATION_CURVES as readonly string[]).includes(chosen) === classification;
    return fits ? chosen : classification ? 'accuracy' : 'r2';
  }

  /** The layout of data mode's fit chart: what it plots and over which window. */
  get layout(): FitLayout | null {
    return fitLayout(this.lab.doc.data, this.columns.shown);
  }

  /** The step a run's views show: the view step, within what the run has taken; null without a result. */
  stepOf(runId: string): number | null {
    const live = this.lab.results.live[runId];
    if (!live || live.status === 'none' || live.status === 'failed') return null;
    const view = this.lab.viewStep;
    return view === null ? live.step : Math.min(view, live.step);
  }

  /** A run's questions: the run and the result it answers, and the step shown. */
  runAt(runId: string | undefined): { id: string; step: number; of: unknown[] } | null {
    if (!runId) return null;
    const step = this.stepOf(runId);
    const result = this.lab.results.keyOf(runId);
    return step === null || result === undefined ? null : { id: runId, step, of: [runId, result] };
  }

  /** Asks, as the screen changes, for what it shows. Called inside the lab's effect root. */
  watch(): void {
    const want = <T>(query: Query<T>, compute: () => Wish<T> | null) => {
      $effect(() => {
        const wish = compute();
        untrack(() => query.want(wish ? key(wish.of, wish.at) : null, wish?.fetch ?? (() => Promise.reject(new Error('nothing asked'))), wish ? { prefix: prefix(wish.of), exact: key(wish.of) } : undefined));
      });
    };
    this.watchFunction(want);
    this.watchData(want);
  }

  private watchFunction(want: <T>(query: Query<T>, compute: () => Wish<T> | null) => void): void {
    const lab = this.lab;
    want(this.analysis, () => {
      const expr = lab.doc.expr;
      return { of: [expr], fetch: () => this.analyze(expr) };
    });
    want(this.evaluation, () => {
      const wish = this.evaluationWish();
      const expr = lab.doc.expr;
      return wish && { of: [expr, wish.at], fetch: async () => ({ ...(await this.engine.request('evaluate', { expr, at: wish.at })), at: wish.at }) };
    });
    const fn = () => (lab.doc.mode === 'function' && lab.analysis ? lab.doc : null);
    want(this.contours, () => {
      const doc = fn();
      if (!doc || lab.vars.length < 2 || doc.view.functionView !== 'contour') return null;
      void lab.results.frame;
      const { expr, view } = doc;
      const at = this.sliceAt(true);
      const req = { expr, axes: view.axes, at, x: view.xRange, y: view.yRange, nx: 120, ny: 120, levels: 18 };
      return { of: [expr, view.axes, view.xRange, view.yRange], at, fetch: () => this.engine.request('contours', req) };
    });
    want(this.grid, () => {
      const doc = fn();
      if (!doc || lab.vars.length < 2 || doc.view.functionView !== 'surface') return null;
      const { expr, view } = doc;
      const at = this.sliceAt(false);
      const req = { expr, axes: view.axes, at, x: view.xRange, y: view.yRange, nx: 81, ny: 81 };
      return { of: [expr, view.axes, view.xRange, view.yRange, at], fetch: () => this.engine.request('grid', req) };
    });
    want(this.curve, () => {
      const doc = fn();
      if (!doc || lab.vars.length !== 1) return null;
      const x = doc.view.xRange;
      return { of: [doc.expr, x], fetch: () => this.engine.request('curve', { expr: doc.expr, axis: 0, at: [0], x, n: 400 }) };
    });
    want(this.starts, () => {
      const doc = fn();
      if (!doc) return null;
      const n = lab.vars.length;
      const starts = doc.runs.map((r) => (r.start.length === n && r.start.every(Number.isFinite) ? r.start : null));
      return { of: [doc.expr, starts], fetch: () => Promise.all(starts.map((at) => (at ? this.engine.request('evaluate', { expr: doc.expr, at }).catch(() => null) : null))) };
    });
  }

  private analyze(expr: string): Promise<AnalysisAnswer> {
    // A formula longer than a request may carry is refused here, in the parser's words.
    const long = lengthRefusal(expr);
    if (long) return Promise.resolve({ error: { ...long, column: 0, length: 1 } });
    return this.engine.request('analyze', { expr }).catch((error) => {
      const info = error instanceof EngineRequestError ? error.info : { message: String(error), column: 0, length: 1, words: undefined };
      return { error: { message: info.message, column: info.column ?? 0, length: info.length ?? 1, words: info.words } };
    });
  }

  private watchData(want: <T>(query: Query<T>, compute: () => Wish<T> | null) => void): void {
    const lab = this.lab;
    const data = () => lab.doc.mode === 'data' && lab.data.summary !== null;
    want(this.columns, () => {
      const d = lab.doc.data;
      const ref = d.dataset;
      const cols = fitLayout(d, null)?.columns;
      if (!data() || !ref || !cols) return null;
      return { of: [datasetKey(ref), cols], fetch: async () => (await lab.datasets.ensure(ref), (await this.engine.request('datasetColumns', { datasetId: 'current', columns: cols, maxRows: 3000 })).columns) };
    });
    want(this.fit, () => (data() ? this.fitWish() : null));
    want(this.regions, () => {
      const layout = this.layout;
      const r = this.runAt(lab.runs.selected?.id);
      if (!data() || !layout || (layout.mode !== 'regions' && layout.mode !== 'boundary') || !layout.points || !r) return null;
      const req = { runId: r.id, step: r.step, x: layout.x, y: layout.y, nx: 120, ny: 90, points: 3000 };
      return { of: [...r.of, layout.x, layout.y], at: r.step, fetch: () => this.engine.request('classView', req) };
    });
    want(this.surface, () => {
      const run = lab.runs.selected;
      const r = this.runAt(run?.id);
      const info = run ? lab.results.info[run.id] : undefined;
      if (!data() || !r || !info) return null;
      if (lab.doc.data.model.kind === 'mlp') {
        const range = { x: [-1, 1] as [number, number], y: [-1, 1] as [number, number] };
        return { of: ['network', ...r.of], at: r.step, fetch: async () => ({ ...(await this.engine.request('networkSurface', { runId: r.id, step: r.step, seed: 1, span: 1, nx: 31, ny: 31, levels: 16 })), range }) };
      }
      if (info.paramLabels.length < 2) return null;
      void lab.results.frame;
      const axes = lab.doc.view.surfaceAxes;
      const state = lab.results.stateAt(r.id, r.step);
      if (!state) return null;
      const range = pathRange(lab.doc.runs.map((s) => ({ trace: lab.results.traces.get(s.id), escaped: ['diverged', 'undefined', 'unbounded'].includes(lab.results.live[s.id]?.status ?? '') })), axes);
      const req = { runId: r.id, axes, at: state.params, x: range.x, y: range.y, nx: 60, ny: 60, levels: 16 };
      return { of: [...r.of, axes], at: [r.step, range], fetch: async () => ({ ...(await this.engine.request('lossSurface', req)), range }) };
    });
    want(this.params, () => {
      const r = data() ? this.runAt(lab.runs.selected?.id) : null;
      return r && { of: r.of, at: r.step, fetch: () => this.engine.request('predict', { runId: r.id, step: r.step, paramsOnly: true }) };
    });
    want(this.classes, () => {
      const d = lab.doc.data;
      const r = data() && d.model.kind === 'mlp' && (d.loss.name === 'bce' || d.loss.name === 'cross_entropy') ? this.runAt(lab.runs.selected?.id) : null;
      return r && { of: r.of, at: r.step, fetch: () => this.engine.request('classView', { runId: r.id, step: r.step, x: [0, 1], y: [0, 1], nx: 2, ny: 2, points: 0 }) };
    });
    want(this.report, () => {
      const r = data() ? this.runAt(lab.runs.selected?.id) : null;
      return r && { of: r.of, at: r.step, fetch: () => this.engine.request('fitReport', { runId: r.id, step: r.step }) };
    });
    want(this.metricCurve, () => {
      const r = data() ? this.runAt(lab.runs.selected?.id) : null;
      const metric = this.curveMetric;
      // Every epoch the run has taken so far, whatever step is shown: asked again as it goes on.
      const last = r ? this.lab.results.live[r.id]?.step : undefined;
      return r && metric && { of: [...r.of, metric], at: last, fetch: () => this.engine.request('metricCurve', { runId: r.id, metric, points: 200 }) };
    });
    want(this.explain, () => {
      const r = this.runAt(lab.runs.selected?.id);
      return r && r.step > 0 ? { of: r.of, at: r.step, fetch: () => this.engine.request('explainStep', { runId: r.id, step: r.step }) } : null;
    });
  }

  /** The fitted curves (every run's, over the chart's window), boundaries (parameters) or predicted against actual (the selected run's). */
  private fitWish(): Wish<Record<string, Prediction>> | null {
    const layout = this.layout;
    if (!layout || layout.mode === 'regions' || (layout.mode !== 'parity' && !layout.points)) return null;
    const lab = this.lab;
    const runs = (layout.mode === 'parity' ? lab.doc.runs.filter((r) => r.id === lab.runs.selected?.id) : lab.doc.runs).map((r) => this.runAt(r.id)).filter((r) => r !== null);
    if (!runs.length) return null;
    const grid = Array.from({ length: 200 }, (_, i) => layout.x[0] + ((layout.x[1] - layout.x[0]) * i) / 199);
    const request = (id: string, step: number) =>
      layout.mode === 'curve' ? { runId: id, step, x: grid } : layout.mode === 'boundary' ? { runId: id, step, paramsOnly: true } : { runId: id, step, rows: 3000 };
    return {
      of: [layout.mode, layout.x, runs.map((r) => r.of)],
      at: runs.map((r) => r.step),
      fetch: async () => Object.fromEntries(await Promise.all(runs.map(async (r) => [r.id, await this.engine.request('predict', request(r.id, r.step))] as const))),
    };
  }
}
