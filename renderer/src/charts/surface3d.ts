/**
 * The 3-D surface view's geometry, apart from any drawing: f sampled over two variables becomes a
 * height field over the unit square (x and y to [−1, 1], height to [0, HEIGHT], linear or log),
 * coloured by height with the contour map's palette, and a run's path becomes points on it.
 */

/** The tallest point of the surface, in the view's units (the square is 2 wide). */
export const HEIGHT = 1.1;

const STOPS = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'].map((hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255));

/** The palette at t in [0, 1], interpolated between its stops. */
export function viridis(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - k;
  return [0, 1, 2].map((c) => STOPS[k][c] * (1 - f) + STOPS[k + 1][c] * f) as [number, number, number];
}

export interface SurfaceFrame {
  x: [number, number];
  y: [number, number];
  /** The lowest and highest finite f on the grid. */
  lo: number;
  hi: number;
  log: boolean;
}

/** A value's height: f from lo to hi onto 0 to HEIGHT; on a log height, log10 of f − lo over a floor. */
export function heightOf(v: number, frame: SurfaceFrame): number {
  if (!Number.isFinite(v)) return v === -Infinity ? 0 : HEIGHT;
  const { lo, hi } = frame;
  if (!(hi > lo)) return HEIGHT / 2;
  const c = Math.min(hi, Math.max(lo, v));
  if (!frame.log) return (HEIGHT * (c - lo)) / (hi - lo);
  const floor = (hi - lo) * 1e-6;
  return (HEIGHT * Math.log10((c - lo + floor) / floor)) / Math.log10((hi - lo + floor) / floor);
}

/** A point of the plane (x, y) in the view's square. */
export function planeOf(x: number, y: number, frame: SurfaceFrame): [number, number] {
  return [(2 * (x - frame.x[0])) / (frame.x[1] - frame.x[0]) - 1, (2 * (y - frame.y[0])) / (frame.y[1] - frame.y[0]) - 1];
}

export interface HeightField {
  frame: SurfaceFrame;
  /** x, y, height per vertex. */
  positions: Float32Array;
  /** r, g, b per vertex. */
  colors: Float32Array;
  /** Two triangles per grid cell, leaving out cells with a vertex where f is not finite. */
  indices: Uint32Array;
}

/** The frame a grid of f is drawn in: its window, the lowest and highest finite f on it (0 and 1 without any), the height scale. */
export function surfaceFrame(values: Float64Array, x: [number, number], y: [number, number], log: boolean): SurfaceFrame {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) [lo, hi] = [0, 1];
  return { x, y, lo, hi, log };
}

/** The grid of f (row-major, y outer, as the engine samples it) as a coloured height field. */
export function heightField(values: Float64Array, nx: number, ny: number, x: [number, number], y: [number, number], log: boolean): HeightField {
  const frame = surfaceFrame(values, x, y, log);
  const positions = new Float32Array(nx * ny * 3);
  const colors = new Float32Array(nx * ny * 3);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const h = heightOf(values[k], frame);
      positions.set([(2 * i) / (nx - 1) - 1, (2 * j) / (ny - 1) - 1, h], 3 * k);
      colors.set(Number.isFinite(values[k]) ? viridis(h / HEIGHT) : [0.6, 0.6, 0.6], 3 * k);
    }
  }
  const indices: number[] = [];
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const a = j * nx + i;
      const b = a + 1;
      const c = a + nx;
      const d = c + 1;
      if (![a, b, c, d].every((q) => Number.isFinite(values[q]))) continue;
      indices.push(a, b, d, a, d, c);
    }
  }
  return { frame, positions, colors, indices: Uint32Array.from(indices) };
}

/**
 * A run's path up to history index `last` as points on the surface (x, y, height, lifted a little
 * so that it is drawn above the mesh), at most `most` of them with the last always included.
 */
export function pathPoints(xs: ArrayLike<number>, ys: ArrayLike<number>, fs: ArrayLike<number>, last: number, frame: SurfaceFrame, most = 1000): Float32Array {
  const stride = Math.max(1, Math.ceil(last / most));
  const picks: number[] = [];
  for (let i = 0; i < last; i += stride) picks.push(i);
  if (last >= 0) picks.push(last);
  const out = new Float32Array(picks.length * 3);
  let n = 0;
  for (const i of picks) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i]) || !Number.isFinite(fs[i])) break;
    const [px, py] = planeOf(xs[i], ys[i], frame);
    out.set([px, py, heightOf(fs[i], frame) + 0.015], 3 * n++);
  }
  return out.subarray(0, 3 * n);
}

