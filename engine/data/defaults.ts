/**
 * The one rule for a data problem's defaults, used alike by the lab, `gdlab fit`
 * and sessions: whether features are standardized, how rows are split for
 * validation and with which seed, a network's activation, and the loss each
 * model fits a target with. A setting the person gives always wins; these fill
 * in the rest.
 *
 *   standardize  true: features are scaled to mean 0 and standard deviation 1
 *                over the training rows (a custom formula reads its columns as
 *                they are, so it is never standardized)
 *   valSplit     0: every row trains
 *   splitSeed    0: the seed of the validation split, the same for every run of
 *                the problem (a run's own seed shuffles its batches)
 *   activation   tanh, for a network's hidden layers
 *   a run        seed 1 (its network's initial weights and its batches' order),
 *                100 epochs, the whole training set a batch; batches smaller
 *                than that (any batch size given as a number) are reshuffled
 *                every epoch
 *   loss         logistic: bce; network: bce for two classes (two labels, or
 *                numbers that are all 0 or 1), cross_entropy for classes named
 *                by text or by whole numbers with at most MAX_DEFAULT_CLASSES
 *                values; everything else mse
 */
import type { Activation, ModelSpec } from '../spec/problem';
import { MAX_CLASSES, type Column } from './table';

export type LossName = 'mse' | 'mae' | 'huber' | 'bce' | 'cross_entropy';

export const DEFAULT_STANDARDIZE = true;
export const DEFAULT_VAL_SPLIT = 0;
export const DEFAULT_SPLIT_SEED = 0;
export const DEFAULT_ACTIVATION: Activation = 'tanh';
export const DEFAULT_HIDDEN: readonly number[] = [8, 8];
export const DEFAULT_RUN_SEED = 1;
export const DEFAULT_EPOCHS = 100;

/** Whether a run's batches are reshuffled every epoch, unless chosen: any batch size given as a number. */
export function defaultShuffle(batchSize: number | 'full'): boolean {
  return batchSize !== 'full';
}
/** Whole numbers with at most this many values are taken as classes by a network's default loss. */
export const MAX_DEFAULT_CLASSES = 10;

/** What the defaults need to know of a target column: the dataset summary's columns and the engine's both give it. */
export interface TargetFacts {
  kind: string;
  /** Numbers that are all 0 or 1, both present. */
  binary?: boolean;
  /** How many classes the column names (text, or whole numbers), when it names 2 to 100. */
  classes?: number;
}

/** Whether a column holds two classes: two text labels, or numbers that are all 0 or 1. */
export function isBinary(target: TargetFacts | undefined): boolean {
  return target !== undefined && (target.kind === 'label' || target.binary === true);
}

/** Whether a network's default loss takes the column as K classes. */
export function isMulticlass(target: TargetFacts | undefined): boolean {
  if (!target?.classes || isBinary(target)) return false;
  return target.kind === 'text' || target.classes <= MAX_DEFAULT_CLASSES;
}

/** The loss a model fits a target with, unless one is chosen. */
export function defaultLoss(model: ModelSpec['kind'], target: TargetFacts | undefined): LossName {
  if (model === 'logistic') return 'bce';
  if (model === 'softmax') return 'cross_entropy';
  if (model !== 'mlp') return 'mse';
  if (isBinary(target)) return 'bce';
  return isMulticlass(target) ? 'cross_entropy' : 'mse';
}

/** Whether the features are standardized unless the person says otherwise. */
export function defaultStandardize(model: ModelSpec['kind']): boolean {
  return model === 'custom' ? false : DEFAULT_STANDARDIZE;
}

/** The number of distinct values of a column of whole numbers with 2 to `max` of them, else undefined. */
export function wholeClasses(values: ArrayLike<number>, max: number): number | undefined {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return undefined;
    seen.add(v);
    if (seen.size > max) return undefined;
  }
  return seen.size >= 2 ? seen.size : undefined;
}

/** Numbers that are all 0 or 1, both present. */
export function zeroOne(values: ArrayLike<number>): boolean {
  let zero = false;
  let one = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v === 0) zero = true;
    else if (v === 1) one = true;
    else return false;
  }
  return zero && one;
}

/** A loaded column's facts, as the dataset summary states them (classes: text of up to MAX_CLASSES values, or whole numbers of 2 to MAX_CLASSES values). */
export function targetFacts(column: Column): TargetFacts {
  if (column.kind === 'label') return { kind: 'label', classes: 2 };
  const classes = column.kind === 'text' ? column.classes?.length : wholeClasses(column.values, MAX_CLASSES);
  return { kind: column.kind, ...(column.kind === 'numeric' && zeroOne(column.values) ? { binary: true } : {}), ...(classes !== undefined && classes >= 2 ? { classes } : {}) };
}
