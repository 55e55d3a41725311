/** CSV exports: run histories (one row per recorded step), sweeps (one row per point) and data with predictions. */
import { decodeHistory } from '../codec';
import type { Session } from '../../spec/session';
import type { SweepResult } from '../../experiments/sweepPoints';

const cell = (v: string | number): string => {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

export function csvLine(cells: ReadonlyArray<string | number>): string {
  return cells.map(cell).join(',');
}

/** Every saved run's history: run, name, step, value, grad_norm, lr, then one column per parameter. */
export function historyCsv(session: Session, paramNames: readonly string[]): string {
  const lines = [csvLine(['run', 'name', 'step', 'value', 'grad_norm', 'lr', ...paramNames])];
  for (const run of session.runs) {
    if (!run.result) continue;
    const { width } = run.result.history;
    const rows = decodeHistory(run.result.history);
    for (let o = 0; o < rows.length; o += width) lines.push(csvLine([run.id, run.name, ...Array.from(rows.subarray(o, o + width))]));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A sweep, one row per point: the run, its optimizer, the value of each setting swept, the final
 * value, the first step at the tolerance (empty when never) and how the run ended.
 */
export function sweepCsv(result: SweepResult): string {
  const axes = result.axes ?? [{ param: 'lr', values: result.lrs }];
  const lines = [csvLine(['run', 'optimizer', ...axes.map((a) => a.param), 'final_value', 'steps_to_tolerance', 'status'])];
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  for (const s of result.series) {
    for (let index = 0; index < size; index++) {
      let rest = index;
      const at = axes.map((a) => {
        const v = a.values[rest % a.values.length];
        rest = Math.floor(rest / a.values.length);
        return v;
      });
      lines.push(csvLine([s.run ?? s.optimizer, s.optimizer, ...at, s.finalValue[index], s.stepsToTolerance[index] ?? '', s.status[index]]));
    }
  }
  return `${lines.join('\n')}\n`;
}