/**
 * A path as a thin tube: a ring of `sides` vertices around each point, square to the path there,
 * and two triangles between neighbouring vertices of consecutive rings. Plain triangles, so that it
 * draws as cheaply as the surface, GPU or not (wide lines in WebGL need instanced quads).
 */
export function tube(points: Float32Array, radius: number, sides = 6): { positions: Float32Array; indices: Uint32Array } {
  const n = points.length / 3;
  const positions = new Float32Array(n * sides * 3);
  const cos = Float64Array.from({ length: sides }, (_, k) => Math.cos((2 * Math.PI * k) / sides) * radius);
  const sin = Float64Array.from({ length: sides }, (_, k) => Math.sin((2 * Math.PI * k) / sides) * radius);
  const at = (i: number, c: number) => points[3 * Math.min(n - 1, Math.max(0, i)) + c];
  // Scalars rather than small arrays: this runs for every run at every frame a path grows.
  let sx = 0;
  let sy = 0;
  let sz = 1;
  for (let i = 0; i < n; i++) {
    // The tangent: from the previous point to the next.
    let tx = at(i + 1, 0) - at(i - 1, 0);
    let ty = at(i + 1, 1) - at(i - 1, 1);
    let tz = at(i + 1, 2) - at(i - 1, 2);
    let len = Math.sqrt(tx * tx + ty * ty + tz * tz);
    if (len > 0) {
      tx /= len;
      ty /= len;
      tz /= len;
    } else {
      tx = 1;
      ty = tz = 0;
    }
    // Two directions square to it (u and the new side s = t × u), kept turning smoothly from point to point.
    let ux = sy * tz - sz * ty;
    let uy = sz * tx - sx * tz;
    let uz = sx * ty - sy * tx;
    len = Math.sqrt(ux * ux + uy * uy + uz * uz);
    if (len < 1e-6) {
      // The old side along the tangent: start again from the vertical (or x where the path is vertical).
      const vertical = Math.abs(tz) < 0.9;
      const ox = vertical ? 0 : 1;
      const oz = vertical ? 1 : 0;
      ux = -oz * ty;
      uy = oz * tx - ox * tz;
      uz = ox * ty;
      len = Math.sqrt(ux * ux + uy * uy + uz * uz);
    }
    ux /= len;
    uy /= len;
    uz /= len;
    sx = ty * uz - tz * uy;
    sy = tz * ux - tx * uz;
    sz = tx * uy - ty * ux;
    const px = points[3 * i];
    const py = points[3 * i + 1];
    const pz = points[3 * i + 2];
    for (let k = 0; k < sides; k++) {
      const o = 3 * (i * sides + k);
      positions[o] = px + cos[k] * ux + sin[k] * sx;
      positions[o + 1] = py + cos[k] * uy + sin[k] * sy;
      positions[o + 2] = pz + cos[k] * uz + sin[k] * sz;
    }
  }
  const indices = new Uint32Array(Math.max(0, n - 1) * sides * 6);
  let q = 0;
  for (let i = 0; i + 1 < n; i++) {
    for (let k = 0; k < sides; k++) {
      const a = i * sides + k;
      const b = i * sides + ((k + 1) % sides);
      indices[q++] = a;
      indices[q++] = a + sides;
      indices[q++] = b;
      indices[q++] = b;
      indices[q++] = a + sides;
      indices[q++] = b + sides;
    }
  }
  return { positions, indices };
}

/** f at (x, y) read off the sampled grid (bilinear between its four nearest samples), for marking a start point on the drawn surface. */
export function gridValueAt(values: Float64Array, nx: number, ny: number, frame: SurfaceFrame, x: number, y: number): number {
  const gx = Math.min(nx - 1, Math.max(0, ((x - frame.x[0]) / (frame.x[1] - frame.x[0])) * (nx - 1)));
  const gy = Math.min(ny - 1, Math.max(0, ((y - frame.y[0]) / (frame.y[1] - frame.y[0])) * (ny - 1)));
  const i = Math.min(nx - 2, Math.floor(gx));
  const j = Math.min(ny - 2, Math.floor(gy));
  const [fx, fy] = [gx - i, gy - j];
  const v = (a: number, b: number) => values[b * nx + a];
  return (1 - fy) * ((1 - fx) * v(i, j) + fx * v(i + 1, j)) + fy * ((1 - fx) * v(i, j + 1) + fx * v(i + 1, j + 1));
}
