// Regression tests for what a new user found in the browser build: each finding's steps, done
// again, and what the lab must show now.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab } from './browser';

const HOUSES = fileURLToPath(new URL('../fixtures/standardize/houses.csv', import.meta.url));
const REFERENCE = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/standardize/reference.json', import.meta.url)), 'utf8'));

let context: BrowserContext;
let page: Page;
let errors: string[];
let dir: string;

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  page.on('dialog', (d) => void d.accept());
  dir = mkdtempSync(join(tmpdir(), 'gdlab-findings-'));
});

afterAll(async () => {
  await context?.close();
});

afterEach(() => {
  expect(errors, 'page errors').toEqual([]);
});

beforeEach(async () => {
  await page.evaluate(() => (window as unknown as { __gdlab: { files: { newSession(): Promise<void> } } }).__gdlab.files.newSession());
  const dismiss = page.getByTestId('banner').locator('..').getByRole('button', { name: /close|dismiss|×/i });
  if (await dismiss.count()) await dismiss.click();
  await page.locator('#speed').selectOption('0');
  errors.length = 0;
});

const toolbar = (name: string) => page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button', { name, exact: true });
const statuses = () => page.locator('[data-testid^="status-"]').allTextContents();
const statusOf = (i: number) => page.locator('[data-testid^="status-"]').nth(i);
const traceCount = () => page.evaluate(() => (window as unknown as { __gdlab: { lab: { results: { traces: Map<string, unknown> } } } }).__gdlab.lab.results.traces.size);
const lrField = (i = 0) => page.locator('input[id$="-lr"]').nth(i);

async function setField(locator: ReturnType<Page['locator']>, value: string) {
  await locator.fill(value);
  await locator.press('Tab');
}

async function evaluateAt(point: string) {
  await page.getByRole('textbox', { name: 'Point', exact: true }).fill(point);
  await page.getByRole('button', { name: 'Evaluate' }).click();
}

async function loadFile(path: string, name: string) {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Open dataset').setInputFiles(path);
  await page.getByTestId('dataset-summary').filter({ hasText: name }).waitFor();
}

function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('finding 1: stale results', () => {
  it('typing a new formula clears Rosenbrock’s runs and re-evaluates the point for the new formula', async () => {
    await toolbar('Run').click();
    await expect.poll(() => statusOf(0).getAttribute('data-status')).toMatch(/max_steps|converged/);
    await evaluateAt('1, 1');
    await expect.poll(() => page.getByTestId('evaluation').textContent()).toBe('f(1, 1) = 0, ∇f = [0, 0]');
    await page.getByLabel('Formula').fill('x^2 + 4*y^2');
    await expect.poll(() => page.getByTestId('evaluation').textContent()).toBe('f(1, 1) = 5, ∇f = [2, 8]');
    expect(await statuses()).toEqual(['not run yet', 'not run yet']);
    expect(await traceCount()).toBe(0);
  });

  it('the 3-variable tutorial button after a 5x² run leaves no map error, no old status, no page error', async () => {
    await page.getByRole('button', { name: /5x²/ }).click();
    await toolbar('Run').click();
    await expect.poll(() => statusOf(0).getAttribute('data-status')).toMatch(/converged|max_steps|diverged/);
    await page.getByRole('button', { name: /2x² \+ 6z² \+ 7m³/ }).click();
    await expect.poll(() => page.getByTestId('gradient-value').textContent()).toBe('[4, 12, 21]');
    expect(await statuses()).toEqual(['not run yet', 'not run yet']);
    expect(await page.locator('body').textContent()).not.toMatch(/slice point has 1 values/);
    // The point keeps its first two values; the evaluation is the new formula's, never 15 and [4, 12, 21].
    await page.getByLabel('Formula').fill('3*x^2 + y^2');
    await expect.poll(() => page.getByTestId('evaluation').textContent()).toBe('f(1, 1) = 4, ∇f = [6, 2]');
  });

  it('loading another file clears the old runs’ paths; a generated sample leaves no old file name', async () => {
    await loadFile(HOUSES, 'houses.csv');
    await toolbar('Run').click();
    await expect.poll(() => statusOf(0).getAttribute('data-status')).toMatch(/max_steps|converged/);
    expect(await traceCount()).toBe(2);
    await loadFile(csv('line.csv', ['x,y', '0,1', '1,3', '2,5', '3,7']), 'line.csv');
    expect(await traceCount()).toBe(0);
    expect(await statuses()).toEqual(['not run yet', 'not run yet']);
    await page.getByRole('button', { name: 'Noisy line' }).click();
    await expect.poll(() => page.getByTestId('dataset-summary').textContent()).not.toMatch(/line\.csv/);
    expect(await page.getByLabel('Open dataset').inputValue()).toBe('');
  });
});

