/**
 * The lab's document: the session's own shape, held once. What the screen
 * shows, what a file saves and what the engine runs are all read from it.
 *
 *   mode         function or data
 *   expr         the formula (function mode's problem)
 *   data         the dataset (named, not its bytes) and what is fitted to it
 *   runs         each run's settings and the hyperparameter changes it recorded
 *   view         ranges, the evaluated point, the 3-D camera, chart scales, replay step, selection, panels
 *   experiments  sweep, basin map and stochastic gap: their settings and results
 *   notes
 *
 * Run results (live states and histories) are not part of it: they are the
 * engine's answers, kept beside the document with what they were computed for.
 */
import type { DataProblem, EngineProblem, GeneratorSpec, Loss, ModelSpec, Problem, RunSpec, SessionExperiments, SessionView } from '../../../engine';
import { DEFAULT_EXPERIMENTS, DEFAULT_VIEW } from '../../../engine';
import { DEFAULT_HIDDEN, DEFAULT_ACTIVATION, DEFAULT_SPLIT_SEED, DEFAULT_STANDARDIZE, DEFAULT_VAL_SPLIT } from '../../../engine/data/defaults';

/** Where a data problem's rows come from, without the bytes (the dataset store keeps those by key). */
export type DatasetRef =
  | { kind: 'file'; name: string; path: string | null; sha256: string; size: number; sheet?: string }
  | { kind: 'generated'; spec: GeneratorSpec };

export interface DataDoc {
  dataset: DatasetRef | null;
  target: string;
  features: string[];
  model: ModelSpec;
  loss: Loss;
  reg: { l1: number; l2: number };
  valSplit: number;
  splitSeed: number;
  standardize: boolean;
  missing: 'fail' | 'drop';
}

export interface LabDoc {
  mode: 'function' | 'data';
  expr: string;
  data: DataDoc;
  runs: RunSpec[];
  view: SessionView;
  experiments: SessionExperiments;
  notes: string;
}

export const DEFAULT_EXPR = '(1 - x)^2 + 100*(y - x^2)^2';

export const DEFAULT_DATA: DataDoc = {
  dataset: null, target: '', features: [], model: { kind: 'linear' }, loss: { name: 'mse' }, reg: { l1: 0, l2: 0 },
  valSplit: DEFAULT_VAL_SPLIT, splitSeed: DEFAULT_SPLIT_SEED, standardize: DEFAULT_STANDARDIZE, missing: 'fail',
};

/** A network as a new Network model starts: the one rule's hidden layers and activation. */
export const DEFAULT_NETWORK: Extract<ModelSpec, { kind: 'mlp' }> = { kind: 'mlp', hidden: [...DEFAULT_HIDDEN], activation: DEFAULT_ACTIVATION };

export function emptyDoc(): LabDoc {
  return { mode: 'function', expr: DEFAULT_EXPR, data: DEFAULT_DATA, runs: [], view: DEFAULT_VIEW, experiments: DEFAULT_EXPERIMENTS, notes: '' };
}

/** Identifies a dataset: its generator's spec, or its bytes' hash. */
export function datasetKey(ref: DatasetRef | null): string | null {
  if (!ref) return null;
  return ref.kind === 'generated' ? `generated:${JSON.stringify(ref.spec)}` : `file:${ref.sha256}${ref.sheet === undefined ? '' : `#${ref.sheet}`}`;
}

/** The model as the engine takes it (a custom formula names its own variables: no feature list). */
function dataFields(d: DataDoc) {
  return {
    target: d.target,
    features: d.model.kind === 'custom' ? [] : [...d.features],
    model: d.model,
    loss: d.loss,
    reg: d.reg,
    valSplit: d.valSplit,
    standardize: d.standardize,
    missing: d.missing,
    splitSeed: d.splitSeed,
  };
}

/** The engine's id of the dataset being fitted. */
export const DATASET_ID = 'current';

/** The problem the runs run, as the engine takes it; null in data mode without a dataset and target. */
export function engineProblemOf(doc: LabDoc): EngineProblem | null {
  if (doc.mode === 'function') return { kind: 'function', expr: doc.expr };
  if (!doc.data.dataset || !doc.data.target) return null;
  return { kind: 'data', datasetId: DATASET_ID, ...dataFields(doc.data) };
}

/**
 * Identifies the problem: two keys are equal when runs would compute the same results. Results
 * (runs', experiments') belong to the key they were computed for.
 */
export function problemKey(doc: LabDoc): string {
  if (doc.mode === 'function') return `function|${doc.expr}`;
  const d = doc.data;
  if (!d.dataset || !d.target) return 'data|none';
  return `data|${datasetKey(d.dataset)}|${JSON.stringify(dataFields(d))}`;
}

/** A run's result belongs to this key: its problem, its settings and the changes it recorded. */
export function runKey(doc: LabDoc, run: RunSpec): string {
  const { id: _id, name: _name, color: _color, ...settings } = run;
  return `${problemKey(doc)}|${JSON.stringify(settings)}`;
}

/** A data problem as a session holds it, from the document's and the dataset's source. */
export function dataProblem(d: DataDoc, dataset: DataProblem['dataset']): DataProblem {
  return { kind: 'data', dataset, ...dataFields(d) };
}

/** The document's problems as a session holds them: the active one, and the other mode's (kept for switching back). */
export function problemsOf(doc: LabDoc, source: (ref: DatasetRef) => DataProblem['dataset']): { problem: Problem | null; other: Problem | null } {
  const fn: Problem = { kind: 'function', expr: doc.expr };
  const data = doc.data.dataset && doc.data.target ? dataProblem(doc.data, source(doc.data.dataset)) : null;
  return doc.mode === 'function' ? { problem: fn, other: data } : { problem: data, other: fn };
}

/** A data problem's fields as the document holds them, and its dataset as a reference. */
export function dataDocOf(p: DataProblem): DataDoc {
  const s = p.dataset;
  const dataset: DatasetRef = s.kind === 'generated' ? { kind: 'generated', spec: s.spec } : { kind: 'file', name: s.name, path: s.path, sha256: s.sha256, size: s.size, ...(s.sheet === undefined ? {} : { sheet: s.sheet }) };
  return {
    dataset, target: p.target, features: [...p.features], model: p.model, loss: p.loss, reg: p.reg,
    valSplit: p.valSplit, splitSeed: p.splitSeed, standardize: p.standardize, missing: p.missing,
  };
}

/** "Adam 3", or the next number up that no run has: names stay unique after removals and reopening. */
export function freeName(title: string, from: number, taken: readonly string[]): string {
  let k = from;
  while (taken.includes(`${title} ${k}`)) k++;
  return `${title} ${k}`;
}

/** A run id no run of the document has. */
export function freeId(runs: readonly RunSpec[]): string {
  let k = runs.length + 1;
  while (runs.some((r) => r.id === `run${k}`)) k++;
  return `run${k}`;
}
