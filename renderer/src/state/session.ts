/**
 * The document and the session file are one shape: these turn one into the
 * other. A session adds to the document each run's result (its status and
 * history) and each dataset's bytes (embedded, or referenced by path and hash);
 * opening a session gives back the document, field for field, and the results
 * to check against their settings.
 */
import type { DataProblem, EpochUpdate, Problem, Session, SessionResult, SessionRun } from '../../../engine';
import { decodeEpoch, decodeHistory, encodeEpoch, encodeHistory, newSession, thinEpochs } from '../../../engine';
import { dataDocOf, DEFAULT_DATA, DEFAULT_EXPR, problemsOf, type DatasetRef, type LabDoc } from './shape';
import type { RunLive } from './results.svelte';
import type { RunTrace } from './trace';

/** What a run's result needs to be saved: its live state and its history. */
export interface ResultToSave {
  live: RunLive;
  trace: RunTrace;
}

/** A run's result as a session stores it (none for a run that has not run). */
export function sessionResult(result: ResultToSave | undefined): SessionResult | null {
  if (!result || result.trace.count === 0 || result.live.status === 'none') return null;
  const { live, trace } = result;
  return {
    // A run lost with its engine was running when it was lost: it is saved as paused where it stood.
    status: live.status === 'failed' || live.status === 'none' ? 'paused' : live.status,
    message: live.message.slice(0, 2000),
    step: live.step,
    ...(live.bracket ? { bracket: live.bracket } : {}),
    history: encodeHistory(trace.packed(), trace.width),
    epochs: thinEpochs(live.epochs).map(encodeEpoch),
  };
}

/**
 * The document as a session; `source` gives each dataset as the file stores it, `result` each run's
 * result. Throws when the document cannot be a session (data mode without a dataset).
 */
export function toSession(doc: LabDoc, source: (ref: DatasetRef) => DataProblem['dataset'], result: (id: string) => SessionResult | null): Session {
  const { problem, other } = problemsOf(doc, source);
  if (!problem) throw new Error('no dataset');
  const runs = doc.runs.map((run): SessionRun => ({ ...run, result: result(run.id) }));
  return newSession(problem, runs, doc.view, doc.notes, { other, experiments: doc.experiments });
}

/** A saved result as the lab holds one: the history rows to check and show, its end and its epochs. */
export interface SavedResult {
  status: SessionResult['status'];
  step: number;
  message: string;
  bracket?: [number, number];
  width: number;
  rows: Float64Array;
  epochs: EpochUpdate[];
}

/** The document a session holds, and each run's saved result. */
export function fromSession(session: Session): { doc: LabDoc; results: Record<string, SavedResult>; datasets: Array<DataProblem['dataset']> } {
  const problems: Problem[] = [session.problem, ...(session.other ? [session.other] : [])];
  const fn = problems.find((p) => p.kind === 'function');
  const data = problems.find((p): p is DataProblem => p.kind === 'data');
  const doc: LabDoc = {
    mode: session.problem.kind,
    expr: fn?.kind === 'function' ? fn.expr : DEFAULT_EXPR,
    data: data ? dataDocOf(data) : DEFAULT_DATA,
    runs: session.runs.map(({ result: _result, ...spec }) => spec),
    view: session.view,
    experiments: session.experiments,
    notes: session.notes,
  };
  const results: Record<string, SavedResult> = {};
  for (const run of session.runs) {
    const r = run.result;
    if (!r) continue;
    results[run.id] = {
      status: r.status, step: r.step, message: r.message, ...(r.bracket ? { bracket: r.bracket } : {}),
      width: r.history.width, rows: decodeHistory(r.history), epochs: r.epochs.map(decodeEpoch),
    };
  }
  return { doc, results, datasets: data ? [data.dataset] : [] };
}
