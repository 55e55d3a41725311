// Excel and Parquet files in the lab: a workbook's sheet is chosen and kept in the session, a sheet
// that holds no table is refused without losing the dataset, and the same table from CSV, Excel
// and Parquet gives the same fit, to the digit the status shows.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openDataset, openLab, OUTPUT, runToEnds } from './browser';
import { parseSession } from '../../engine/session/open';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/formats/${name}`, import.meta.url));

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  page.on('dialog', (d) => void d.accept());
  await page.getByRole('tab', { name: 'Data' }).click();
});

afterAll(async () => {
  await context?.close();
});

const load = (name: string) => openDataset(page, fixture(name));

describe('Excel and Parquet in the lab', () => {
  it('reads a workbook’s table sheet, offers its sheets, and refuses one without a table, keeping the data', async () => {
    await load('iris.xlsx');
    expect(await page.getByTestId('dataset-summary').textContent()).toBe('iris.xlsx: 150 rows, 6 columns');
    const sheet = page.getByLabel('Sheet');
    expect(await sheet.inputValue()).toBe('iris');
    expect(await sheet.locator('option').allTextContents()).toEqual(['About', 'iris']);
    await sheet.selectOption('About');
    await expect.poll(() => page.getByTestId('dataset-error').textContent()).toBe('The sheet "About" of iris.xlsx has a header row but no data rows');
    expect(await page.getByTestId('dataset-summary').textContent()).toBe('iris.xlsx: 150 rows, 6 columns');
    expect(await sheet.inputValue()).toBe('iris');
    await page.screenshot({ path: join(OUTPUT, 'formats-xlsx.png') });
  });

  it('fits the same from CSV, Excel and Parquet (snappy and zstd)', async () => {
    const statuses: string[] = [];
    for (const name of ['iris.csv', 'iris.xlsx', 'iris.parquet', 'iris.zstd.parquet']) {
      await load(name);
      await page.locator('#target').selectOption('petal_width');
      statuses.push(await runToEnds(page));
    }
    expect(statuses[0]).toMatch(/training loss [\d.]+/);
    expect(statuses[1]).toBe(statuses[0]);
    expect(statuses[2]).toBe(statuses[0]);
    expect(statuses[3]).toBe(statuses[0]);
  });

  it('saves the workbook’s sheet in the session and reopens it', async () => {
    await load('iris.xlsx');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^File/ }).click();
    await page.getByRole('menuitem', { name: 'Save As…', exact: true }).click();
    const path = join(OUTPUT, 'workbook.gdlab');
    await (await download).saveAs(path);
    const session = parseSession(readFileSync(path));
    expect(session.problem.kind === 'data' && session.problem.dataset).toMatchObject({ kind: 'embedded', name: 'iris.xlsx', sheet: 'iris' });
    // Reopened over another dataset, it reads the workbook's sheet again.
    await load('iris.csv');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /^File/ }).click();
    await page.getByRole('menuitem', { name: 'Open…', exact: true }).click();
    await (await chooser).setFiles(path);
    await page.getByTestId('dataset-summary').filter({ hasText: 'iris.xlsx' }).waitFor();
    expect(await page.getByLabel('Sheet').inputValue()).toBe('iris');
    expect(await page.getByTestId('dataset-summary').textContent()).toBe('iris.xlsx: 150 rows, 6 columns');
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
