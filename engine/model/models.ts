/**
 * The models a dataset can be fitted with. Each gives its raw output z for a
 * sample and adds coef·∂z/∂θ to a gradient, so one batch loop serves them all.
 *
 *   linear     z = w1·x1 + … + wn·xn + b                      parameters w1…wn, b
 *   logistic   the same z, predicting σ(z)                    parameters w1…wn, b
 *   poly:d     z = w1·x + w2·x² + … + wd·x^d + b (one feature) parameters w1…wd, b
 *   softmax    one z per class, z_k = W[k,·]·x + b[k], predicting softmax(z) (multinomial logistic
 *              regression: torch.nn.Linear(d, K) with cross-entropy)  parameters W[k,j], b[k]
 *   custom     z = any formula of parameters and data columns, e.g. a*exp(b*x) + c,
 *              compiled with the function mode's formula machinery; its gradient
 *              with respect to the parameters is the compiled symbolic gradient.
 */
import { compileFormula, type CompiledFormula } from '../formula/compile';
import { FormulaError, parseFormula } from '../formula/parse';
import { DatasetError } from '../data/table';
import { DEFAULT_ACTIVATION } from '../data/defaults';
import type { Link } from './losses';
import { ACTIVATIONS, Network, parseHidden, type Activation } from './mlp';

export type ModelSpec =
  | { kind: 'linear' }
  | { kind: 'logistic' }
  | { kind: 'softmax' }
  | { kind: 'poly'; degree: number }
  | { kind: 'custom'; expr: string; params?: string[]; init?: Record<string, number> }
  | { kind: 'mlp'; hidden: number[]; activation: Activation };

export interface Model {
  spec: ModelSpec;
  paramNames: string[];
  link: Link;
  /** 1 for parameters that regularization applies to (weights, not the bias). */
  regularized: Uint8Array;
  /** Number of feature columns per sample. */
  d: number;
  /** z = θ·x + b with θ = params[0..d), b = params[d]: lets the batch loop inline it. */
  linear?: boolean;
  /** For a network: its layers, whose batch passes replace output/accumulate in training. */
  network?: Network;
  /** Start values; `seed` is the run's seed, which draws a network's initial weights. */
  initial(seed?: number): Float64Array;
  /** Raw output z for sample i of X (row-major, d columns). */
  output(theta: Float64Array, X: Float64Array, i: number): number;
  /** g += coef · ∂z/∂θ at sample i; for custom models, right after output() for the same sample. */
  accumulate(theta: Float64Array, X: Float64Array, i: number, coef: number, g: Float64Array): void;
}

export function parseModelSpec(text: string): ModelSpec {
  const t = text.trim();
  if (t === 'linear' || t === 'logistic' || t === 'softmax') return { kind: t };
  const poly = /^poly(?:nomial)?:(\d+)$/.exec(t);
  if (poly) {
    const degree = Number(poly[1]);
    if (degree < 1 || degree > 20) throw new DatasetError(`The polynomial degree must be between 1 and 20, got ${degree}`);
    return { kind: 'poly', degree };
  }
  const mlp = /^mlp:(.*)$/.exec(t);
  if (mlp) return { kind: 'mlp', hidden: parseHidden(mlp[1]), activation: DEFAULT_ACTIVATION };
  if (/^poly/.test(t)) throw new DatasetError(`Write a polynomial model as poly:DEGREE, e.g. poly:3`);
  return { kind: 'custom', expr: t };
}

/** The data columns a model reads, in the order of X's columns. */
export function modelFeatures(spec: ModelSpec, columns: readonly string[], target: string, given?: readonly string[]): string[] {
  if (spec.kind === 'custom') return customSplit(spec, columns, target, given).dataVars;
  const features = given ?? columns.filter((c) => c !== target);
  if (spec.kind === 'poly' && features.length !== 1) {
    throw new DatasetError(`A polynomial model takes exactly one feature; ${features.length === 0 ? 'none was' : `${features.join(', ')} were`} given: choose one feature`);
  }
  return [...features];
}