describe('finding 2: Step', () => {
  it('takes exactly one update per press at the default speed, from idle and from paused', async () => {
    await toolbar('Step').click();
    await expect.poll(() => statuses()).toEqual([expect.stringMatching(/^paused · step 1 · /), expect.stringMatching(/^paused · step 1 · /)]);
    await toolbar('Step').click();
    await expect.poll(() => statuses()).toEqual([expect.stringMatching(/ · step 2 · /), expect.stringMatching(/ · step 2 · /)]);
    // The engine answers in order: once it has answered a later question, any further update would have come.
    await page.evaluate(() => (window as unknown as { __gdlab: { bridge: { engine: { request(t: string, i: unknown): Promise<unknown> } } } }).__gdlab.bridge.engine.request('catalog', {}));
    expect(await statuses()).toEqual([expect.stringMatching(/ · step 2 · /), expect.stringMatching(/ · step 2 · /)]);
  });
});

describe('finding 3: a learning-rate change while running', () => {
  it('applies from the next step and is in the history', async () => {
    await page.locator('#speed').selectOption('100');
    await toolbar('Run').click();
    await expect.poll(() => statusOf(1).getAttribute('data-status')).toBe('running');
    await setField(lrField(1), '0.003');
    // The change is in the run's settings once the engine has taken it.
    await page.waitForFunction(() => (window as unknown as { __gdlab: { lab: any } }).__gdlab.lab.doc.runs[1].changes.length === 1);
    await toolbar('Pause').click();
    const { changes, lrs, steps } = await page.evaluate(() => {
      const lab = (window as unknown as { __gdlab: { lab: any } }).__gdlab.lab;
      const run = lab.doc.runs[1];
      const trace = lab.results.traces.get(run.id);
      return { changes: JSON.parse(JSON.stringify(run.changes)), lrs: Array.from(trace.lrs.subarray(0, trace.count)) as number[], steps: Array.from(trace.steps.subarray(0, trace.count)) as number[] };
    });
    expect(changes).toHaveLength(1);
    expect(changes[0].changes).toEqual({ lr: 0.003 });
    const at = changes[0].step;
    expect(at).toBeGreaterThan(0);
    // Every update up to the change step used 0.001 and every one after it 0.003. (A row's rate is the
    // one its next update uses, as known when the row was recorded: the row of the change step itself
    // was recorded before the change arrived.)
    const row = steps.indexOf(at);
    expect(row).toBeGreaterThan(0);
    expect(steps[row - 1]).toBe(at - 1);
    expect(steps[row + 1]).toBe(at + 1);
    expect(lrs.slice(0, row).filter((v) => v !== 0.001)).toEqual([]);
    expect(lrs.slice(row + 1).filter((v) => v !== 0.003)).toEqual([]);
  });
});

describe('finding 4: invalid fields', () => {
  it('marks a start point of abc at the field, and Run refuses to start', async () => {
    const start = page.locator('input[id^="start-"]').first();
    await start.fill('abc');
    await expect.poll(() => start.getAttribute('aria-invalid')).toBe('true');
    await toolbar('Run').click({ force: true }).catch(() => undefined);
    expect(await toolbar('Run').isDisabled()).toBe(true);
    expect(await statuses()).toEqual(['not run yet', 'not run yet']);
    const id = await start.getAttribute('id');
    await expect.poll(() => page.locator(`#${id}-error`).textContent()).toMatch(/abc|number/i);
    expect(await toolbar('Run').getAttribute('title')).toMatch(/^Fix the highlighted field first: start: /);
  });
});

