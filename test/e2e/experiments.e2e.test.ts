// Sweeps and basin maps in the browser build: a sweep draws its chart and table and opens a run on
// click; a basin map of Himmelblau draws its four basins.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { Resvg } from '@resvg/resvg-js';
import { openLab, OUTPUT } from './browser';
import { axisValues } from '../../engine/experiments/sweepPoints';
import { compileFormula } from '../../engine/formula/compile';
import { Run } from '../../engine/run/run';
import { formulaObjective } from '../../engine/run/objective';

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

describe('experiments', () => {
  it('sweeps the learning rates of every run, each with its own settings, and draws the result', async () => {
    await page.getByText('Sweep a setting').click();
    await page.getByLabel('Number of values of the setting swept').fill('12');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const chart = page.getByTestId('sweep-chart');
    await chart.locator('canvas').waitFor();
    // One row per rate, one column per run (Adam 1 and SGD 2 in the default race).
    await expect.poll(() => page.getByTestId('sweep-steps').locator('tbody tr').count()).toBe(12);
    expect(await page.getByTestId('sweep-steps').locator('thead th').allTextContents()).toEqual(['lr', 'Adam 1', 'SGD 2']);
    const legend = await chart.locator('.u-legend .u-series .u-label').allTextContents();
    expect(legend).toEqual(['lr', 'Adam 1', 'SGD 2']);
    await chart.screenshot({ path: join(OUTPUT, 'sweep.png') });
    // A diverged point is marked ×, not drawn at its last value; the export marks it too, with gridlines.
    type Series = { status: string[]; finalValue: number[] };
    const statuses = await page.evaluate(() => (window as unknown as { __gdlab: { lab: { experiments: { sweep: { series: Series[] } } } } }).__gdlab.lab.experiments.sweep.series.map((s) => s.status));
    const divergedCount = statuses.flat().filter((s) => ['diverged', 'undefined', 'unbounded'].includes(s)).length;
    expect(divergedCount).toBeGreaterThan(0);
    expect(Number(await chart.getAttribute('data-diverged'))).toBe(divergedCount);
    await page.getByRole('button', { name: /^Tools of the Sweep of lr/ }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export the Sweep of lr.* chart as SVG$/ }).click();
    const svg = readFileSync(await (await download).path(), 'utf8');
    expect(svg.match(/<path class="mark"/g)?.length ?? 0).toBe(divergedCount);
    expect(svg).toContain('<line class="grid"');
    expect(svg).toContain('<title>Sweep of lr: final value of Adam 1, SGD 2</title>');
  });

  it('adds the run of a chosen point, with its optimizer and learning rate', async () => {
    const runsBefore = await page.getByRole('button', { name: 'Explain' }).count();
    const cell = page.getByTestId('sweep-steps').getByRole('button', { name: /^Add Adam 1 at lr .* as a new run$/ }).nth(6);
    const label = (await cell.getAttribute('aria-label'))!;
    const lr = label.replace(/^.* at lr /, '').replace(/ as a new run$/, '');
    await cell.click();
    await expect.poll(() => page.getByRole('button', { name: 'Explain' }).count()).toBe(runsBefore + 1);
    expect(await page.locator('input[id$="-lr"]').last().inputValue()).toBe(String(Number(Number(lr).toPrecision(4))));
  });

  it('draws the basin map of Himmelblau’s four minima', async () => {
    await page.getByLabel('Preset').selectOption('himmelblau');
    await expect.poll(() => page.getByTestId('partial').count()).toBe(2);
    await page.getByLabel('Optimizer').first().selectOption('sgd');
    await page.locator('input[id$="-lr"]').first().fill('0.01');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await page.getByText('Basin map', { exact: true }).click();
    await page.getByLabel('Basin map resolution').fill('40');
    await page.getByRole('button', { name: 'Draw basin map' }).click();
    await page.getByTestId('basin-map').waitFor();
    await expect.poll(() => page.getByTestId('basin-legend').locator('li').count()).toBe(4 + 2);
    // With the default steps every start settles in one of the four basins.
    expect(await page.getByTestId('basin-legend').locator('li').allTextContents()).toEqual(expect.arrayContaining(['diverged: 0', 'not settled: 0']));
    expect(await page.getByTestId('basin-map').getAttribute('aria-label')).toBe('Basin map over x and y: 4 minima, 0 diverged, 0 not settled');
    const colours = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="basin-map"]') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<string>();
      for (let i = 0; i < d.length; i += 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
      return [...seen];
    });
    for (const c of ['37,99,235', '220,38,38', '5,150,105', '217,119,6']) expect(colours).toContain(c);
    await page.getByTestId('basin-map').screenshot({ path: join(OUTPUT, 'basin-map.png') });
    // Each minimum with the start points that reached it: all 1,600 of them.
    const reached = (await page.getByTestId('basin-legend').locator('li').allTextContents()).slice(0, 4).map((l) => Number(/: (\d+)$/.exec(l)![1]));
    expect(reached.reduce((a, b) => a + b, 0)).toBe(1600);
    // The export names the optimizer, its rate and the steps, and keeps the counts.
    const saved = await page.evaluate(() => (window as unknown as { __gdlab: { lab: { experiments: { map: { saved: { optimizer: { name: string; lr: number }; steps: number } } } } } }).__gdlab.lab.experiments.map.saved);
    const title = `basin map: ${saved.optimizer.name}, lr ${saved.optimizer.lr}`;
    await page.getByRole('button', { name: new RegExp(`^Tools of the ${title.replace(/\./g, '\\.')}(, [^,]+)*, ${saved.steps} steps chart$`) }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export the basin map: .* chart as SVG$/ }).click();
    const svg = readFileSync(await (await download).path(), 'utf8');
    expect(svg).toMatch(new RegExp(`<title>${title.replace(/\./g, '\\.')}(, [^,]+)*, ${saved.steps} steps</title>`));
    for (const n of reached) expect(svg).toMatch(new RegExp(`: ${n}</text>`));
    // The map was spread over the lab's engine and one helper Web Worker per further core.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const engines = Math.max(1, Math.min(16, cores));
    expect(await page.getByTestId('map-timing').textContent()).toMatch(new RegExp(`^1,600 start points in [\\d.]+ s on ${engines} engines?$`));
  });

  it('cancels a basin map on every engine, and draws the next one', async () => {
    await page.getByLabel('Basin map resolution').fill('400');
    await page.getByLabel('Basin map steps').fill('50000');
    await page.getByRole('button', { name: 'Draw basin map' }).click();
    const progress = page.getByRole('progressbar', { name: 'Basin map progress' });
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('map-engines').textContent()).toMatch(/^on \d+ engines?$/);
    await page.getByRole('button', { name: 'Cancel basin map' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Cancelled' }).count()).toBe(1);
    // The engines take the next map as usual.
    await page.getByLabel('Basin map resolution').fill('20');
    await page.getByLabel('Basin map steps').fill('2000');
    await page.getByRole('button', { name: 'Draw basin map' }).click();
    await expect.poll(() => page.getByTestId('map-timing').textContent(), { timeout: 10_000 }).toMatch(/^400 start points in /);
    expect(await page.getByTestId('basin-map').getAttribute('aria-label')).toBe('Basin map over x and y: 4 minima, 0 diverged, 0 not settled');
  });

  it('sweeps a grid of lr × momentum on Rosenbrock as a heat map whose cells are the runs alone, and reopens it from a saved session', async () => {
    await page.getByLabel('Preset').selectOption('rosenbrock');
    await expect.poll(() => page.getByTestId('partial').count()).toBe(2);
    await page.getByLabel('setting', { exact: true }).selectOption('lr');
    await page.getByLabel('Smallest value of the setting swept').fill('0.0001');
    await page.getByLabel('Largest value of the setting swept').fill('0.003');
    await page.getByLabel('Number of values of the setting swept').fill('8');
    await page.getByLabel('across', { exact: true }).selectOption('momentum');
    await page.getByLabel('Smallest value of the second setting').fill('0');
    await page.getByLabel('Largest value of the second setting').fill('0.95');
    await page.getByLabel('Number of values of the second setting').fill('6');
    await page.getByLabel('Value tolerance').fill('0.5');
    await page.getByLabel('Value tolerance').press('Tab');
    // Adam has no momentum: the sweep says so and names it.
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'adam has no hyperparameter "momentum"' }).count()).toBe(1);
    const optimizers = page.getByLabel('Optimizer');
    for (let i = 0; i < (await optimizers.count()); i++) await optimizers.nth(i).selectOption('sgd');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const heat = page.getByTestId('sweep-heatmap');
    await expect.poll(() => heat.locator('button.cell').count(), { timeout: 30_000 }).toBe(48 * (await optimizers.count()));
    // Every point is a run: 8 × 6 per run.
    expect(await page.getByTestId('sweep-timing').textContent()).toMatch(new RegExp(`^${48 * (await optimizers.count())} runs in `));
    // Each cell is that run alone, computed here: steps to f ≤ 0.5 from the run's start in its step budget.
    type Doc = { runs: Array<{ start: number[]; stop: { maxSteps: number } }> };
    const doc = await page.evaluate(() => (window as unknown as { __gdlab: { lab: { doc: Doc } } }).__gdlab.lab.doc);
    const lrs = axisValues({ param: 'lr', min: 0.0001, max: 0.003, count: 8, scale: 'log' });
    const momenta = axisValues({ param: 'momentum', min: 0, max: 0.95, count: 6, scale: 'linear' });
    const f = compileFormula('(1 - x)^2 + 100*(y - x^2)^2');
    for (const [i, j] of [[0, 0], [7, 5], [3, 4], [6, 2]]) {
      const run = new Run(formulaObjective(f), { start: doc.runs[0].start, optimizer: { name: 'sgd', lr: lrs[i], momentum: momenta[j] }, stop: { maxSteps: doc.runs[0].stop.maxSteps } });
      run.advance(Infinity);
      const first = run.history.column(1).findIndex((v) => v <= 0.5);
      const expected = first >= 0 ? String(run.history.stepAt(first)) : run.outcome?.status === 'diverged' ? 'diverged' : (run.outcome?.status ?? 'running');
      // Rows are drawn top (largest momentum) down; the cell's index is j · 8 + i.
      const cell = heat.locator('figure').first().locator('button.cell').nth((5 - j) * 8 + i);
      expect(await cell.getAttribute('data-steps')).toBe(expected);
    }
    await heat.screenshot({ path: join(OUTPUT, 'sweep-heatmap.png') });
    // Exported as vector SVG: one rectangle per cell in the screen's colours, named by its settings.
    const title = `Steps to f ≤ 0.5 over lr × momentum: ${(await heat.locator('figcaption').allTextContents()).join(', ')}`;
    await page.getByRole('button', { name: `Tools of the ${title} chart` }).click();
    const svgDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: `Export the ${title} chart as SVG` }).click();
    const svgPath = join(OUTPUT, 'sweep-heatmap.svg');
    await (await svgDownload).saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toContain(`<title>${title}</title>`);
    expect(svg).not.toContain('<image');
    // Well formed: an independent renderer draws it.
    expect(new Resvg(svg).render().width).toBeGreaterThan(0);
    expect(svg.match(/<rect class="cell"/g)).toHaveLength(48 * (await optimizers.count()));
    expect(svg.match(/<g class="legend-entry">/g)!.length).toBeGreaterThanOrEqual(3);
    for (const text of ['>lr</text>', '>momentum</text>', '>diverged</text>', '>never reached</text>']) expect(svg).toContain(text);
    // The cell of the first panel's first row is drawn bottom left, in the screen's fill.
    const firstFill = await heat.locator('figure').first().locator('button.cell').nth(5 * 8).evaluate((e) => e.style.background || 'none');
    const svgFirst = /<rect class="cell" x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" fill="([^"]+)"/.exec(svg)![1];
    if (firstFill !== 'none') expect(svgFirst.replace(/\s/g, '')).toBe(firstFill.replace(/\s/g, ''));
    // Its CSV has a row per cell, with both settings and the same steps.
    const csvDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export sweep as CSV…' }).click();
    const csvPath = join(OUTPUT, (await csvDownload).suggestedFilename());
    await (await csvDownload).saveAs(csvPath);
    const rows = readFileSync(csvPath, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('run,optimizer,lr,momentum,final_value,steps_to_tolerance,status');
    expect(rows).toHaveLength(1 + 48 * (await optimizers.count()));
    const cells = await heat.locator('figure').first().locator('button.cell').evaluateAll((c) => c.map((e) => e.getAttribute('data-steps')));
    // Row 1 + j·8 + i is the cell drawn at ((5 − j)·8 + i).
    for (const [i, j] of [[7, 5], [3, 4]]) {
      const [run, , lr, momentum, , steps, status] = rows[1 + j * 8 + i].split(',');
      expect([run, Number(lr), Number(momentum)]).toEqual(['SGD 1', lrs[i], momenta[j]]);
      expect(steps || status).toBe(cells[(5 - j) * 8 + i]);
    }
    // Saved and reopened, the grid is back as it was.
    const before = await heat.locator('button.cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-steps')));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^File/ }).click();
    await page.getByRole('menuitem', { name: 'Save As…', exact: true }).click();
    const path = join(OUTPUT, 'grid.gdlab');
    await (await download).saveAs(path);
    await page.getByRole('button', { name: /^File/ }).click();
    await page.getByRole('menuitem', { name: 'New', exact: true }).click();
    await expect.poll(() => heat.count()).toBe(0);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /^File/ }).click();
    await page.getByRole('menuitem', { name: 'Open…', exact: true }).click();
    await (await chooser).setFiles(path);
    await expect.poll(() => heat.locator('button.cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-steps')))).toEqual(before);
    // A large grid, cancelled, leaves the lab usable: the previous grid stays and the next one runs.
    await page.getByLabel('Number of values of the setting swept').fill('64');
    await page.getByLabel('Number of values of the second setting').fill('64');
    await page.getByLabel('Number of values of the second setting').press('Tab');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const progress = page.getByRole('progressbar', { name: 'Sweep progress' });
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Cancel sweep' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Cancelled' }).count()).toBeGreaterThan(0);
    expect(await heat.locator('button.cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-steps')))).toEqual(before);
    await page.getByLabel('Number of values of the setting swept').fill('3');
    await page.getByLabel('Number of values of the second setting').fill('2');
    await page.getByLabel('Number of values of the second setting').press('Tab');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect.poll(() => heat.locator('button.cell').count(), { timeout: 30_000 }).toBe(6 * (await optimizers.count()));
  });

  it('shows the stochastic gap of a mini-batch run next to its full-batch gradient', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Noisy line' }).click();
    // Every run (the sweep above added one, now selected) takes mini-batches of 4.
    const sizes = page.locator('input[id^="bs-"]');
    for (let i = 0; i < (await sizes.count()); i++) {
      await sizes.nth(i).fill('4');
      await sizes.nth(i).press('Tab');
    }
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid^="status-"]').last().getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
    await page.getByText('Stochastic gap', { exact: true }).click();
    await page.getByRole('button', { name: /^Measure / }).click();
    await page.getByTestId('gap-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('gap-chart').locator('.u-legend .u-series .u-label').allTextContents()).toEqual(['step', '‖g batch‖', '‖g full‖', '‖g batch − g full‖ (noise)']);
    const readout = (await page.getByTestId('gap-readout').textContent())!;
    const angle = Number(/angle ([\d.]+)°/.exec(readout)?.[1]);
    expect(angle).toBeGreaterThan(0);
    expect(angle).toBeLessThanOrEqual(180);
    // Scrubbing to step 0 moves the readout there: the gap at the start.
    await page.getByLabel('Replay step').fill('0');
    await expect.poll(() => page.getByTestId('gap-readout').textContent()).toMatch(/, step 0: /);
    await page.getByTestId('gap-chart').screenshot({ path: join(OUTPUT, 'stochastic-gap.png') });
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});

