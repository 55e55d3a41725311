/**
 * A run's history on the UI side: columnar typed arrays grown by doubling,
 * fed by the engine's batched progress rows. Big arrays stay out of Svelte's
 * reactivity; charts read them when the Lab's frame counter ticks.
 */

export class RunTrace {
  width = 0;
  count = 0;
  generation = 0;
  steps = new Float64Array(1024);
  values = new Float64Array(1024);
  gradNorms = new Float64Array(1024);
  lrs = new Float64Array(1024);
  params: Float64Array[] = [];

  clear(): void {
    this.count = 0;
  }

  /** The rows as the engine sends them: `width` numbers each (step, value, gradNorm, lr, params…). */
  packed(): Float64Array {
    const w = this.width;
    const out = new Float64Array(this.count * w);
    for (let i = 0; i < this.count; i++) {
      const o = i * w;
      out[o] = this.steps[i];
      out[o + 1] = this.values[i];
      out[o + 2] = this.gradNorms[i];
      out[o + 3] = this.lrs[i];
      for (let j = 0; j < this.params.length; j++) out[o + 4 + j] = this.params[j][i];
    }
    return out;
  }

  private ensure(n: number, paramCount: number): void {
    if (this.params.length !== paramCount) {
      this.params = Array.from({ length: paramCount }, () => new Float64Array(this.steps.length));
    }
    if (n <= this.steps.length) return;
    let size = this.steps.length;
    while (size < n) size *= 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.steps = grow(this.steps);
    this.values = grow(this.values);
    this.gradNorms = grow(this.gradNorms);
    this.lrs = grow(this.lrs);
    this.params = this.params.map(grow);
  }

  /** Keeps rows 0, 2, 4, …: what the engine's history does when it thins. */
  private thin(): void {
    const half = Math.ceil(this.count / 2);
    for (let k = 1; k < half; k++) {
      this.steps[k] = this.steps[2 * k];
      this.values[k] = this.values[2 * k];
      this.gradNorms[k] = this.gradNorms[2 * k];
      this.lrs[k] = this.lrs[2 * k];
      for (const p of this.params) p[k] = p[2 * k];
    }
    this.count = half;
  }

  append(rows: Float64Array, width: number, reset: boolean, generation: number, thinned = 0): void {
    if (reset || width !== this.width) this.count = 0;
    for (let k = 0; k < thinned; k++) this.thin();
    this.width = width;
    this.generation = generation;
    const n = rows.length / width;
    const paramCount = width - 4;
    this.ensure(this.count + n, paramCount);
    for (let r = 0; r < n; r++) {
      const o = r * width;
      const k = this.count + r;
      this.steps[k] = rows[o];
      this.values[k] = rows[o + 1];
      this.gradNorms[k] = rows[o + 2];
      this.lrs[k] = rows[o + 3];
      for (let j = 0; j < paramCount; j++) this.params[j][k] = rows[o + 4 + j];
    }
    this.count += n;
  }

  /** Index of the last row at or before `step`, or -1. */
  indexAt(step: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.steps[mid] <= step) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  get lastStep(): number {
    return this.count ? this.steps[this.count - 1] : 0;
  }
}

/**
 * At most `max` points of a series for drawing: every k-th point, plus the
 * minimum and maximum of each stride so spikes survive, plus the last point.
 */
export function decimate(xs: Float64Array, ys: Float64Array, count: number, max: number): [Float64Array, Float64Array] {
  if (count <= max) return [xs.slice(0, count), ys.slice(0, count)];
  const stride = Math.ceil(count / (max / 2));
  const ox: number[] = [];
  const oy: number[] = [];
  for (let start = 0; start < count; start += stride) {
    const end = Math.min(count, start + stride);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (ys[i] < ys[lo]) lo = i;
      if (ys[i] > ys[hi]) hi = i;
    }
    const [a, b] = lo < hi ? [lo, hi] : [hi, lo];
    ox.push(xs[a]);
    oy.push(ys[a]);
    if (b !== a) {
      ox.push(xs[b]);
      oy.push(ys[b]);
    }
  }
  if (ox[ox.length - 1] !== xs[count - 1]) {
    ox.push(xs[count - 1]);
    oy.push(ys[count - 1]);
  }
  return [Float64Array.from(ox), Float64Array.from(oy)];
}
