/**
 * Filled contour bands of a sampled function with d3-contour (marching
 * squares), in data coordinates. Levels are spaced on a log scale of the
 * value above the grid's minimum when the range spans decades (as on
 * Rosenbrock), linearly otherwise, so valleys keep their detail.
 */
import { contours } from 'd3-contour';
import { expm1, log1p } from '../math/libm';

export interface ContourBand {
  value: number;
  /** Polygons; each is a list of rings, each ring flat [x0, y0, x1, y1, …] in data coordinates. */
  polygons: number[][][];
}

export function contourLevels(values: Float64Array, count: number): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return [min];
  const span = max - min;
  const levels: number[] = [];
  const logScale = span > 1000 * (Math.abs(min) + 1e-12) || span > 1e3;
  for (let k = 0; k < count; k++) {
    const t = k / count;
    levels.push(logScale ? min + expm1(t * log1p(span)) : min + t * span);
  }
  return levels;
}

export function contourBands(values: Float64Array, req: { nx: number; ny: number; x: [number, number]; y: [number, number]; levels: number }): { bands: ContourBand[]; levels: number[]; min: number; max: number } {
  const levels = contourLevels(values, req.levels);
  // d3-contour wants finite numbers; treat undefined points as very high.
  const clean = Array.from(values, (v) => (Number.isFinite(v) ? v : Number.MAX_VALUE));
  const generator = contours().size([req.nx, req.ny]).thresholds(levels);
  const sx = (req.x[1] - req.x[0]) / (req.nx - 1);
  const sy = (req.y[1] - req.y[0]) / (req.ny - 1);
  const bands = generator(clean).map((c) => ({
    value: c.value,
    polygons: c.coordinates.map((polygon) =>
      polygon.map((ring) => {
        const flat: number[] = [];
        // d3 grid coordinates put sample i at i + 0.5
        for (const [gx, gy] of ring) flat.push(req.x[0] + (gx - 0.5) * sx, req.y[0] + (gy - 0.5) * sy);
        return flat;
      }),
    ),
  }));
  return { bands, levels, min: levels[0], max: levels[levels.length - 1] };
}
