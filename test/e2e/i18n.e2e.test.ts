// The interface in English, Português (Brasil) and 中文 (简体): the first start follows the browser's
// language, the toolbar's picker switches everything at once (the page's lang, the accessible names of
// the formula field and the Run button, what charts draw) and is remembered, and no text, name or
// tooltip on screen is left in English in the lab's main states.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, OUTPUT, settled } from './browser';
import { join } from 'node:path';
import { text } from './texts';
import { overflows, toolbarRows } from './layoutProbe';
import { CATALOGS, type Language } from '../../renderer/src/i18n/i18n.svelte';
import { UNTRANSLATED_OK } from '../renderer/i18nAllow';

type Tree = Record<string, unknown>;
function values(tree: Tree, out: Set<string> = new Set()): Set<string> {
  for (const v of Object.values(tree)) {
    if (typeof v === 'string') out.add(v.trim());
    else if (v && typeof v === 'object') values(v as Tree, out);
  }
  return out;
}
/** The interface's English texts without slots (those with slots cannot show verbatim). */
const ENGLISH = [...values(CATALOGS.en)].filter((s) => !s.includes('{{') && /[A-Za-z]{3}/.test(s) && !UNTRANSLATED_OK.has(s));

/** Every visible text, accessible name, tooltip and placeholder on the page that is an English text of the interface. */
/** `data`: texts that belong to the dataset (its column names), whatever they happen to spell. */
async function englishOnScreen(page: Page, lang: Language, data: readonly string[] = []): Promise<string[]> {
  const own = values(CATALOGS[lang]);
  const suspects = new Set(ENGLISH.filter((s) => !own.has(s) && !data.includes(s)));
  return [...new Set((await visibleTexts(page)).filter((s) => suspects.has(s)))];
}

/**
 * English words that come from elsewhere than the catalogs (a parser's message, a number written by
 * JavaScript such as "Infinity", the engine's English wording) in the visible texts.
 */
const ENGLISH_WORDS = /(?<![\p{L}_])(the|is|at|of|and|error|syntax|unexpected|expected|value|infinity|column|rows?|diverged|converged|reached|maximum|missing|file|part|operator|parenthesis|undefined|not|number|start|point|written|instead)(?![\p{L}_])/iu;
async function englishWordsOnScreen(page: Page, data: readonly string[] = []): Promise<string[]> {
  // The data's own names (a column called column3, a file called names.csv) are the data's, wherever they stand.
  const names = data.map((d) => new RegExp(`(?<![\\p{L}\\d_.])${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d_])`, 'gu'));
  return [...new Set((await visibleTexts(page)).filter((s) => ENGLISH_WORDS.test(names.reduce((rest, name) => rest.replace(name, ''), s))))];
}

