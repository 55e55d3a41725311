/**
 * From a validated run spec (the protocol's `createRun`, or a session's run) to
 * a live run: the one place that decides how a function or data problem becomes
 * a Run, so the engine host, the `gdlab` command and sessions build identical
 * runs from identical specs.
 */
import { compileFormula, type CompiledFormula } from '../formula/compile';
import { prepareData } from '../data/prepare';
import { DatasetError, type Dataset } from '../data/table';
import { buildModel, modelFeatures } from '../model/models';
import type { RunSpecSchema } from '../host/protocol';
import type { z } from 'zod';
import { FitRun } from './fit';
import { formulaObjective } from './objective';
import { Run } from './run';

export type ParsedRunSpec = z.infer<typeof RunSpecSchema>;

export interface BuiltRun {
  run: Run;
  fit: FitRun | null;
  formula: CompiledFormula | null;
  paramNames: string[];
}

/** A formula compiler that compiles each (formula, variables) once: every run of one problem shares it. */
export function formulaCache(compile: BuildContext['formula'] = (expr, vars) => compileFormula(expr, { vars })): BuildContext['formula'] {
  const compiled = new Map<string, CompiledFormula>();
  return (expr, vars) => {
    const key = `${vars?.join(',') ?? ''}|${expr}`;
    let f = compiled.get(key);
    if (!f) compiled.set(key, (f = compile(expr, vars)));
    return f;
  };
}

export interface BuildContext {
  formula(expr: string, vars?: string[]): CompiledFormula;
  dataset(id: string): Dataset | undefined;
}

export function buildRun(spec: ParsedRunSpec, context: BuildContext): BuiltRun {
  if (spec.problem.kind === 'function') {
    const formula = context.formula(spec.problem.expr, spec.problem.vars);
    const run = new Run(formulaObjective(formula), {
      start: spec.start ?? new Array(formula.vars.length).fill(0),
      optimizer: spec.optimizer,
      schedule: spec.schedule,
      warmup: spec.warmup,
      clipNorm: spec.clipNorm ?? null,
      stop: spec.stop,
      historyCapacity: spec.historyCapacity,
    });
    return { run, fit: null, formula, paramNames: [...formula.vars] };
  }
  const problem = spec.problem;
  const dataset = context.dataset(problem.datasetId);
  if (!dataset) throw new DatasetError(`No dataset "${problem.datasetId}" is loaded`);
  const columns = dataset.columns.map((c) => c.name);
  const features = modelFeatures(problem.model, columns, problem.target, problem.model.kind === 'custom' && problem.features.length === 0 ? undefined : problem.features);
  const data = prepareData(dataset, { target: problem.target, features, missing: problem.missing, valSplit: problem.valSplit, seed: problem.splitSeed, standardize: problem.standardize });
  const model = buildModel(problem.model, data.featureNames);
  const fit = new FitRun(data, model, {
    loss: spec.loss ?? { name: problem.model.kind === 'logistic' ? 'bce' : 'mse' },
    reg: spec.reg,
    optimizer: spec.optimizer,
    schedule: spec.schedule,
    warmup: spec.warmup,
    clipNorm: spec.clipNorm ?? null,
    batchSize: spec.batchSize ?? 'full',
    epochs: spec.epochs ?? 100,
    shuffle: spec.shuffle ?? false,
    seed: spec.seed ?? 0,
    start: spec.start && spec.start.length ? spec.start : undefined,
    stop: spec.stop,
    historyCapacity: spec.historyCapacity,
  });
  return { run: fit.run, fit, formula: null, paramNames: model.paramNames };
}
