/**
 * The formula and its window: typing a formula (one undo step per burst of
 * typing), the built-in test functions, the tutorial's examples, the point f
 * is evaluated at, the plot range (zoom, Reset view) and the two variables a
 * map slices through. A new formula brings its own window with it: its test
 * function's, or the one the engine chooses around its critical points.
 */
import { untrack } from 'svelte';
import type { Draft } from 'immer';
import type { SessionView } from '../../../engine';
import type { Lab } from './lab.svelte';
import { parsePoint } from './point';

export class FormulaControl {
  constructor(private readonly lab: Lab) {}


  /** A new formula: typing edits one undo step, and the plot range follows it (see followFormula). */
  setExpr(text: string): void {
    this.lab.edit((d) => {
      d.expr = text;
    }, { group: 'formula' });
  }

  /** The test function the formula is, if it is one. */
  testFunction(expr = this.lab.doc.expr) {
    return this.lab.catalog?.testFunctions.find((f) => f.expr === expr) ?? null;
  }

  /** Where runs start by default: the test function's start, or 0.5 in every variable. */
  defaultStart(expr = this.lab.doc.expr): number[] {
    const fn = this.testFunction(expr);
    if (fn) return [...fn.start];
    const n = this.lab.views.analysisOf(expr)?.vars.length ?? 2;
    return new Array(n).fill(0.5);
  }

  /** A built-in test function, with its range, and every run starting at its start point. */
  applyPreset(id: string): void {
    const fn = this.lab.catalog?.testFunctions.find((f) => f.id === id);
    if (!fn) return;
    this.lab.edit((d) => {
      d.expr = fn.expr;
      setRanges(d.view, fn.range[0] as [number, number], (fn.range[1] ?? fn.range[0]) as [number, number], fn.expr);
      d.view.point = fn.start.map(() => 1).join(', ');
      for (const run of d.runs) run.start = [...fn.start];
    });
  }

  /** Sets the formula and its point and evaluates there: the tutorial's examples. */
  showExample(expr: string, at: string): void {
    this.lab.edit((d) => {
      d.expr = expr;
      d.view.point = at;
      d.view.evaluated = true;
    });
  }

  setPoint(text: string): void {
    this.lab.edit((d) => {
      d.view.point = text;
    }, { group: 'point' });
  }

  /** Shows f and ∇f at the point typed (the views ask the engine). */
  evaluate(): void {
    this.lab.edit((d) => {
      d.view.evaluated = true;
    });
  }

  setRange(axis: 'x' | 'y', range: [number, number]): void {
    this.lab.edit((d) => {
      if (axis === 'x') d.view.xRange = range;
      else d.view.yRange = range;
    });
  }

  /** Zooms the map to a dragged rectangle. */
  zoom(x: [number, number], y: [number, number]): void {
    this.lab.edit((d) => {
      d.view.xRange = x;
      d.view.yRange = y;
    });
  }

  /** Back to the formula's own window: its test function's, or the one the engine chose; start points stay. */
  async resetView(): Promise<void> {
    const expr = this.lab.doc.expr;
    const fn = this.testFunction(expr);
    const range = fn ? { x: fn.range[0] as [number, number], y: (fn.range[1] ?? fn.range[0]) as [number, number] } : await this.lab.views.plotRangeNow();
    if (!range || this.lab.doc.expr !== expr) return;
    this.lab.edit((d) => setRanges(d.view, range.x, range.y ?? d.view.yRange, expr));
  }

  /** The two variables a contour map or surface of three or more variables slices through. */
  setAxes(axes: [number, number]): void {
    this.lab.edit((d) => {
      d.view.axes = axes;
    });
  }

  /**
   * What a new formula brings with it, merged into its edit's undo step: run starts and the point
   * with as many values as it has variables, the slice's axes, and a plot range around its critical
   * points (a test function's own, else the engine's choice).
   */
  watch(): void {
    /** The formula last seen, and in which document (an opened session is not a formula typed). */
    let seen: { generation: number; expr: string } | null = null;
    $effect(() => {
      const expr = this.lab.doc.expr;
      const analysis = this.lab.views.analysisOf(expr);
      if (!analysis) return;
      const n = analysis.vars.length;
      const generation = this.lab.document.generation;
      const typed = seen !== null && seen.generation === generation && seen.expr !== expr;
      seen = { generation, expr };
      untrack(() => {
        this.lab.edit((d) => {
          for (const run of d.runs) if (d.mode === 'function' && run.start.length !== n) run.start = this.defaultStart(expr);
          if (!('values' in parsePoint(d.view.point, n))) d.view.point = new Array(n).fill(1).join(', ');
          // A map slices through two different variables (a curve of one needs none).
          if (n >= 2 && (d.view.axes[0] >= n || d.view.axes[1] >= n || d.view.axes[0] === d.view.axes[1])) d.view.axes = [0, 1];
        }, { merge: true });
        // A document's own range stays when it opens: one the person chose (rangeFor null) or chose for
        // this formula. A formula typed gets its window; so does one whose window was still coming.
        const rangeFor = this.lab.doc.view.rangeFor;
        if (rangeFor === expr || (!typed && rangeFor === null)) return;
        const fn = this.testFunction(expr);
        if (fn) {
          this.lab.edit((d) => setRanges(d.view, fn.range[0] as [number, number], (fn.range[1] ?? fn.range[0]) as [number, number], expr), { merge: true });
          return;
        }
        void this.lab.views.plotRangeNow().then((range) => {
          if (!range || this.lab.doc.expr !== expr || this.lab.doc.view.rangeFor === expr) return;
          this.lab.edit((d) => setRanges(d.view, range.x, range.y ?? d.view.yRange, expr), { merge: true });
        });
      });
    });
  }
}

/** Sets a formula's plot range, chosen for `expr` (a new formula gets its own; a zoom keeps it). */
function setRanges(view: Draft<SessionView>, x: [number, number], y: [number, number], expr: string): void {
  view.xRange = [...x];
  view.yRange = [...y];
  view.rangeFor = expr;
}
