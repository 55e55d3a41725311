/** What the UI shows of a loaded dataset: columns with their kinds, a preview of the first rows, problems. */
import type { Dataset } from '../data/table';
import { targetFacts } from '../data/defaults';

export interface DatasetSummary {
  name: string;
  rowCount: number;
  columns: Array<{
    name: string;
    kind: string;
    labels?: [string, string];
    distinct?: number;
    /** A numeric column of 0s and 1s (both present): class labels a classifier can fit. */
    binary?: boolean;
    /** How many classes the column names, when a network can fit it as classes: text of up to 100 values, or whole numbers of 2 to 100 values. */
    classes?: number;
    badRows: number;
    min: number;
    max: number;
  }>;
  preview: Array<Array<number | string | null>>;
  problems: Dataset['problems'];
  problemCount: number;
  notes: Dataset['notes'];
  format: Dataset['format'];
  delimiter?: string;
  header: boolean;
  /** A workbook's sheets and the one read. */
  sheets?: string[];
  sheet?: string;
}

export function datasetSummary(d: Dataset, previewRows = 12): DatasetSummary {
  const rows = Math.min(previewRows, d.rowCount);
  const preview: Array<Array<number | string | null>> = [];
  for (let i = 0; i < rows; i++) {
    preview.push(d.columns.map((c) => {
      const v = c.values[i];
      if (c.kind === 'text') return c.text?.[i] ?? null;
      if (Number.isNaN(v)) return null;
      return c.kind === 'label' && c.labels ? c.labels[v] : v;
    }));
  }
  return {
    name: d.name,
    rowCount: d.rowCount,
    columns: d.columns.map((c) => {
      let min = Infinity;
      let max = -Infinity;
      for (const v of c.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return {
        name: c.name,
        // kind, and for a target: whether it is 0/1 and how many classes it names
        ...targetFacts(c),
        ...(c.labels ? { labels: c.labels } : {}),
        ...(c.distinct !== undefined ? { distinct: c.distinct } : {}),
        badRows: c.badRows,
        min,
        max,
      };
    }),
    preview,
    problems: d.problems,
    problemCount: d.problemCount,
    notes: d.notes,
    format: d.format,
    ...(d.delimiter ? { delimiter: d.delimiter } : {}),
    header: d.header,
    ...(d.sheets ? { sheets: d.sheets, sheet: d.sheet } : {}),
  };
}
