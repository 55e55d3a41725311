/**
 * Excel workbooks (.xlsx, read by read-excel-file) and Parquet files (read by hyparquet): their cells
 * become the same rows of text a CSV gives, so that one TableBuilder types the columns and reports
 * problems with the same checks and messages. Numbers are written in the shortest form that reads
 * back to the same double, so a workbook or a Parquet file loads to the bits its CSV does.
 *
 *   .xlsx    a sheet by name, or the first one with a table (two rows or more); its first row is a header when every cell
 *            in it is text that is not a number (as a CSV's); rows are numbered as the sheet numbers
 *            them, so a problem's line is the row a person sees in the spreadsheet.
 *   Parquet  a flat schema of columns (numbers, 64-bit integers, text, booleans, dates); nested
 *            columns are refused. Rows are numbered from 1.
 */
import readXlsxFile from 'read-excel-file/universal';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
// The codecs' own modules, not the package's index: that one also loads a WebAssembly snappy decoder,
// which the pages' content security policy refuses (hyparquet reads snappy itself).
import { decompress as unzstd } from 'fzstd';
import { gunzip } from 'hyparquet-compressors/src/gzip.js';
import { decompressBrotli } from 'hyparquet-compressors/src/brotli.js';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';

/** Parquet's codecs besides snappy: gzip, zstd (polars' default), brotli, lz4. */
const COMPRESSORS = {
  GZIP: (input: Uint8Array, length: number) => gunzip(input, new Uint8Array(length)),
  ZSTD: (input: Uint8Array) => unzstd(input),
  BROTLI: decompressBrotli,
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
import { DatasetError, TableBuilder, parseCell, type Dataset } from './table';

/** A cell as the text a CSV would hold: empty for none, numbers in their shortest exact form. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? String(Number(value)) : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return String(value);
}

/** Copies bytes into an ArrayBuffer of their own (a view may sit inside a larger buffer). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export async function loadXlsx(bytes: Uint8Array, name: string, options: { sheet?: string } = {}): Promise<Dataset> {
  let sheets: Array<{ sheet: string; data: unknown[][] }>;
  try {
    sheets = (await readXlsxFile(ownBuffer(bytes))) as Array<{ sheet: string; data: unknown[][] }>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatasetError(`${name} could not be read as an Excel workbook (${reason}); save it again as .xlsx, or as CSV`, [], { id: 'badXlsx', values: { name, reason } });
  }
  const names = sheets.map((s) => s.sheet);
  const rowsWithCells = (s: { data: unknown[][] }) => s.data.filter((row) => row.some((c) => cellText(c) !== '')).length;
  // By default the first sheet with a table (two rows or more: a header and data), else the first with cells.
  const chosen = options.sheet === undefined ? sheets.find((s) => rowsWithCells(s) >= 2) ?? sheets.find((s) => rowsWithCells(s) > 0) : sheets.find((s) => s.sheet === options.sheet);
  if (!chosen) {
    if (options.sheet !== undefined) throw new DatasetError(`${name} has no sheet called "${options.sheet}"; its sheets are ${names.join(', ')}`, [], { id: 'sheetNotFound', values: { name, sheet: options.sheet, sheets: names.join(', ') } });
    throw new DatasetError(`${name} is empty: none of its sheets has cells`, [], { id: 'empty', values: { name } });
  }
  const rows = chosen.data.map((row) => row.map(cellText));
  while (rows.length && rows[rows.length - 1].every((c) => c === '')) rows.pop();
  if (rows.length === 0) throw new DatasetError(`The sheet "${chosen.sheet}" of ${name} is empty`, [], { id: 'sheetEmpty', values: { name, sheet: chosen.sheet } });
  const width = Math.max(...rows.map((r) => r.length));
  const header = rows[0].some((c) => c.trim() !== '') && rows[0].every((c) => c.trim() === '' || parseCell(c, true).problem !== undefined);
  const columnNames = header ? [...rows[0], ...new Array<string>(Math.max(0, width - rows[0].length)).fill('')] : Array.from({ length: width }, (_, j) => `column${j + 1}`);
  const body = header ? rows.slice(1) : rows;
  if (body.length === 0) throw new DatasetError(`The sheet "${chosen.sheet}" of ${name} has a header row but no data rows`, [], { id: 'sheetHeaderOnly', values: { name, sheet: chosen.sheet } });
  const builder = new TableBuilder(columnNames, header ? 2 : 1);
  body.forEach((row, i) => builder.addRow(row.length < width ? [...row, ...new Array<string>(width - row.length).fill('')] : row, i + (header ? 2 : 1)));
  const table = builder.finish();
  return { name, rowCount: table.rowCount, columns: table.columns, problems: table.problems, problemCount: table.problemCount, notes: builder.notes, format: 'xlsx', header, sheets: names, sheet: chosen.sheet };
}

export async function loadParquet(bytes: Uint8Array, name: string): Promise<Dataset> {
  const file = ownBuffer(bytes);
  let records: Array<Record<string, unknown>>;
  let columnNames: string[];
  try {
    const metadata = parquetMetadata(file);
    const top = metadata.schema[0];
    const fields = metadata.schema.slice(1);
    if (fields.length !== (top.num_children ?? fields.length) || fields.some((f) => (f.num_children ?? 0) > 0)) {
      throw new DatasetError(`${name} has nested columns (lists or structs); the lab reads flat tables: flatten it, or save it as CSV`, [], { id: 'parquetNested', values: { name } });
    }
    columnNames = fields.map((f) => f.name);
    records = (await parquetReadObjects({ file, metadata, compressors: COMPRESSORS })) as Array<Record<string, unknown>>;
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatasetError(`${name} could not be read as a Parquet file (${reason}); write it again, or save it as CSV`, [], { id: 'badParquet', values: { name, reason } });
  }
  if (records.length === 0) throw new DatasetError(`${name} has columns but no rows`, [], { id: 'jsonNoRows', values: { name } });
  const builder = new TableBuilder(columnNames, 1);
  records.forEach((record, i) => builder.addRow(columnNames.map((c) => cellText(record[c])), i + 1));
  const table = builder.finish();
  return { name, rowCount: table.rowCount, columns: table.columns, problems: table.problems, problemCount: table.problemCount, notes: builder.notes, format: 'parquet', header: true };
}
