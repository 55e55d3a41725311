// News in the banner goes by itself (unless it is being read), errors stay; the dataset picker says
// nothing that contradicts the loaded dataset.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab } from './browser';

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  await page.clock.install();
});

afterAll(async () => {
  await context?.close();
});

describe('banners', () => {
  it('lets news go after 12 s, but not while the pointer is on it', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Noisy line' }).click();
    const banner = page.getByTestId('banner');
    await expect.poll(() => banner.textContent()).toMatch(/a noisy line/i);
    await page.clock.runFor(11_000);
    expect(await banner.count()).toBe(1);
    await banner.hover();
    await page.clock.runFor(30_000);
    expect(await banner.count()).toBe(1);
    await page.mouse.move(5, 690);
    await page.clock.runFor(12_500);
    expect(await banner.count()).toBe(0);
  });

  it('keeps an error until it is dismissed', async () => {
    await page.getByRole('tab', { name: 'Function' }).click();
    await page.getByRole('textbox', { name: /formula/i }).first().fill('x^2 +');
    // Run refuses by its shortcut (the button is disabled), saying why.
    await page.keyboard.press('Control+Enter');
    const banner = page.getByTestId('banner');
    await expect.poll(() => banner.getAttribute('role')).toBe('alert');
    await page.clock.runFor(60_000);
    expect(await banner.getAttribute('role')).toBe('alert');
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    expect(await banner.count()).toBe(0);
  });

  it('shows the dataset picker as a button, without the browser’s “No file chosen”', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    const label = page.locator('label.file');
    expect((await label.innerText()).trim()).toBe('Open dataset…');
    // The input itself is there for the label, the keyboard and screen readers, but takes no room.
    const box = await page.getByLabel('Open dataset').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(1);
    expect(await page.getByLabel('Open dataset').evaluate((e) => getComputedStyle(e).opacity)).toBe('0');
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
