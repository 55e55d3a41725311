/** `gdlab minimize`: run one optimizer on a formula from a start point. */
import { compileFormula } from '../../formula/compile';
import type { Run } from '../../run/run';
import { buildRun } from '../../run/build';
import type { FunctionProblem } from '../../spec/problem';
import type { RunSettings } from '../../spec/run';
import { parseInteger, parseNameList, parseNumberList, readArgs, UsageError } from '../args';
import { clipFromFlags, nonNegative, optimizerFromFlags, optionalNumber, RUN_FLAGS, scheduleFromFlags } from '../runFlags';
import type { CommandResult } from '../main';


export interface RecordJson {
  step: number;
  params: number[];
  value: number;
  gradNorm: number;
}

export function runJson(run: Run, recordSteps: readonly number[]) {
  const records: RecordJson[] = [];
  for (const step of recordSteps) {
    const r = run.snapshots.get(step);
    if (r) records.push({ step: r.step, params: r.params, value: r.value, gradNorm: r.gradNorm });
  }
  const outcome = run.outcome;
  return {
    status: outcome?.status ?? 'running',
    reason: outcome?.reason,
    message: outcome?.message,
    ...(outcome?.bracket ? { bracket: outcome.bracket } : {}),
    steps: run.step,
    records,
    final: { step: run.step, params: Array.from(run.p), value: run.value, gradNorm: run.gradNorm },
  };
}

export async function minimizeCommand(argv: readonly string[]): Promise<CommandResult> {
  const args = readArgs(argv, {
    ...RUN_FLAGS, expr: 'string', vars: 'string', start: 'string', steps: 'string', record: 'string', 'sign-change': 'boolean', save: 'string',
  });
  const expr = args.flags.get('expr');
  if (typeof expr !== 'string') throw new UsageError('minimize needs --expr, e.g. --expr "(1 - x)^2 + 100*(y - x^2)^2"');
  const vars = args.flags.has('vars') ? parseNameList(args.flags.get('vars') as string) : undefined;
  const formula = compileFormula(expr, { vars });
  const n = formula.vars.length;
  const startText = args.flags.get('start');
  if (typeof startText !== 'string') throw new UsageError(`minimize needs --start with ${n} value${n === 1 ? '' : 's'} (${formula.vars.join(', ')})`);
  const start = parseNumberList(startText, '--start');
  if (start.length !== n) {
    throw new UsageError(`--start has ${start.length} value${start.length === 1 ? '' : 's'} but the formula has ${n} variable${n === 1 ? '' : 's'} (${formula.vars.join(', ')})`);
  }
  const { settings: optimizer, resolved } = optimizerFromFlags(args);
  const maxSteps = args.flags.has('steps') ? parseInteger(args.flags.get('steps') as string, '--steps') : 1000;
  const recordSteps = args.flags.has('record') ? parseNumberList(args.flags.get('record') as string, '--record').map((s) => {
    if (!Number.isInteger(s) || s < 0) throw new UsageError(`--record takes whole step numbers ≥ 0, got ${s}`);
    return s;
  }) : [];
  if (args.flags.has('sign-change') && n !== 1) throw new UsageError('--sign-change applies to functions of one variable');
  const { schedule, warmup } = scheduleFromFlags(args);
  const clipNorm = clipFromFlags(args);
  const stop = {
    maxSteps,
    gradTol: nonNegative(optionalNumber(args, 'grad-tol'), 'grad-tol') ?? 0,
    fTol: nonNegative(optionalNumber(args, 'f-tol'), 'f-tol') ?? 0,
    signChange: args.flags.has('sign-change'),
    divergenceBound: optionalNumber(args, 'divergence-bound') ?? 1e12,
  };
  const problem: FunctionProblem = { kind: 'function', expr, ...(vars ? { vars } : {}) };
  const settings: RunSettings = {
    optimizer: { name: optimizer.name, ...resolved }, schedule: schedule ?? null, warmup: warmup ?? null, clipNorm, start, stop,
    batchSize: 'full', epochs: 1, shuffle: false, seed: 0,
  };
  const built = buildRun(problem, settings, { formula: () => formula, dataset: () => undefined }, { recordSteps });
  const run = built.run;
  run.advance(Infinity);
  const savePath = args.flags.get('save');
  if (typeof savePath === 'string') {
    const ranges = n >= 1 ? { xRange: around(start[0]), yRange: n >= 2 ? around(start[1]) : around(0) } : {};
    // Sessions are loaded only to save one.
    const [{ newSession, sessionRun }, { writeSessionFile }] = await Promise.all([import('../../session/create'), import('../../session/file')]);
    await writeSessionFile(savePath, newSession(problem, [sessionRun(0, settings, built)], ranges));
  }
  const result = runJson(run, recordSteps);
  const json = { vars: formula.vars, optimizer: { name: optimizer.name, ...resolved }, ...result };
  const lines = [`minimize ${formula.expr} with ${optimizer.name} from (${start.join(', ')})`];
  for (const r of result.records) lines.push(`  step ${r.step}: (${r.params.join(', ')})  f = ${r.value}  ‖∇f‖ = ${r.gradNorm}`);
  lines.push(`${result.message}`);
  lines.push(`final: step ${result.final.step}, (${result.final.params.join(', ')}), f = ${result.final.value}`);
  return { json, text: lines.join('\n') };
}

/** A plot window that holds the start and the origin, with a margin. */
function around(v: number): [number, number] {
  const half = Math.max(2, Math.abs(v) * 1.5);
  return [Math.min(-half, v - 1), Math.max(half, v + 1)];
}
