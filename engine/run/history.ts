/**
 * A run's recorded steps in chunked typed arrays. Each record is one row of
 * `width = 4 + n + m` numbers: step, value, gradNorm, lr, then the n
 * parameters, then (for a history that keeps them, m = n) the gradient at the
 * step: what a view draws the downhill direction and the slope from.
 * Memory is bounded: when `capacity` records are held, every other record is
 * dropped and from then on only steps that are multiples of the doubled
 * `stride` are recorded, so a run of any length keeps between capacity/2 and
 * capacity records spread evenly over its whole length. `generation` counts
 * these thinnings so that a reader holding an older copy knows to start over.
 */
import { log2 } from '../math/libm';

export const CHUNK = 4096;
const COLUMNS = 4;
/**
 * The most bytes a history's rows may hold. Rows of a few parameters never reach it (65,536 rows
 * of 44 parameters are 24 MiB); wider rows (a network's, with hundreds or thousands of weights)
 * do: their history keeps fewer rows, in smaller chunks for the widest, and thins (doubles its
 * stride) sooner.
 */
export const HISTORY_BYTES = 24 * 2 ** 20;

export interface StepRecord {
  step: number;
  value: number;
  gradNorm: number;
  lr: number;
  params: number[];
  /** ∇f at the step, where the history keeps it. */
  gradient?: number[];
}

function objectArray(): Float64Array[] {
  const a = [new Float64Array(0)];
  a.length = 0;
  return a;
}

export class History {
  readonly width: number;
  readonly capacity: number;
  /** Rows per chunk, a power of two (CHUNK unless rows are wide), as a shift and a mask. */
  private readonly shift: number;
  private readonly mask: number;
  stride = 1;
  count = 0;
  generation = 0;
  // Both start out holding objects (an empty `[]` starts as an array of small integers): every
  // History then has the same array shapes, and code compiled for one run's recording fits the next.
  private chunks: Float64Array[] = objectArray();
  private spare: Float64Array[] = objectArray();
  /** The chunk the next record goes into. */
  private tail: Float64Array = new Float64Array(0);

  constructor(
    readonly n: number,
    capacity = 1 << 16,
    /** Gradient columns after the parameters: n, or 0 for none. */
    readonly gradients = 0,
  ) {
    this.width = COLUMNS + n + gradients;
    const fits = Math.floor(HISTORY_BYTES / (this.width * 8));
    let chunk = CHUNK;
    while (chunk > 64 && 4 * chunk > fits) chunk >>= 1;
    this.shift = log2(chunk);
    this.mask = chunk - 1;
    const wanted = Math.max(2 * chunk, Math.ceil(capacity / chunk) * chunk);
    this.capacity = Math.min(wanted, Math.max(2 * chunk, Math.floor(fits / chunk) * chunk));
  }

  /** Whether a step would be kept under the current stride. */
  wants(step: number): boolean {
    return step % this.stride === 0;
  }

  /** Appends a record (`gradient` is kept where the history has gradient columns); call only for steps in increasing order. */
  push(step: number, value: number, gradNorm: number, lr: number, params: Float64Array, gradient: Float64Array): void {
    if (this.count === this.capacity) this.thin();
    const within = this.count & this.mask;
    if (within === 0) {
      const c = this.count >> this.shift;
      if (c === this.chunks.length) this.chunks.push(this.spare.pop() ?? new Float64Array((this.mask + 1) * this.width));
      this.tail = this.chunks[c];
    }
    const chunk = this.tail;
    const o = within * this.width;
    chunk[o] = step;
    chunk[o + 1] = value;
    chunk[o + 2] = gradNorm;
    chunk[o + 3] = lr;
    for (let i = 0, n = this.n; i < n; i++) chunk[o + COLUMNS + i] = params[i];
    for (let i = 0, m = this.gradients, at = o + COLUMNS + this.n; i < m; i++) chunk[at + i] = gradient[i];
    this.count++;
  }

  private thin(): void {
    const w = this.width;
    const half = this.count >> 1;
    for (let k = 1; k < half; k++) {
      const from = 2 * k;
      const src = this.chunks[from >> this.shift];
      const dst = this.chunks[k >> this.shift];
      const so = (from & this.mask) * w;
      const dO = (k & this.mask) * w;
      for (let j = 0; j < w; j++) dst[dO + j] = src[so + j];
    }
    this.count = half;
    // Chunks freed by thinning are kept for reuse: touching fresh memory costs more than the recording itself.
    this.spare.push(...this.chunks.splice(Math.ceil(half / (this.mask + 1))));
    this.tail = this.chunks[(half - 1) >> this.shift];
    this.stride *= 2;
    this.generation++;
  }

  private row(index: number): { chunk: Float64Array; offset: number } {
    return { chunk: this.chunks[index >> this.shift], offset: (index & this.mask) * this.width };
  }

  stepAt(index: number): number {
    const { chunk, offset } = this.row(index);
    return chunk[offset];
  }

  get lastStep(): number {
    return this.count ? this.stepAt(this.count - 1) : -1;
  }

  record(index: number): StepRecord {
    const { chunk, offset } = this.row(index);
    return {
      step: chunk[offset],
      value: chunk[offset + 1],
      gradNorm: chunk[offset + 2],
      lr: chunk[offset + 3],
      params: Array.from(chunk.subarray(offset + COLUMNS, offset + COLUMNS + this.n)),
      ...(this.gradients ? { gradient: Array.from(chunk.subarray(offset + COLUMNS + this.n, offset + this.width)) } : {}),
    };
  }

  /** Index of the last record at or before `step`, or -1. */
  indexAtOrBefore(step: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.stepAt(mid) <= step) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Rows [from, to) as one packed array (row-major, `width` columns; `columns` keeps the first that many of each row). */
  rows(from: number, to: number, columns = this.width): Float64Array {
    const out = new Float64Array(Math.max(0, to - from) * columns);
    for (let i = from; i < to; i++) {
      const { chunk, offset } = this.row(i);
      out.set(chunk.subarray(offset, offset + columns), (i - from) * columns);
    }
    return out;
  }

  /** One column over all records: 0 step, 1 value, 2 gradNorm, 3 lr, 4 + i parameter i. */
  column(c: number): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const { chunk, offset } = this.row(i);
      out[i] = chunk[offset + c];
    }
    return out;
  }

  /** Bytes held by the record arrays, spare chunks included. */
  get bytes(): number {
    return [...this.chunks, ...this.spare].reduce((sum, c) => sum + c.byteLength, 0);
  }
}
