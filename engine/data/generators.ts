/**
 * Reproducible sample datasets: the same spec and seed give the same rows on
 * every machine (pure-rand's xoroshiro128+, see random.ts).
 *
 *   line     y = slope·x + intercept + noise·N(0, 1)
 *   poly     y = c0 + c1·x + c2·x² + … + noise·N(0, 1)
 *   sine     y = amplitude·sin(frequency·x) + noise·N(0, 1)
 *   blobs    two Gaussian clouds in (x1, x2), label 0 and 1, centres ±separation/2 on a diagonal
 */
import { cos, sin } from '../math/libm';
import { Rng } from './random';
import type { Column, Dataset } from './table';

export type GeneratorSpec =
  | { kind: 'line'; n: number; slope: number; intercept: number; noise: number; xMin: number; xMax: number; seed: number }
  | { kind: 'poly'; n: number; coefficients: number[]; noise: number; xMin: number; xMax: number; seed: number }
  | { kind: 'sine'; n: number; amplitude: number; frequency: number; noise: number; xMin: number; xMax: number; seed: number }
  | { kind: 'blobs'; n: number; separation: number; spread: number; seed: number }
  | { kind: 'circle'; n: number; noise: number; seed: number }
  | { kind: 'xor'; n: number; noise: number; seed: number }
  | { kind: 'gauss'; n: number; noise: number; seed: number }
  | { kind: 'spiral'; n: number; classes: number; noise: number; seed: number };

/** The classic 2-D classification sets, as in the neural-network playgrounds. */
export const CLASSIFICATION_SETS = ['circle', 'xor', 'gauss', 'spiral'] as const;

export const GENERATOR_DEFAULTS: Record<GeneratorSpec['kind'], GeneratorSpec> = {
  line: { kind: 'line', n: 100, slope: 2, intercept: 1, noise: 0.5, xMin: -3, xMax: 3, seed: 1 },
  poly: { kind: 'poly', n: 100, coefficients: [1, -2, 0.5, 0.3], noise: 0.5, xMin: -3, xMax: 3, seed: 1 },
  sine: { kind: 'sine', n: 200, amplitude: 1, frequency: 1, noise: 0.1, xMin: -6, xMax: 6, seed: 1 },
  blobs: { kind: 'blobs', n: 200, separation: 3, spread: 1, seed: 1 },
  circle: { kind: 'circle', n: 400, noise: 0.1, seed: 1 },
  xor: { kind: 'xor', n: 400, noise: 0.1, seed: 1 },
  gauss: { kind: 'gauss', n: 400, noise: 0.1, seed: 1 },
  spiral: { kind: 'spiral', n: 600, classes: 3, noise: 0.05, seed: 1 },
};

/**
 * Points in the square [−1, 1]² (before noise), row i of class i mod K, each coordinate then moved
 * by noise·N(0, 1):
 *
 *   circle  class 1 inside radius 0.5, class 0 in the ring from 0.7 to 1
 *   xor     uniform in the square, away from the axes by 0.05; class 1 where x1·x2 < 0
 *   gauss   two Gaussian clouds (σ = 0.25) at (0.5, 0.5), class 1, and (−0.5, −0.5), class 0
 *   spiral  K arms, arm c turning once from the centre (radius t, angle 2π(c/K + t), t uniform in [0, 1))
 */
function classificationSet(spec: Extract<GeneratorSpec, { kind: 'circle' | 'xor' | 'gauss' | 'spiral' }>): Dataset {
  const n = spec.n;
  if (!(spec.noise >= 0 && spec.noise <= 10)) throw new RangeError(`The noise must be from 0 to 10, got ${spec.noise}`);
  const K = spec.kind === 'spiral' ? spec.classes : 2;
  if (!(Number.isInteger(K) && K >= 2 && K <= 10)) throw new RangeError(`A spiral set has 2 to 10 arms, got ${K}`);
  const rng = new Rng(spec.seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % K;
    let a: number;
    let b: number;
    if (spec.kind === 'circle') {
      const r = c === 1 ? 0.5 * rng.float() : 0.7 + 0.3 * rng.float();
      const angle = 2 * Math.PI * rng.float();
      a = r * cos(angle);
      b = r * sin(angle);
    } else if (spec.kind === 'xor') {
      const side = (u: number) => (u < 0.5 ? -1 : 1) * (0.05 + 0.95 * (2 * Math.abs(u - 0.5)));
      a = side(rng.float());
      b = side(rng.float());
      // Class 1 where the signs differ: draw b's sign to match the class.
      if ((a * b < 0 ? 1 : 0) !== c) b = -b;
    } else if (spec.kind === 'gauss') {
      const centre = c === 1 ? 0.5 : -0.5;
      a = centre + 0.25 * rng.normal();
      b = centre + 0.25 * rng.normal();
    } else {
      const t = rng.float();
      const angle = 2 * Math.PI * (c / K + t);
      a = t * cos(angle);
      b = t * sin(angle);
    }
    x1[i] = a + spec.noise * rng.normal();
    x2[i] = b + spec.noise * rng.normal();
    label[i] = c;
  }
  const title = spec.kind === 'spiral' ? `${K}-arm spiral` : spec.kind === 'gauss' ? 'two Gaussians' : spec.kind;
  return dataset(`${title} (n=${n}, noise ${spec.noise}, seed ${spec.seed})`, [numeric('x1', x1), numeric('x2', x2), numeric('label', label)]);
}

const numeric = (name: string, values: Float64Array): Column => ({ name, kind: 'numeric', values, badRows: 0 });

function dataset(name: string, columns: Column[]): Dataset {
  return { name, rowCount: columns[0].values.length, columns, problems: [], problemCount: 0, notes: [], format: 'csv', header: true };
}

export function generateDataset(spec: GeneratorSpec): Dataset {
  const n = spec.n;
  if (!(Number.isInteger(n) && n >= 1 && n <= 10_000_000)) throw new RangeError(`The number of rows must be a whole number from 1 to 10,000,000, got ${n}`);
  if (spec.kind === 'circle' || spec.kind === 'xor' || spec.kind === 'gauss' || spec.kind === 'spiral') return classificationSet(spec);
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
