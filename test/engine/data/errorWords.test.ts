// A dataset error is said twice: `message` in English (the command line) and `words`, an id with
// its values, which the interface words in its language. The English text of each id, filled with
// the values, must be the engine's message, so that the words say all the message says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDatasetBytes, loadDatasetText } from '../../../engine/data/load';
import { prepareData } from '../../../engine/data/prepare';
import { DatasetError } from '../../../engine/data/table';
import en from '../../../renderer/src/i18n/locales/en/errors.json';
import { buildModel, parseModelSpec } from '../../../engine/model/models';
import { buildRun } from '../../../engine/run/build';
import { runSettings } from '../../../engine/spec/run';
import type { EngineDataProblem } from '../../../engine/spec/problem';

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const english = (id: string, values: Record<string, string | number>) => {
  const texts = en.dataset as Record<string, string>;
  return fill(texts[id] ?? texts[`${id}_${values.count === 1 ? 'one' : 'other'}`], values);
};

async function refusal(load: () => Promise<unknown> | unknown): Promise<DatasetError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('accepted');
}

const bytes = (text: string) => new TextEncoder().encode(text);
const fitProblem: EngineDataProblem = {
  kind: 'data', datasetId: 'd', target: 'y', features: ['x'], model: { kind: 'mlp', hidden: [2], activation: 'relu' }, loss: { name: 'cross_entropy' },
  reg: { l1: 0, l2: 0 }, valSplit: 0, standardize: false, missing: 'fail', splitSeed: 0,
};
const fitSettings = runSettings({ optimizer: { name: 'sgd', lr: 0.1 } });
async function classContext(csv: string) {
  const dataset = await loadDatasetBytes(bytes(csv), 'a.csv');
  return { formula: () => { throw new Error('no formula'); }, dataset: () => dataset };
}