/** Every visible text node, accessible name, tooltip and placeholder. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, .katex, [aria-hidden="true"]')) continue;
      const value = node.textContent?.trim();
      if (value && (visible(parent) || parent.closest('option'))) out.push(value);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!visible(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(attr)?.trim();
        if (value) out.push(value);
      }
    }
    return out;
  });
}

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

const picker = () => page.locator('header select.language');
const formulaName = async () => (await page.locator('#formula').ariaSnapshot()).trim();
const runButton = () => page.locator('header .controls button.primary');

describe('languages', () => {
  it('starts in English in an English browser', async () => {
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await runButton().innerText()).toBe('Run');
    expect(await formulaName()).toContain('"Formula"');
  });

  for (const lang of ['pt-BR', 'zh-CN'] as const) {
    it(`switches everything to ${lang} from the toolbar`, async () => {
      await page.getByRole('tab', { name: lang === 'pt-BR' ? 'Function' : text('pt-BR', 'app.function') }).click();
      await picker().selectOption(lang);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await picker().getAttribute('aria-label')).toBe(text(lang, 'app.language'));
      // The formula field and the Run button are found by their names in the new language.
      await page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).waitFor();
      expect(await formulaName()).toContain(`"${text(lang, 'function.panel.formula')}"`);
      expect(await englishOnScreen(page, lang)).toEqual([]);
    });

    it(`leaves nothing in English in ${lang} after runs, in data mode and in the experiments`, async () => {
      // A formula error is worded in the language too, with its place.
      const formula = await page.locator('#formula').inputValue();
      await page.locator('#formula').fill('x^2 +');
      await expect.poll(() => page.getByTestId('formula-error').textContent()).toBe(text(lang, 'function.error.endsEarly').replace('{{column}}', '6'));
      expect(await englishOnScreen(page, lang)).toEqual([]);
      // The parser's own complaint never shows in English; a decimal comma and a superscript get a hint.
      for (const [typed, id, values] of [
        ['x² + y²', 'superscript', { power: '^2', written: '²', column: '2' }],
        ['2,5*x^2', 'decimalComma', { number: '2.5', written: '2,5', column: '2' }],
        ['x + * y', 'valueExpected', { column: '6' }],
        ['x @ 2', 'syntax', { column: '4' }],
      ] as const) {
        await page.locator('#formula').fill(typed);
        const expected = Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text(lang, `function.error.${id}`));
        await expect.poll(() => page.getByTestId('formula-error').textContent()).toBe(expected);
        expect(await englishWordsOnScreen(page)).toEqual([]);
      }
      // A formula longer than the engine reads is refused in the parser's words, not the request's.
      await page.locator('#formula').fill('x+'.repeat(10_001) + 'x');
      const grouped = lang === 'pt-BR' ? ['20.003', '20.000'] : ['20,003', '20,000'];
      await expect.poll(() => page.getByTestId('formula-error').textContent()).toBe(text(lang, 'function.error.tooLong').replace('{{length}}', grouped[0]).replace('{{max}}', grouped[1]));
      expect(await englishWordsOnScreen(page)).toEqual([]);
      // A value that is not finite is written ∞, not "Infinity".
      await page.locator('#formula').fill('exp(1000*x) + y^2');
      await expect.poll(() => page.getByTestId('formula-error').count()).toBe(0);
      await page.locator('#eval-at').fill('1, 0');
      await page.getByRole('button', { name: text(lang, 'function.panel.evaluate'), exact: true }).click();
      await expect.poll(() => page.getByTestId('evaluation').textContent()).toContain('∞');
      expect(await englishWordsOnScreen(page)).toEqual([]);
      await page.locator('#formula').fill(formula);
      await expect.poll(() => page.getByTestId('formula-error').count()).toBe(0);
      await page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).isEnabled()).toBe(true);
      expect(await englishOnScreen(page, lang)).toEqual([]);
      await page.getByRole('button', { name: text(lang, 'app.surface') }).click();
      await page.locator('canvas').first().waitFor();
      expect(await englishOnScreen(page, lang)).toEqual([]);
      await page.getByRole('tab', { name: text(lang, 'app.data') }).click();
      // A file the engine refuses: its reason in the language.
      await page.getByLabel(text(lang, 'data.openAria')).setInputFiles({ name: 'header-only.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n') });
      await expect.poll(() => page.getByTestId('dataset-error').textContent()).toBe(text(lang, 'errors.dataset.headerOnly').replace('{{name}}', 'header-only.csv'));
      expect(await englishWordsOnScreen(page)).toEqual([]);
      // A file with problems on some lines: each problem in the language.
      await page.getByLabel(text(lang, 'data.openAria')).setInputFiles({ name: 'problems.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\nabc,3\n4\n5,\n6,7\n7,8\n') });
      await page.getByTestId('dataset-summary').filter({ hasText: 'problems.csv' }).waitFor();
      await page.locator('details:has(ul.problems)').evaluate((d) => ((d as HTMLDetailsElement).open = true));
      await expect.poll(() => page.locator('ul.problems li').count()).toBeGreaterThanOrEqual(3);
      expect(await englishWordsOnScreen(page, ['x', 'y', 'abc', 'problems.csv'])).toEqual([]);
      expect(await page.locator('ul.problems').innerText()).toContain(text(lang, 'data.problem.kind.missingValue'));
      // A file whose header repeats a name and leaves one out: the renamings noted in the language.
      await page.getByLabel(text(lang, 'data.openAria')).setInputFiles({ name: 'names.csv', mimeType: 'text/csv', buffer: Buffer.from('a,a,\n1,2,3\n4,5,6\n') });
      await page.getByTestId('dataset-summary').filter({ hasText: 'names.csv' }).waitFor();
      const fill = (id: string, values: Record<string, string>) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), text(lang, `data.note.${id}`));
      await expect.poll(() => page.getByTestId('dataset-note').allTextContents()).toEqual([
        fill('repeated', { name: 'a', number: '2', renamed: 'a_2' }),
        fill('unnamed', { number: '3', name: 'column3' }),
      ]);
      expect(await englishWordsOnScreen(page, ['a', 'a_2', 'column3', 'names.csv'])).toEqual([]);
      await page.getByRole('button', { name: text(lang, 'models.generators.line.button') }).click();
      await page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).click();
      await expect.poll(() => page.locator('[data-testid="replay-step"]').innerText()).not.toBe(text(lang, 'app.stepN').replace('{{step}}', '0'));
      expect(await englishOnScreen(page, lang)).toEqual([]);
      for (const summary of await page.locator('section.center details > summary').all()) await summary.click();
      expect(await englishOnScreen(page, lang)).toEqual([]);
      for (const summary of await page.locator('section.center details > summary').all()) await summary.click();
      // A network learning the spirals: its regions, drawing, confusion matrix, accuracy and loss slice.
      await page.getByRole('button', { name: text(lang, 'models.generators.spiral.button'), exact: true }).click();
      await expect.poll(() => page.locator('#model').inputValue()).toBe('mlp');
      await page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).click();
      await page.getByTestId('confusion-training').waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByRole('button', { name: text(lang, 'app.run'), exact: true }).isEnabled(), { timeout: 20_000 }).toBe(true);
      // The generated sets' columns are x1, x2 and label: the column's name is the data's, not the interface's.
      expect(await englishOnScreen(page, lang, ['label'])).toEqual([]);
      await page.screenshot({ path: join(OUTPUT, `i18n-network-${lang}.png`) });
      await page.getByRole('tab', { name: text(lang, 'app.function') }).click();
    });
  }

  for (const lang of ['pt-BR', 'zh-CN'] as const) {
    it(`fits ${lang} at 1024×700 and 1400×900 in both modes: no panel overflows, one toolbar row, the document's name whole`, async () => {
      await picker().selectOption(lang);
      for (const [width, height] of [[1024, 700], [1400, 900]] as const) {
        await page.setViewportSize({ width, height });
        for (const mode of ['function', 'data'] as const) {
          await page.getByRole('tab', { name: text(lang, `app.${mode}`) }).click();
          await settled(page);
          expect(await overflows(page), `${lang} ${mode} ${width}`).toEqual([]);
          expect(await toolbarRows(page)).toBe(1);
          expect(await page.getByTestId('document-name').evaluate((e) => e.scrollWidth <= e.clientWidth), `${lang} ${width} document name`).toBe(true);
        }
      }
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.getByRole('tab', { name: text(lang, 'app.function') }).click();
    });
  }

  it('remembers the choice when the page is opened again', async () => {
    await picker().selectOption('pt-BR');
    await page.reload();
    await page.locator('header .controls button.primary').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
    expect(await runButton().innerText()).toBe(text('pt-BR', 'app.run'));
    await picker().selectOption('en');
    expect(await runButton().innerText()).toBe('Run');
  });

  it('follows the browser’s language on a first start', async () => {
    const zh = await openLab(inject('webUrl'), { locale: 'zh-CN' });
    try {
      expect(await zh.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      expect(await zh.page.locator('header .controls button.primary').innerText()).toBe('运行');
      expect(zh.errors).toEqual([]);
    } finally {
      await zh.context.close();
    }
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
