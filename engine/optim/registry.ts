/** Every optimizer by its PyTorch name, and how to build one from partial settings. */
import { adadelta } from './adadelta';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamax } from './adamax';
import { adamw } from './adamw';
import { backtracking } from './backtracking';
import { newton } from './newton';
import { nadam } from './nadam';
import { radam } from './radam';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';
import type { Hyperparameters, HyperValue, ObjectiveAccess, OptimizerDefinition, OptimizerState } from './types';
import { suggest } from '../formula/suggest';

/** PyTorch's optimizers, then two references that use more than the gradient. */
export const OPTIMIZERS = {
  sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, newton, backtracking,
} as unknown as Readonly<Record<string, OptimizerDefinition>>;

export type OptimizerName = 'sgd' | 'adagrad' | 'rmsprop' | 'adadelta' | 'adam' | 'adamw' | 'adamax' | 'nadam' | 'radam' | 'newton' | 'backtracking';
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

/** An optimizer's name and any of its hyperparameters; the rest take PyTorch's defaults. Checked by `resolveHyperparameters`. */
export interface OptimizerSettings {
  name: string;
  [hyperparameter: string]: unknown;
}

export function optimizerDefinition(name: string): OptimizerDefinition {
  if (!Object.hasOwn(OPTIMIZERS, name)) {
    const hint = suggest(name, OPTIMIZER_NAMES);
    throw new RangeError(`Unknown optimizer "${name}"${hint ? ` — did you mean ${hint}?` : '.'} Choose one of ${OPTIMIZER_NAMES.join(', ')}.`);
  }
  return OPTIMIZERS[name];
}

function checkKind(name: string, value: unknown, kind: 'number' | 'boolean' | 'pair', optimizer: string): HyperValue {
  const ok =
    kind === 'number' ? typeof value === 'number' :
    kind === 'boolean' ? typeof value === 'boolean' :
    Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number');
  if (!ok) {
    const expected = kind === 'pair' ? 'two numbers' : `a ${kind}`;
    throw new RangeError(`${optimizer}: ${name} must be ${expected}, got ${JSON.stringify(value)}`);
  }
  return kind === 'pair' ? ([(value as number[])[0], (value as number[])[1]] as const) : (value as HyperValue);
}

/** Defaults merged with the given values, type-checked and validated; unknown names are refused. */
export function resolveHyperparameters(name: string, given: Record<string, unknown> = {}): Hyperparameters {
  const def = optimizerDefinition(name);
  const h: Hyperparameters = { ...def.defaults };
  for (const [key, value] of Object.entries(given)) {
    if (key === 'name' || value === undefined) continue;
    const spec = def.hyperparameters.find((s) => s.name === key);
    if (!spec) {
      const hint = suggest(key, def.hyperparameters.map((s) => s.name));
      throw new RangeError(`${def.name} has no hyperparameter "${key}"${hint ? ` — did you mean ${hint}?` : ''}; it has ${def.hyperparameters.map((s) => s.name).join(', ')}`);
    }
    h[key] = checkKind(key, value, spec.kind, def.name);
  }
  def.validate(h);
  return h;
}

/** A live optimizer: definition, current hyperparameters and state. Hyperparameters may change between steps. */
export class Optimizer {
  readonly definition: OptimizerDefinition;
  hyper: Hyperparameters;
  readonly state: OptimizerState;

  constructor(name: string, given: Record<string, unknown>, readonly n: number) {
    this.definition = optimizerDefinition(name);
    this.hyper = resolveHyperparameters(name, given);
    this.state = this.definition.init(n, this.hyper);
  }

  get name(): string {
    return this.definition.name;
  }

  get lr(): number {
    return this.hyper.lr as number;
  }

  step(p: Float64Array, g: Float64Array, lr: number, objective?: ObjectiveAccess): void {
    this.definition.step(p, g, this.state, this.hyper, lr, objective);
  }

  /** Change hyperparameters mid-run; the state is kept (as editing `param_groups` in PyTorch). */
  update(changes: Record<string, unknown>): void {
    this.hyper = resolveHyperparameters(this.name, { ...this.hyper, ...changes });
  }
}
