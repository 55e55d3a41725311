/**
 * CSV, TSV and other delimited text, parsed by PapaParse in chunks: the
 * delimiter is detected (`,` tab `;` `|`), quoted fields and CRLF/LF line ends
 * are handled by PapaParse, the header row is detected (a first row with no
 * number in it) or chosen, and with `;` as delimiter a decimal comma (1,5) is
 * read as 1.5. Between chunks the loader yields, so progress can be shown and
 * a load cancelled.
 */
import Papa from 'papaparse';
import { DatasetError, TableBuilder, parseCell, type Dataset, type Note } from './table';

export interface DelimitedOptions {
  name: string;
  delimiter?: string;
  header?: 'auto' | boolean;
  /** Called with the fraction of the text read so far. */
  onProgress?: (fraction: number, rows: number) => void;
  signal?: AbortSignal;
  chunkSize?: number;
}

/** Each delimiter's English name and the id of its note's words. */
const DELIMITER_NAMES: Record<string, { name: string; id: string }> = {
  ',': { name: 'comma', id: 'separatorComma' },
  '\t': { name: 'tab', id: 'separatorTab' },
  ';': { name: 'semicolon', id: 'separatorSemicolon' },
  '|': { name: 'vertical bar', id: 'separatorVerticalBar' },
};

/** The note that says which character separates the columns, when it is not a comma. */
function separatorNote(delimiter: string): Note {
  const known = DELIMITER_NAMES[delimiter];
  return known
    ? { message: `Columns are separated by ${known.name}s`, words: { id: known.id, values: {} } }
    : { message: `Columns are separated by ${JSON.stringify(delimiter)}`, words: { id: 'separatorCharacter', values: { text: JSON.stringify(delimiter) } } };
}

const isEmptyRow = (row: readonly string[]) => row.length === 0 || (row.length === 1 && row[0].trim() === '');

function looksLikeHeader(row: readonly string[]): boolean {
  return row.some((cell) => cell.trim() !== '') && row.every((cell) => parseCell(cell, true).problem !== undefined);
}

/** Counts `delimiter` outside double-quoted fields in one line. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) count++;
  }
  return count;
}

/**
 * The delimiter that splits the first lines into the same number of fields,
 * preferring tab and semicolon (rare inside data, and `;` files often use a
 * decimal comma) over comma and vertical bar. Undefined when none is consistent.
 */
export function guessDelimiter(text: string): string | undefined {
  const lines = text.slice(0, 64 * 1024).split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').slice(0, 50);
  if (lines.length > 1 && lines.length === 50) lines.pop(); // the last line may be cut off
  for (const candidate of ['\t', ';', ',', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, candidate));
    if (counts[0] > 0 && counts.every((c) => c === counts[0])) return candidate;
  }
  // No delimiter gives equal counts everywhere (ragged rows): take the most frequent one on the first line.
  const first = lines[0] ?? '';
  const best = [',', '\t', ';', '|'].map((d) => [d, countOutsideQuotes(first, d)] as const).sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 0 ? best[0] : undefined;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function loadDelimited(text: string, options: DelimitedOptions): Promise<Dataset> {
  if (text.trim() === '') return Promise.reject(new DatasetError(`${options.name} is empty`, [], { id: 'empty', values: { name: options.name } }));
  return new Promise<Dataset>((resolve, reject) => {
    let builder: TableBuilder | null = null;
    let header = false;
    let line = 0;
    const guessed = options.delimiter ?? guessDelimiter(text);
    const delimiter = guessed ?? ',';
    const notes: Note[] = guessed === undefined ? [{ message: 'No delimiter was found: the file is read as one column', words: { id: 'oneColumn', values: {} } }] : [];
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      reject(error);
    };

    Papa.parse<string[]>(text, {
      delimiter,
      skipEmptyLines: false,
      chunkSize: options.chunkSize ?? 1 << 20,
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        if (failed) return;
        try {
          for (const e of results.errors) {
            if (e.code === 'MissingQuotes' || e.code === 'InvalidQuotes') {
              const row = typeof e.row === 'number' ? e.row + line + 1 : 0;
              throw new DatasetError(`${options.name}: a quoted field is not closed${row ? ` (starting on line ${row})` : ''}: check the quotes`, [{ line: row, message: e.message }], {
                id: row ? 'quoteAt' : 'quote',
                values: { name: options.name, line: row },
              });
            }
          }
          for (const row of results.data) {
            line++;
            if (isEmptyRow(row)) continue;
            if (!builder) {
              header = options.header === 'auto' || options.header === undefined ? looksLikeHeader(row) : options.header;
              const names = header ? row : row.map((_: string, i: number) => `column${i + 1}`);
              builder = new TableBuilder(names, header ? line + 1 : line, delimiter === ';');
              if (header) continue;
            }
            builder.addRow(row, line);
          }
          options.onProgress?.(Math.min(1, (results.meta.cursor ?? 0) / text.length), builder?.rowCount ?? 0);
          if (options.signal?.aborted) throw new DatasetError('Loading was cancelled', [], { id: 'cancelled', values: {} });
          parser.pause();
          yieldToEventLoop().then(() => parser.resume(), fail);
        } catch (error) {
          fail(error as Error);
          parser.abort();
        }
      },
      complete() {
        if (failed) return;
        if (!builder) return fail(new DatasetError(`${options.name} has no rows`, [], { id: 'noRows', values: { name: options.name } }));
        if (builder.rowCount === 0) return fail(new DatasetError(`${options.name} has a header row but no data rows`, [], { id: 'headerOnly', values: { name: options.name } }));
        const table = builder.finish();
        resolve({
          name: options.name,
          rowCount: table.rowCount,
          columns: table.columns,
          problems: table.problems,
          problemCount: table.problemCount,
          notes: [...notes, ...builder.notes, ...(delimiter !== ',' ? [separatorNote(delimiter)] : [])],
          format: 'csv',
          delimiter,
          header,
        });
      },
    });
  });
}
