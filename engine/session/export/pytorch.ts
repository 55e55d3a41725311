/**
 * "Export as PyTorch script": a self-contained Python file that rebuilds a
 * session's problem (the formula as torch code, or the prepared training data
 * and the model), every run's torch.optim optimizer with the same
 * hyperparameters, its schedule, clipping, stopping rules, and, for data runs,
 * the same mini-batch order (the lab's seeded xoroshiro128+ shuffle, ported),
 * and prints each run's records as one JSON line. Gradients come from autograd.
 *
 * User text reaches the script only as JSON inside Python string literals
 * (run names, notes); code is emitted from fixed templates and numbers.
 */
import { OPTIMIZERS } from '../../optim/registry';
import type { TrainingData } from '../../data/prepare';
import type { Model } from '../../model/models';
import type { Network } from '../../model/mlp';
import type { Session } from '../../spec/session';
import type { RunSpec } from '../../spec/run';
import { torchFormula } from './torchFormula';
import { LOOP, PRELUDE } from './pytorchTemplates';

/** Steps whose state the script prints (and the last step of each run). */
export function recordSteps(maxSteps: number): number[] {
  const out = [0, 1, 2, 3];
  for (let decade = 10; decade <= maxSteps; decade *= 10) for (const m of [1, 2, 5]) if (m * decade <= maxSteps) out.push(m * decade);
  return out.filter((s) => s <= maxSteps);
}

/** Data problems embed the training rows; above this many numbers the export is refused. */
export const MAX_EXPORT_NUMBERS = 2_000_000;

const TORCH_CLASS: Record<string, string> = {
  sgd: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adadelta: 'Adadelta', adam: 'Adam', adamw: 'AdamW', adamax: 'Adamax', nadam: 'NAdam', radam: 'RAdam',
};

/** A JSON value as a Python expression: json.loads of a string literal (JSON string escapes are Python's). */
function pyJson(value: unknown): string {
  return `json.loads(${JSON.stringify(JSON.stringify(value))})`;
}

/** Keyword arguments for torch.optim: PyTorch's names; false flags that older torch versions lack are left out. */
function optimizerKwargs(run: RunSpec): Record<string, unknown> {
  const { name, ...given } = run.optimizer;
  const hyper: Record<string, unknown> = { ...(OPTIMIZERS as Record<string, { defaults: Record<string, unknown> }>)[name].defaults, ...given };
  for (const key of ['maximize', 'decoupled_weight_decay']) if (hyper[key] === false) delete hyper[key];
  return hyper;
}

export interface DataExport {
  data: TrainingData;
  model: Model;
}

export interface ExportedRun {
  run: RunSpec;
  skipped?: string;
}

function runsPlan(session: Session): ExportedRun[] {
  return session.runs.map((run) => (TORCH_CLASS[run.optimizer.name] ? { run } : { run, skipped: `${run.optimizer.name} has no torch.optim counterpart` }));
}

function functionProblem(session: Extract<Session['problem'], { kind: 'function' }>): string[] {
  const f = torchFormula(session.expr, session.vars, (i) => `p[${i}]`);
  return [
    `VARS = ${pyJson(f.vars)}`,
    '',
    '',
    'def objective(p, step):',
    `    """f(${f.vars.join(', ')}) = ${session.expr.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}"""`,
    ...f.lines.map((l) => `    ${l}`),
    `    return ${f.result}`,
  ];
}

