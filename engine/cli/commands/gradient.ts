/** `gdlab gradient`: the gradient of a formula, symbolic, and its value at one or many points. */
import { compileFormula, type CompiledFormula } from '../../formula/compile';
import { describeUndefined } from '../../formula/diagnose';
import { parseNameList, parseNumberList, readArgs, UsageError } from '../args';
import type { CommandResult } from '../main';


export interface PointResult {
  at: number[];
  value: number;
  gradient: number[];
  /** Present where f or a partial derivative is not finite: which, and why where it can be told. */
  undefined?: string;
}

/** Why f or its gradient has no finite value at `at`, or undefined where both are finite. */
export function explainPoint(formula: CompiledFormula, at: readonly number[], value: number, gradient: readonly number[]): string | undefined {
  const bad = gradient.map((g, i) => (Number.isFinite(g) ? null : `∂f/∂${formula.wrt[i]} is ${g}`)).filter((t): t is string => t !== null);
  if (Number.isFinite(value) && bad.length === 0) return undefined;
  const problem = formula.diagnose(at);
  if (!Number.isFinite(value)) {
    return problem ? `f is ${problem.kind === 'overflow' ? 'too large' : 'undefined'} here (${value}): ${describeUndefined(problem)}` : `f is ${value} here`;
  }
  return `${bad.join(', ')} here: f is not differentiable at this point`;
}

export function evaluatePoint(formula: CompiledFormula, at: readonly number[]): PointResult {
  const g = new Float64Array(formula.wrt.length);
  const value = formula.valueAndGradient(Float64Array.from(at), g);
  const gradient = Array.from(g);
  const why = explainPoint(formula, at, value, gradient);
  return { at: [...at], value, gradient, ...(why ? { undefined: why } : {}) };
}

async function readPoints(path: string, vars: readonly string[]): Promise<number[][]> {
  const { loadDatasetFile } = await import('../../data/file');
  const dataset = await loadDatasetFile(path);
  const byName = vars.map((v) => dataset.columns.findIndex((c) => c.name === v));
  let columns: number[];
  if (byName.every((k) => k >= 0)) columns = byName;
  else if (!dataset.header && dataset.columns.length === vars.length) columns = vars.map((_, i) => i);
  else {
    const missing = vars.filter((_, i) => byName[i] < 0);
    throw new UsageError(`--points ${path}: no column named ${missing.join(', ')}; name a column for each variable (${vars.join(', ')}) in the header, or give exactly ${vars.length} column${vars.length === 1 ? '' : 's'} without a header`);
  }
  const points: number[][] = [];
  for (let r = 0; r < dataset.rowCount; r++) {
    const row = columns.map((k) => dataset.columns[k].values[r]);
    const bad = row.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new UsageError(`--points ${path}: row ${r + 1} has no number for ${vars[bad]}`);
    points.push(row);
  }
  return points;
}

export async function gradientCommand(argv: readonly string[]): Promise<CommandResult> {
  const args = readArgs(argv, { expr: 'string', vars: 'string', at: 'repeatable', points: 'string', json: 'boolean' });
  const expr = args.flags.get('expr');
  if (typeof expr !== 'string') throw new UsageError('gradient needs --expr, e.g. --expr "5*x^2"');
  const vars = args.flags.has('vars') ? parseNameList(args.flags.get('vars') as string) : undefined;
  const formula = compileFormula(expr, { vars });
  const n = formula.vars.length;
  const count = (k: number) => `${k} value${k === 1 ? '' : 's'}`;
  const points = (args.lists.get('at') ?? []).map((text, k, all) => {
    const at = parseNumberList(text, all.length > 1 ? `--at (${k + 1})` : '--at');
    if (at.length !== n) throw new UsageError(`--at ${text} has ${count(at.length)} but the formula has ${n} variable${n === 1 ? '' : 's'} (${formula.vars.join(', ')})`);
    return at;
  });
  const file = args.flags.get('points');
  if (typeof file === 'string') {
    if (points.length) throw new UsageError('give the points with --at or with --points, not both');
    points.push(...(await readPoints(file, formula.vars)));
  }
  if (points.length === 0 && n > 0 && args.flags.has('json')) throw new UsageError(`gradient needs --at with ${count(n)} (${formula.vars.join(', ')}), or --points FILE`);
  const rows = points.map((at) => evaluatePoint(formula, at));
  const single = args.lists.get('at')?.length === 1;
  const json = single
    ? { vars: formula.vars, value: rows[0].value, gradient: rows[0].gradient, ...(rows[0].undefined ? { undefined: rows[0].undefined } : {}), gradientExprs: formula.gradientExprs }
    : rows.length
      ? { vars: formula.vars, gradientExprs: formula.gradientExprs, points: rows }
      : { vars: formula.vars, gradientExprs: formula.gradientExprs };
  const lines = [`f(${formula.vars.join(', ')}) = ${formula.expr}`];
  formula.vars.forEach((v, i) => lines.push(`∂f/∂${v} = ${formula.gradientExprs[i]}`));
  for (const r of rows) {
    lines.push(`at (${r.at.join(', ')}): f = ${r.value}, ∇f = [${r.gradient.join(', ')}]`);
    if (r.undefined) lines.push(`  ${r.undefined}`);
  }
  return { json, text: lines.join('\n') };
}
