/**
 * Reproducible sample datasets: the same spec and seed give the same rows on
 * every machine (pure-rand's xoroshiro128+, see random.ts).
 *
 *   line     y = slope·x + intercept + noise·N(0, 1)
 *   poly     y = c0 + c1·x + c2·x² + … + noise·N(0, 1)
 *   sine     y = amplitude·sin(frequency·x) + noise·N(0, 1)
 *   blobs    two Gaussian clouds in (x1, x2), label 0 and 1, centres ±separation/2 on a diagonal
 */
import { sin } from '../math/libm';
import { Rng } from './random';
import type { Column, Dataset } from './table';

export type GeneratorSpec =
  | { kind: 'line'; n: number; slope: number; intercept: number; noise: number; xMin: number; xMax: number; seed: number }
  | { kind: 'poly'; n: number; coefficients: number[]; noise: number; xMin: number; xMax: number; seed: number }
  | { kind: 'sine'; n: number; amplitude: number; frequency: number; noise: number; xMin: number; xMax: number; seed: number }
  | { kind: 'blobs'; n: number; separation: number; spread: number; seed: number };

export const GENERATOR_DEFAULTS: Record<GeneratorSpec['kind'], GeneratorSpec> = {
  line: { kind: 'line', n: 100, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 1 },
  poly: { kind: 'poly', n: 100, coefficients: [1, -2, 0.5, 0.3], noise: 0.5, xMin: -3, xMax: 3, seed: 1 },
  sine: { kind: 'sine', n: 200, amplitude: 1, frequency: 1, noise: 0.1, xMin: -6, xMax: 6, seed: 1 },
  blobs: { kind: 'blobs', n: 200, separation: 3, spread: 1, seed: 1 },
};

const numeric = (name: string, values: Float64Array): Column => ({ name, kind: 'numeric', values, badRows: 0 });

function dataset(name: string, columns: Column[]): Dataset {
  return { name, rowCount: columns[0].values.length, columns, problems: [], problemCount: 0, notes: [], format: 'csv', header: true };
}

export function generateDataset(spec: GeneratorSpec): Dataset {
  const n = spec.n;
  if (!(Number.isInteger(n) && n >= 1 && n <= 10_000_000)) throw new RangeError(`The number of rows must be a whole number from 1 to 10,000,000, got ${n}`);
  const rng = new Rng(spec.seed);
  if (spec.kind === 'blobs') {
    const x1 = new Float64Array(n);
    const x2 = new Float64Array(n);
    const label = new Float64Array(n);
    const h = spec.separation / 2 / Math.SQRT2;
    for (let i = 0; i < n; i++) {
      const cls = i % 2;
      const c = cls === 0 ? -h : h;
      x1[i] = c + spec.spread * rng.normal();
      x2[i] = c + spec.spread * rng.normal();
      label[i] = cls;
    }
    return dataset(`blobs (n=${n}, separation ${spec.separation}, seed ${spec.seed})`, [numeric('x1', x1), numeric('x2', x2), numeric('label', label)]);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = spec.xMin + (spec.xMax - spec.xMin) * rng.float();
    let yi: number;
    if (spec.kind === 'line') yi = spec.slope * xi + spec.intercept;
    else if (spec.kind === 'poly') yi = spec.coefficients.reduceRight((acc, c) => acc * xi + c, 0);
    else yi = spec.amplitude * sin(spec.frequency * xi);
    x[i] = xi;
    y[i] = yi + spec.noise * rng.normal();
  }
  const title =
    spec.kind === 'line' ? `noisy line y = ${spec.slope}x + ${spec.intercept}` :
    spec.kind === 'poly' ? `noisy polynomial (${spec.coefficients.join(', ')})` :
    `noisy sine ${spec.amplitude}·sin(${spec.frequency}x)`;
  return dataset(`${title} (n=${n}, noise ${spec.noise}, seed ${spec.seed})`, [numeric('x', x), numeric('y', y)]);
}

/** A dataset as CSV text, for export and for round trips through the loader. */
export function datasetToCsv(d: Dataset): string {
  const lines = [d.columns.map((c) => (/[",\n]/.test(c.name) ? `"${c.name.replace(/"/g, '""')}"` : c.name)).join(',')];
  for (let i = 0; i < d.rowCount; i++) {
    lines.push(d.columns.map((c) => (c.kind === 'label' && c.labels && !Number.isNaN(c.values[i]) ? c.labels[c.values[i]] : Number.isNaN(c.values[i]) ? '' : String(c.values[i]))).join(','));
  }
  return `${lines.join('\n')}\n`;
}
