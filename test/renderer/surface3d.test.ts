// The 3-D view's geometry: the height field of a sampled f (closed forms on a bowl), the cells left
// out where f is undefined, and a run's path placed on the surface.
import { describe, expect, it } from 'vitest';
import { gridValueAt, HEIGHT, heightField, heightOf, pathPoints, planeOf, tube, viridis } from '../../renderer/src/charts/surface3d';

/** x² + y² sampled as the engine samples a slice: row-major, y outer. */
function bowl(nx: number, ny: number, f = (x: number, y: number) => x * x + y * y): Float64Array {
  const v = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) v[j * nx + i] = f(-2 + (4 * i) / (nx - 1), -1 + (4 * j) / (ny - 1));
  return v;
}

describe('height field', () => {
  it('maps f from its lowest to its highest value onto 0 … HEIGHT over the square', () => {
    const field = heightField(bowl(5, 5), 5, 5, [-2, 2], [-1, 3], false);
    expect(field.frame.lo).toBe(0);
    expect(field.frame.hi).toBe(13);
    // vertex (i, j) = (2, 1) is (x, y) = (0, 0), f = 0; (4, 4) is (2, 3), f = 13.
    expect([...field.positions.subarray(3 * 7, 3 * 8)]).toEqual([0, -0.5, 0]);
    expect(field.positions[3 * 24 + 2]).toBeCloseTo(HEIGHT, 6);
    expect(field.indices.length).toBe(4 * 4 * 6);
    expect([...field.colors.subarray(3 * 24, 3 * 25)].map((c) => Math.round(c * 255))).toEqual([0xfd, 0xe7, 0x25]);
  });

  it('leaves out the cells that touch a point where f is undefined', () => {
    const values = bowl(4, 4);
    values[5] = NaN;
    const field = heightField(values, 4, 4, [-2, 2], [-1, 3], false);
    // (1, 1) is a corner of four of the nine cells.
    expect(field.indices.length).toBe((9 - 4) * 6);
    expect(Number.isFinite(field.frame.hi)).toBe(true);
  });

  it('puts a log height in decades above the lowest value', () => {
    const frame = { x: [0, 1] as [number, number], y: [0, 1] as [number, number], lo: 0, hi: 1e6, log: true };
    expect(heightOf(0, frame)).toBe(0);
    expect(heightOf(1e6, frame)).toBeCloseTo(HEIGHT, 12);
    // The floor is 1e-6 of the span (here 1): f = 1 sits at log10(2) of log10(1e6 + 1) decades.
    expect(heightOf(1, frame)).toBeCloseTo((HEIGHT * Math.log10(2)) / Math.log10(1e6 + 1), 12);
    expect(heightOf(999, frame)).toBeCloseTo(HEIGHT / 2, 2);
  });

  it('colours from the palette’s darkest stop to its lightest', () => {
    expect(viridis(0).map((c) => Math.round(c * 255))).toEqual([0x44, 0x01, 0x54]);
    expect(viridis(1).map((c) => Math.round(c * 255))).toEqual([0xfd, 0xe7, 0x25]);
    expect(viridis(NaN)).toEqual(viridis(0));
  });
});

describe('paths on the surface', () => {
  it('reads f off the grid between samples, exactly where f is bilinear', () => {
    const frame = { x: [-2, 2] as [number, number], y: [-1, 3] as [number, number], lo: 0, hi: 1, log: false };
    const values = bowl(5, 5, (x, y) => 3 * x + 2 * y + x * y);
    expect(gridValueAt(values, 5, 5, frame, 0.5, 0.5)).toBeCloseTo(3 * 0.5 + 2 * 0.5 + 0.25, 12);
    expect(gridValueAt(values, 5, 5, frame, 2, 3)).toBeCloseTo(6 + 6 + 6, 12);
  });

  it('places each recorded point at its (x, y) and its f, just above the mesh, ending at the last one', () => {
    const frame = { x: [-2, 2] as [number, number], y: [-1, 3] as [number, number], lo: 0, hi: 13, log: false };
    const xs = [1, 0.5, 0.25];
    const ys = [2, 1, 0.5];
    const fs = xs.map((x, i) => x * x + ys[i] * ys[i]);
    const points = pathPoints(xs, ys, fs, 2, frame);
    expect(points.length).toBe(9);
    expect([points[6], points[7]]).toEqual(planeOf(0.25, 0.5, frame).map(Math.fround));
    expect(points[8]).toBeCloseTo(heightOf(fs[2], frame) + 0.015, 6);
  });

  it('keeps at most the asked number of points, the last always among them', () => {
    const n = 10_001;
    const xs = Array.from({ length: n }, (_, i) => i / n);
    const points = pathPoints(xs, xs, xs, n - 1, { x: [0, 1], y: [0, 1], lo: 0, hi: 1, log: false }, 1000);
    expect(points.length / 3).toBeLessThanOrEqual(1001);
    expect(points[points.length - 3]).toBeCloseTo(2 * ((n - 1) / n) - 1, 6);
  });
});

describe('a path as a tube', () => {
  it('rings each point at the radius, square to the path, joined by two triangles per side', () => {
    // A bent path: along x, then up along z.
    const points = Float32Array.of(0, 0, 0, 1, 0, 0, 1, 0, 1);
    const { positions, indices } = tube(points, 0.1, 6);
    expect(positions.length).toBe(3 * 6 * 3);
    expect(indices.length).toBe(2 * 6 * 6);
    const tangents = [[1, 0, 0], [Math.SQRT1_2, 0, Math.SQRT1_2], [0, 0, 1]];
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 6; k++) {
        const v = [0, 1, 2].map((d) => positions[3 * (i * 6 + k) + d] - points[3 * i + d]);
        expect(Math.hypot(v[0], v[1], v[2])).toBeCloseTo(0.1, 6);
        expect(v[0] * tangents[i][0] + v[1] * tangents[i][1] + v[2] * tangents[i][2]).toBeCloseTo(0, 6);
      }
    }
    expect(Math.max(...indices)).toBe(3 * 6 - 1);
  });
});
