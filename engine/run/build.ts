/**
 * From a problem and a run's settings to a live run: the one place that
 * decides how a function or data problem becomes a Run, so the engine host,
 * the `gdlab` command, sessions and experiments build identical runs from
 * identical specs.
 */
import { compileFormula, type CompiledFormula } from '../formula/compile';
import { prepareData, type TrainingData } from '../data/prepare';
import { DatasetError, type Dataset } from '../data/table';
import { buildModel, modelFeatures } from '../model/models';
import type { EngineDataProblem, EngineProblem } from '../spec/problem';
import type { RunSettings } from '../spec/run';
import { FitRun } from './fit';
import { formulaObjective } from './objective';
import { Run } from './run';

export interface BuiltRun {
  run: Run;
  fit: FitRun | null;
  formula: CompiledFormula | null;
  paramNames: string[];
}

export interface BuildContext {
  formula(expr: string, vars?: string[]): CompiledFormula;
  dataset(id: string): Dataset | undefined;
}

export interface BuildOptions {
  historyCapacity?: number;
  /** Steps whose full state the run keeps exactly (function runs). */
  recordSteps?: readonly number[];
  /** Function runs keep ∇f with every recorded step, for views that draw it (the lab's engine asks for it). */
  recordGradient?: boolean;
  /** The problem's training data, when the caller has prepared it already. */
  data?: TrainingData;
  /** Epochs of a fit whose records carry every metric (model/metrics.ts). */
  metricsAt?: readonly number[];
}

/** A formula compiler that compiles each (formula, variables) once: every run of one problem shares it. */
export function formulaCache(compile: BuildContext['formula'] = (expr, vars) => compileFormula(expr, { vars }), limit = Infinity): BuildContext['formula'] {
  const compiled = new Map<string, CompiledFormula>();
  return (expr, vars) => {
    const key = `${vars?.join(',') ?? ''}|${expr}`;
    let f = compiled.get(key);
    if (!f) {
      if (compiled.size >= limit) compiled.clear();
      compiled.set(key, (f = compile(expr, vars)));
    }
    return f;
  };
}

/** The training (and validation) data of a data problem, as every run of it sees them. */
export function prepareProblemData(problem: EngineDataProblem, context: BuildContext): TrainingData {
  const dataset = context.dataset(problem.datasetId);
  if (!dataset) throw new DatasetError(`No dataset "${problem.datasetId}" is loaded`);
  const columns = dataset.columns.map((c) => c.name);
  const features = modelFeatures(problem.model, columns, problem.target, problem.model.kind === 'custom' && problem.features.length === 0 ? undefined : problem.features);
  return prepareData(dataset, { target: problem.target, features, missing: problem.missing, valSplit: problem.valSplit, seed: problem.splitSeed, standardize: problem.standardize, classes: problem.loss.name === 'cross_entropy' });
}

/** A model's number of outputs: one per class for cross-entropy, else one. */
export function modelOutputs(problem: Pick<EngineDataProblem, 'loss' | 'model'>, data: TrainingData): number {
  if (problem.loss.name !== 'cross_entropy') return 1;
  if (problem.model.kind !== 'mlp' && problem.model.kind !== 'softmax') {
    throw new DatasetError('The cross_entropy loss needs a model with one output per class (softmax, or a network mlp:SIZES); use bce for two classes with a logistic model', [], { id: 'crossEntropyNeedsNetwork', values: {} });
  }
  const K = data.classes?.length ?? 0;
  if (K < 2) throw new DatasetError(`The target ${data.targetName} has ${K} class${K === 1 ? '' : 'es'}: a classifier needs at least two`, [], { id: 'oneClass', values: { name: data.targetName, count: K } });
  return K;
}

export function buildRun(problem: EngineProblem, settings: RunSettings, context: BuildContext, options: BuildOptions = {}): BuiltRun {
  const schedule = settings.schedule && settings.schedule.type !== 'constant' ? settings.schedule : undefined;
  const warmup = settings.warmup ?? undefined;
  if (problem.kind === 'function') {
    const formula = context.formula(problem.expr, problem.vars);
    const run = new Run(formulaObjective(formula), {
      start: settings.start.length ? settings.start : new Array(formula.vars.length).fill(0),
      optimizer: settings.optimizer,
      schedule,
      warmup,
      clipNorm: settings.clipNorm,
      stop: settings.stop,
      recordSteps: options.recordSteps,
      historyCapacity: options.historyCapacity,
      recordGradient: options.recordGradient,
    });
    return { run, fit: null, formula, paramNames: [...formula.vars] };
  }
  const data = options.data ?? prepareProblemData(problem, context);
  const model = buildModel(problem.model, data.featureNames, modelOutputs(problem, data));
  const fit = new FitRun(data, model, {
    loss: problem.loss,
    reg: problem.reg,
    optimizer: settings.optimizer,
    schedule,
    warmup,
    clipNorm: settings.clipNorm,
    batchSize: settings.batchSize,
    epochs: settings.epochs,
    shuffle: settings.shuffle,
    seed: settings.seed,
    start: settings.start.length ? settings.start : undefined,
    stop: settings.stop,
    historyCapacity: options.historyCapacity,
    metricsAt: options.metricsAt,
  });
  return { run: fit.run, fit, formula: null, paramNames: model.paramNames };
}
