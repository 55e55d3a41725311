/**
 * Checking a saved run against its settings: the run rebuilt from its spec and
 * replayed to the step it was saved at (its recorded hyperparameter changes
 * applied at their steps) must end as the file says, and pass through every
 * saved history row with the same bits. A session edited by hand, or saved by
 * a lab whose arithmetic differs, fails this check, and the first difference
 * says where and what.
 */
import type { History } from '../run/history';
import type { RunStatus } from '../spec/session';

export interface SavedRun {
  status: RunStatus;
  step: number;
  /** The saved history: `width` numbers a row (step, value, gradNorm, lr, params…). */
  width: number;
  rows: Float64Array;
}

export interface ReplayedRun {
  status: RunStatus;
  step: number;
  history: History;
}

/**
 * Where a replayed run first parts from its saved one: a recorded number (at a step; a parameter by
 * its index), how it ends (status and step), or its shape (how many parameters it has).
 */
export type RunDifference =
  | { what: 'value' | 'gradNorm' | 'lr' | 'param'; step: number; index?: number; saved: number; now: number }
  | { what: 'end'; saved: { status: RunStatus; step: number }; now: { status: RunStatus; step: number } }
  | { what: 'shape'; saved: number; now: number };

const COLUMN = ['step', 'value', 'gradNorm', 'lr'] as const;

/** A finished run must finish alike; a run saved mid-way must stand, unfinished, at the same step. */
function endsAlike(saved: SavedRun, now: ReplayedRun): boolean {
  const finished = (s: RunStatus) => !['idle', 'running', 'paused'].includes(s);
  if (finished(saved.status) || finished(now.status)) return saved.status === now.status && saved.step === now.step;
  return saved.step === now.step;
}

/**
 * How a saved run and its replay differ: the first recorded number that differs, and their ends
 * when those differ; empty when they agree to the bit.
 */
export function compareRun(saved: SavedRun, now: ReplayedRun): RunDifference[] {
  const h = now.history;
  const paramColumns = h.width - h.gradients;
  if (saved.width !== paramColumns) return [{ what: 'shape', saved: saved.width - 4, now: paramColumns - 4 }];
  const found: RunDifference[] = [];
  const w = saved.width;
  rows: for (let r = 0; r * w < saved.rows.length; r++) {
    const o = r * w;
    const step = saved.rows[o];
    const index = h.indexAtOrBefore(step);
    // Steps the replay's history thinned away cannot be compared; the ones it kept must agree.
    if (index < 0 || h.stepAt(index) !== step) continue;
    const row = h.rows(index, index + 1, w);
    for (let c = 1; c < w; c++) {
      if (Object.is(row[c], saved.rows[o + c])) continue;
      const what = c < 4 ? (COLUMN[c] as 'value' | 'gradNorm' | 'lr') : 'param';
      found.push({ what, step, ...(c >= 4 ? { index: c - 4 } : {}), saved: saved.rows[o + c], now: row[c] });
      break rows;
    }
  }
  if (!endsAlike(saved, now)) found.push({ what: 'end', saved: { status: saved.status, step: saved.step }, now: { status: now.status, step: now.step } });
  return found;
}
