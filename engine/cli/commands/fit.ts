/** `gdlab fit`: fit a model to a local dataset by gradient descent. */
import { loadDatasetFile } from '../../data/file';
import { prepareData, type MissingPolicy } from '../../data/prepare';
import { LOSS_NAMES, type LossName } from '../../model/losses';
import { DEFAULT_ACTIVATION, DEFAULT_EPOCHS, DEFAULT_RUN_SEED, DEFAULT_SPLIT_SEED, DEFAULT_VAL_SPLIT, defaultLoss, defaultShuffle, defaultStandardize, targetFacts } from '../../data/defaults';
import { modelFeatures, parseModelSpec, type ModelSpec } from '../../model/models';
import { ACTIVATIONS, type Activation } from '../../model/mlp';
import { originalUnits, parameterLabels, standardizationReport } from '../../model/units';
import type { EpochRecord } from '../../run/fit';
import type { Metrics } from '../../model/metrics';
import { optimumOf, type NoOptimum } from '../../model/optimum';
import { buildRun, prepareProblemData } from '../../run/build';
import type { EngineDataProblem } from '../../spec/problem';
import type { RunSettings } from '../../spec/run';
import { parseInteger, parseNameList, parseNumber, readArgs, UsageError } from '../args';
import { clipFromFlags, nonNegative, optimizerFromFlags, optionalNumber, RUN_FLAGS, scheduleFromFlags } from '../runFlags';
import type { CommandResult } from '../main';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';


function modelText(spec: ModelSpec): string {
  if (spec.kind === 'custom') return spec.expr;
  if (spec.kind === 'poly') return `poly:${spec.degree}`;
  if (spec.kind === 'mlp') return `mlp:${spec.hidden.join(',')}`;
  return spec.kind;
}

/** A network's accuracy (or R²) in a text line. */
function metricText(r: Record<string, unknown>): string {
  return Object.entries(r)
    .filter(([k]) => ['accuracy', 'valAccuracy', 'r2', 'valR2', 'valLoss'].includes(k))
    .map(([k, v]) => `${k} ${String(v)}`)
    .join('  ');
}

/** Why a fit has no reference optimum, as the command line says it. */
const NO_OPTIMUM: Record<NoOptimum, string> = {
  network: 'a network has no closed-form optimum',
  custom: 'a custom model formula has no closed-form optimum',
  loss: 'only mse (least squares) and bce (Newton) have a reference optimum',
  l1: 'the L1 penalty has no closed-form optimum',
  separable: 'without L2, classes a plane separates have no finite optimum: add --l2',
  l2: 'softmax regression has a single optimum only with an L2 penalty: add --l2',
  size: 'the model has too many parameters for the Newton step (at most 400)',
};

/** Every metric but the confusion matrix, in a text line. */
function metricsLine(m: Metrics | null): string {
  if (!m) return 'none';
  return Object.entries(m).filter(([k]) => k !== 'confusion').map(([k, v]) => `${k} ${String(v)}`).join('  ');
}

function datasetName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function paramsObject(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

function parseInit(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    if (!name || value === undefined) throw new UsageError(`--init takes name=value pairs, e.g. a=1,b=0.1; got "${part}"`);
    out[name.trim()] = parseNumber(value, `--init ${name.trim()}`);
  }
  return out;
}