describe('finding 5: Resume', () => {
  it('is disabled once the runs have finished', async () => {
    await toolbar('Run').click();
    await expect.poll(() => statusOf(1).getAttribute('data-status')).toMatch(/max_steps|converged/);
    await expect.poll(() => page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button', { name: /Resume|Pause/ }).isDisabled()).toBe(true);
    await expect.poll(() => toolbar('Step').isDisabled()).toBe(true);
  });
});

describe('finding 6: the explain panel', () => {
  it('explains the update just taken at every step, with its numbers', async () => {
    await page.locator('select[aria-label="Optimizer"]').first().selectOption('sgd');
    for (let k = 1; k <= 3; k++) {
      await toolbar('Step').click();
      await expect.poll(() => page.getByTestId('explain-step').textContent()).toBe(`Update ${k} (SGD): step ${k - 1} → ${k}`);
      const text = await page.getByTestId('explain').textContent();
      expect(text).toMatch(/plain gradient descent: p ← p − lr·g/);
      expect(text).not.toMatch(/not recorded/);
    }
  });
});

describe('findings 7–9: mini-batch loss, settings across datasets, coefficients', () => {
  it('labels the batch loss and shows the training loss, which is never below the least-squares optimum', async () => {
    await loadFile(HOUSES, 'houses.csv');
    await page.locator('select[aria-label="Optimizer"]').first().selectOption('sgd');
    await setField(lrField(0), '0.01');
    await setField(page.locator('[id^="bs-"]').first(), '1');
    await setField(page.locator('[id^="ep-"]').first(), '3');
    await toolbar('Run').click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
    const text = (await statusOf(0).textContent())!;
    const training = Number(/training loss ([\d.e+-]+)/.exec(text)?.[1]);
    expect(text).toMatch(/epoch 3 · training loss [\d.e+-]+ · next batch loss [\d.e+-]+$/);
    // The mean squared error of numpy's least-squares fit is the lowest any run can reach.
    const rows = readFileSync(HOUSES, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const c = REFERENCE.original;
    const mse = rows.reduce((s, [a, r, g, y]) => s + (c.area * a + c.rooms * r + c.age * g + c.intercept - y) ** 2, 0) / rows.length;
    expect(training).toBeGreaterThanOrEqual(mse * (1 - 1e-6));
  });

  it('keeps lr and batch size when another dataset is loaded, and says what it changed', async () => {
    await loadFile(HOUSES, 'houses.csv');
    await setField(lrField(0), '0.5');
    await setField(page.locator('[id^="bs-"]').first(), '1');
    await loadFile(csv('other.csv', ['area,rooms,value', '1,2,4', '2,3,5', '3,1,9']), 'other.csv');
    expect(await lrField(0).inputValue()).toBe('0.5');
    expect(await page.locator('[id^="bs-"]').first().inputValue()).toBe('1');
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/Loaded other\.csv\. Changed: target price → value \(no column price\); features: area, rooms\. Run settings are kept\./);
  });

  it('names coefficients by feature, in original units beside the standardized values', async () => {
    await loadFile(HOUSES, 'houses.csv');
    await page.locator('select[aria-label="Optimizer"]').first().selectOption('sgd');
    await setField(lrField(0), '0.5');
    await setField(page.locator('[id^="ep-"]').first(), '2000');
    await toolbar('Run').click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|converged/);
    for (const name of ['area', 'rooms', 'age', 'intercept']) {
      // Shown in English notation: 1,506 is one thousand five hundred and six.
      await expect.poll(async () => Number((await page.getByTestId(`coef-original-${name}`).textContent())?.replace(/,/g, ''))).toBeCloseTo(Number(REFERENCE.original[name].toPrecision(4)), 6);
    }
    const std = Number((await page.getByTestId('coef-standardized-area').textContent())?.replace(/,/g, ''));
    expect(std).toBeCloseTo(Number((REFERENCE.original.area * REFERENCE.std[0]).toPrecision(4)), 6);
  });
});

