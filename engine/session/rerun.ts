/**
 * Re-running a session's runs headless: each run is rebuilt from its settings
 * exactly as the lab builds it, and hyperparameter changes recorded while it
 * was paused are applied again at the same steps, so a re-run reproduces the
 * saved run bit for bit.
 */
import type { Dataset } from '../data/table';
import { buildRun, formulaCache, type BuildContext, type BuiltRun } from '../run/build';
import { engineProblem } from '../spec/problem';
import { settingsOf } from '../spec/run';
import type { Session, SessionRun } from '../spec/session';
import { decodeHistory } from './codec';
import { SESSION_DATASET_ID } from './runs';
import { pytorchScript } from './export/pytorch';
import { pytorchNotebook, type LabFinal, type NotebookTexts } from './export/notebook';

/** `formula` compiles the session's formulas; pass one `formulaCache()` to share them between runs. */
export function buildSessionRun(session: Session, run: SessionRun, dataset: Dataset | null, formula: BuildContext['formula'] = formulaCache()): BuiltRun {
  return buildRun(engineProblem(session.problem, SESSION_DATASET_ID), settingsOf(run), { formula, dataset: () => dataset ?? undefined });
}

/** Builds and runs to the end, replaying recorded hyperparameter changes at their steps. */
export function rerun(session: Session, run: SessionRun, dataset: Dataset | null, formula?: BuildContext['formula']): BuiltRun {
  const built = buildSessionRun(session, run, dataset, formula);
  const advance = (count: number) => (built.fit ? built.fit.advance(count) : built.run.advance(count));
  for (const change of [...run.changes].sort((a, b) => a.step - b.step)) {
    if (change.step > built.run.step) advance(change.step - built.run.step);
    if (built.run.finished) break;
    built.run.setHyperparameters(change.changes);
  }
  advance(Infinity);
  return built;
}

/** The last recorded row of a saved run: [step, value, gradNorm, lr, ...params], or null. */
export function savedFinal(run: SessionRun): Float64Array | null {
  if (!run.result || run.result.history.rows === 0) return null;
  const rows = decodeHistory(run.result.history);
  const w = run.result.history.width;
  return rows.subarray(rows.length - w);
}

/** The session as a PyTorch script; a data session's training rows come from its first run, built on `dataset`. */
export function sessionPytorchScript(session: Session, dataset: Dataset | null): string {
  if (session.problem.kind === 'function') return pytorchScript(session);
  const first = session.runs[0];
  if (!first) throw new RangeError('The session has no runs to export');
  const { fit } = buildSessionRun(session, first, dataset);
  return pytorchScript(session, fit ? { data: fit.data, model: fit.model } : undefined);
}

/**
 * The session as a Jupyter notebook: the script's runs, and the lab's final numbers of each (re-run
 * here, as the script's are compared with them) for the notebook to check its own against.
 */
export function sessionNotebook(session: Session, dataset: Dataset | null, options: { stem: string; texts?: NotebookTexts }): string {
  if (session.runs.length === 0) throw new RangeError('The session has no runs to export');
  const formula = formulaCache();
  const lab: LabFinal[] = session.runs.map((saved) => {
    const { run, fit } = rerun(session, saved, dataset, formula);
    const h = run.history;
    return {
      run: saved.id,
      name: saved.name,
      status: run.outcome?.status ?? 'running',
      steps: run.step,
      params: Array.from(run.p),
      value: h.record(h.indexAtOrBefore(run.step)).value,
      ...(fit ? { finalLoss: fit.objective.trainLoss(run.p) } : {}),
    };
  });
  if (session.problem.kind === 'function') return pytorchNotebook(session, { lab, stem: options.stem, texts: options.texts });
  const first = session.runs[0];
  if (!first) throw new RangeError('The session has no runs to export');
  const { fit } = buildSessionRun(session, first, dataset, formula);
  return pytorchNotebook(session, { data: fit ? { data: fit.data, model: fit.model } : undefined, lab, stem: options.stem, texts: options.texts });
}
