/**
 * From a loaded dataset to the arrays a fit trains on: the chosen target and
 * features, rows with problems in those columns failed or dropped by policy,
 * a seeded train/validation split, and optional standardization of the
 * features with the statistics kept for reporting in original units.
 */
import { suggest } from '../formula/suggest';
import { Rng } from './random';
import { DatasetError, MAX_CLASSES, type Column, type Dataset } from './table';

export type MissingPolicy = 'fail' | 'drop';

export interface DataSpec {
  target: string;
  features: string[];
  missing?: MissingPolicy;
  /** Fraction of rows held out for validation, in [0, 0.9]. */
  valSplit?: number;
  seed?: number;
  standardize?: boolean;
  /** Fit the target as classes (cross-entropy): text labels or whole numbers, each mapped to its index in sorted order. */
  classes?: boolean;
}

export interface Standardization {
  mean: Float64Array;
  std: Float64Array;
}

export interface TrainingData {
  featureNames: string[];
  targetName: string;
  d: number;
  /** Training features, row-major n × d (standardized when asked). */
  X: Float64Array;
  y: Float64Array;
  n: number;
  Xval: Float64Array;
  yval: Float64Array;
  nVal: number;
  /** Indices into the dataset's rows. Training rows keep file order. */
  trainRows: Uint32Array;
  valRows: Uint32Array;
  stats: Standardization | null;
  targetLabels?: [string, string];
  /** For a fit of classes: the class names in order; y holds each row's class index. */
  classes?: string[];
  dropped: number;
  notes: string[];
}

export function findColumn(dataset: Dataset, name: string, role: string): Column {
  const column = dataset.columns.find((c) => c.name === name);
  if (!column) {
    const names = dataset.columns.map((c) => c.name);
    const hint = suggest(name, names);
    throw new DatasetError(`Unknown ${role} column "${name}"${hint ? ` — did you mean ${hint}?` : ''}; the columns are ${names.join(', ')}`);
  }
  if (column.kind === 'text') {
    throw new DatasetError(`Column "${name}" holds text with ${column.distinct} different values: a ${role} must be numeric${role === 'target' ? ' or have exactly two classes' : ''}`, [], {
      id: role === 'target' ? 'textTarget' : 'textFeature',
      values: { name, count: column.distinct ?? 0 },
    });
  }
  return column;
}

/** Rows that have a problem in any of the given columns. */
function badRows(columns: Column[], rowCount: number): Uint8Array {
  const bad = new Uint8Array(rowCount);
  for (const c of columns) {
    if (c.badRows === 0) continue;
    for (let i = 0; i < rowCount; i++) if (Number.isNaN(c.values[i])) bad[i] = 1;
  }
  return bad;
}

function gather(columns: Column[], rows: Uint32Array): Float64Array {
  const d = columns.length;
  const out = new Float64Array(rows.length * d);
  for (let j = 0; j < d; j++) {
    const v = columns[j].values;
    for (let r = 0; r < rows.length; r++) out[r * d + j] = v[rows[r]];
  }
  return out;
}

/**
 * A target column as class indices: a text or two-label column's classes in sorted order, or the
 * distinct whole numbers of a numeric column in increasing order.
 */
function classColumn(dataset: Dataset, name: string): { column: Column; classes: string[] } {
  const column = dataset.columns.find((c) => c.name === name);
  if (column?.kind === 'text') {
    if (!column.classes || !column.codes) {
      throw new DatasetError(`Column "${name}" has more than ${MAX_CLASSES} different values: too many to fit as classes`, [], { id: 'tooManyClasses', values: { name, max: MAX_CLASSES } });
    }
    let missing = 0;
    for (const c of column.codes) if (Number.isNaN(c)) missing++;
    return { column: { name, kind: 'label', values: column.codes, badRows: missing }, classes: column.classes };
  }
  const found = findColumn(dataset, name, 'target');
  if (found.kind === 'label' && found.labels) return { column: found, classes: [...found.labels] };
  const distinct = new Set<number>();
  for (const v of found.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) {
      throw new DatasetError(`Column "${name}" has the value ${v}: classes must be whole numbers or text labels`, [], { id: 'fractionalClass', values: { name, value: v } });
    }
    distinct.add(v);
    if (distinct.size > MAX_CLASSES) {
      throw new DatasetError(`Column "${name}" has more than ${MAX_CLASSES} different values: too many to fit as classes`, [], { id: 'tooManyClasses', values: { name, max: MAX_CLASSES } });
    }
  }
  const sorted = [...distinct].sort((a, b) => a - b);
  const index = new Map(sorted.map((v, k) => [v, k]));
  const values = found.values.map((v) => (Number.isNaN(v) ? NaN : (index.get(v) as number)));
  return { column: { ...found, values }, classes: sorted.map(String) };
}

