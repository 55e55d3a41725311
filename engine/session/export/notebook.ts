/**
 * A session as a Jupyter notebook (nbformat 4.5): markdown cells that state the problem and each
 * run's settings in the reader's language, the PyTorch script of ./pytorch.ts that reproduces the
 * runs, a cell that compares its final numbers with the lab's, and matplotlib cells that draw the
 * loss per step, the contour map with the paths (a function of two variables) or the fit (data):
 * the fitted curve over one feature, the class regions over two, predicted against actual
 * otherwise. Each figure is also written next to the notebook as a PNG.
 */
import type { Session } from '../../spec/session';
import { pytorchScript, type DataExport } from './pytorch';
import { torchFormula } from './torchFormula';
import type { NotebookTexts } from './notebookTexts';

export type { NotebookTexts } from './notebookTexts';

/** A function problem's variables, in the order the script's p holds them. */
const variables = (p: Extract<Session['problem'], { kind: 'function' }>) => torchFormula(p.expr, p.vars, (i) => `p[${i}]`).vars;

/** The lab's final numbers of a run, which the notebook's own run is compared with. */
export interface LabFinal {
  run: string;
  name: string;
  status: string;
  steps: number;
  params: number[];
  value: number;
  /** A data run's loss over all training rows at its end. */
  finalLoss?: number;
}

function describe(session: Session): string {
  const p = session.problem;
  if (p.kind === 'function') return `Minimize f(${variables(p).join(', ')}) = ${p.expr}.`;
  const model = p.model.kind === 'poly' ? `a degree-${p.model.degree} polynomial` : p.model.kind === 'mlp' ? `a network (${p.model.hidden.join(', ')} hidden units, ${p.model.activation})` : p.model.kind === 'softmax' ? 'softmax regression' : `a ${p.model.kind} model`;
  const data = p.dataset.kind === 'generated' ? `a generated ${p.dataset.spec.kind} dataset` : p.dataset.name;
  return `Fit ${model} to ${data} (target ${p.target}, features ${p.features.join(', ')}) with the ${p.loss.name} loss.`;
}

/** The notebook's words in English: the CLI's, and the lab's when its language is English. */
export function englishNotebookTexts(session: Session): NotebookTexts {
  return {
    title: 'Gradient Descent Lab',
    problem: describe(session),
    settingsHeading: 'Runs and their settings',
    columns: ['Run', 'Optimizer', 'Hyperparameters', 'Schedule', 'Length'],
    steps: 'up to {{steps}} steps',
    epochs: '{{epochs}} epochs in batches of {{batch}}',
    epochsFull: '{{epochs}} epochs, full batch',
    constant: 'constant',
    notesHeading: 'Notes',
    reproduceHeading: 'The runs in PyTorch',
    reproduceText: 'The cell below rebuilds the problem and each run with `torch.optim` (float64, autograd gradients, the same schedules, clipping, stopping rules and batch order), then trains every run.',
    compareHeading: 'The same numbers as the lab',
    compareText: 'The lab’s final parameters, value and status of each run, compared with the ones just computed.',
    agrees: 'Every final number agrees with the lab’s to {difference:.3g} (relative).',
    differs: 'The largest difference from the lab is {difference:.3g} (relative): this PyTorch computes differently from the one the lab follows.',
    lossHeading: 'Loss per step',
    lossAxis: 'f',
    stepAxis: 'step',
    contourHeading: 'Contour map and paths',
    fitHeading: 'The fit',
    standardized: '(standardized)',
    predicted: 'predicted',
    actual: 'actual',
    rows: 'training rows',
    regionsOf: 'Classes predicted by {{run}}',
  };
}

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ''));
/** A Python string literal (JSON's escapes are Python's). */
const py = (text: string) => JSON.stringify(text);
/** Markdown table cell text: pipes escaped, no line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
/**
 * Data for the Python code: JSON text read with json.loads, where NaN and ±Infinity are written as
 * the NaN and Infinity tokens Python's json reads (JSON itself would make them null).
 */
