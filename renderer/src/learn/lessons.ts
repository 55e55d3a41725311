/**
 * The lessons of Learn mode. Each sets up the real lab (a formula or a dataset, its runs), asks the
 * learner to do one thing in it, and checks that thing from the lab's state: a step taken, an
 * evaluation made, runs finished, a slider moved until the loss is small. What a lesson then says
 * quotes the engine's numbers for the state the learner reached (`Done.values`); its words are the
 * `learn.lessons.<id>` texts of the current language.
 */
import type { HyperValue } from '../../../engine';
import type { Lab } from '../state/lab.svelte';
import { isFinished } from '../state/results.svelte';
import { formatList, showVector } from '../i18n/i18n.svelte';

/** What a finished task says: its values, numbers from the engine (formatted for the language when shown) or text. */
export interface Done {
  values: Record<string, number | string>;
  /** Which of the lesson's result texts says it: `done` unless given. */
  text?: 'done' | 'converged' | 'ended';
}

export interface Lesson {
  id: LessonId;
  /** Puts the lab in the lesson's starting state. */
  setup(lab: Lab): Promise<void>;
  /** The task's result, once the lab's state shows it was done; null until then. */
  check(lab: Lab): Done | null;
  /** A control of the lesson's own, beside the lab's (lesson 1's two sliders). */
  widget?: 'lineByHand';
}

export type LessonId = 'loss' | 'sign' | 'loop' | 'gradient' | 'rate' | 'valley' | 'batch' | 'momentum' | 'yours';

/** Lesson 1's data: four points, and the mean squared error of the line y = w·x + b through them, as a formula. */
export const LINE_POINTS: ReadonlyArray<readonly [number, number]> = [[0, 1.1], [1, 2.9], [2, 5.2], [3, 6.8]];
export const LINE_LOSS = `(${LINE_POINTS.map(([x, y]) => `(w*${x} + b - ${y})^2`).join(' + ')}) / ${LINE_POINTS.length}`;
/** A line whose loss is below this is a good fit by hand (the best line's is 0.0205). */
export const LINE_GOOD = 0.1;

/** The line (w, b) the engine last evaluated lesson 1's loss at, and that loss; null while none is shown. */
export function lineAt(lab: Lab): { w: number; b: number; loss: number } | null {
  const vars = lab.analysis?.vars;
  const e = lab.views.evaluationShown;
  if (!vars || !e || lab.doc.expr !== LINE_LOSS) return null;
  return { w: e.at[vars.indexOf('w')], b: e.at[vars.indexOf('b')], loss: e.value };
}

const SIGN = '5*x^2';
const GRADIENT = '2x^2 + 6z^2 + 7m^3';
const VALLEY = 'x^2 + 25*y^2';
const RAVINE = '0.5*x^2 + 50*y^2';

/** The formulas the lessons set: lesson 8 asks for one that is none of them. */
export const LESSON_FORMULAS = [LINE_LOSS, SIGN, GRADIENT, VALLEY, RAVINE];

interface RunPlan {
  optimizer: string;
  hyper?: Record<string, HyperValue>;
  start?: number[];
  stop?: Record<string, number | boolean>;
  batchSize?: number | 'full';
  epochs?: number;
  seed?: number;
  shuffle?: boolean;
}

/** Replaces the lab's runs by the lesson's, in order. */
function plan(lab: Lab, runs: RunPlan[]): void {
  lab.edit((d) => {
    d.runs = [];
    d.view.selectedRun = null;
    d.view.replayStep = null;
  });
  for (const p of runs) {
    const id = lab.runs.add(p.optimizer, p.hyper ?? {}, p.start);
    lab.runs.update(id, (run) => {
      if (p.stop) run.stop = { ...p.stop };
      if (p.batchSize !== undefined) run.batchSize = p.batchSize;
      if (p.epochs !== undefined) run.epochs = p.epochs;
      if (p.seed !== undefined) run.seed = p.seed;
      if (p.shuffle !== undefined) run.shuffle = p.shuffle;
    });
  }
}

async function useFormula(lab: Lab, expr: string, ranges: { x: [number, number]; y?: [number, number] }, point: string): Promise<void> {
  lab.setMode('function');
  lab.edit((d) => {
    d.expr = expr;
    d.view.xRange = ranges.x;
    if (ranges.y) d.view.yRange = ranges.y;
    d.view.rangeFor = expr;
    d.view.axes = [0, 1];
    d.view.point = point;
    // An evaluation made before the lesson is not the learner's answer to it.
    d.view.evaluated = false;
  });
  await lab.views.analyzed(expr);
}

