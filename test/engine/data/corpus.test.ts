// The malformed-file corpus in test/fixtures/csv: every file either loads with
// exactly the content it holds, or is refused (or flagged) with a message that
// says what is wrong and where. None may crash the loader.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadDatasetFile } from '../../../engine/data/file';
import { prepareData } from '../../../engine/data/prepare';
import { DatasetError, type Dataset } from '../../../engine/data/table';

/** Problems as the command line prints them (their words, for the interface's languages, checked apart). */
const plain = (problems: ReadonlyArray<{ words?: unknown }>) => problems.map(({ words: _words, ...p }) => p);

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url));

async function refusal(name: string): Promise<DatasetError> {
  try {
    await loadDatasetFile(fixture(name));
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error(`${name} loaded`);
}

const values = (d: Dataset, column: string) => Array.from(d.columns.find((c) => c.name === column)!.values);

describe('files refused whole', () => {
  it.each([
    ['01-empty.csv', /^01-empty\.csv is empty$/],
    ['02-header-only.csv', /has a header row but no data rows/],
    ['13-non-utf8.csv', /is not UTF-8 text \(the byte at offset 7 is not valid UTF-8\); save it as UTF-8/],
    ['14-unclosed-quote.csv', /a quoted field is not closed \(starting on line 2\)/],
    ['15-binary.csv', /looks like a binary file/],
    ['16-blank-lines.csv', /is empty/],
    ['18-truncated.json', /is not valid JSON/],
    ['19-ragged-columns.json', /the columns have different lengths \(x: 3, y: 2\)/],
    ['21-utf16.csv', /is UTF-16 text; save it as UTF-8/],
  ])('%s', async (name, message) => {
    expect((await refusal(name)).message).toMatch(message);
  });

  it('a missing file says so', async () => {
    await expect(loadDatasetFile('/no/such/dir/data.csv')).rejects.toThrow('No such file: /no/such/dir/data.csv');
  });
});

describe('files loaded with their problems listed by line and column', () => {
  it('ragged rows', async () => {
    const d = await loadDatasetFile(fixture('03-ragged-rows.csv'));
    expect(plain(d.problems)).toEqual([
      { line: 3, message: 'has 1 field but the header has 2' },
      { line: 4, message: 'has 3 fields but the header has 2' },
    ]);
    expect(() => prepareData(d, { target: 'y', features: ['x'] })).toThrow(/1 row has a missing or non-numeric value in y \(lines 3\); fix the file or drop those rows/);
  });

  it('text in a numeric column', async () => {
    const d = await loadDatasetFile(fixture('04-text-in-numeric.csv'));
    expect(plain(d.problems)).toEqual([{ line: 3, column: 'y', message: '"abc" is not a number' }]);
    expect(d.problems[0].words).toEqual({ id: 'notANumber', values: { text: 'abc' } });
    expect(d.columns[1].kind).toBe('numeric');
    const data = prepareData(d, { target: 'y', features: ['x'], missing: 'drop' });
    expect(Array.from(data.y)).toEqual([2, 4]);
    expect(data.notes).toEqual(['1 row with missing or non-numeric values dropped']);
  });

  it('missing cells', async () => {
    const d = await loadDatasetFile(fixture('05-missing-cells.csv'));
    expect(plain(d.problems)).toEqual([
      { line: 2, column: 'y', message: 'missing value' },
      { line: 3, column: 'x', message: 'missing value' },
    ]);
    expect(() => prepareData(d, { target: 'y', features: ['x'] })).toThrow(/2 rows have a missing or non-numeric value in x, y \(lines 2, 3\)/);
    expect(prepareData(d, { target: 'y', features: ['x'], missing: 'drop' }).n).toBe(2);
  });

  it('numbers too large for a double', async () => {
    const d = await loadDatasetFile(fixture('12-huge-numbers.csv'));
    expect(plain(d.problems)).toEqual([{ line: 2, column: 'x', message: 'number out of range (1e400)' }]);
    expect(values(d, 'y')).toEqual([2, 1e308, 3]);
  });

  it('duplicate headers are renamed and noted', async () => {
    const d = await loadDatasetFile(fixture('11-duplicate-headers.csv'));
    expect(d.columns.map((c) => c.name)).toEqual(['x', 'x_2', 'y']);
    expect(d.notes.map((n) => n.message)).toContain('The column name "x" appears more than once; column 2 is called x_2');
  });

  it('a text target with more than two classes is refused at fit time', async () => {
    const d = await loadDatasetFile(fixture('20-text-target.csv'));
    expect(d.columns[1]).toMatchObject({ kind: 'text', distinct: 3 });
    expect(() => prepareData(d, { target: 'species', features: ['x'] })).toThrow('Column "species" holds text with 3 different values: a target must be numeric or have exactly two classes');
  });

  it('one column: loads, and a fit needs a feature', async () => {
    const d = await loadDatasetFile(fixture('10-one-column.csv'));
    expect(values(d, 'x')).toEqual([1, 2, 3]);
    expect(() => prepareData(d, { target: 'x', features: [] })).toThrow('Choose at least one feature column');
  });
});

describe('valid variants load exactly', () => {
  it('quoted fields holding the delimiter', async () => {
    const d = await loadDatasetFile(fixture('06-quoted-delimiters.csv'));
    expect(d.columns.map((c) => c.name)).toEqual(['name, full', 'x', 'y']);
    expect(d.columns[0]).toMatchObject({ kind: 'text', distinct: 3 });
    expect(values(d, 'y')).toEqual([2, 4, 6]);
  });

  it('a byte-order mark', async () => {
    const d = await loadDatasetFile(fixture('07-bom.csv'));
    expect(d.columns.map((c) => c.name)).toEqual(['x', 'y']);
    expect(values(d, 'x')).toEqual([1, 2]);
  });

  it('CRLF line ends', async () => {
    expect(values(await loadDatasetFile(fixture('08-crlf.csv')), 'y')).toEqual([2, 4]);
  });

  it('semicolons with decimal commas', async () => {
    const d = await loadDatasetFile(fixture('09-semicolons.csv'));
    expect(d.delimiter).toBe(';');
    expect(values(d, 'x')).toEqual([1.5, 2.5, 3]);
    expect(values(d, 'y')).toEqual([2, 3, 4.25]);
  });

  it('tabs', async () => {
    const d = await loadDatasetFile(fixture('17-tabs.tsv'));
    expect(d.delimiter).toBe('\t');
    expect(values(d, 'y')).toEqual([2, 4]);
  });

  it('JSON records with a two-class text column and a null', async () => {
    const d = await loadDatasetFile(fixture('22-records.json'));
    expect(d.columns[1]).toMatchObject({ kind: 'label', labels: ['no', 'yes'] });
    expect(values(d, 'y')).toEqual([1, 0, NaN]);
    expect(plain(d.problems)).toEqual([{ line: 3, column: 'y', message: 'missing value' }]);
  });

  it('the corpus holds at least 15 malformed files', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(fileURLToPath(new URL('../../fixtures/csv/', import.meta.url))).length).toBeGreaterThanOrEqual(20);
  });
});