const pyData = (value: unknown) => {
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}` : v));
  return `json.loads(${py(marked.replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, '$1'))})`;
};

interface Cell {
  id: string;
  cell_type: 'markdown' | 'code';
  metadata: Record<string, never>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

/** Source text as nbformat's list of lines, each but the last ending in a newline. */
const lines = (text: string) => text.split('\n').map((l, i, all) => (i < all.length - 1 ? `${l}\n` : l));

/**
 * The notebook, as nbformat 4.5 JSON text. `stem` names the figures it writes (`stem-loss.png`);
 * `lab` holds each exported run's final numbers in the lab.
 */
export function pytorchNotebook(session: Session, options: { data?: DataExport; lab: LabFinal[]; texts?: NotebookTexts; stem: string }): string {
  const texts = options.texts ?? englishNotebookTexts(session);
  const problem = session.problem;
  const script = pytorchScript(session, options.data);
  // The script's own main block prints JSON lines; the notebook trains in its next cell instead.
  const body = script.slice(0, script.lastIndexOf("\nif __name__ == '__main__':")).trimEnd();
  const cells: Cell[] = [];
  const markdown = (text: string) => cells.push({ id: `cell-${cells.length + 1}`, cell_type: 'markdown', metadata: {}, source: lines(text) });
  const code = (text: string) => cells.push({ id: `cell-${cells.length + 1}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines(text) });

  const rows = session.runs.map((run) => {
    const { name: optimizer, ...hyper } = run.optimizer;
    const settings = Object.entries(hyper).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    const schedule = run.schedule && run.schedule.type !== 'constant' ? JSON.stringify(run.schedule) : texts.constant;
    const length = problem.kind === 'data' ? fill(run.batchSize === 'full' ? texts.epochsFull : texts.epochs, { epochs: run.epochs, batch: String(run.batchSize) }) : fill(texts.steps, { steps: run.stop.maxSteps ?? 1000 });
    return `| ${cell(run.name)} | ${optimizer} | ${cell(settings)} | ${cell(schedule)} | ${cell(length)} |`;
  });
  markdown([
    `# ${texts.title}`,
    '',
    texts.problem,
    '',
    `## ${texts.settingsHeading}`,
    '',
    `| ${texts.columns.join(' | ')} |`,
    `|${texts.columns.map(() => ' --- ').join('|')}|`,
    ...rows,
    ...(session.notes.trim() ? ['', `## ${texts.notesHeading}`, '', session.notes.trim()] : []),
  ].join('\n'));
  markdown(`## ${texts.reproduceHeading}\n\n${texts.reproduceText}`);
  code(body);
  code([
    '# Every step up to 2,000 points per run is kept for the charts.',
    'results = []',
    'for run in RUNS:',
    "    last = run['stop']['maxSteps']",
    '    stride = max(1, last // 2000)',
    "    results.append(train(dict(run, record=sorted(set(run['record']) | set(range(0, last + 1, stride))))))",
    '    r = results[-1]',
    "    print(f\"{r['name']}: {r['status']} after {r['steps']} steps, f = {r['records'][-1]['value']:.10g}\")",
  ].join('\n'));

  markdown(`## ${texts.compareHeading}\n\n${texts.compareText}`);
  code([
    `LAB = ${pyData(options.lab)}`,
    '',
    '',
    'def difference(a, b):',
    '    """|a − b| relative to the larger of |a|, |b| and 1e-3 (so that numbers near 0 compare absolutely)."""',
    '    if a == b or (math.isnan(a) and math.isnan(b)):',
    '        return 0.0',
    '    if not (math.isfinite(a) and math.isfinite(b)):',
    "        return float('inf')",
    '    return abs(a - b) / max(abs(a), abs(b), 1e-3)',
    '',
    '',
    "# Each run the script trained, beside the lab's numbers of the same run.",
    "labs = {lab['run']: lab for lab in LAB}",
    'worst = 0.0',
    'for r in results:',
    "    lab = labs[r['run']]",
    "    final = r['records'][-1]",
    "    same = r['status'] == lab['status'] and r['steps'] == lab['steps']",
    "    pairs = list(zip(final['params'], lab['params'])) + [(final['value'], lab['value'])]",
    "    if 'finalLoss' in lab:",
    "        pairs.append((r['finalLoss'], lab['finalLoss']))",
    '    worst = max([worst] + [difference(a, b) for a, b in pairs] + ([0.0] if same else [float("inf")]))',
    `print((${py(texts.agrees)} if worst <= 1e-9 else ${py(texts.differs)}).format(difference=worst))`,
    "summary = [dict(run=r['run'], status=r['status'], steps=r['steps'], params=r['records'][-1]['params'], value=r['records'][-1]['value'], **({'finalLoss': r['finalLoss']} if 'finalLoss' in r else {})) for r in results]",
    "print('GDLAB_RESULTS ' + json.dumps(summary))",
  ].join('\n'));

  markdown(`## ${texts.lossHeading}`);
  code([
    'import matplotlib.pyplot as plt',
    'import numpy as np',
    '',
    '',
    'def label(text):',
    '    # A name as matplotlib shows it: $ not read as mathematics, a leading _ not hidden from the legend.',
    "    text = text.replace('$', r'\\$')",
    "    return ' ' + text if text.startswith('_') else text",
    '',
    'fig, ax = plt.subplots(figsize=(8, 4.5))',
    'for r in results:',
    "    ax.plot([s['step'] for s in r['records']], [s['value'] for s in r['records']], label=label(r['name']), linewidth=1.8)",
    "values = np.array([s['value'] for r in results for s in r['records']])",
    'if values.size and np.all(values[np.isfinite(values)] > 0):',
    "    ax.set_yscale('log')",
    `ax.set_xlabel(label(${py(texts.stepAxis)}))`,
    `ax.set_ylabel(label(${py(problem.kind === 'data' ? texts.lossAxis : 'f')}))`,
    `ax.set_title(${py(texts.lossHeading)})`,
    'ax.grid(True, which="both", alpha=0.3)',
    'ax.legend()',
    `fig.savefig(${py(`${options.stem}-loss.png`)}, dpi=150, bbox_inches='tight')`,
    'plt.show()',
  ].join('\n'));

  if (problem.kind === 'function') {
    const vars = variables(problem);
    const [i, j] = session.view.axes;
    if (vars.length === 2 && i !== j && i < 2 && j < 2) {
      markdown(`## ${texts.contourHeading}`);
      code([
        `(x0, x1), (y0, y1) = ${pyData(session.view.xRange)}, ${pyData(session.view.yRange)}`,
        'xs, ys = np.linspace(x0, x1, 90), np.linspace(y0, y1, 90)',
        'Z = np.full((len(ys), len(xs)), np.nan)',
        'with torch.no_grad():',
        '    for a, y in enumerate(ys):',
        '        for b, x in enumerate(xs):',
        '            p = torch.zeros(2)',
        `            p[${i}], p[${j}] = float(x), float(y)`,
        '            try:',
        '                Z[a, b] = objective(p, 0).item()',
        '            except (RuntimeError, ValueError):',
        '                pass',
        'finite = Z[np.isfinite(Z)]',
        '# Levels at quantiles of the values shown, so that a valley and its walls both get lines.',
        'levels = np.unique(np.quantile(finite, np.linspace(0, 1, 18))) if finite.size else 10',
        'fig, ax = plt.subplots(figsize=(7, 6))',
        "filled = ax.contourf(xs, ys, Z, levels=levels, cmap='viridis')",
        "fig.colorbar(filled, ax=ax, label='f')",
        'for r in results:',
        "    path = np.array([s['params'] for s in r['records']])",
        `    ax.plot(path[:, ${i}], path[:, ${j}], '-o', markersize=2, linewidth=1.5, label=label(r['name']))`,
        'ax.set_xlim(x0, x1)',
        'ax.set_ylim(y0, y1)',
        `ax.set_xlabel(label(${py(vars[i])}))`,
        `ax.set_ylabel(label(${py(vars[j])}))`,
        `ax.set_title(${py(texts.contourHeading)})`,
        'ax.legend()',
        `fig.savefig(${py(`${options.stem}-contour.png`)}, dpi=150, bbox_inches='tight')`,
        'plt.show()',
      ].join('\n'));
    }
  } else if (options.data) {
    const data = options.data.data;
    const std = data.stats ? ` ${texts.standardized}` : '';
    // A sigmoid output (binary cross-entropy, or a logistic model with any loss) is a probability.
    const sigmoid = problem.loss.name === 'bce' || options.data.model.link === 'sigmoid';
    const classification = sigmoid || problem.loss.name === 'cross_entropy';
    const link = sigmoid ? 'torch.sigmoid(z)' : 'z';
    markdown(`## ${texts.fitHeading}`);
    const finals = [
      '# Each run\'s final parameters, and its output over the given rows.',
      "finals = [(r['name'], torch.tensor(r['records'][-1]['params'])) for r in results]",
      'fig, ax = plt.subplots(figsize=(8, 5))',
    ];
    const save = [`fig.savefig(${py(`${options.stem}-fit.png`)}, dpi=150, bbox_inches='tight')`, 'plt.show()'];
    if (data.d === 1 && problem.loss.name !== 'cross_entropy') {
      code([
        ...finals,
        'ax.scatter(X[:, 0].numpy(), Y.numpy(), s=10, color="0.45", label=' + py(texts.rows) + ')',
        'grid = torch.linspace(X[:, 0].min().item(), X[:, 0].max().item(), 200).reshape(-1, 1)',
        'with torch.no_grad():',
        '    for name, theta in finals:',
        '        z = model_output(theta, grid)',
        `        ax.plot(grid[:, 0].numpy(), (${link}).numpy(), linewidth=2, label=label(name))`,
        `ax.set_xlabel(label(${py(data.featureNames[0] + std)}))`,
        `ax.set_ylabel(label(${py(problem.target)}))`,
        `ax.set_title(${py(texts.fitHeading)})`,
        'ax.grid(True, alpha=0.3)',
        'ax.legend()',
        ...save,
      ].join('\n'));
    } else if (data.d === 2 && classification) {
      code([
        ...finals,
        'name, theta = finals[0]',
        'u = np.linspace(X[:, 0].min().item() - 0.5, X[:, 0].max().item() + 0.5, 200)',
        'v = np.linspace(X[:, 1].min().item() - 0.5, X[:, 1].max().item() + 0.5, 200)',
        'U, V = np.meshgrid(u, v)',
        'with torch.no_grad():',
        '    z = model_output(theta, torch.tensor(np.column_stack([U.ravel(), V.ravel()])))',
        `    predicted = (${problem.loss.name === 'cross_entropy' ? 'z.argmax(dim=1)' : 'z > 0'}).numpy().reshape(U.shape)`,
        'classes = int(max(Y.max().item(), predicted.max())) + 1',
        "ax.contourf(U, V, predicted, levels=np.arange(classes + 1) - 0.5, cmap='tab10', vmin=0, vmax=9, alpha=0.25)",
        "ax.scatter(X[:, 0].numpy(), X[:, 1].numpy(), c=Y.numpy(), cmap='tab10', vmin=0, vmax=9, s=12, edgecolors='none')",
        `ax.set_xlabel(label(${py(data.featureNames[0] + std)}))`,
        `ax.set_ylabel(label(${py(data.featureNames[1] + std)}))`,
        `ax.set_title(${py(texts.regionsOf)}.replace('{{run}}', label(name)))`,
        ...save,
      ].join('\n'));
    } else if (problem.loss.name !== 'cross_entropy') {
      code([
        ...finals,
        'with torch.no_grad():',
        '    for name, theta in finals:',
        '        z = model_output(theta, X)',
        `        ax.scatter(Y.numpy(), (${link}).numpy(), s=8, label=label(name))`,
        'lo, hi = Y.min().item(), Y.max().item()',
        "ax.plot([lo, hi], [lo, hi], color='0.4', linewidth=1)",
        `ax.set_xlabel(label(${py(`${texts.actual} ${problem.target}`)}))`,
        `ax.set_ylabel(label(${py(`${texts.predicted} ${problem.target}`)}))`,
        `ax.set_title(${py(texts.fitHeading)})`,
        'ax.grid(True, alpha=0.3)',
        'ax.legend()',
        ...save,
      ].join('\n'));
    }
  }
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
    },
    cells,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
