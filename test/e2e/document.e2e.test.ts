// The document is one thing: what the screen shows is what the file saves and what reopening brings
// back. A view with the 3-D surface turned, a sweep, a basin map and log x survives save, reload and
// open; the lessons never write into the person's file; a target change says what it gave back; a
// hand-edited session opens with notices naming what differs.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, OUTPUT, settled } from './browser';
import { parseSession, serializeSession } from '../../engine/session/open';

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

const FIXTURES = join(process.cwd(), 'test', 'fixtures');
const title = () => page.title();
const documentName = () => page.getByTestId('document-name').textContent();
const fileMenu = async (item: string) => {
  await page.getByRole('button', { name: /^File/ }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
};
const statuses = () => page.locator('[data-testid^="status-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
const gradTools = () => page.getByTestId('gradnorm-chart').getByRole('button', { name: /^Tools of the/ });
const logX = () => page.getByTestId('gradnorm-chart').getByLabel('log x');
/** Whether the gradient-norm chart's tools say log x (the tools are opened to read it, then closed). */
async function logXShown(): Promise<boolean> {
  await gradTools().click();
  const on = await logX().isChecked();
  await page.keyboard.press('Escape');
  await logX().waitFor({ state: 'detached' });
  return on;
}
const camera = () => page.getByTestId('surface-3d').getAttribute('data-camera');

async function saveDownload(name: string): Promise<{ suggested: string; path: string }> {
  const download = page.waitForEvent('download');
  await fileMenu('Save');
  const file = await download;
  const path = join(OUTPUT, name);
  await file.saveAs(path);
  return { suggested: file.suggestedFilename(), path };
}

async function openSession(path: string) {
  const chooser = page.waitForEvent('filechooser');
  await fileMenu('Open…');
  await (await chooser).setFiles(path);
}

/** What the experiments show: the sweep's table, the basin map's summary and legend. */
async function experiments() {
  return {
    sweep: await page.getByTestId('sweep-steps').locator('tbody tr').allTextContents(),
    map: await page.getByTestId('basin-map').getAttribute('aria-label'),
    legend: await page.getByTestId('basin-legend').locator('li').allTextContents(),
  };
}

describe('one document', () => {
  let saved: string;
  let before: { camera: string | null; experiments: Awaited<ReturnType<typeof experiments>> };

  it('marks every change to the view unsaved and undoable: log x, a range held by a drag, the 3-D surface and its camera', async () => {
    await page.getByLabel('Preset').selectOption('himmelblau');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(statuses, { timeout: 30_000 }).toEqual(['converged', 'converged']);
    await fileMenu('Save');
    await expect.poll(title).toBe('experiment.gdlab — Gradient Descent Lab');

    await gradTools().click();
    await logX().check();
    await expect.poll(title).toBe('• experiment.gdlab — Gradient Descent Lab');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(title).toBe('experiment.gdlab — Gradient Descent Lab');
    expect(await logXShown()).toBe(false);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(title).toBe('• experiment.gdlab — Gradient Descent Lab');
    expect(await logXShown()).toBe(true);

    // A drag across a step chart holds its x range: an edit, saved and undone like any other.
    const pinned = () => page.evaluate(() => (window as unknown as { __gdlab: { lab: { doc: { view: { charts: Record<string, { pinned: unknown } | undefined> } } } } }).__gdlab.lab.doc.view.charts.value?.pinned ?? null);
    const over = (await page.getByTestId('loss-chart').locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.2, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(pinned).not.toBeNull();
    const held = (await pinned()) as { x: [number, number] };
    expect(held.x[0]).toBeGreaterThan(0);
    expect(held.x[1]).toBeLessThan(500);
    await expect.poll(async () => JSON.parse((await page.getByTestId('loss-chart').locator('[data-scales]').getAttribute('data-scales'))!).x.slice(0, 2)).toEqual(held.x);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(pinned).toBeNull();
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(pinned).toEqual(held);
    // A double-click lets the range follow the data again.
    await page.getByTestId('loss-chart').locator('.u-over').dblclick();
    await expect.poll(pinned).toBeNull();

    await page.getByRole('button', { name: '3-D surface' }).click();
    await expect.poll(() => page.getByTestId('surface-3d').getAttribute('data-step'), { timeout: 20_000 }).not.toBeNull();
    const unturned = await camera();
    const box = (await page.getByTestId('surface-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 140, box.y + box.height / 2 - 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(camera).not.toBe(unturned);
  });

  it('saves a sweep, a basin map, the turned 3-D view and log x, and brings all of it back after a reload', async () => {
    await page.getByText('Sweep a setting').click();
    await page.getByLabel('Number of values of the setting swept').fill('6');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect.poll(() => page.getByTestId('sweep-steps').locator('tbody tr').count(), { timeout: 30_000 }).toBe(6);
    await page.getByText('Basin map', { exact: true }).click();
    await page.getByLabel('Basin map resolution').fill('24');
    await page.getByRole('button', { name: 'Draw basin map' }).click();
    await expect.poll(() => page.getByTestId('map-timing').textContent(), { timeout: 30_000 }).toMatch(/^576 start points in /);
    await settled(page);
    before = { camera: await camera(), experiments: await experiments() };
    expect(before.experiments.map).toMatch(/^Basin map over x and y: 4 minima/);

    const file = await saveDownload('document-view.gdlab');
    saved = file.path;
    const session = parseSession(readFileSync(saved));
    expect(session.view.functionView).toBe('surface');
    expect(session.view.camera).toEqual(JSON.parse(before.camera!));
    expect(session.view.charts.gradNorm?.logX).toBe(true);
    expect(session.experiments.sweep.result?.lrs).toHaveLength(6);
    expect(session.experiments.map.result).toBeTruthy();

    await page.reload();
    await page.getByRole('button', { name: 'Explain' }).first().waitFor();
    await openSession(saved);
    await expect.poll(documentName).toBe('document-view.gdlab');
    await expect.poll(() => page.getByRole('button', { name: '3-D surface' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(camera).toBe(before.camera);
    await expect.poll(() => page.getByTestId('sweep-steps').locator('tbody tr').count()).toBe(6);
    await settled(page);
    expect(await experiments()).toEqual(before.experiments);
    expect(await logXShown()).toBe(true);
    // Opening is not an edit.
    expect(await title()).toBe('document-view.gdlab — Gradient Descent Lab');
    await page.screenshot({ path: join(OUTPUT, 'document-reopened.png') });
  });

  it('opens the lessons in their own document: saving lesson 1 never writes the open file, and leaving brings the file back', async () => {
    // An unsaved edit to the open file first: the lessons ask, and keep it.
    await page.locator('input[id$="-lr"]').first().fill('0.02');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await expect.poll(title).toBe('• document-view.gdlab — Gradient Descent Lab');
    await fileMenu('Lessons…');
    const ask = page.getByRole('dialog').filter({ hasText: 'document-view.gdlab' });
    await ask.getByRole('button', { name: 'Open the lessons' }).click();
    await expect.poll(() => page.getByTestId('lesson').getAttribute('data-lesson')).toBe('loss');
    await expect.poll(documentName).toMatch(/^Lesson 1/);

    // Lesson 1's task: the line's w and b set so its loss is small.
    const sliders = page.getByTestId('lesson').getByRole('slider');
    await sliders.nth(0).fill('1.9');
    await sliders.nth(1).fill('1.1');
    await expect.poll(() => page.getByTestId('lesson').getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
    const lesson = await saveDownload('lesson-save.gdlab');
    expect(lesson.suggested).toBe('lesson-1.gdlab');
    expect(parseSession(readFileSync(lesson.path)).notes).not.toContain('document-view');

    await page.getByRole('button', { name: 'Leave lessons' }).click();
    await expect.poll(documentName).toBe('document-view.gdlab • (unsaved changes)');
    expect(await page.locator('input[id$="-lr"]').first().inputValue()).toBe('0.02');
    await expect.poll(() => page.getByRole('button', { name: '3-D surface' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(camera).toBe(before.camera);
    await settled(page);
    expect(await experiments()).toEqual(before.experiments);
  });

  it('says which feature a target change gave back: iris, target species', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('Open dataset').setInputFiles(join(FIXTURES, 'datasets', 'iris.csv'));
    await page.getByTestId('dataset-summary').filter({ hasText: 'iris.csv' }).waitFor();
    const features = page.getByRole('group', { name: 'Features' });
    expect(await page.getByLabel('Target').inputValue()).toBe('petal_width');
    expect(await features.getByRole('checkbox').count()).toBe(3);
    await page.getByLabel('Model', { exact: true }).selectOption('mlp');
    await page.getByLabel('Target').selectOption('species');
    await expect.poll(() => page.getByTestId('banner').textContent()).toContain('petal_width is a feature again');
    await expect.poll(() => features.getByRole('checkbox', { name: 'petal_width' }).isChecked()).toBe(true);
    expect(await features.getByRole('checkbox').count()).toBe(4);
  });

  it('opens a session whose formula does not parse with a notice, and shows none of its runs as results', async () => {
    const session = JSON.parse(readFileSync(join(FIXTURES, 'sessions', 'v2-function.gdlab'), 'utf8'));
    session.problem.expr = 'x^2 + foo(';
    const path = join(OUTPUT, 'badexpr.gdlab');
    writeFileSync(path, JSON.stringify(session));
    await openSession(path);
    await expect.poll(documentName).toBe('badexpr.gdlab');
    const banner = page.getByTestId('banner');
    await expect.poll(() => banner.textContent()).toMatch(/^Opened badexpr\.gdlab, but .*its formula does not parse/);
    expect(await statuses()).toEqual(['none', 'none', 'none', 'none']);
    expect(await page.locator('[data-testid^="status-"]').allTextContents()).not.toContainEqual(expect.stringMatching(/converged/));
  });

  it('opens a session with an edited learning rate with a notice naming the run and what differs', async () => {
    const text = readFileSync(join(FIXTURES, 'sessions', 'v2-function.gdlab'));
    const session = parseSession(text);
    const edited = session.runs[1];
    (edited.optimizer as unknown as { lr: number }).lr = 0.03;
    const path = join(OUTPUT, 'editedlr.gdlab');
    writeFileSync(path, serializeSession(session));
    await openSession(path);
    await expect.poll(documentName).toBe('editedlr.gdlab');
    const banner = page.getByTestId('banner');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain(`${edited.name}: `);
    const shown = (await banner.textContent())!;
    expect(shown).toMatch(/not every saved result follows from its settings/);
    // Only the edited run differs; the others are shown with their saved results.
    for (const run of session.runs) if (run !== edited) expect(shown).not.toContain(`${run.name}:`);
    const states = await statuses();
    expect(states[1]).toBe('none');
    expect(states.filter((s) => s !== 'none')).toHaveLength(3);
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