export function prepareData(dataset: Dataset, spec: DataSpec): TrainingData {
  const classified = spec.classes ? classColumn(dataset, spec.target) : null;
  const targetColumn = classified?.column ?? findColumn(dataset, spec.target, 'target');
  if (spec.features.length === 0) throw new DatasetError('Choose at least one feature column', [], { id: 'noFeatures', values: {} });
  if (spec.features.includes(spec.target)) throw new DatasetError(`"${spec.target}" is the target and cannot also be a feature`, [], { id: 'targetIsFeature', values: { name: spec.target } });
  const featureColumns = spec.features.map((f) => findColumn(dataset, f, 'feature'));
  const notes: string[] = [];

  const used = [...featureColumns, targetColumn];
  const bad = badRows(used, dataset.rowCount);
  let badCount = 0;
  for (const b of bad) badCount += b;
  if (badCount > 0 && (spec.missing ?? 'fail') === 'fail') {
    const lines: number[] = [];
    const firstLine = dataset.header ? 2 : 1;
    for (let i = 0; i < bad.length && lines.length < 5; i++) if (bad[i]) lines.push(i + firstLine);
    const unit = dataset.format === 'json' ? 'record' : 'line';
    // The columns that have a problem cell in a row used, not every column used.
    const columns = used.filter((c) => c.badRows > 0 && c.values.some((v) => Number.isNaN(v))).map((c) => c.name).join(', ');
    const where = `${lines.join(', ')}${badCount > lines.length ? ', …' : ''}`;
    throw new DatasetError(
      `${badCount} row${badCount === 1 ? '' : 's'} ha${badCount === 1 ? 's' : 've'} a missing or non-numeric value in ${columns} (${unit}s ${where}); fix the file or drop those rows`,
      [],
      { id: unit === 'line' ? 'badRows' : 'badRecords', values: { count: badCount, columns, where } },
    );
  }
  const keep: number[] = [];
  for (let i = 0; i < dataset.rowCount; i++) if (!bad[i]) keep.push(i);
  if (badCount > 0) notes.push(`${badCount} row${badCount === 1 ? '' : 's'} with missing or non-numeric values dropped`);
  if (keep.length === 0) {
    const columns = used.map((c) => c.name).join(', ');
    throw new DatasetError(`No rows are left to train on: every row has a problem in ${columns}`, [], { id: 'noRowsLeft', values: { columns } });
  }

  const valSplit = spec.valSplit ?? 0;
  if (!(valSplit >= 0 && valSplit <= 0.9)) throw new DatasetError(`The validation split must be between 0 and 0.9, got ${valSplit}`);
  let nVal = Math.round(keep.length * valSplit);
  if (valSplit > 0 && nVal === 0 && keep.length > 1) nVal = 1;
  if (nVal >= keep.length) nVal = keep.length - 1;
  if (valSplit > 0 && nVal === 0) notes.push('The validation split leaves no rows for validation: one row is all there is to train on');
  const order = Uint32Array.from(keep);
  if (nVal > 0) new Rng(spec.seed ?? 0).shuffle(order);
  const valRows = order.slice(0, nVal).sort();
  const trainRows = order.slice(nVal).sort();

  const d = featureColumns.length;
  const X = gather(featureColumns, trainRows);
  const Xval = gather(featureColumns, valRows);
  const y = gather([targetColumn], trainRows);
  const yval = gather([targetColumn], valRows);

  let stats: Standardization | null = null;
  if (spec.standardize) {
    stats = { mean: new Float64Array(d), std: new Float64Array(d) };
    const n = trainRows.length;
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += X[i * d + j];
      let mean = sum / n;
      // Values near the largest doubles: a sum that overflows is taken as a running mean instead.
      if (!Number.isFinite(mean)) {
        mean = 0;
        for (let i = 0; i < n; i++) mean += (X[i * d + j] - mean) / (i + 1);
      }
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (X[i * d + j] - mean) * (X[i * d + j] - mean);
      let std = Math.sqrt(sq / n);
      // …and squares that overflow, scaled by the largest deviation first (as hypot is).
      if (!Number.isFinite(std)) {
        let largest = 0;
        for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(X[i * d + j] - mean));
        let scaled = 0;
        for (let i = 0; i < n; i++) scaled += ((X[i * d + j] - mean) / largest) * ((X[i * d + j] - mean) / largest);
        std = largest * Math.sqrt(scaled / n);
      }
      if (!(std > 0)) {
        notes.push(`Feature ${featureColumns[j].name} has the same value in every training row: it is centred but not scaled`);
        std = 1;
      }
      stats.mean[j] = mean;
      stats.std[j] = std;
      for (const [M, rows] of [[X, n], [Xval, valRows.length]] as const) {
        for (let i = 0; i < rows; i++) M[i * d + j] = (M[i * d + j] - mean) / std;
      }
    }
  }
  return {
    featureNames: featureColumns.map((c) => c.name),
    targetName: targetColumn.name,
    d,
    X,
    y,
    n: trainRows.length,
    Xval,
    yval,
    nVal: valRows.length,
    trainRows,
    valRows,
    stats,
    ...(targetColumn.labels ? { targetLabels: targetColumn.labels } : {}),
    ...(classified ? { classes: classified.classes } : {}),
    dropped: badCount,
    notes,
  };
}