function customSplit(spec: Extract<ModelSpec, { kind: 'custom' }>, columns: readonly string[], target: string, given?: readonly string[]) {
  let symbols: string[];
  try {
    symbols = parseFormula(spec.expr).vars;
  } catch (error) {
    if (error instanceof FormulaError) throw new FormulaError(`Model formula: ${error.message}`, error.column, error.length, error.words);
    throw error;
  }
  if (symbols.includes(target)) throw new DatasetError(`The model formula uses the target column "${target}"; it should compute the target from the features`, [], { id: 'modelUsesTarget', values: { name: target } });
  let params: string[];
  let dataVars: string[];
  if (spec.params) {
    params = [...spec.params];
    dataVars = symbols.filter((s) => !params.includes(s));
    for (const v of dataVars) {
      if (!columns.includes(v)) throw new DatasetError(`The model formula uses "${v}", which is neither a parameter (${params.join(', ')}) nor a column (${columns.join(', ')})`);
    }
  } else {
    dataVars = symbols.filter((s) => columns.includes(s));
    params = symbols.filter((s) => !columns.includes(s));
    for (const v of params) {
      if (looksLikeColumn(v, columns)) {
        throw new DatasetError(`The model formula uses "${v}", which is not a column of the dataset (the columns are ${columns.join(', ')}); name the parameters explicitly if it is one`);
      }
    }
  }
  if (given) {
    for (const v of dataVars) if (!given.includes(v)) throw new DatasetError(`The model formula uses column "${v}", which is not among the features (${given.join(', ')})`, [], { id: 'modelColumnNotFeature', values: { name: v, features: given.join(', ') } });
  }
  if (dataVars.length === 0) throw new DatasetError(`The model formula uses no data column; the columns are ${columns.join(', ')}`, [], { id: 'modelNoColumn', values: { columns: columns.join(', ') } });
  if (params.length === 0) throw new DatasetError('The model formula has no parameters to fit: every symbol in it is a column', [], { id: 'modelNoParams', values: {} });
  return { params, dataVars };
}

/** A symbol shaped like the column names (x3 beside x1, x2) is more likely a missing column than a parameter. */
function looksLikeColumn(symbol: string, columns: readonly string[]): boolean {
  const stem = (s: string) => s.replace(/\d+$/, '');
  return /\d$/.test(symbol) && columns.some((c) => /\d$/.test(c) && stem(c) === stem(symbol));
}

function linearLike(spec: ModelSpec, d: number, paramNames: string[], link: Link): Model {
  const regularized = new Uint8Array(paramNames.length).fill(1);
  regularized[paramNames.length - 1] = 0;
  return {
    spec,
    paramNames,
    link,
    regularized,
    d,
    linear: true,
    initial: () => new Float64Array(paramNames.length),
    output(theta, X, i) {
      let z = theta[d];
      const o = i * d;
      for (let j = 0; j < d; j++) z += theta[j] * X[o + j];
      return z;
    },
    accumulate(_theta, X, i, coef, g) {
      const o = i * d;
      for (let j = 0; j < d; j++) g[j] += coef * X[o + j];
      g[d] += coef;
    },
  };
}

function polynomial(spec: Extract<ModelSpec, { kind: 'poly' }>): Model {
  const degree = spec.degree;
  const paramNames = [...Array.from({ length: degree }, (_, k) => `w${k + 1}`), 'b'];
  const regularized = new Uint8Array(degree + 1).fill(1);
  regularized[degree] = 0;
  return {
    spec,
    paramNames,
    link: 'identity',
    regularized,
    d: 1,
    initial: () => new Float64Array(degree + 1),
    output(theta, X, i) {
      const x = X[i];
      let z = theta[degree];
      let power = 1;
      for (let k = 0; k < degree; k++) {
        power *= x;
        z += theta[k] * power;
      }
      return z;
    },
    accumulate(_theta, X, i, coef, g) {
      const x = X[i];
      let power = 1;
      for (let k = 0; k < degree; k++) {
        power *= x;
        g[k] += coef * power;
      }
      g[degree] += coef;
    },
  };
}

