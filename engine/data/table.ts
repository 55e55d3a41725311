/**
 * A loaded dataset: typed columns built row by row without keeping row
 * objects, and every problem found on the way, with its row and column.
 * Cells are never silently NaN: a cell that is missing or not a number is
 * recorded as a problem, and `prepare.ts` decides by policy what to do with
 * the rows that have one in a column the fit uses.
 */

import type { Words } from '../spec/common';

export type ColumnKind = 'numeric' | 'label' | 'text';

export interface Column {
  name: string;
  kind: ColumnKind;
  /** Numeric value per row; for a label column 0/1 by `labels`; NaN where the cell has a problem or the column is text. */
  values: Float64Array;
  /** For a label column: labels[0] is coded 0, labels[1] is coded 1 (alphabetical order). */
  labels?: [string, string];
  /** For a text column: how many distinct values it has. */
  distinct?: number;
  /** For a text column: the text of its first rows (up to TEXT_PREVIEW_ROWS), for showing the data. */
  text?: string[];
  /** For a text column of at most MAX_CLASSES values: its values in sorted order, and each row's index in them (NaN where missing). */
  classes?: string[];
  codes?: Float64Array;
  /** Rows (0-based data rows) whose cell is missing or unusable. */
  badRows: number;
}

export interface LoadProblem {
  /** 1-based line in the file, counting a header line; 0 for the file as a whole. */
  line: number;
  column?: string;
  message: string;
  /** `message` as an id and values, for the interface's languages. */
  words?: Words;
}

export interface Dataset {
  name: string;
  rowCount: number;
  columns: Column[];
  /** The first few problems in file order. */
  problems: LoadProblem[];
  /** How many problems there were in all. */
  problemCount: number;
  /** Warnings that do not stop anything (renamed duplicate headers, a guessed delimiter). */
  notes: Note[];
  format: 'csv' | 'json' | 'xlsx' | 'parquet';
  delimiter?: string;
  header: boolean;
  /** A workbook's sheets, and the one read. */
  sheets?: string[];
  sheet?: string;
}

/** A warning about a file: its English text and the same as words, for an interface in another language. */
export interface Note {
  message: string;
  words: Words;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
  constructor(
    message: string,
    readonly problems: LoadProblem[] = [],
    /** The message as an id and its values, for an interface in another language (`message` is its English). */
    readonly words?: Words,
  ) {
    super(message);
  }
}

export const MAX_PROBLEMS_KEPT = 20;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

export interface CellParse {
  value: number;
  /** Why the cell is not a usable number, if it is not. */
  problem?: 'missing' | 'text' | 'overflow';
}

export function parseCell(raw: string, decimalComma: boolean): CellParse {
  const text = raw.trim();
  if (text === '') return { value: NaN, problem: 'missing' };
  let candidate = text;
  if (decimalComma && DECIMAL_COMMA.test(text)) candidate = text.replace(',', '.');
  if (!NUMBER.test(candidate)) return { value: NaN, problem: 'text' };
  const value = Number(candidate);
  if (!Number.isFinite(value)) return { value: NaN, problem: 'overflow' };
  return { value };
}

class ColumnBuilder {
  values: Float64Array;
  texts: Map<number, string> | null = null;
  missing = 0;
  nonNumeric = 0;
  numeric = 0;

  constructor(
    readonly name: string,
    capacity: number,
  ) {
    this.values = new Float64Array(capacity);
  }

  grow(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.values);
    this.values = next;
  }
}

/** Builds typed columns from rows of strings, reporting problems as it goes. */
export class TableBuilder {
  private columns: ColumnBuilder[] = [];
  private rows = 0;
  private capacity = 1024;
  private problems: LoadProblem[] = [];
  private problemCount = 0;
  readonly notes: Note[] = [];

  constructor(
    names: string[],
    private readonly firstLine: number,
    private readonly decimalComma = false,
  ) {
    this.columns = uniqueNames(names, this.notes).map((n) => new ColumnBuilder(n, this.capacity));
  }

  get rowCount(): number {
    return this.rows;
  }

  problem(line: number, message: string, column?: string, words?: Words): void {
    this.problemCount++;
    // Text-cell problems are found only in finish(), so keep room for them before sorting by line.
    if (this.problems.length < 2 * MAX_PROBLEMS_KEPT) this.problems.push({ line, message, ...(column === undefined ? {} : { column }), ...(words ? { words } : {}) });
  }

