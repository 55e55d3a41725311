// Layout at the sizes people use, in both modes and both themes: no panel scrolls sideways, no
// control crosses its panel's edge, the toolbar keeps one row, the explain panel is in view while
// a run steps, and axis titles drawn on the canvas are readable on the dark theme.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, settled } from './browser';
import { overflows as overflowsOf, toolbarRows as toolbarRowsOf } from './layoutProbe';

const overflows = () => overflowsOf(page);
const toolbarRows = () => toolbarRowsOf(page);

const houses = fileURLToPath(new URL('../fixtures/standardize/houses.csv', import.meta.url));
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

const status = () => page.locator('[data-testid^="status-"]').first();

async function runToEnd() {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => status().getAttribute('data-status'), { timeout: 30_000 }).toMatch(/max_steps|converged/);
}

describe('layout', () => {
  for (const mode of ['function', 'data'] as const) {
    for (const [width, height] of [[1024, 700], [1400, 900]] as const) {
      for (const theme of ['light', 'dark'] as const) {
        it(`${mode} mode at ${width}×${height}, ${theme}: no panel overflows and the toolbar is one row`, async () => {
          await page.setViewportSize({ width, height });
          await page.getByLabel('Theme').selectOption(theme);
          if (mode === 'data' && !(await page.getByTestId('dataset-summary').count())) {
            await page.getByRole('tab', { name: 'Data' }).click();
            await page.getByLabel('Open dataset').setInputFiles(houses);
            await page.getByTestId('dataset-summary').filter({ hasText: 'houses.csv' }).waitFor();
          }
          await runToEnd();
          // Standardize toggled off and on must not shift the panel.
          if (mode === 'data') {
            await page.getByLabel('Standardize').uncheck();
            expect(await overflows()).toEqual([]);
            await page.getByLabel('Standardize').check();
          }
          await settled(page);
          expect(await overflows()).toEqual([]);
          expect(await toolbarRows()).toBe(1);
          // The document's name is shown whole ("Untitled", not "Untitl…").
          expect(await page.getByTestId('document-name').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
        });
      }
    }
  }

  it('keeps the explain panel in view while a run steps, at 1400×900 and 1024×700', async () => {
    await page.getByRole('tab', { name: 'Function' }).click();
    for (const [width, height] of [[1400, 900], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      const reset = page.getByRole('button', { name: 'Reset', exact: true });
      if (await reset.isEnabled()) await reset.click();
      await page.getByRole('button', { name: 'Step' }).click();
      await expect.poll(() => page.getByTestId('explain-step').textContent()).toMatch(/^Update 1 /);
      const box = (await page.getByTestId('explain-step').boundingBox())!;
      expect(box.y).toBeGreaterThan(0);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      await page.getByRole('button', { name: 'Step' }).click();
      await expect.poll(() => page.getByTestId('explain-step').textContent()).toMatch(/^Update 2 /);
    }
  });

  it('draws the axis titles on the canvas at AA contrast on the dark theme', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByLabel('Theme').selectOption('dark');
    await runToEnd();
    await settled(page);
    // The x-axis title ("step") is drawn centred under the plot: its most opaque pixel is the ink.
    const measured = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="loss-chart"] canvas') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const ratio = canvas.width / canvas.clientWidth;
      const over = document.querySelector('[data-testid="loss-chart"] .u-over') as HTMLElement;
      const plot = over.getBoundingClientRect();
      const c = canvas.getBoundingClientRect();
      const cx = (plot.left + plot.width / 2 - c.left) * ratio;
      const top = (plot.bottom - c.top + 22) * ratio;
      const region = ctx.getImageData(Math.round(cx - 30 * ratio), Math.round(top), Math.round(60 * ratio), Math.round(canvas.height - top));
      let best = [0, 0, 0, 0];
      for (let i = 0; i < region.data.length; i += 4) if (region.data[i + 3] > best[3]) best = [...region.data.slice(i, i + 4)];
      const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim();
      return { ink: best, bg };
    });
    const luminance = ([r, g, b]: number[]) => {
      const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const bg = [1, 3, 5].map((k) => parseInt(measured.bg.slice(k, k + 2), 16));
    expect(measured.ink[3]).toBeGreaterThan(200);
    const [hi, lo] = [luminance(measured.ink), luminance(bg)].sort((a, b) => b - a);
    expect((hi + 0.05) / (lo + 0.05)).toBeGreaterThanOrEqual(4.5);
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
