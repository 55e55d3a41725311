/**
 * JSON datasets: an array of objects (`[{"x": 1, "y": 2}, …]`), or columns
 * (`{"columns": {"x": [1, …], "y": [2, …]}}`, or the same without the
 * `columns` wrapper). Values may be numbers, numeric strings, text or null
 * (missing); problems are reported by record number.
 */
import { DatasetError, TableBuilder, type Dataset } from './table';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return '[object]';
}

export function loadJson(text: string, name: string): Dataset {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${name} is not valid JSON: ${(error as Error).message}`, [], { id: 'badJson', values: { name, reason: (error as Error).message } });
  }
  let names: string[];
  let rows: string[][];
  if (Array.isArray(data)) {
    if (data.length === 0) throw new DatasetError(`${name} holds an empty array: there are no rows`, [], { id: 'jsonEmptyArray', values: { name } });
    const keys = new Set<string>();
    data.forEach((record, i) => {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw new DatasetError(`${name}: record ${i + 1} is not an object; expected an array of objects such as [{"x": 1, "y": 2}]`, [], { id: 'jsonRecord', values: { name, record: i + 1 } });
      }
      for (const key of Object.keys(record)) keys.add(key);
    });
    names = [...keys];
    rows = data.map((record) => names.map((k) => cell((record as Record<string, unknown>)[k])));
  } else if (data !== null && typeof data === 'object') {
    const holder = (data as Record<string, unknown>).columns ?? data;
    if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) throw new DatasetError(`${name}: "columns" must be an object of arrays`, [], { id: 'jsonColumns', values: { name } });
    const entries = Object.entries(holder as Record<string, unknown>);
    if (entries.length === 0) throw new DatasetError(`${name} has no columns`, [], { id: 'jsonNoColumns', values: { name } });
    for (const [key, values] of entries) {
      if (!Array.isArray(values)) throw new DatasetError(`${name}: column "${key}" is not an array`, [], { id: 'jsonColumnNotArray', values: { name, column: key } });
    }
    const lengths = new Set(entries.map(([, v]) => (v as unknown[]).length));
    if (lengths.size > 1) throw new DatasetError(`${name}: the columns have different lengths (${entries.map(([k, v]) => `${k}: ${(v as unknown[]).length}`).join(', ')})`);
    const n = (entries[0][1] as unknown[]).length;
    if (n === 0) throw new DatasetError(`${name} has columns but no rows`, [], { id: 'jsonNoRows', values: { name } });
    names = entries.map(([k]) => k);
    rows = Array.from({ length: n }, (_, i) => entries.map(([, v]) => cell((v as unknown[])[i])));
  } else {
    throw new DatasetError(`${name}: expected an array of objects or an object of columns`, [], { id: 'jsonShape', values: { name } });
  }
  const builder = new TableBuilder(names, 1);
  rows.forEach((row, i) => builder.addRow(row, i + 1));
  const table = builder.finish();
  return { name, rowCount: table.rowCount, columns: table.columns, problems: table.problems, problemCount: table.problemCount, notes: builder.notes, format: 'json', header: true };
}
