/**
 * Data mode's rules, as one pure function: an edit of the data problem (a new
 * dataset, a target, a model, features) and what it brings with it (features
 * that follow the target, the loss that follows the model and the target, a
 * polynomial's single feature, a formula's unscaled columns). It returns the
 * new settings and each change it made on its own, for the lab to say
 * ("petal_width is a feature again"). Defaults come from the engine's one
 * rule (engine/data/defaults.ts), which `gdlab fit` follows too.
 */
import type { DatasetSummary, ModelSpec } from '../../../engine';
import { defaultLoss, defaultStandardize, isBinary, type LossName } from '../../../engine/data/defaults';
import { DEFAULT_NETWORK, type DataDoc, type DatasetRef } from './shape';

export type ModelKind = ModelSpec['kind'];
type Column = DatasetSummary['columns'][number];

/** A change the rules made beyond the edit asked for, as an id and values for the lab's words (`data.change.<id>`). */
export type DataChange =
  | { id: 'target'; from: string; to: string }
  | { id: 'features'; features: string[] }
  | { id: 'featureBack'; name: string }
  | { id: 'polyFeature'; feature: string }
  | { id: 'toLogistic'; target: string }
  | { id: 'toLinear'; target: string }
  | { id: 'networkLoss'; target: string; loss: LossName }
  | { id: 'standardize'; on: boolean };

export type DataEdit =
  | { kind: 'dataset'; dataset: DatasetRef; summary: DatasetSummary }
  | { kind: 'target'; name: string }
  | { kind: 'model'; model: ModelKind | ModelSpec }
  | { kind: 'features'; features: string[] };

export const DEFAULT_CUSTOM = 'a*exp(b*x) + c';

/** Columns a model can read: numbers and two-valued labels, not free text. */
export function usableColumns(summary: DatasetSummary | null): Column[] {
  return summary?.columns.filter((c) => c.kind !== 'text') ?? [];
}

/** Models with one output per class, which can take text classes as their target. */
const perClass = (model: ModelKind) => model === 'mlp' || model === 'softmax';

/** Columns a target can be: the usable ones, and for a network or softmax regression also text naming up to 100 classes. */
export function targetColumns(summary: DatasetSummary | null, model: ModelKind): Column[] {
  return summary?.columns.filter((c) => c.kind !== 'text' || (perClass(model) && c.classes)) ?? [];
}

const column = (summary: DatasetSummary | null, name: string) => summary?.columns.find((c) => c.name === name);

/** A model kind's spec: the current one when it is that kind, else the kind's defaults. */
function modelSpec(current: ModelSpec, next: ModelKind | ModelSpec): ModelSpec {
  if (typeof next !== 'string') return next;
  if (current.kind === next) return current;
  if (next === 'poly') return { kind: 'poly', degree: 3 };
  if (next === 'custom') return { kind: 'custom', expr: DEFAULT_CUSTOM };
  if (next === 'mlp') return { ...DEFAULT_NETWORK, hidden: [...DEFAULT_NETWORK.hidden] };
  return { kind: next };
}

/** Features in the dataset's column order. */
function inColumnOrder(summary: DatasetSummary | null, names: readonly string[]): string[] {
  const order = usableColumns(summary).map((c) => c.name);
  return order.filter((n) => names.includes(n));
}

/**
 * Applies `edit` to a data problem's settings, then keeps them consistent: the target is not a
 * feature, a polynomial has one feature, a formula reads no feature list, the loss fits the model
 * and the target. `summary` is the dataset's (the new one for a dataset edit).
 */
