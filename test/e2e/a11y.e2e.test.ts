// Accessibility of the lab in both themes, checked by axe-core in the real
// browser: every control has an accessible name, contrast passes WCAG AA, and
// the structure is sound; plus keyboard operation of the main controls.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab } from './browser';

// The page's CSP forbids injected scripts (as it should); axe goes in through the devtools protocol instead.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ({ context, page } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

async function violations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}

describe('accessibility', () => {
  it.each(['light', 'dark'] as const)('has no WCAG 2.1 AA violations in the %s theme, after a run', async (theme) => {
    await page.getByLabel('Theme').selectOption(theme);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('[data-status="max_steps"], [data-status="converged"]').count(), { timeout: 20_000 }).toBe(2);
    expect(await violations()).toEqual([]);
  });

  it('has no violations in data mode with a dataset loaded', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Two blobs' }).click();
    await expect.poll(() => page.getByTestId('dataset-summary').textContent()).toMatch(/200 rows/);
    expect(await violations()).toEqual([]);
    await page.getByRole('tab', { name: 'Function' }).click();
  });

  it.each(['light', 'dark'] as const)('has no violations with the 3-D view and a chart’s tools menu open, %s theme', async (theme) => {
    await page.getByLabel('Theme').selectOption(theme);
    await page.getByRole('button', { name: '3-D surface' }).click();
    await expect.poll(async () => Number(await page.getByTestId('surface-3d').getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('loss-chart').getByRole('button', { name: /^Tools of the/ }).click();
    expect(await violations()).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Contour map', exact: true }).click();
  });

  it('runs, pauses and steps from the keyboard', async () => {
    await page.getByLabel('Formula').fill('x^2 + y^2');
    await page.locator('[id^="steps-"]').first().fill('100000000');
    await page.locator('[id^="steps-"]').first().press('Tab');
    await page.locator('[id^="tol-"]').first().fill('0');
    await page.locator('[id^="tol-"]').first().press('Tab');
    await page.locator('input[id$="-lr"]').first().fill('1e-9');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-testid^="status-"]').first().getAttribute('data-status')).toBe('running');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('[data-testid^="status-"]').first().getAttribute('data-status')).toBe('paused');
    const before = Number((await page.locator('[data-testid^="status-"]').first().textContent())!.match(/step ([\d,]+)/)![1].replace(/,/g, ''));
    await page.keyboard.press('Control+.');
    await expect.poll(async () => Number((await page.locator('[data-testid^="status-"]').first().textContent())!.match(/step ([\d,]+)/)![1].replace(/,/g, ''))).toBe(before + 1);
  });

  it('moves focus through the controls with Tab, with a visible focus ring', async () => {
    await page.getByRole('tab', { name: 'Function' }).focus();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it.each([
    ['light', 'pt-BR'],
    ['dark', 'zh-CN'],
  ] as const)('has no violations in the %s theme with a lesson open and the welcome shown, in %s', async (theme, lang) => {
    await page.getByLabel(/^(Theme|Tema|主题)$/).selectOption(theme);
    await page.locator('header select.language').selectOption(lang);
    await page.evaluate(() => void (window as unknown as { __gdlab: { learn: { open(i: number): Promise<void> } } }).__gdlab.learn.open(0));
    // The runs' results are unsaved: the lab asks before setting the document aside for the lessons' own.
    await page.getByTestId('prompt').waitFor();
    expect(await violations()).toEqual([]);
    await page.getByTestId('prompt').getByRole('button').nth(1).click();
    await page.getByTestId('lesson').waitFor();
    await expect.poll(() => page.getByTestId('line-loss').innerText()).not.toMatch(/…$/);
    expect(await violations()).toEqual([]);
    await page.evaluate(() => ((window as unknown as { __gdlab: { learn: { welcome: boolean } } }).__gdlab.learn.welcome = true));
    await page.getByTestId('welcome').waitFor();
    expect(await violations()).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('lesson').getByRole('button').last().click();
    await page.locator('header select.language').selectOption('en');
  });
});
