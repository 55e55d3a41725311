/** CSV exports: run histories (one row per recorded step) and data with predictions. */
import { decodeHistory } from '../codec';
import type { Session } from '../../spec/session';

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