describe('dataset errors in words', () => {
  const cases: [string, string, () => Promise<unknown> | unknown][] = [
    ['empty', 'an empty file', () => loadDatasetBytes(new Uint8Array(0), 'a.csv')],
    ['headerOnly', 'a header without rows', () => loadDatasetText('x,y\n', 'a.csv')],
    ['quoteAt', 'an unclosed quote', () => loadDatasetText('x,y\n1,"2\n3,4\n', 'a.csv')],
    ['utf16', 'UTF-16', () => loadDatasetBytes(new Uint8Array([0xff, 0xfe, 0x78, 0]), 'a.csv')],
    ['notUtf8', 'Latin-1', () => loadDatasetBytes(new Uint8Array([0x78, 0x2c, 0x79, 0x0a, 0xe9, 0x2c, 0x31]), 'a.csv')],
    ['binary', 'a binary file', () => loadDatasetBytes(new Uint8Array([0x78, 0, 0x79]), 'a.csv')],
    ['badJson', 'broken JSON', () => loadDatasetText('[{"x": 1,', 'a.json')],
    ['jsonEmptyArray', 'an empty JSON array', () => loadDatasetText('[]', 'a.json')],
    ['jsonRecord', 'a JSON record that is not an object', () => loadDatasetText('[{"x": 1}, 2]', 'a.json')],
    ['jsonNoRows', 'JSON columns without rows', () => loadDatasetText('{"x": [], "y": []}', 'a.json')],
    ['tooManyClasses', 'a class target of too many text values', async () => prepareData(await loadDatasetBytes(bytes(`x,y\n${Array.from({ length: 120 }, (_, i) => `${i},v${i}`).join('\n')}\n`), 'a.csv'), { target: 'y', features: ['x'], classes: true })],
    ['fractionalClass', 'a class target with a fraction', async () => prepareData(await loadDatasetBytes(bytes('x,y\n1,0\n2,1.5\n'), 'a.csv'), { target: 'y', features: ['x'], classes: true })],
    ['mlpSizes', 'a network of no units', () => parseModelSpec('mlp:8,0')],
    ['networkTooLarge', 'a network too large to keep', () => buildModel({ kind: 'mlp', hidden: [200, 200], activation: 'relu' }, ['x1', 'x2'])],
    ['crossEntropyNeedsNetwork', 'cross-entropy without a network', async () => buildRun({ ...fitProblem, model: { kind: 'linear' } }, fitSettings, await classContext('x,y\n1,0\n2,1\n3,2\n'))],
    ['oneClass', 'a single class', async () => buildRun(fitProblem, fitSettings, await classContext('x,y\n1,4\n2,4\n'))],
    ['targetIsFeature', 'the target as a feature', async () => prepareData(await loadDatasetBytes(bytes('x,y\n1,2\n2,3\n'), 'a.csv'), { target: 'y', features: ['x', 'y'] })],
    ['badRows', 'rows with gaps', async () => prepareData(await loadDatasetBytes(bytes('x,y\n1,2\n,3\n4,\n5,6\n'), 'a.csv'), { target: 'y', features: ['x'] })],
    ['textTarget', 'a text target', async () => prepareData(await loadDatasetBytes(bytes('x,y\n1,a\n2,b\n3,c\n'), 'a.csv'), { target: 'y', features: ['x'] })],
    ['sheetNotFound', 'a sheet a workbook does not have', () => loadDatasetBytes(new Uint8Array(readFileSync('test/fixtures/formats/iris.xlsx')), 'iris.xlsx', { sheet: 'Data' })],
    ['sheetHeaderOnly', 'a sheet of one header row', () => loadDatasetBytes(new Uint8Array(readFileSync('test/fixtures/formats/iris.xlsx')), 'iris.xlsx', { sheet: 'About' })],
    ['badXlsx', 'a damaged workbook', () => loadDatasetBytes(new Uint8Array(readFileSync('test/fixtures/formats/iris.xlsx')).subarray(0, 600), 'iris.xlsx')],
    ['badParquet', 'a damaged Parquet file', () => loadDatasetBytes(new Uint8Array(readFileSync('test/fixtures/formats/iris.parquet')).subarray(0, 600), 'iris.parquet')],
    ['xlsOld', 'an Excel 97–2003 workbook', () => loadDatasetBytes(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 1]), 'old.xls')],
    ['noFeatures', 'no features', async () => prepareData(await loadDatasetBytes(bytes('x,y\n1,2\n2,3\n'), 'a.csv'), { target: 'y', features: [] })],
  ];
  for (const [id, what, load] of cases) {
    it(`says ${what} as ${id}, whose English is the engine's message`, async () => {
      const error = await refusal(load);
      expect(error.words?.id).toBe(id);
      expect(english(error.words!.id, error.words!.values)).toBe(error.message);
    });
  }
});

describe('notes on a file in words', () => {
  const data = JSON.parse(readFileSync('renderer/src/i18n/locales/en/data.json', 'utf8'));
  it('say a renamed column and a missing delimiter as the engine does, in the texts the lab shows', async () => {
    const named = await loadDatasetText('a,a,\n1,2,3\n4,5,6\n', 'a.csv');
    expect(named.columns.map((c) => c.name)).toEqual(['a', 'a_2', 'column3']);
    expect(named.notes.map((n) => n.words.id)).toEqual(['repeated', 'unnamed']);
    const single = await loadDatasetText('x\n1\n2\n', 'a.csv');
    expect(single.notes.map((n) => n.words.id)).toEqual(['oneColumn']);
    for (const note of [...named.notes, ...single.notes]) expect(fill(data.note[note.words.id], note.words.values).replace(/[“”]/g, '"')).toBe(note.message);
  });

  it('name the separator when it is not a comma (the lab says it in the dataset’s shape)', async () => {
    expect((await loadDatasetText('x;y\n1;2\n3;4\n', 'a.csv')).notes.map((n) => [n.words.id, n.message])).toEqual([['separatorSemicolon', 'Columns are separated by semicolons']]);
    expect((await loadDatasetText('x\ty\n1\t2\n3\t4\n', 'a.tsv')).notes.map((n) => n.words.id)).toEqual(['separatorTab']);
    expect((await loadDatasetText('x,y\n1,2\n', 'a.csv')).notes).toEqual([]);
  });
});