function custom(spec: Extract<ModelSpec, { kind: 'custom' }>, features: readonly string[]): Model & { formula: CompiledFormula } {
  const params = customSplit(spec, features, '', features).params;
  const formula = compileFormula(spec.expr, { vars: [...params, ...features], wrt: params });
  const P = params.length;
  const d = features.length;
  const p = new Float64Array(P + d);
  const gz = new Float64Array(P);
  for (const key of Object.keys(spec.init ?? {})) {
    if (!params.includes(key)) throw new DatasetError(`The start value names "${key}", which is not a parameter of the model (${params.join(', ')})`);
  }
  return {
    spec,
    formula,
    paramNames: params,
    link: 'identity',
    regularized: new Uint8Array(P).fill(1),
    d,
    initial: () => Float64Array.from(params, (name) => spec.init?.[name] ?? 1),
    output(theta, X, i) {
      for (let k = 0; k < P; k++) p[k] = theta[k];
      const o = i * d;
      for (let j = 0; j < d; j++) p[P + j] = X[o + j];
      return formula.valueAndGradient(p, gz);
    },
    accumulate(_theta, _X, _i, coef, g) {
      for (let k = 0; k < P; k++) g[k] += coef * gz[k];
    },
  };
}

/**
 * Multinomial logistic regression: a network of one linear layer, d inputs to K class scores, which
 * starts at zero (as logistic regression does) and names its parameters as torch.nn.Linear's weight
 * and bias: W[k,j], b[k].
 */
function softmax(spec: Extract<ModelSpec, { kind: 'softmax' }>, d: number, outputs: number): Model {
  if (outputs < 2) throw new DatasetError('Softmax regression fits classes with the cross_entropy loss: choose cross_entropy, or a logistic model with bce for two classes', [], { id: 'softmaxNeedsClasses', values: {} });
  const net = new Network(d, [], 'linear', outputs);
  return {
    spec,
    network: net,
    paramNames: net.paramNames().map((n) => n.replace(/^([Wb])1\[/, '$1[')),
    link: 'identity',
    regularized: net.weightMask(),
    d,
    initial: () => new Float64Array(net.paramCount),
    output: (theta, X, i) => net.forward(theta, X, null, i, 1)[0],
    accumulate() {
      throw new Error('softmax regression trains by batch passes');
    },
  };
}

function network(spec: Extract<ModelSpec, { kind: 'mlp' }>, d: number, outputs: number): Model {
  if (!ACTIVATIONS.includes(spec.activation)) throw new DatasetError(`Unknown activation "${spec.activation}"; choose one of ${ACTIVATIONS.join(', ')}`);
  const net = new Network(d, spec.hidden, spec.activation, outputs);
  if (net.paramCount > MAX_NETWORK_PARAMS) {
    const sizes = net.sizes.join('-');
    throw new DatasetError(`A ${sizes} network has ${net.paramCount} parameters; the lab trains networks of up to ${MAX_NETWORK_PARAMS}: choose fewer or smaller hidden layers`, [], {
      id: 'networkTooLarge',
      values: { sizes, count: net.paramCount, max: MAX_NETWORK_PARAMS },
    });
  }
  return {
    spec,
    network: net,
    paramNames: net.paramNames(),
    link: 'identity',
    regularized: net.weightMask(),
    d,
    initial: (seed = 0) => net.initial(seed),
    output: (theta, X, i) => net.forward(theta, X, null, i, 1)[0],
    accumulate() {
      throw new Error('a network trains by batch passes');
    },
  };
}

/** The most parameters a network may have: what a session's history rows hold. */
export const MAX_NETWORK_PARAMS = 10_000;

/** `outputs` is a network's number of outputs: the number of classes for cross-entropy, else 1. */
export function buildModel(spec: ModelSpec, features: readonly string[], outputs = 1): Model {
  const d = features.length;
  switch (spec.kind) {
    case 'mlp':
      return network(spec, d, outputs);
    case 'linear':
      return linearLike(spec, d, [...features.map((_, j) => `w${j + 1}`), 'b'], 'identity');
    case 'logistic':
      return linearLike(spec, d, [...features.map((_, j) => `w${j + 1}`), 'b'], 'sigmoid');
    case 'softmax':
      return softmax(spec, d, outputs);
    case 'poly':
      return polynomial(spec);
    case 'custom':
      return custom(spec, features);
  }
}
