/**
 * Small fully connected networks (multi-layer perceptrons), as a model a
 * dataset is fitted with. `mlp:8,8` with tanh is
 *
 *   x (d) → Linear(d, 8) → tanh → Linear(8, 8) → tanh → Linear(8, outputs)
 *
 * with one output for regression (mse, mae, huber) or a binary class (bce, a
 * logit), and K outputs for K classes (cross_entropy: softmax over K logits,
 * as torch.nn.CrossEntropyLoss on integer labels).
 *
 * Parameters are one flat vector, layer by layer: each layer's weight matrix
 * (out × in, row-major, as nn.Linear.weight) and then its bias. They start
 * as nn.Linear's default initialisation, U(−1/√in, 1/√in) for weights and
 * biases, drawn from the lab's seeded generator: the same seed, the same
 * network.
 *
 * The forward and backward passes run over a batch at a time in typed arrays
 * allocated once (in blocks of BLOCK rows), so a training step allocates
 * nothing.
 */
import { DatasetError } from '../data/table';
import { Rng } from '../data/random';
import { sampleLoss, sigmoid } from './losses';

import { ACTIVATIONS, MAX_LAYERS, MAX_WIDTH, type Activation } from '../spec/network';
import { exp, log, tanh } from '../math/libm';

export { ACTIVATIONS, type Activation };

export interface MlpSpec {
  kind: 'mlp';
  hidden: number[];
  activation: Activation;
}

/** Rows per block of the forward and backward passes: bounds the buffers for full-batch passes over large sets. */
const BLOCK = 256;

/** `mlp:8,8` → hidden sizes [8, 8]. */
export function parseHidden(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const hidden = parts.map(Number);
  if (parts.length === 0 || parts.length > MAX_LAYERS || !hidden.every((h) => Number.isInteger(h) && h >= 1 && h <= MAX_WIDTH) || parts.some((p) => p === '')) {
    throw new DatasetError(`Write a network as mlp:SIZES, from 1 to ${MAX_LAYERS} hidden layers of 1 to ${MAX_WIDTH} units, e.g. mlp:8,8; got "mlp:${text}"`, [], {
      id: 'mlpSizes',
      values: { text: `mlp:${text}`, layers: MAX_LAYERS, width: MAX_WIDTH },
    });
  }
  return hidden;
}

/** The seed of a network's initial weights, derived from a run's seed so that it is not the shuffle's stream. */
export function initSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) | 0;
}

/** An activation by its index in ACTIVATIONS (3, linear, for the output layer). */
function activate(s: number, act: number): number {
  if (act === 0) return s > 0 ? s : 0;
  if (act === 1) return tanh(s);
  if (act === 2) return sigmoid(s);
  return s;
}

export interface Layer {
  inputs: number;
  outputs: number;
  /** Offset of the weight matrix in the parameter vector; the bias follows it. */
  w: number;
  b: number;
}

export class Network {
  readonly layers: Layer[];
  readonly sizes: number[];
  readonly paramCount: number;
  readonly outputs: number;
  private readonly act: number;
  /** Activations per layer (layer 0 is the input block), BLOCK × size each. */
  private readonly a: Float64Array[];
  /** Backpropagated dℓ/dz per layer, BLOCK × size each. */
  private readonly delta: Float64Array[];
  private readonly dz = new Float64Array(1);

  constructor(
    readonly inputs: number,
    readonly hidden: readonly number[],
    readonly activation: Activation,
    outputs: number,
  ) {
    this.outputs = outputs;
    this.sizes = [inputs, ...hidden, outputs];
    this.layers = [];
    let offset = 0;
    for (let l = 1; l < this.sizes.length; l++) {
      const layer = { inputs: this.sizes[l - 1], outputs: this.sizes[l], w: offset, b: offset + this.sizes[l] * this.sizes[l - 1] };
      offset = layer.b + layer.outputs;
      this.layers.push(layer);
    }
    this.paramCount = offset;
    this.act = ACTIVATIONS.indexOf(activation);
    this.a = this.sizes.map((s) => new Float64Array(BLOCK * s));
    this.delta = this.sizes.map((s) => new Float64Array(BLOCK * s));
  }