/** Three SGD runs from one start at a small, a good and a too large learning rate. */
function threeRates(lab: Lab, rates: [number, number, number], start: number[]): void {
  const stop = { maxSteps: 2000, gradTol: 1e-8 };
  plan(lab, rates.map((lr) => ({ optimizer: 'sgd', hyper: { lr }, start, stop })));
}

/** The three runs of `threeRates`, once all have finished and the largest rate has diverged. */
function rated(lab: Lab) {
  const live = finished(lab, 3);
  return live && live[2].status === 'diverged' ? live : null;
}

/** The runs of the lesson, live, once every one has finished (null before). */
function finished(lab: Lab, count: number) {
  const runs = lab.doc.runs;
  if (runs.length !== count) return null;
  const live = runs.map((r) => lab.results.live[r.id]);
  return live.every((l) => l && isFinished(l.status)) ? live : null;
}

/** The evaluation shown, when it is of `expr` at `at`. */
function evaluationAt(lab: Lab, expr: string, at: number[]) {
  const e = lab.views.evaluationShown;
  return e && lab.doc.expr === expr && e.at.length === at.length && e.at.every((v, i) => v === at[i]) ? e : null;
}

export const LESSONS: readonly Lesson[] = [
  {
    id: 'loss',
    widget: 'lineByHand',
    async setup(lab) {
      await useFormula(lab, LINE_LOSS, { x: [-1, 5], y: [-2, 4] }, '0.5, 0');
      plan(lab, [{ optimizer: 'sgd', hyper: { lr: 0.05 }, start: [0.5, 0], stop: { maxSteps: 2000, gradTol: 1e-6 } }]);
      lab.formula.evaluate();
    },
    check(lab) {
      const line = lineAt(lab);
      return line && line.loss < LINE_GOOD ? { values: line } : null;
    },
  },
  {
    id: 'sign',
    async setup(lab) {
      await useFormula(lab, SIGN, { x: [-1.5, 1.5] }, '1');
      plan(lab, [{ optimizer: 'sgd', hyper: { lr: 0.05 }, start: [1], stop: { maxSteps: 2000, gradTol: 1e-8 } }]);
      lab.formula.evaluate();
    },
    check(lab) {
      const run = lab.doc.runs[0];
      const live = run && lab.results.live[run.id];
      const e = evaluationAt(lab, SIGN, [1]);
      if (!run || !live || live.step < 1 || !e) return null;
      return { values: { slope: e.gradient[0], x0: run.start[0], x1: lab.results.traces.get(run.id)?.params[0]?.[1] ?? live.params[0], lr: Number(run.optimizer.lr) } };
    },
  },
  {
    id: 'loop',
    async setup(lab) {
      await useFormula(lab, SIGN, { x: [-1.5, 1.5] }, '1');
      plan(lab, [{ optimizer: 'sgd', hyper: { lr: 0.04 }, start: [1], stop: { maxSteps: 2000, gradTol: 1e-3 } }]);
    },
    check(lab) {
      const run = lab.doc.runs[0];
      const live = run && lab.results.live[run.id];
      if (!run || !live || live.step < 3) return null;
      const values = { steps: live.step, x: live.params[0], f: live.value, lr: Number(run.optimizer.lr), gradNorm: live.gradNorm };
      // Once the run has stopped, the text says why (the run's own stop reason), not "press Run".
      if (live.status === 'converged') return { values: { ...values, tol: Number(run.stop.gradTol) }, text: 'converged' };
      if (isFinished(live.status)) return { values: { ...values, status: live.status }, text: 'ended' };
      return { values };
    },
  },
  {
    id: 'gradient',
    async setup(lab) {
      await useFormula(lab, GRADIENT, { x: [-2, 2], y: [-2, 2] }, '1, 1, 1');
      plan(lab, [{ optimizer: 'sgd', hyper: { lr: 0.02 }, start: [1, 1, 1], stop: { maxSteps: 200, gradTol: 1e-8 } }]);
    },
    check(lab) {
      const e = evaluationAt(lab, GRADIENT, [1, 1, 1]);
      const vars = lab.analysis?.vars;
      if (!e || !vars) return null;
      return { values: { gradient: `[${showVector(e.gradient)}]`, names: formatList(vars), value: e.value } };
    },
  },
  {
    id: 'rate',
    async setup(lab) {
      await useFormula(lab, SIGN, { x: [-2, 2] }, '1');
      threeRates(lab, [0.01, 0.08, 0.21], [1]);
    },
    check(lab) {
      const live = rated(lab);
      if (!live) return null;
      const [small, good, large] = live;
      return { values: { smallSteps: small.step, goodSteps: good.step, largeStep: large.step } };
    },
  },
  {
    id: 'valley',
    async setup(lab) {
      await useFormula(lab, VALLEY, { x: [-2.5, 2.5], y: [-1, 1] }, '-2, 0.5');
      threeRates(lab, [0.002, 0.02, 0.041], [-2, 0.5]);
    },
    check(lab) {
      const live = rated(lab);
      if (!live) return null;
      const [small, good, large] = live;
      return { values: { smallSteps: small.step, smallF: small.value, goodSteps: good.step, largeStep: large.step, largeX: large.params[0], largeY: large.params[1] } };
    },
  },
  {
    id: 'batch',
    async setup(lab) {
      lab.setMode('data');
      await lab.data.generate('line');
      lab.data.edit({ kind: 'model', model: 'linear' });
      const common = { optimizer: 'sgd', hyper: { lr: 0.05 }, epochs: 20, seed: 1, shuffle: true } as const;
      plan(lab, [
        { ...common, batchSize: 'full' },
        { ...common, batchSize: 16 },
        { ...common, batchSize: 1 },
      ]);
    },
    check(lab) {
      const live = finished(lab, 3);
      if (!live) return null;
      const info = lab.doc.runs.map((r) => lab.results.info[r.id]);
      if (info.some((i) => !i?.batchesPerEpoch)) return null;
      // The loss over every training row after the last epoch (a batch's own loss is noisy).
      const loss = live.map((l) => l.epochs[l.epochs.length - 1]?.loss);
      if (loss.some((v) => v === undefined)) return null;
      return {
        values: {
          fullUpdates: info[0].batchesPerEpoch!, miniUpdates: info[1].batchesPerEpoch!, oneUpdates: info[2].batchesPerEpoch!,
          fullLoss: loss[0]!, miniLoss: loss[1]!, oneLoss: loss[2]!, epochs: lab.doc.runs[0].epochs,
        },
      };
    },
  },
  {
    id: 'momentum',
    async setup(lab) {
      await useFormula(lab, RAVINE, { x: [-5, 5], y: [-1.5, 1.5] }, '-4, 1');
      const stop = { maxSteps: 2000, gradTol: 1e-6 };
      plan(lab, [
        { optimizer: 'sgd', hyper: { lr: 0.019 }, start: [-4, 1], stop },
        { optimizer: 'sgd', hyper: { lr: 0.02, momentum: 0.8 }, start: [-4, 1], stop },
        { optimizer: 'adam', hyper: { lr: 0.1 }, start: [-4, 1], stop },
      ]);
    },
    check(lab) {
      const live = finished(lab, 3);
      if (!live) return null;
      const [sgd, momentum, adam] = live;
      return { values: { sgdSteps: sgd.step, sgdF: sgd.value, momentumSteps: momentum.step, momentumF: momentum.value, adamSteps: adam.step, adamF: adam.value } };
    },
  },
  {
    id: 'yours',
    async setup(lab) {
      lab.setMode('function');
    },
    check(lab) {
      const run = lab.doc.runs.find((r) => lab.results.live[r.id] && isFinished(lab.results.live[r.id].status));
      if (!run) return null;
      const live = lab.results.live[run.id];
      if (lab.doc.mode === 'function') {
        const text = lab.doc.expr;
        if (!lab.analysis || LESSON_FORMULAS.includes(text) || lab.formula.testFunction()) return null;
        return { values: { what: text, run: run.name, steps: live.step, value: live.value } };
      }
      const source = lab.doc.data.dataset;
      const summary = lab.data.summary;
      if (!summary || source?.kind === 'generated') return null;
      return { values: { what: summary.name, run: run.name, steps: live.step, value: live.value } };
    },
  },
];
