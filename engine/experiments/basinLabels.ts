/**
 * What a basin map is, and how its start points are labelled once their runs have ended: the
 * light half of basins.ts, with no formula code, so that the page can put together a map whose
 * runs were spread over several engines.
 */
import type { OptimizerSettings } from '../spec/run';
import { hypot } from '../math/libm';

export interface BasinSpec {
  expr: string;
  vars?: string[];
  optimizer: OptimizerSettings;
  x: [number, number];
  y: [number, number];
  nx: number;
  ny: number;
  steps: number;
  /** Known minima to label by; others are added as found. */
  minima?: number[][];
  /** A run has settled when its gradient norm is at most this. */
  gradTol?: number;
  /** A final point within this distance of a minimum belongs to it (default: 1% of the grid's diagonal). */
  radius?: number;
}

export interface BasinMap {
  nx: number;
  ny: number;
  /** Row-major, y outer: label of the start (x_i, y_j) at j·nx + i. */
  labels: Int16Array;
  minima: number[][];
  counts: { diverged: number; unsettled: number };
}

export const DIVERGED = -1;
export const UNSETTLED = -2;

/** Numbers kept per start point by `BasinEndsJob`: where the run ended, f there and |∇f| there. */
export const END_WIDTH = 4;

/**
 * Labels every start point by where its run ended, in cell order: the nearest known minimum within
 * the radius, else a new minimum where the gradient is small, else not settled; diverged runs apart.
 */
export function labelBasins(spec: BasinSpec, ends: Float64Array): BasinMap {
  const cells = spec.nx * spec.ny;
  if (ends.length !== cells * END_WIDTH) throw new RangeError(`A ${spec.nx} × ${spec.ny} map needs ${cells * END_WIDTH} end values, got ${ends.length}`);
  const minima = (spec.minima ?? []).map((m) => [...m]);
  const radius = spec.radius ?? 0.01 * hypot(spec.x[1] - spec.x[0], spec.y[1] - spec.y[0]);
  const gradTol = spec.gradTol ?? 1e-3;
  const labels = new Int16Array(cells);
  let diverged = 0;
  let unsettled = 0;
  for (let cell = 0; cell < cells; cell++) {
    const x = ends[cell * END_WIDTH];
    const y = ends[cell * END_WIDTH + 1];
    if (!Number.isFinite(ends[cell * END_WIDTH + 2]) || !Number.isFinite(x) || !Number.isFinite(y)) {
      diverged++;
      labels[cell] = DIVERGED;
      continue;
    }
    // Within the radius of a minimum is settled there, even while an adaptive optimizer still
    // circles it with a gradient above the tolerance; elsewhere only a small gradient is settled.
    const found = minima.findIndex((m) => hypot(m[0] - x, m[1] - y) <= radius);
    if (found >= 0) labels[cell] = found;
    else if (ends[cell * END_WIDTH + 3] > gradTol) {
      unsettled++;
      labels[cell] = UNSETTLED;
    } else {
      minima.push([x, y]);
      labels[cell] = minima.length - 1;
    }
  }
  return { nx: spec.nx, ny: spec.ny, labels, minima, counts: { diverged, unsettled } };
}