describe('linked views in data mode', () => {
  it('shows the loss surface over the model’s parameters with each run’s path', async () => {
    await page.getByRole('button', { name: 'Noisy line' }).click();
    const sizes = page.locator('input[id^="bs-"]');
    for (let i = 0; i < (await sizes.count()); i++) {
      await sizes.nth(i).fill('full');
      await sizes.nth(i).press('Tab');
    }
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid^="status-"]').last().getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
    const surface = page.getByTestId('loss-surface');
    await surface.locator('canvas').waitFor();
    expect(await surface.getByLabel('Loss surface horizontal parameter').inputValue()).toBe('0');
    await surface.screenshot({ path: join(OUTPUT, 'loss-surface.png') });
  });

  it('moves the fitted curves, the surface and the loss chart to the scrubbed step together', async () => {
    await page.getByLabel('Replay step').fill('7');
    await expect.poll(() => page.getByTestId('loss-surface').getAttribute('data-step')).toBe('7');
    await expect.poll(() => page.getByTestId('fit-chart').getAttribute('data-step')).toBe('7');
    await expect.poll(() => page.getByTestId('replay-step').textContent()).toBe('step 7');
  });

  it('moves the fitted curves and the surface to the step hovered on the loss chart', async () => {
    const over = page.getByTestId('loss-chart').locator('.u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    const hovered = await page.getByTestId('loss-chart').locator('.u-legend .u-series .u-value').first().textContent();
    expect(Number(hovered)).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('loss-surface').getAttribute('data-step')).toBe(hovered);
    await expect.poll(() => page.getByTestId('fit-chart').getAttribute('data-step')).toBe(hovered);
    // Leaving the chart returns them to the replay step.
    await page.mouse.move(box.x - 50, box.y - 50);
    await expect.poll(() => page.getByTestId('loss-surface').getAttribute('data-step')).toBe('7');
  });

  it('exports every chart: the loss surface as vector SVG with its bands, paths, legend and colour bar', async () => {
    for (const name of ['fitted models', 'loss surface', 'batch loss', 'gradient norm ‖∇f‖', 'learning rate', 'first parameter', 'loss per epoch']) {
      await expect(page.getByRole('button', { name: `Tools of the ${name} chart` }).count()).resolves.toBe(1);
    }
    await page.getByRole('button', { name: 'Tools of the loss surface chart' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export the loss surface chart as SVG' }).click();
    const file = await download;
    const path = join(OUTPUT, file.suggestedFilename());
    await file.saveAs(path);
    const svg = readFileSync(path, 'utf8');
    expect(svg).not.toContain('<image');
    expect(svg.match(/<path class="band"/g)!.length).toBeGreaterThan(5);
    expect(svg).toContain('<g class="colorbar">');
    expect(svg.match(/<path class="run-path"/g)!.length).toBeGreaterThanOrEqual(1);
    expect(svg.match(/<g class="legend-entry">/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('has no uncaught errors in the linked views', () => {
    expect(errors).toEqual([]);
  });
});