  /** Adds one row of cells; `line` is its 1-based line in the file. */
  addRow(cells: readonly string[], line: number): void {
    const width = this.columns.length;
    if (cells.length !== width) {
      this.problem(line, `has ${cells.length} field${cells.length === 1 ? '' : 's'} but the header has ${width}`, undefined, { id: 'fieldCount', values: { count: cells.length, width } });
    }
    if (this.rows === this.capacity) {
      this.capacity *= 2;
      for (const c of this.columns) c.grow(this.capacity);
    }
    const row = this.rows++;
    for (let j = 0; j < width; j++) {
      const c = this.columns[j];
      const parsed = parseCell(cells[j] ?? '', this.decimalComma);
      c.values[row] = parsed.value;
      if (!parsed.problem) {
        c.numeric++;
        continue;
      }
      if (parsed.problem === 'missing') {
        c.missing++;
        if (cells.length === width) this.problem(line, 'missing value', c.name, { id: 'missingValue', values: {} });
      } else {
        c.nonNumeric++;
        (c.texts ??= new Map()).set(row, (cells[j] ?? '').trim());
      }
    }
  }

  /** Finishes the columns: numeric, a two-valued label, or text. */
  finish(): { columns: Column[]; rowCount: number; problems: LoadProblem[]; problemCount: number } {
    const columns = this.columns.map((c) => this.finishColumn(c));
    const problems = [...this.problems].sort((a, b) => a.line - b.line);
    return { columns, rowCount: this.rows, problems: problems.slice(0, MAX_PROBLEMS_KEPT), problemCount: this.problemCount };
  }

  private finishColumn(c: ColumnBuilder): Column {
    const values = c.values.subarray(0, this.rows).slice();
    const texts = c.texts;
    if (!texts || texts.size === 0) return { name: c.name, kind: 'numeric', values, badRows: c.missing };
    if (c.numeric >= c.nonNumeric) {
      // Mostly numbers: the text cells are problems in a numeric column.
      for (const [row, text] of texts) {
        const outOfRange = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
        const what = outOfRange ? `number out of range (${text})` : `"${clip(text)}" is not a number`;
        this.problem(this.firstLine + row, what, c.name, { id: outOfRange ? 'outOfRange' : 'notANumber', values: { text: outOfRange ? text : clip(text) } });
      }
      return { name: c.name, kind: 'numeric', values, badRows: c.missing + texts.size };
    }
    // Mostly text: a label if it has exactly two values.
    const distinct = new Set<string>();
    for (let row = 0; row < this.rows; row++) {
      const t = texts.get(row) ?? (Number.isNaN(values[row]) ? undefined : String(values[row]));
      if (t !== undefined) distinct.add(t);
      if (distinct.size > 1000) break;
    }
    if (distinct.size === 2) {
      const labels = [...distinct].sort() as [string, string];
      for (let row = 0; row < this.rows; row++) {
        const t = texts.get(row) ?? (Number.isNaN(values[row]) ? undefined : String(values[row]));
        values[row] = t === undefined ? NaN : t === labels[0] ? 0 : 1;
      }
      return { name: c.name, kind: 'label', values, labels, badRows: c.missing };
    }
    let classes: { classes: string[]; codes: Float64Array } | object = {};
    if (distinct.size <= MAX_CLASSES) {
      const names = [...distinct].sort();
      const index = new Map(names.map((n, k) => [n, k]));
      const codes = new Float64Array(this.rows);
      for (let row = 0; row < this.rows; row++) {
        const t = texts.get(row) ?? (Number.isNaN(values[row]) ? undefined : String(values[row]));
        codes[row] = t === undefined ? NaN : (index.get(t) as number);
      }
      classes = { classes: names, codes };
    }
    const text: string[] = [];
    for (let row = 0; row < Math.min(this.rows, TEXT_PREVIEW_ROWS); row++) text.push(texts.get(row) ?? (Number.isNaN(values[row]) ? '' : String(values[row])));
    values.fill(NaN);
    return { name: c.name, kind: 'text', values, distinct: distinct.size, badRows: this.rows, text, ...classes };
  }
}

/** The most classes a label column may name: a text column with more values is free text. */
export const MAX_CLASSES = 100;

/** Rows of a text column kept as text, for the data preview. */
export const TEXT_PREVIEW_ROWS = 50;

function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 21)}…` : text;
}

/** Empty names become column1…, duplicates get _2, _3; each change is noted. */
export function uniqueNames(names: readonly string[], notes: Note[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    let name = raw.trim();
    if (name === '') {
      name = `column${i + 1}`;
      notes.push({ message: `Column ${i + 1} has no name; it is called ${name}`, words: { id: 'unnamed', values: { number: i + 1, name } } });
    }
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count === 0) return name;
    let renamed = `${name}_${count + 1}`;
    while (seen.has(renamed)) renamed = `${renamed}_`;
    seen.set(renamed, 1);
    notes.push({ message: `The column name "${name}" appears more than once; column ${i + 1} is called ${renamed}`, words: { id: 'repeated', values: { name, number: i + 1, renamed } } });
    return renamed;
  });
}