describe('finding 10: defaults', () => {
  it('standardizes by default and says so; the default SGD run on unscaled features converges', async () => {
    await loadFile(HOUSES, 'houses.csv');
    expect(await page.locator('#std').isChecked()).toBe(true);
    expect(await page.locator('#std-note').textContent()).toMatch(/on \(the default\)/);
    await toolbar('Run').click();
    await expect.poll(() => statusOf(1).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|converged/);
    expect(await statusOf(0).getAttribute('data-status')).not.toBe('diverged');
  });

  it('logistic selects bce; a 0/1 column is offered as classes and chosen as one, with class colours and a legend', async () => {
    const rows = ['x1,x2,passed'];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 8) - 4},${(i % 5) - 2},${(i % 8) - 4 + ((i % 5) - 2) > 0 ? 1 : 0}`);
    await loadFile(csv('exam.csv', rows), 'exam.csv');
    await expect.poll(() => page.locator('#target option:checked').textContent()).toBe('passed (classes)');
    expect(await page.locator('#model').inputValue()).toBe('logistic');
    expect(await page.locator('#loss').inputValue()).toBe('bce');
    await expect.poll(() => page.getByTestId('class-legend').textContent()).toMatch(/passed = 0.*passed = 1/);
    await page.locator('#model').selectOption('linear');
    expect(await page.locator('#loss').inputValue()).toBe('mse');
    await page.locator('#model').selectOption('logistic');
    expect(await page.locator('#loss').inputValue()).toBe('bce');
    // Run, the selected run's class regions are shaded under every run's boundary line, and agree with its line.
    await toolbar('Run').click();
    await expect.poll(() => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|converged/);
    await expect.poll(() => page.getByTestId('fit-chart').getAttribute('data-regions')).toMatch(/^\d+,\d+$/);
    expect(await page.getByTestId('fit-chart').locator('figcaption').textContent()).toContain('Shaded: the classes Adam 1 predicts; lines: each run’s decision boundary');
    type Shown = { shown: { step: number; cells: Uint8Array; nx: number; ny: number } | null };
    type Fits = { shown: Record<string, { originalParams?: number[] }> | null };
    const views = await page.evaluate(() => {
      const lab = (window as unknown as { __gdlab: { lab: { runs: { selected: { id: string } }; views: { regions: Shown; fit: Fits; layout: { x: number[]; y: number[] } } } } }).__gdlab.lab;
      const regions = lab.views.regions.shown!;
      return { cells: Array.from(regions.cells), nx: regions.nx, ny: regions.ny, x: lab.views.layout.x, y: lab.views.layout.y, line: lab.views.fit.shown![lab.runs.selected.id].originalParams! };
    });
    const [w1, w2, b] = views.line;
    let agree = 0;
    let far = 0;
    for (let r = 0; r < views.ny; r++) {
      for (let c = 0; c < views.nx; c++) {
        const u = views.x[0] + ((views.x[1] - views.x[0]) * c) / (views.nx - 1);
        const v = views.y[0] + ((views.y[1] - views.y[0]) * r) / (views.ny - 1);
        const z = w1 * u + w2 * v + b;
        if (Math.abs(z) < 1e-9) continue;
        far++;
        if ((z > 0 ? 1 : 0) === views.cells[r * views.nx + c]) agree++;
      }
    }
    expect(agree).toBe(far);
    expect(views.cells.some((k) => k === 0) && views.cells.some((k) => k === 1)).toBe(true);
    // Its export is vector: regions as rectangles, the 40 points, each run's boundary, the classes named.
    await page.getByRole('button', { name: 'Tools of the fitted models chart' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export the fitted models chart as SVG' }).click();
    const svg = readFileSync(await (await download).path(), 'utf8');
    expect(svg).not.toContain('<image');
    expect(svg.match(/class="point"/g)).toHaveLength(40);
    expect(svg.match(/<path class="fit-line"/g)).toHaveLength(await page.locator('[data-testid^="status-"]').count());
    expect(svg.match(/<rect class="region"/g)!.length).toBeGreaterThanOrEqual(views.ny);
    for (const name of ['passed = 0', 'passed = 1']) expect(svg).toContain(`>${name}</text>`);
  });
});

describe('finding 11: text columns', () => {
  it('shows the text of a text column, not the missing mark', async () => {
    await loadFile(csv('dated.csv', ['date,sales', '2026-01-04,12', '2026-01-11,15', '2026-01-18,11']), 'dated.csv');
    const cells = await page.getByRole('region', { name: 'Preview of the first rows' }).locator('tbody tr td:first-child').allTextContents();
    expect(cells).toEqual(['2026-01-04', '2026-01-11', '2026-01-18']);
  });
});
