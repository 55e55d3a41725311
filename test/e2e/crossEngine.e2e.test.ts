// The same bits in every JavaScript engine: runs of every kind made by the engine in Chromium's Web
// Worker and by the engine in Node give the same histories, byte for byte; sessions trained and saved
// in the web lab re-run identically under `gdlab run` in Node.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, OUTPUT, settled } from './browser';
import { CASES, drive, type Ending } from './crossEngine';
import { host } from '../engine/host/request';

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await context?.close();
});

/** The same function, in Node, against an engine host in this process. */
async function inNode(c: (typeof CASES)[number]): Promise<Ending> {
  const g = globalThis as unknown as { window?: unknown };
  g.window = { __gdlab: { bridge: { engine: { request: host() } } } };
  try {
    return await drive(c);
  } finally {
    delete g.window;
  }
}

describe('the same bits in Chromium and in Node', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const browser = await page.evaluate(drive, c);
      const node = await inNode(c);
      expect(node.step).toBeGreaterThanOrEqual(c.datasets.length ? 500 : 600);
      expect(browser.status).toBe(node.status);
      expect(browser.step).toBe(node.step);
      expect(browser.value).toBe(node.value);
      expect(browser.params).toBe(node.params);
      expect(browser.epochs).toBe(node.epochs);
      // the whole history, every recorded row, as bytes
      expect(browser.rows.length).toBeGreaterThan(1000);
      expect(browser.rows === node.rows).toBe(true);
    }, 60_000);
  }
});

const statusOf = (i: number) => page.locator('[data-testid^="status-"]').nth(i);
const fileMenu = async (item: string) => {
  await page.getByRole('button', { name: /^File/ }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
};

/** Saves the open session (a download) and re-runs it with `gdlab run --json` in Node. */
async function savedAndRerun(file: string): Promise<Array<{ name: string; matchesSaved: boolean | null }>> {
  const download = page.waitForEvent('download');
  await fileMenu('Save As…');
  const path = join(OUTPUT, file);
  await (await download).saveAs(path);
  const out = execFileSync(process.execPath, ['engine/bin/gdlab.js', 'run', path, '--json'], { encoding: 'utf8' });
  return (JSON.parse(out) as { runs: Array<{ name: string; matchesSaved: boolean | null }> }).runs;
}

describe('sessions made in the web lab re-run bit for bit in Node', () => {
  it('the Spirals network race', async () => {
    await fileMenu('New');
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.locator('#speed').selectOption('0');
    await page.getByRole('button', { name: 'Spirals', exact: true }).click();
    await expect.poll(() => page.getByTestId('dataset-summary').textContent()).toContain('600 rows');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => [await statusOf(0).getAttribute('data-status'), await statusOf(1).getAttribute('data-status')], { timeout: 60_000 }).toEqual(['max_steps', 'max_steps']);
    await settled(page);
    const runs = await savedAndRerun('cross-spirals.gdlab');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.map((r) => r.matchesSaved)).toEqual(runs.map(() => true));
  }, 120_000);

  it('a race on a formula with exp, sin and log', async () => {
    await fileMenu('New');
    await page.locator('#speed').selectOption('0');
    const text = 'exp(-(x^2 + y^2) / 4) * sin(3 * x) + log(1 + x^2) + y^2 / 10';
    await page.getByLabel('Formula').fill(text);
    await page.waitForFunction((t) => document.getElementById('formula-status')?.dataset.analyzed === t, text);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => statusOf(0).getAttribute('data-status'), { timeout: 60_000 }).not.toMatch(/^(idle|running)$/);
    await settled(page);
    const runs = await savedAndRerun('cross-formula.gdlab');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.map((r) => r.matchesSaved)).toEqual(runs.map(() => true));
  }, 120_000);

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