  /** Parameter names: W1[r,c] and b1[r] for layer 1, and so on (0-based rows and columns, as torch's tensors). */
  paramNames(): string[] {
    const names: string[] = [];
    this.layers.forEach((layer, l) => {
      for (let r = 0; r < layer.outputs; r++) for (let c = 0; c < layer.inputs; c++) names.push(`W${l + 1}[${r},${c}]`);
      for (let r = 0; r < layer.outputs; r++) names.push(`b${l + 1}[${r}]`);
    });
    return names;
  }

  /** 1 for weights, 0 for biases. */
  weightMask(): Uint8Array {
    const mask = new Uint8Array(this.paramCount);
    for (const layer of this.layers) mask.fill(1, layer.w, layer.b);
    return mask;
  }

  /** nn.Linear's default initialisation from a seeded generator. */
  initial(seed: number): Float64Array {
    const rng = new Rng(initSeed(seed));
    const p = new Float64Array(this.paramCount);
    for (const layer of this.layers) {
      const bound = 1 / Math.sqrt(layer.inputs);
      for (let j = layer.w; j < layer.b + layer.outputs; j++) p[j] = bound * (2 * rng.float() - 1);
    }
    return p;
  }

  /**
   * Forward pass of `count` ≤ BLOCK rows (rows[from + k], or row from + k when rows is null) of X;
   * returns the output block (count × outputs, a view valid until the next call).
   */
  forward(p: Float64Array, X: Float64Array, rows: Uint32Array | null, from: number, count: number): Float64Array {
    const d = this.inputs;
    const input = this.a[0];
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[from + k] : from + k;
      const src = i * d;
      const dst = k * d;
      for (let j = 0; j < d; j++) input[dst + j] = X[src + j];
    }
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { inputs: m, outputs: h, w, b } = this.layers[l];
      const act = l < last ? this.act : 3;
      const a = this.a[l];
      const z = this.a[l + 1];
      for (let k = 0; k < count; k++) {
        const ak = k * m;
        const zk = k * h;
        let o = 0;
        // Four outputs at a time share each input's load; each sum runs over the inputs in order.
        for (; o + 3 < h; o += 4) {
          const w0 = w + o * m;
          const w1 = w0 + m;
          const w2 = w1 + m;
          const w3 = w2 + m;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let i = 0; i < m; i++) {
            const x = a[ak + i];
            s0 += p[w0 + i] * x;
            s1 += p[w1 + i] * x;
            s2 += p[w2 + i] * x;
            s3 += p[w3 + i] * x;
          }
          z[zk + o] = activate(s0 + p[b + o], act);
          z[zk + o + 1] = activate(s1 + p[b + o + 1], act);
          z[zk + o + 2] = activate(s2 + p[b + o + 2], act);
          z[zk + o + 3] = activate(s3 + p[b + o + 3], act);
        }
        for (; o < h; o++) {
          const wo = w + o * m;
          let s = 0;
          for (let i = 0; i < m; i++) s += p[wo + i] * a[ak + i];
          z[zk + o] = activate(s + p[b + o], act);
        }
      }
    }
    return this.a[last + 1];
  }

  /**
   * Summed loss of `count` ≤ BLOCK rows after forward(); with g, adds the summed gradient into g.
   * `loss` is a LOSS_CODES code; code 4 is cross-entropy over the outputs with y the class index.
   */
  lossAndBackward(p: Float64Array, y: Float64Array, rows: Uint32Array | null, from: number, count: number, code: number, delta: number, g: Float64Array | null): number {
    const K = this.outputs;
    const out = this.a[this.layers.length];
    const dOut = this.delta[this.layers.length];
    let total = 0;
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[from + k] : from + k;
      const zk = k * K;
      if (code === 4) {
        let max = -Infinity;
        for (let c = 0; c < K; c++) if (out[zk + c] > max) max = out[zk + c];
        let sum = 0;
        for (let c = 0; c < K; c++) sum += exp(out[zk + c] - max);
        const lse = max + log(sum);
        const label = y[i];
        total += lse - out[zk + label];
        if (g) {
          for (let c = 0; c < K; c++) dOut[zk + c] = exp(out[zk + c] - lse);
          dOut[zk + label] -= 1;
        }
      } else {
        total += sampleLoss(code, 'identity', out[zk], y[i], delta, this.dz);
        dOut[zk] = this.dz[0];
      }
    }
    if (g) this.backward(p, count, g);
    return total;
  }

  private backward(p: Float64Array, count: number, g: Float64Array): void {
    const act = this.act;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { inputs: m, outputs: h, w, b } = this.layers[l];
      const a = this.a[l];
      const dz = this.delta[l + 1];
      // ∂W[o, i] += Σ_k dz[k, o]·a[k, i], four rows at a time.
      let k = 0;
      for (; k + 3 < count; k += 4) {
        const a0 = k * m;
        const a1 = a0 + m;
        const a2 = a1 + m;
        const a3 = a2 + m;
        for (let o = 0; o < h; o++) {
          const c0 = dz[k * h + o];
          const c1 = dz[(k + 1) * h + o];
          const c2 = dz[(k + 2) * h + o];
          const c3 = dz[(k + 3) * h + o];
          if (c0 === 0 && c1 === 0 && c2 === 0 && c3 === 0) continue;
          const wo = w + o * m;
          for (let i = 0; i < m; i++) g[wo + i] += c0 * a[a0 + i] + c1 * a[a1 + i] + c2 * a[a2 + i] + c3 * a[a3 + i];
          g[b + o] += c0 + c1 + c2 + c3;
        }
      }
      for (; k < count; k++) {
        const ak = k * m;
        for (let o = 0; o < h; o++) {
          const c = dz[k * h + o];
          if (c === 0) continue;
          const wo = w + o * m;
          for (let i = 0; i < m; i++) g[wo + i] += c * a[ak + i];
          g[b + o] += c;
        }
      }
      if (l === 0) break;
      // da[k, i] = Σ_o dz[k, o]·W[o, i], four outputs at a time, times the activation's slope.
      const da = this.delta[l];
      for (let r = 0; r < count; r++) {
        const ak = r * m;
        const dk = r * h;
        da.fill(0, ak, ak + m);
        let o = 0;
        for (; o + 3 < h; o += 4) {
          const c0 = dz[dk + o];
          const c1 = dz[dk + o + 1];
          const c2 = dz[dk + o + 2];
          const c3 = dz[dk + o + 3];
          if (c0 === 0 && c1 === 0 && c2 === 0 && c3 === 0) continue;
          const w0 = w + o * m;
          const w1 = w0 + m;
          const w2 = w1 + m;
          const w3 = w2 + m;
          for (let i = 0; i < m; i++) da[ak + i] += c0 * p[w0 + i] + c1 * p[w1 + i] + c2 * p[w2 + i] + c3 * p[w3 + i];
        }
        for (; o < h; o++) {
          const c = dz[dk + o];
          if (c === 0) continue;
          const wo = w + o * m;
          for (let i = 0; i < m; i++) da[ak + i] += c * p[wo + i];
        }
        for (let i = 0; i < m; i++) {
          const v = a[ak + i];
          if (act === 0) da[ak + i] = v > 0 ? da[ak + i] : 0;
          else if (act === 1) da[ak + i] *= 1 - v * v;
          else if (act === 2) da[ak + i] *= v * (1 - v);
        }
      }
    }
  }

  /** Summed loss over `count` rows in blocks, gradient summed into g when given. */
  lossOver(p: Float64Array, X: Float64Array, y: Float64Array, rows: Uint32Array | null, count: number, code: number, delta: number, g: Float64Array | null): number {
    let total = 0;
    for (let from = 0; from < count; from += BLOCK) {
      const c = Math.min(BLOCK, count - from);
      this.forward(p, X, rows, from, c);
      total += this.lossAndBackward(p, y, rows, from, c, code, delta, g);
    }
    return total;
  }

  /** Calls visit(k, outputs, offset) for each of `count` rows of X in order, with that row's outputs at out[offset…]. */
  eachOutput(p: Float64Array, X: Float64Array, count: number, visit: (row: number, out: Float64Array, offset: number) => void): void {
    for (let from = 0; from < count; from += BLOCK) {
      const c = Math.min(BLOCK, count - from);
      const out = this.forward(p, X, null, from, c);
      for (let k = 0; k < c; k++) visit(from + k, out, k * this.outputs);
    }
  }
}