export async function fitCommand(argv: readonly string[]): Promise<CommandResult> {
  const args = readArgs(argv, {
    ...RUN_FLAGS,
    data: 'string', target: 'string', features: 'string', model: 'string', params: 'string', init: 'string',
    loss: 'string', delta: 'string', l1: 'string', l2: 'string', 'batch-size': 'string', epochs: 'string',
    shuffle: 'boolean', 'no-shuffle': 'boolean', 'record-epochs': 'string', 'val-split': 'string',
    standardize: 'boolean', 'no-standardize': 'boolean', 'split-seed': 'string', missing: 'string', delimiter: 'string', header: 'boolean', 'no-header': 'boolean', sheet: 'string', save: 'string',
    activation: 'string',
  });
  const path = args.flags.get('data');
  if (typeof path !== 'string') throw new UsageError('fit needs --data FILE (CSV, TSV, JSON, Excel .xlsx or Parquet)');
  const target = args.flags.get('target');
  if (typeof target !== 'string') throw new UsageError('fit needs --target COLUMN');
  if (args.flags.has('shuffle') && args.flags.has('no-shuffle')) throw new UsageError('Give --shuffle or --no-shuffle, not both');
  const missing = (args.flags.get('missing') ?? 'fail') as string;
  if (missing !== 'fail' && missing !== 'drop') throw new UsageError(`--missing takes fail or drop, got ${missing}`);

  const spec = parseModelSpec((args.flags.get('model') as string | undefined) ?? 'linear');
  if (spec.kind === 'custom') {
    if (args.flags.has('params')) spec.params = parseNameList(args.flags.get('params') as string);
    if (args.flags.has('init')) spec.init = parseInit(args.flags.get('init') as string);
  } else if (args.flags.has('params') || args.flags.has('init')) {
    throw new UsageError('--params and --init apply to a custom model formula');
  }
  if (spec.kind === 'mlp') {
    const activation = (args.flags.get('activation') as string | undefined) ?? DEFAULT_ACTIVATION;
    if (!(ACTIVATIONS as readonly string[]).includes(activation)) throw new UsageError(`Unknown activation "${activation}"; choose one of ${ACTIVATIONS.join(', ')}`);
    spec.activation = activation as Activation;
  } else if (args.flags.has('activation')) {
    throw new UsageError('--activation applies to a network model (--model mlp:8,8)');
  }
  const lossFlag = args.flags.get('loss') as string | undefined;
  if (lossFlag !== undefined && !(LOSS_NAMES as readonly string[]).includes(lossFlag)) throw new UsageError(`Unknown loss "${lossFlag}"; choose one of ${LOSS_NAMES.join(', ')}`);
  const delta = optionalNumber(args, 'delta');
  if (delta !== undefined && !(delta > 0)) throw new UsageError('--delta must be positive');

  const dataset = await loadDatasetFile(path, {
    delimiter: args.flags.get('delimiter') as string | undefined,
    sheet: args.flags.get('sheet') as string | undefined,
    header: args.flags.has('no-header') ? false : args.flags.has('header') ? true : 'auto',
  });
  const targetColumn = dataset.columns.find((c) => c.name === target);
  const lossName: LossName = (lossFlag as LossName | undefined) ?? defaultLoss(spec.kind, targetColumn && targetFacts(targetColumn));
  const columns = dataset.columns.map((c) => c.name);
  if (!columns.includes(target)) {
    // Same message as prepareData gives, before model-specific checks that would hide it.
    prepareData(dataset, { target, features: columns.filter((c) => c !== target).slice(0, 1) });
  }
  const given = args.flags.has('features') ? parseNameList(args.flags.get('features') as string) : undefined;
  const usable = dataset.columns.filter((c) => c.kind !== 'text').map((c) => c.name);
  const features = modelFeatures(spec, spec.kind === 'custom' ? columns : usable, target, given ?? (spec.kind === 'custom' ? undefined : usable.filter((c) => c !== target)));
  if (args.flags.has('standardize') && args.flags.has('no-standardize')) throw new UsageError('Give --standardize or --no-standardize, not both');
  const seed = args.flags.has('seed') ? parseInteger(args.flags.get('seed') as string, '--seed') : DEFAULT_RUN_SEED;
  const splitSeed = args.flags.has('split-seed') ? parseInteger(args.flags.get('split-seed') as string, '--split-seed') : DEFAULT_SPLIT_SEED;
  const valSplit = optionalNumber(args, 'val-split') ?? DEFAULT_VAL_SPLIT;
  const standardize = args.flags.has('no-standardize') ? false : args.flags.has('standardize') ? true : defaultStandardize(spec.kind);
  const loss = { name: lossName, ...(delta === undefined ? {} : { delta }) };
  const problem: EngineDataProblem = {
    kind: 'data', datasetId: 'cli', target, features, model: spec, loss,
    reg: { l1: nonNegative(optionalNumber(args, 'l1'), 'l1') ?? 0, l2: nonNegative(optionalNumber(args, 'l2'), 'l2') ?? 0 },
    valSplit, standardize, missing: missing as MissingPolicy, splitSeed,
  };
  const { settings: optimizer, resolved } = optimizerFromFlags(args);
  const batchText = (args.flags.get('batch-size') as string | undefined) ?? 'full';
  const batchSize = batchText === 'full' ? 'full' : parseInteger(batchText, '--batch-size', 1);
  const epochs = args.flags.has('epochs') ? parseInteger(args.flags.get('epochs') as string, '--epochs', 1) : DEFAULT_EPOCHS;
  const recordEpochs = args.flags.has('record-epochs') ? parseNameList(args.flags.get('record-epochs') as string).map((e) => parseInteger(e, '--record-epochs')) : [];
  const context = { formula: () => { throw new Error('a data problem has no formula'); }, dataset: () => dataset };
  const prepared = prepareProblemData(problem, context);
  const shuffle = args.flags.has('no-shuffle') ? false : args.flags.has('shuffle') ? true : defaultShuffle(batchSize);
  const { schedule, warmup } = scheduleFromFlags(args);
  const settings: RunSettings = {
    optimizer: { name: optimizer.name, ...resolved },
    schedule: schedule ?? null,
    warmup: warmup ?? null,
    clipNorm: clipFromFlags(args),
    start: [],
    stop: {
      gradTol: nonNegative(optionalNumber(args, 'grad-tol'), 'grad-tol') ?? 0,
      fTol: nonNegative(optionalNumber(args, 'f-tol'), 'f-tol') ?? 0,
      divergenceBound: optionalNumber(args, 'divergence-bound') ?? 1e12,
    },
    batchSize,
    epochs,
    shuffle,
    seed,
  };
  const built = buildRun(problem, settings, context, { data: prepared, metricsAt: recordEpochs });
  const fit = built.fit!;
  const { data, model } = fit;
  fit.advance(Infinity);
  const savePath = args.flags.get('save');
  if (typeof savePath === 'string') {
    if (args.flags.has('delimiter') || args.flags.has('header') || args.flags.has('no-header')) {
      throw new UsageError('--save stores datasets whose delimiter and header are detected when opened; leave out --delimiter/--header/--no-header, or convert the file to a plain CSV');
    }
    const bytes = new Uint8Array(await readFile(path));
    const absolute = resolve(path);
    // Sessions are loaded only to save one.
    const [{ newSession, sessionRun }, { writeSessionFile }, { fileSource }] = await Promise.all([import('../../session/create'), import('../../session/file'), import('../../session/runs')]);
    const source = fileSource(datasetName(path), bytes, absolute, undefined, dataset.sheet !== undefined && args.flags.has('sheet') ? dataset.sheet : undefined);
    const saved = sessionRun(0, settings, built);
    const { datasetId: _id, ...fields } = problem;
    await writeSessionFile(savePath, newSession({ ...fields, kind: 'data', dataset: source, features: spec.kind === 'custom' ? [] : data.featureNames }, [saved]));
  }

  const names = model.paramNames;
  const recordJson = (r: EpochRecord) => ({
    epoch: r.epoch,
    step: r.step,
    ...(r.params.length ? { params: paramsObject(names, r.params) } : {}),
    loss: r.loss,
    ...fit.reported(r),
    ...(r.metrics ? { metrics: r.metrics } : {}),
    ...(r.valMetrics ? { valMetrics: r.valMetrics } : {}),
  });
  const records = recordEpochs.map((e) => fit.epochs.find((r) => r.epoch === e)).filter((r): r is EpochRecord => r !== undefined).map(recordJson);
  const last = fit.epochs[fit.epochs.length - 1];
  const p = fit.run.p;
  const finalLoss = fit.objective.trainLoss(p);
  const original = data.stats ? originalUnits(model, p, data.stats) : null;
  const labels = parameterLabels(model, data.featureNames);
  const outcome = fit.run.outcome;
  const { metrics, valMetrics } = fit.allMetrics(p);
  const optimum = optimumOf(fit.objective);
  const penalized = problem.reg.l1 > 0 || problem.reg.l2 > 0;
  const json = {
    data: dataset.name,
    rows: data.n,
    validationRows: data.nVal,
    target: data.targetName,
    ...(data.targetLabels ? { targetLabels: data.targetLabels } : {}),
    features: data.featureNames,
    model: modelText(spec),
    ...(spec.kind === 'mlp' ? { activation: spec.activation, parameters: names.length } : {}),
    ...(data.classes ? { classes: data.classes } : {}),
    loss: lossName,
    optimizer: { name: optimizer.name, ...resolved },
    batchSize: fit.objective.batchSize,
    batchesPerEpoch: fit.batchesPerEpoch,
    shuffle,
    seed,
    splitSeed,
    params: paramsObject(names, p),
    ...(original ? { originalParams: paramsObject(names, original) } : {}),
    // params are what the optimizer trained: on standardized features when standardization is on;
    // originalParams (and coefficients[].original) are the same model for the features as given.
    standardized: data.stats !== null,
    standardization: standardizationReport(data.stats, data.featureNames),
    coefficients: spec.kind === 'mlp' ? undefined : names.map((name, i) => ({ name, label: labels[i], value: p[i], ...(original ? { original: original[i] } : {}) })),
    status: outcome?.status ?? 'running',
    reason: outcome?.reason,
    message: outcome?.message,
    epochs: fit.epoch,
    steps: fit.run.step,
    records,
    final: {
      epoch: fit.epoch,
      step: fit.run.step,
      params: paramsObject(names, p),
      loss: finalLoss,
      ...(last && last.step === fit.run.step ? { ...recordJson(last), params: paramsObject(names, p), loss: finalLoss } : fit.reported(fit.metricsAt(p))),
      metrics,
      ...(valMetrics ? { valMetrics } : {}),
    },
    // The loss includes the L1/L2 penalty when one is set; metrics (logLoss, mse) never do.
    lossIncludesPenalty: penalized,
    optimum: 'loss' in optimum ? { loss: optimum.loss, params: paramsObject(names, optimum.params), method: optimum.method } : { none: optimum.none, message: NO_OPTIMUM[optimum.none] },
    ...('loss' in optimum ? { gapToOptimum: finalLoss - optimum.loss } : {}),
    notes: [...dataset.notes.map((n) => n.message), ...data.notes],
  };
  const lines = [
    `fit ${json.model} to ${dataset.name}: ${data.n} training rows${data.nVal ? `, ${data.nVal} validation rows` : ''}, target ${data.targetName}, features ${data.featureNames.join(', ')}`,
    ...json.notes.map((n) => `  note: ${n}`),
    ...records.map((r) => `  epoch ${r.epoch}: loss ${r.loss}  ${spec.kind === 'mlp' ? metricText(r) : names.map((n) => `${n}=${r.params?.[n]}`).join(' ')}`),
    outcome?.message ?? '',
    `final: loss ${finalLoss}  ${spec.kind === 'mlp' ? `${metricText(json.final)} (${names.length} parameters)` : names.map((n, i) => `${n}=${p[i]}`).join(' ')}`,
    `metrics: ${metricsLine(metrics)}${valMetrics ? `  validation: ${metricsLine(valMetrics)}` : ''}${penalized ? '  (the loss includes the penalty; the metrics do not)' : ''}`,
    'loss' in optimum ? `optimum: loss ${optimum.loss} (${optimum.method === 'newton' ? "Newton's method" : 'least squares'}); gap ${finalLoss - optimum.loss}` : `optimum: none (${NO_OPTIMUM[optimum.none]})`,
    ...(original ? [`in original units: ${names.map((n, i) => `${labels[i]}=${original[i]}`).join(' ')}`, `  (features standardized with the training rows' mean and population standard deviation)`] : []),
  ];
  if (dataset.problemCount > 0 && missing === 'drop') lines.push(`  ${data.dropped} rows dropped for missing or non-numeric values`);
  return { json, text: lines.join('\n') };
}

