/**
 * The function being studied: its text, the engine's analysis of it (variables,
 * TeX, symbolic gradient), an evaluation at a point, and the view over it (plot
 * ranges, the two variables a contour slice shows). Every engine reply is
 * tagged with the text it was computed for, and only shown while that text is
 * still the formula: nothing computed for an earlier formula stays on screen.
 */
import type { Analysis, Catalog, EngineClient, Replies, RequestInput, Words } from '../../../../engine';
import { EngineRequestError } from '../../../../engine';
import { t } from '../i18n.svelte';
import { wordsText } from '../engineText';

export interface FormulaErrorView {
  message: string;
  column: number;
  length: number;
}

export interface EvaluationView {
  /** The formula and point it was computed for. */
  formula: string;
  at: number[];
  value: number;
  gradient: number[];
  /** Why f or its gradient has no finite value there. */
  undefined?: string;
  /** `undefined` as the engine's words, for the interface's languages. */
  undefinedWords?: Words;
}

/** A comma- or space-separated list of numbers, or the reason it is not one. */
export function parsePoint(text: string, count: number | null): { values: number[] } | { error: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return { error: t('function.point.empty') };
  const bad = parts.find((p) => !Number.isFinite(Number(p)));
  if (bad !== undefined) return { error: t('function.point.notNumber', { bad }) };
  if (count !== null && parts.length !== count)
    return { error: parts.length === 1 ? t('function.point.oneValue', { count }) : t('function.point.values', { values: parts.length, count }) };
  return { values: parts.map(Number) };
}

export class FormulaModel {
  text = $state('(1 - x)^2 + 100*(y - x^2)^2');
  /** The analysis of `analyzedText`, which may lag `text` while the engine works. */
  private result = $state.raw<{ text: string; analysis: Analysis } | { text: string; error: FormulaErrorView & { words?: Words } } | null>(null);
  pointText = $state('1, 1');
  private evaluationResult = $state.raw<EvaluationView | null>(null);
  xRange = $state<[number, number]>([-2, 2]);
  yRange = $state<[number, number]>([-1, 3]);
  axes = $state<[number, number]>([0, 1]);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;
  private evalSeq = 0;

  constructor(
    private readonly engine: () => EngineClient,
    private readonly catalog: () => Catalog | null,
  ) {}

  /** The analysis of the current text (null while it is being analyzed or when it is invalid). */
  get analysis(): Analysis | null {
    const r = this.result;
    return r && r.text === this.text && 'analysis' in r ? r.analysis : null;
  }

  /** What is wrong with the current text, once the engine has said: in the current language when the engine gave it as words. */
  get error(): FormulaErrorView | null {
    const r = this.result;
    if (!r || r.text !== this.text || !('error' in r)) return null;
    const { words, ...view } = r.error;
    // Without a place (column 0) the engine's own sentence says it better.
    const worded = words && Number(words.values.column ?? 1) > 0 ? wordsText('function.error', words) : null;
    return worded === null ? view : { ...view, message: worded };
  }

  get vars(): string[] {
    return this.analysis?.vars ?? [];
  }

  /** The evaluation of the current formula at the current point, or null. */
  get evaluation(): EvaluationView | null {
    const e = this.evaluationResult;
    const at = parsePoint(this.pointText, this.analysis?.vars.length ?? null);
    if (!e || e.formula !== this.text || !('values' in at) || at.values.join() !== e.at.join()) return null;
    return e;
  }

  /** The point field's problem as typed, or null. */
  get pointError(): string | null {
    if (!this.analysis) return null;
    const p = parsePoint(this.pointText, this.analysis.vars.length);
    return 'error' in p ? p.error : null;
  }

  setText(text: string): void {
    this.text = text;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.analyze(), 120);
  }

  /** Analyzes the current text now; then re-evaluates at the point, when it still fits the variables. */
  async analyze(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const text = this.text;
    const seq = ++this.seq;
    const previous = this.vars.join(',');
    try {
      const analysis = await this.engine().request('analyze', { expr: text });
      if (seq !== this.seq) return;
      this.result = { text, analysis };
      if (analysis.vars.join(',') !== previous) {
        const n = analysis.vars.length;
        this.axes = [0, Math.min(1, Math.max(0, n - 1))];
        if (!('values' in parsePoint(this.pointText, n))) this.pointText = new Array(n).fill(1).join(', ');
      }
      if (this.evaluationResult) await this.evaluate();
    } catch (error) {
      if (seq !== this.seq) return;
      const info = error instanceof EngineRequestError ? error.info : { message: String(error), column: 0, length: 1 };
      this.result = { text, error: { message: info.message, column: info.column ?? 0, length: info.length ?? 1, words: 'words' in info ? info.words : undefined } };
    }
  }

  setPoint(text: string): void {
    this.pointText = text;
  }

  /** Forgets the evaluation shown (one still on its way is dropped too). */
  clearEvaluation(): void {
    this.evalSeq++;
    this.evaluationResult = null;
  }

  /** f and ∇f at the point, as the engine computes them for the current formula. */
  async evaluate(): Promise<void> {
    const analysis = this.analysis;
    if (!analysis) return;
    const at = parsePoint(this.pointText, analysis.vars.length);
    if (!('values' in at)) return;
    const formula = this.text;
    const seq = ++this.evalSeq;
    try {
      const r = await this.engine().request('evaluate', { expr: formula, at: at.values });
      if (seq === this.evalSeq) this.evaluationResult = { formula, at: at.values, ...r };
    } catch (error) {
      if (seq === this.evalSeq) this.evaluationResult = { formula, at: at.values, value: NaN, gradient: [], undefined: (error as Error).message };
    }
  }

  /**
   * Asks the engine about the current formula; resolves null when the formula changed meanwhile (the
   * reply belongs to a formula no longer shown) or the engine refused.
   */
  async ask<K extends 'contours' | 'curve' | 'evaluate' | 'grid'>(type: K, input: Omit<RequestInput<K>, 'expr'>): Promise<Replies[K] | null> {
    const expr = this.text;
    if (!this.analysis) return null;
    try {
      const reply = await this.engine().request(type, { ...input, expr } as RequestInput<K>);
      return expr === this.text ? reply : null;
    } catch {
      return null;
    }
  }

  /** Loads a built-in test function with its plot range; returns its start point. */
  applyPreset(id: string): number[] | null {
    const fn = this.catalog()?.testFunctions.find((f) => f.id === id);
    if (!fn) return null;
    this.text = fn.expr;
    this.xRange = [...fn.range[0]] as [number, number];
    if (fn.range[1]) this.yRange = [...fn.range[1]] as [number, number];
    this.pointText = fn.start.map(() => 1).join(', ');
    void this.analyze();
    return [...fn.start];
  }

  /** The test function the formula is, if it is one. */
  get testFunction() {
    return this.catalog()?.testFunctions.find((f) => f.expr === this.text) ?? null;
  }

  /** Where runs start by default: the test function's start, or 0.5 in every variable. */
  defaultStart(): number[] {
    const fn = this.testFunction;
    if (fn) return [...fn.start];
    return new Array(this.analysis?.vars.length ?? 2).fill(0.5);
  }
}
