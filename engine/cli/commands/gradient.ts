/** `gdlab gradient`: the symbolic gradient of a formula and its value at a point. */
import { compileFormula } from '../../formula/compile';
import { parseNameList, parseNumberList, readArgs, UsageError } from '../args';
import type { CommandResult } from '../main';

export const GRADIENT_HELP = `gdlab gradient --expr FORMULA [--vars x,y] --at 1,2 [--json]
  The partial derivatives of FORMULA, simplified, and f and ∇f at the point.
  Variables are the free symbols in order of first appearance unless --vars names them.`;

export function gradientCommand(argv: readonly string[]): CommandResult {
  const args = readArgs(argv, { expr: 'string', vars: 'string', at: 'string', json: 'boolean' });
  const expr = args.flags.get('expr');
  if (typeof expr !== 'string') throw new UsageError('gradient needs --expr, e.g. --expr "5*x^2"');
  const vars = args.flags.has('vars') ? parseNameList(args.flags.get('vars') as string) : undefined;
  const formula = compileFormula(expr, { vars });
  const n = formula.vars.length;
  const atText = args.flags.get('at');
  let at: number[] | undefined;
  if (typeof atText === 'string') {
    at = parseNumberList(atText, '--at');
    if (at.length !== n) {
      throw new UsageError(`--at has ${at.length} value${at.length === 1 ? '' : 's'} but the formula has ${n} variable${n === 1 ? '' : 's'} (${formula.vars.join(', ')})`);
    }
  } else if (n > 0 && args.flags.has('json')) {
    throw new UsageError(`gradient needs --at with ${n} value${n === 1 ? '' : 's'} (${formula.vars.join(', ')})`);
  }
  let value: number | undefined;
  let gradient: number[] | undefined;
  if (at) {
    const g = new Float64Array(n);
    value = formula.valueAndGradient(Float64Array.from(at), g);
    gradient = Array.from(g);
  }
  const json = { vars: formula.vars, value, gradient, gradientExprs: formula.gradientExprs };
  const lines = [`f(${formula.vars.join(', ')}) = ${formula.expr}`];
  formula.vars.forEach((v, i) => lines.push(`∂f/∂${v} = ${formula.gradientExprs[i]}`));
  if (at && gradient) lines.push(`at (${at.join(', ')}): f = ${value}, ∇f = [${gradient.join(', ')}]`);
  return { json, text: lines.join('\n') };
}
