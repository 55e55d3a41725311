/** `gdlab run FILE.gdlab` and `gdlab export FILE.gdlab`: sessions for scripts and teaching material. */
import { basename, resolve } from 'node:path';
import { compileFormula } from '../../formula/compile';
import type { Dataset } from '../../data/table';
import { readArgs, UsageError } from '../args';
import type { CommandResult } from '../main';
import { atomicWrite, readReference, readSessionFile } from '../../session/file';
import type { Session } from '../../spec/session';
import { datasetFromSource } from '../../session/runs';
import { buildSessionRun, rerun, savedFinal, sessionNotebook, sessionPytorchScript } from '../../session/rerun';
import { formulaCache } from '../../run/build';
import { historyCsv } from '../../session/export/csv';
import { SessionError } from '../../session/open';
import type { FitRun } from '../../run/fit';



async function open(argv: readonly string[], extra: Record<string, 'string' | 'boolean'>) {
  const args = readArgs(argv, { json: 'boolean', ...extra });
  const [file, ...more] = args.positionals;
  if (!file) throw new UsageError('Name the session file, e.g. experiment.gdlab');
  if (more.length) throw new UsageError(`One session file at a time; also given: ${more.join(' ')}`);
  const session = await readSessionFile(file);
  let dataset: Dataset | null = null;
  if (session.problem.kind === 'data') dataset = (await datasetFromSource(session.problem.dataset, readReference)).dataset;
  return { args, file, session, dataset };
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** A fit's training loss, and its accuracy (classification) or R², for training and validation rows. */
function finalFitMetrics(fit: FitRun, p: Float64Array): Record<string, number> {
  const metrics = fit.metricsAt(p);
  return { loss: metrics.loss, ...fit.reported(metrics) };
}

export async function runCommand(argv: readonly string[]): Promise<CommandResult> {
  const { file, session, dataset } = await open(argv, {});
  const formula = formulaCache();
  const runs = session.runs.map((saved) => {
    const built = rerun(session, saved, dataset, formula);
    const { run, fit, paramNames } = built;
    const savedRow = savedFinal(saved);
    const finalRow = [run.step, run.value, run.gradNorm, ...Array.from(run.p)];
    const matchesSaved = savedRow ? sameBits([savedRow[0], savedRow[1], savedRow[2], ...Array.from(savedRow.subarray(4))], finalRow) : null;
    return {
      id: saved.id,
      name: saved.name,
      optimizer: { ...run.optimizer.hyper, name: run.optimizer.definition.name },
      status: run.outcome?.status ?? 'running',
      reason: run.outcome?.reason,
      message: fit && run.outcome?.reason === 'max_steps' ? run.outcome.message : run.outcome?.message,
      steps: run.step,
      ...(fit ? { epochs: fit.epoch, params: Object.fromEntries(paramNames.map((n, i) => [n, run.p[i]])) } : { vars: paramNames }),
      final: { step: run.step, params: Array.from(run.p), value: run.value, gradNorm: run.gradNorm, ...(fit ? finalFitMetrics(fit, run.p) : {}) },
      matchesSaved,
    };
  });
  const lines = [`${file}: ${session.runs.length} run${session.runs.length === 1 ? '' : 's'}`];
  for (const r of runs) {
    lines.push(`  ${r.name}: ${r.message ?? r.status}; final (${r.final.params.join(', ')}), f = ${r.final.value}${r.matchesSaved === null ? '' : r.matchesSaved ? '; identical to the saved run' : '; DIFFERS from the saved run'}`);
  }
  return { json: { file, runs }, text: lines.join('\n') };
}

export async function exportCommand(argv: readonly string[]): Promise<CommandResult> {
  const { args, file, session, dataset } = await open(argv, { format: 'string', out: 'string' });
  const format = args.flags.get('format');
  if (format !== 'pytorch' && format !== 'csv' && format !== 'ipynb') throw new UsageError('export needs --format pytorch, --format ipynb or --format csv');
  const out = args.flags.get('out');
  // A notebook's figures are named after it: the file written, or the session's.
  const stem = basename(typeof out === 'string' ? out : file).replace(/\.[^.]*$/, '') || 'session';
  const text = format === 'pytorch' ? sessionPytorchScript(session, dataset) : format === 'ipynb' ? sessionNotebook(session, dataset, { stem }) : historyCsv(session, paramNames(session, dataset));
  if (typeof out === 'string') {
    try {
      await atomicWrite(out, text);
    } catch (error) {
      throw new SessionError(`Cannot write ${out}: ${(error as Error).message}`);
    }
    return { json: { file, format, out: resolve(out), bytes: Buffer.byteLength(text) }, text: `wrote ${out} (${Buffer.byteLength(text)} bytes)` };
  }
  return { json: { file, format, text }, text: text.replace(/\n$/, '') };
}

function paramNames(session: Session, dataset: Dataset | null): string[] {
  if (session.problem.kind === 'function') return compileFormula(session.problem.expr, { vars: session.problem.vars }).vars.slice();
  const first = session.runs[0];
  return first ? buildSessionRun(session, first, dataset).paramNames : [];
}

