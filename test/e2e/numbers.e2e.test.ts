// Numbers in each language's notation: in Portuguese no number in a sentence, a status, a table or a
// chart's tick labels has a decimal point (0,025; 2.000 is grouping), in English and Chinese none has a
// decimal comma; fields and formulas keep the point in every language.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openLab, settled } from './browser';
import { text } from './texts';

/** Every visible text of the page outside fields, formulas and code, and every chart's tick labels. */
async function shownNumbers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, code, .katex, input, textarea, select, [data-formula], .sr-text, [aria-hidden="true"]')) continue;
      const box = parent.getBoundingClientRect();
      const value = node.textContent?.trim();
      if (value && box.width > 0 && box.height > 0 && /\d/.test(value)) out.push(value);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[data-ticks0], [data-ticks1], [data-ticks2]')) {
      for (const key of ['ticks0', 'ticks1', 'ticks2']) if (el.dataset[key]) out.push(...el.dataset[key]!.split('|'));
    }
    return out;
  });
}

/** A decimal point (pt-BR) or a decimal comma (en, zh): a separator followed by other than a group of exactly three digits, or after a lone 0. */
const WRONG: Record<string, RegExp> = {
  'pt-BR': /(\d\.\d{1,2}(?!\d)|\d\.\d{4,}|(^|[^\d.,])0\.\d)/,
  en: /(\d,\d{1,2}(?!\d)|\d,\d{4,}|(^|[^\d.,])0,\d)/,
  'zh-CN': /(\d,\d{1,2}(?!\d)|\d,\d{4,}|(^|[^\d.,])0,\d)/,
};

for (const lang of ['en', 'pt-BR', 'zh-CN'] as const) {
  describe(`numbers in ${lang}`, () => {
    it('are written in the language’s notation in sentences, statuses, tables and chart ticks; fields keep the point', async () => {
      const { context, page, errors } = await openLab(inject('webUrl'), { locale: lang });
      try {
        await page.locator('#speed').selectOption('0');
        // A race on the default function, explained at its last step.
        await page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).click();
        await settled(page);
        await page.getByRole('button', { name: text(lang, 'function.panel.evaluate'), exact: true }).click();
        await settled(page);
        const fn = await shownNumbers(page);
        expect(fn.length).toBeGreaterThan(20);
        expect(fn.filter((s) => WRONG[lang].test(s))).toEqual([]);
        // Fields keep the decimal point.
        expect(await page.locator('input[id$="-lr"]').first().inputValue()).toMatch(/^\d+(\.\d+)?$/);
        expect(await page.locator('#eval-at').inputValue()).not.toMatch(/\d,\d/);

        // A data fit: statuses, epoch losses, coefficients.
        await page.getByRole('tab', { name: text(lang, 'app.data') }).click();
        await page.getByRole('button', { name: text(lang, 'models.generators.line.button') }).click();
        await page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).click();
        await expect.poll(() => page.locator('[data-testid^="status-"]').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('max_steps');
        await settled(page);
        const data = await shownNumbers(page);
        expect(data.length).toBeGreaterThan(20);
        expect(data.filter((s) => WRONG[lang].test(s))).toEqual([]);
        // Some number on screen has a fractional part, written with the language's separator.
        expect(data.some((s) => (lang === 'pt-BR' ? /\d,\d/ : /\d\.\d/).test(s))).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  });
}