function dataProblem(problem: Extract<Session['problem'], { kind: 'data' }>, exported: DataExport): string[] {
  const { data, model } = exported;
  if (data.n * (data.d + 1) > MAX_EXPORT_NUMBERS) {
    throw new RangeError(`The training data has ${data.n.toLocaleString('en')} rows × ${data.d} features, more than the PyTorch export embeds (${MAX_EXPORT_NUMBERS.toLocaleString('en')} numbers); export a smaller sample of the data`);
  }
  const d = data.d;
  const lines = [
    `FEATURES = ${pyJson(data.featureNames)}`,
    `PARAMS = ${pyJson(model.paramNames)}`,
    `# The ${data.n} training rows the lab fitted (after its validation split${data.stats ? ' and standardization' : ''}), in file order.`,
    `X = torch.tensor(${pyJson(Array.from(data.X))}, dtype=torch.float64).reshape(${data.n}, ${d})`,
    `Y = torch.tensor(${pyJson(Array.from(data.y))}, dtype=torch.float64)`,
    `REGULARIZED = torch.tensor(${pyJson(Array.from(model.regularized))}, dtype=torch.bool)`,
    `L1, L2 = ${pyJson([problem.reg.l1, problem.reg.l2])}`,
    '',
    '',
    'def model_output(theta, Xb):',
  ];
  switch (model.spec.kind) {
    case 'linear':
    case 'logistic':
      lines.push(`    return Xb @ theta[:${d}] + theta[${d}]`);
      break;
    case 'poly': {
      const degree = model.spec.degree;
      lines.push('    x = Xb[:, 0]', `    z = theta[${degree}]`, '    power = torch.ones_like(x)', `    for k in range(${degree}):`, '        power = power * x', '        z = z + theta[k] * power', '    return z');
      break;
    }
    case 'softmax':
    case 'mlp': {
      const net = model.network as Network;
      const spec = model.spec;
      const act = spec.kind === 'mlp' ? { relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Identity' }[spec.activation] : 'Identity';
      const layers = net.layers.flatMap((l, i) => [`torch.nn.Linear(${l.inputs}, ${l.outputs})`, ...(i < net.layers.length - 1 ? [`torch.nn.${act}()`] : [])]);
      lines.splice(
        lines.indexOf('def model_output(theta, Xb):'),
        0,
        spec.kind === 'mlp'
          ? `# mlp:${spec.hidden.join(',')} with ${spec.activation}: the same layers as the lab's network.`
          : `# Softmax regression: one linear layer, a score per class; cross_entropy applies the softmax.`,
        'NET = torch.nn.Sequential(',
        ...layers.map((l) => `    ${l},`),
        ')',
        '# Each layer\'s weight (out × in) and bias, as slices of the flat parameter vector the optimizer',
        '# trains; elementwise torch.optim updates of the flat vector equal those of the separate tensors.',
        'SHAPES = [(name, tuple(t.shape)) for name, t in NET.named_parameters()]',
        'try:',
        '    from torch.func import functional_call',
        'except ImportError:  # PyTorch 1.x',
        '    from torch.nn.utils.stateless import functional_call',
        '',
        '',
        'def unflatten(theta):',
        '    out, offset = {}, 0',
        '    for name, shape in SHAPES:',
        '        size = math.prod(shape)',
        '        out[name] = theta[offset:offset + size].view(shape)',
        '        offset += size',
        '    return out',
        '',
        '',
      );
      lines.push(`    out = functional_call(NET, unflatten(theta), (Xb,))`, `    return ${net.outputs === 1 ? 'out[:, 0]' : 'out'}`);
      break;
    }
    case 'custom': {
      const P = model.paramNames.length;
      const f = torchFormula(model.spec.expr, [...model.paramNames, ...data.featureNames], (i) => (i < P ? `theta[${i}]` : `Xb[:, ${i - P}]`), model.paramNames);
      lines.push(...f.lines.map((l) => `    ${l}`), `    return ${f.result} + torch.zeros(Xb.shape[0])`);
      break;
    }
  }
  const loss = problem.loss;
  const link = model.link === 'sigmoid' ? 'torch.sigmoid(z)' : 'z';
  const lossCode: Record<string, string> = {
    mse: `((${link} - yb) ** 2).mean()`,
    mae: `(${link} - yb).abs().mean()`,
    huber: `torch.nn.functional.huber_loss(${link}, yb, delta=${JSON.stringify(loss.delta ?? 1)})`,
    bce: 'torch.nn.functional.binary_cross_entropy_with_logits(z, yb)',
    cross_entropy: 'torch.nn.functional.cross_entropy(z, yb.long())',
  };
  lines.push(
    '',
    '',
    'def batch_loss(theta, rows):',
    `    """Mean ${loss.name} over the batch, plus L2·Σw² + L1·Σ|w| over the weights."""`,
    '    Xb, yb = X[rows], Y[rows]',
    '    z = model_output(theta, Xb)',
    `    loss = ${lossCode[loss.name]}`,
    '    w = theta[REGULARIZED]',
    '    if L2 != 0:',
    '        loss = loss + L2 * (w * w).sum()',
    '    if L1 != 0:',
    '        loss = loss + L1 * w.abs().sum()',
    '    return loss',
  );
  return lines;
}

function modelWords(model: Extract<Session['problem'], { kind: 'data' }>['model']): string {
  if (model.kind === 'poly') return `degree-${model.degree} polynomial`;
  if (model.kind === 'mlp') return `network (mlp:${model.hidden.join(',')}, ${model.activation})`;
  if (model.kind === 'softmax') return 'softmax regression';
  return model.kind;
}

/** The script's text. `data` is the prepared training data and model, for a data problem. */
export function pytorchScript(session: Session, data?: DataExport): string {
  const problem = session.problem;
  const plan = runsPlan(session);
  const runs = plan.filter((r) => !r.skipped).map(({ run }) => {
    const perEpoch = data ? Math.ceil(data.data.n / Math.min(run.batchSize === 'full' ? data.data.n : run.batchSize, data.data.n)) : 0;
    const maxSteps = problem.kind === 'data' ? run.epochs * perEpoch : run.stop.maxSteps ?? 1000;
    return {
      id: run.id,
      name: run.name,
      torch_class: TORCH_CLASS[run.optimizer.name],
      hyperparameters: optimizerKwargs(run),
      schedule: run.schedule && run.schedule.type !== 'constant' ? run.schedule : null,
      warmup: run.warmup,
      clipNorm: run.clipNorm,
      start: problem.kind === 'data' && run.start.length === 0 && data ? Array.from(data.model.initial(run.seed)) : run.start,
      stop: {
        maxSteps,
        gradTol: run.stop.gradTol ?? 0,
        fTol: run.stop.fTol ?? 0,
        signChange: problem.kind === 'function' && (run.stop.signChange ?? false),
        divergenceBound: run.stop.divergenceBound ?? 1e12,
      },
      seed: run.seed,
      ...(data ? { batches: { rows: data.data.n, size: Math.min(run.batchSize === 'full' ? data.data.n : run.batchSize, data.data.n), perEpoch, shuffle: run.shuffle } } : {}),
      record: recordSteps(maxSteps),
    };
  });
  if (problem.kind === 'data' && !data) throw new RangeError('A data session needs its dataset to be exported');
  const describe = problem.kind === 'function' ? `minimize f = ${problem.expr}` : `fit a ${modelWords(problem.model)} model to ${problem.dataset.kind === 'generated' ? `a generated ${problem.dataset.spec.kind} dataset` : problem.dataset.name} (target ${problem.target}) with the ${problem.loss.name} loss`;
  const skipped = plan.filter((r) => r.skipped).map((r) => `#   ${JSON.stringify(r.run.name)} is left out: ${r.skipped}.`);
  const header = [
    '#!/usr/bin/env python3',
    '# -*- coding: utf-8 -*-',
    '"""A Gradient Descent Lab session, as a PyTorch script.',
    '',
    `Problem: ${describe.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}.`,
    '',
    'Each run uses torch.optim with the lab\'s hyperparameters (PyTorch\'s own names), in float64,',
    'with autograd gradients, the same schedule, clipping and stopping rules, and (for data) the',
    'same mini-batch order. It prints one JSON line per run with its state after the listed',
    'steps and at its last step; the lab recorded the same states.',
    '',
    'Run: python3 this_file.py   (needs PyTorch: pip install torch)',
    '"""',
    ...(skipped.length ? ['# Not exported:', ...skipped] : []),
  ];
  return [
    ...header,
    PRELUDE,
    '',
    `NOTES = ${pyJson(session.notes)}`,
    ...(problem.kind === 'function' ? functionProblem(problem) : dataProblem(problem, data as DataExport)),
    '',
    '',
    `RUNS = ${pyJson(runs)}`,
    LOOP,
  ].join('\n');
}