export function applyDataEdit(before: DataDoc, summary: DatasetSummary | null, edit: DataEdit): { data: DataDoc; changes: DataChange[] } {
  const changes: DataChange[] = [];
  const data: DataDoc = { ...before, features: [...before.features] };
  const usable = usableColumns(summary).map((c) => c.name);
  // Whether the edit changes what the target is, so that the model and its loss follow it.
  let targetMoved = false;

  if (edit.kind === 'dataset') {
    const previous = before.dataset !== null;
    data.dataset = edit.dataset;
    const targets = targetColumns(summary, data.model.kind).map((c) => c.name);
    if (!targets.includes(data.target)) {
      const target = usable.at(-1) ?? '';
      if (previous && data.target) changes.push({ id: 'target', from: data.target, to: target });
      data.target = target;
    }
    const kept = data.features.filter((f) => usable.includes(f) && f !== data.target);
    const features = kept.length && previous ? kept : usable.filter((c) => c !== data.target);
    if (previous && features.join() !== before.features.join() && data.model.kind !== 'custom') changes.push({ id: 'features', features });
    data.features = features;
    targetMoved = true;
  } else if (edit.kind === 'target') {
    const old = data.target;
    data.target = edit.name;
    data.features = data.features.filter((f) => f !== edit.name);
    // The column that was the target is a feature again (a formula and a polynomial choose theirs).
    if (old && old !== edit.name && usable.includes(old) && data.model.kind !== 'custom' && data.model.kind !== 'poly' && data.features.length > 0) {
      data.features = inColumnOrder(summary, [...data.features, old]);
      changes.push({ id: 'featureBack', name: old });
    }
    if (data.features.length === 0) data.features = usable.filter((c) => c !== edit.name);
    targetMoved = true;
  } else if (edit.kind === 'model') {
    data.model = modelSpec(before.model, edit.model);
    const kind = data.model.kind;
    // Text classes are the target of a model with an output per class only: another model takes the last usable column.
    if (!perClass(kind) && column(summary, data.target)?.kind === 'text') {
      const target = usable.at(-1) ?? '';
      changes.push({ id: 'target', from: data.target, to: target });
      data.target = target;
      data.features = data.features.filter((f) => f !== target);
      if (data.features.length === 0) data.features = usable.filter((c) => c !== target);
    }
    if (kind === 'custom' && before.model.kind !== 'custom') data.features = [];
    if (kind !== 'custom' && before.model.kind === 'custom') data.features = usable.filter((c) => c !== data.target);
    if (kind === 'logistic' || perClass(kind)) data.loss = { name: defaultLoss(kind, column(summary, data.target)) };
    else if (data.loss.name === 'bce' || data.loss.name === 'cross_entropy') data.loss = { name: 'mse' };
    // A formula reads its columns as they are; the other models standardize, as the one rule says.
    const standardize = defaultStandardize(kind);
    if ((kind === 'custom') !== (before.model.kind === 'custom') && data.standardize !== standardize) {
      data.standardize = standardize;
      changes.push({ id: 'standardize', on: standardize });
    }
  } else {
    data.features = inColumnOrder(summary, edit.features.filter((f) => f !== data.target));
  }

  // A polynomial fits one feature: the one its Feature choice shows.
  if (data.model.kind === 'poly' && data.features.length > 1) {
    data.features = data.features.slice(0, 1);
    changes.push({ id: 'polyFeature', feature: data.features[0] });
  }
  if (targetMoved && data.target) changes.push(...followTarget(data, summary));
  return { data, changes };
}

/** The model and loss a new target brings: two classes a logistic model (or a network's bce), other targets a regression. */
function followTarget(data: DataDoc, summary: DatasetSummary | null): DataChange[] {
  const target = column(summary, data.target);
  if (data.model.kind === 'softmax') {
    if ((target?.classes ?? 0) >= 2) return [];
    data.model = { kind: 'linear' };
    data.loss = { name: 'mse' };
    return [{ id: 'toLinear', target: data.target }];
  }
  if (data.model.kind === 'mlp') {
    const loss = defaultLoss('mlp', target);
    if (loss === data.loss.name) return [];
    data.loss = { name: loss };
    return [{ id: 'networkLoss', target: data.target, loss }];
  }
  if (isBinary(target) && data.model.kind !== 'logistic') {
    data.model = { kind: 'logistic' };
    data.loss = { name: 'bce' };
    return [{ id: 'toLogistic', target: data.target }];
  }
  if (!isBinary(target) && data.model.kind === 'logistic') {
    data.model = { kind: 'linear' };
    data.loss = { name: 'mse' };
    return [{ id: 'toLinear', target: data.target }];
  }
  return [];
}

/** Why the data problem cannot be fitted as set, as an id and values (`data.invalid.<id>`), or null. */
export function invalidData(data: DataDoc, summary: DatasetSummary | null): { id: string; values: Record<string, string> } | null {
  const kind = data.model.kind;
  if (kind === 'poly' && data.features.length !== 1) return { id: 'polyOneFeature', values: { features: data.features.join(', ') } };
  if (kind !== 'custom' && data.features.length === 0) return { id: 'noFeature', values: {} };
  if (data.loss.name === 'cross_entropy' && !perClass(kind)) return { id: 'crossEntropyNetwork', values: {} };
  if (kind === 'softmax' && data.loss.name !== 'cross_entropy') return { id: 'softmaxCrossEntropy', values: {} };
  if (data.loss.name === 'cross_entropy' && (column(summary, data.target)?.classes ?? 0) < 2) return { id: 'notClasses', values: { target: data.target } };
  return null;
}
