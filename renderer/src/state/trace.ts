/**
 * A run's history on the page: columnar typed arrays grown by doubling, fed by
 * the engine's batched progress rows (step, value, gradNorm, lr, the
 * parameters, and for a formula ∇f at each step). Big arrays stay out of
 * Svelte's reactivity; views read them when the results' frame counter ticks.
 */

export class RunTrace {
  count = 0;
  generation = 0;
  steps = new Float64Array(1024);
  values = new Float64Array(1024);
  gradNorms = new Float64Array(1024);
  lrs = new Float64Array(1024);
  params: Float64Array[] = [];
  /** ∇f at each step (function runs), one array per variable; empty where the engine keeps none. */
  gradients: Float64Array[] = [];

  /** Numbers a row holds as a session saves it: step, value, gradNorm, lr and the parameters. */
  get width(): number {
    return 4 + this.params.length;
  }

  clear(): void {
    this.count = 0;
  }

  /** The rows as a session saves them: `width` numbers each (step, value, gradNorm, lr, params…). */
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

  private columns(): Float64Array[] {
    return [...this.params, ...this.gradients];
  }

  private ensure(n: number, paramCount: number, gradientCount: number): void {
    if (this.params.length !== paramCount || this.gradients.length !== gradientCount) {
      this.params = Array.from({ length: paramCount }, () => new Float64Array(this.steps.length));
      this.gradients = Array.from({ length: gradientCount }, () => new Float64Array(this.steps.length));
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
    this.gradients = this.gradients.map(grow);
  }

  /** Keeps rows 0, 2, 4, …: what the engine's history does when it thins. */
  private thin(): void {
    const half = Math.ceil(this.count / 2);
    const columns = [this.steps, this.values, this.gradNorms, this.lrs, ...this.columns()];
    for (let k = 1; k < half; k++) for (const c of columns) c[k] = c[2 * k];
    this.count = half;
  }

  /** Rows as the engine sends them: `width` numbers each, the last `gradients` of them ∇f. */
  append(rows: Float64Array, width: number, gradients: number, reset: boolean, generation: number, thinned = 0): void {
    const paramCount = width - 4 - gradients;
    if (reset || paramCount !== this.params.length || gradients !== this.gradients.length) this.count = 0;
    for (let k = 0; k < thinned; k++) this.thin();
    this.generation = generation;
    const n = rows.length / width;
    this.ensure(this.count + n, paramCount, gradients);
    for (let r = 0; r < n; r++) {
      const o = r * width;
      const k = this.count + r;
      this.steps[k] = rows[o];
      this.values[k] = rows[o + 1];
      this.gradNorms[k] = rows[o + 2];
      this.lrs[k] = rows[o + 3];
      for (let j = 0; j < paramCount; j++) this.params[j][k] = rows[o + 4 + j];
      for (let j = 0; j < gradients; j++) this.gradients[j][k] = rows[o + 4 + paramCount + j];
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

  /** The row shown for a view step: the last one at or before it, or the latest (null), or -1 when there is none. */
  rowAt(step: number | null): number {
    if (this.count === 0) return -1;
    return step === null ? this.count - 1 : Math.max(0, this.indexAt(step));
  }

  get lastStep(): number {
    return this.count ? this.steps[this.count - 1] : 0;
  }
}
