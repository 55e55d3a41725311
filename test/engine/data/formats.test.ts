// Excel and Parquet files (snappy, gzip, zstd, brotli, lz4), written by independent writers (openpyxl, pyarrow:
// test/fixtures/formats/make_formats.py), load to the table their CSV gives, to the bit, and fit
// the same; a workbook's sheet can be chosen; damaged files are refused with what and how to fix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDatasetBytes } from '../../../engine/data/load';
import type { Dataset } from '../../../engine/data/table';
import { buildRun } from '../../../engine/run/build';
import { runSettings } from '../../../engine/spec/run';

const bytes = (name: string) => new Uint8Array(readFileSync(`test/fixtures/formats/${name}`));
const table = (d: Dataset) => d.columns.map((c) => ({ name: c.name, kind: c.kind, values: Array.from(c.values), labels: c.labels, text: c.text }));

describe('Excel and Parquet datasets', () => {
  it('load to the same table as the CSV, value for value', async () => {
    const csv = await loadDatasetBytes(bytes('iris.csv'), 'iris.csv');
    const xlsx = await loadDatasetBytes(bytes('iris.xlsx'), 'iris.xlsx');
    const parquet = await loadDatasetBytes(bytes('iris.parquet'), 'iris.parquet');
    expect(csv.rowCount).toBe(150);
    expect(table(csv).map((c) => c.name)).toEqual(['id', 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
    expect(table(xlsx)).toEqual(table(csv));
    expect(table(parquet)).toEqual(table(csv));
    expect([xlsx.format, parquet.format]).toEqual(['xlsx', 'parquet']);
    // Written with each codec Parquet writers use, the same table.
    for (const codec of ['gzip', 'zstd', 'brotli', 'lz4']) expect(table(await loadDatasetBytes(bytes(`iris.${codec}.parquet`), `iris.${codec}.parquet`)), codec).toEqual(table(csv));
    // The workbook's first sheet is a note: the table is read from the sheet that holds one.
    expect(xlsx.sheets).toEqual(['About', 'iris']);
    expect(xlsx.sheet).toBe('iris');
  });

  it('fit the same, to the bit', async () => {
    const losses = await Promise.all(['iris.csv', 'iris.xlsx', 'iris.parquet'].map(async (name) => {
      const dataset = await loadDatasetBytes(bytes(name), name);
      const built = buildRun(
        { kind: 'data', datasetId: 'd', target: 'species', features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], model: { kind: 'softmax' }, loss: { name: 'cross_entropy' }, reg: { l1: 0, l2: 0.01 }, valSplit: 0.2, standardize: true, missing: 'fail', splitSeed: 3 },
        runSettings({ optimizer: { name: 'adam', lr: 0.05 }, epochs: 50, batchSize: 16, shuffle: true, seed: 2 }),
        { formula: () => { throw new Error('no formula'); }, dataset: () => dataset },
      );
      built.fit!.advance(Infinity);
      return [built.run.value, ...built.run.p];
    }));
    expect(losses[1]).toEqual(losses[0]);
    expect(losses[2]).toEqual(losses[0]);
  });

  it('read the sheet asked for, and say which sheets there are when it is not there', async () => {
    await expect(loadDatasetBytes(bytes('iris.xlsx'), 'iris.xlsx', { sheet: 'About' })).rejects.toMatchObject({ words: { id: 'sheetHeaderOnly', values: { name: 'iris.xlsx', sheet: 'About' } } });
    await expect(loadDatasetBytes(bytes('iris.xlsx'), 'iris.xlsx', { sheet: 'Data' })).rejects.toMatchObject({ name: 'DatasetError', message: 'iris.xlsx has no sheet called "Data"; its sheets are About, iris' });
  });

  it('refuse a damaged workbook, a damaged Parquet file and an old .xls with what to do', async () => {
    const cut = (name: string) => bytes(name).subarray(0, 600);
    await expect(loadDatasetBytes(cut('iris.xlsx'), 'iris.xlsx')).rejects.toMatchObject({ name: 'DatasetError', words: { id: 'badXlsx' } });
    await expect(loadDatasetBytes(cut('iris.parquet'), 'iris.parquet')).rejects.toMatchObject({ name: 'DatasetError', words: { id: 'badParquet' } });
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(loadDatasetBytes(xls, 'old.xls')).rejects.toThrow('old.xls is an Excel 97–2003 workbook (.xls), which the lab does not read; save it as .xlsx or as CSV');
  });
});
