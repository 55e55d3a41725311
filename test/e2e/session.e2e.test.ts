// Sessions in a real browser: save a race (a download), reload the page, open the file again, and
// see the same charts at the same step; refusals leave the open session as it was; autosave recovery.
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
});

afterAll(async () => {
  await context?.close();
});

const statusOf = (i: number) => page.locator('[data-testid^="status-"]').nth(i);
const fileMenu = (item: string) => async () => {
  await page.getByRole('button', { name: /^File/ }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
};

/** What the charts show: every canvas's pixels hashed, the step readouts, run statuses, the explain text. */
async function view() {
  return page.evaluate(() => {
    const hash = (c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 97) h = (h * 31 + d[i]) | 0;
      return h;
    };
    return {
      canvases: [...document.querySelectorAll('section.center canvas')].map((c) => hash(c as HTMLCanvasElement)),
      replay: document.querySelector('[data-testid="replay-step"]')?.textContent,
      statuses: [...document.querySelectorAll('[data-testid^="status-"]')].map((e) => e.textContent?.trim()),
      explain: document.querySelector('[data-testid="explain"]')?.textContent?.trim(),
    };
  });
}

async function openSession(path: string) {
  const chooser = page.waitForEvent('filechooser');
  await fileMenu('Open…')();
  await (await chooser).setFiles(path);
}

describe('sessions', () => {
  let saved: string;

  it('marks unsaved changes in the title, and only real changes', async () => {
    expect(await page.title()).toBe('Untitled — Gradient Descent Lab');
    // Rosenbrock is the problem a new lab opens with: choosing it again changes nothing.
    await page.getByLabel('Preset').selectOption('rosenbrock');
    // The engine answers in order: once it has answered, the document would have had every change.
    await page.evaluate(() => (window as any).__gdlab.bridge.engine.request('catalog', {}));
    expect(await page.title()).toBe('Untitled — Gradient Descent Lab');
    await page.getByLabel('Preset').selectOption('himmelblau');
    await expect.poll(() => page.title()).toBe('• Untitled — Gradient Descent Lab');
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('Untitled • (unsaved changes)');
    await page.getByLabel('Preset').selectOption('rosenbrock');
  });

  it('saves a race, reopens it after a reload, and shows the same charts at the same step', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => [await statusOf(0).getAttribute('data-status'), await statusOf(1).getAttribute('data-status')], { timeout: 20_000 }).toEqual(['max_steps', 'max_steps']);
    await page.getByTestId('notes').fill('Adam reaches the valley floor; SGD at lr 0.001 crawls.');
    await page.getByLabel('Replay step').fill('700');
    await expect.poll(() => page.getByTestId('replay-step').textContent()).toBe('step 700');
    await settled(page);
    const before = await view();

    const download = page.waitForEvent('download');
    await fileMenu('Save')();
    const file = await download;
    expect(file.suggestedFilename()).toBe('experiment.gdlab');
    saved = join(OUTPUT, 'race.gdlab');
    await file.saveAs(saved);
    const session = parseSession(readFileSync(saved));
    expect(session.runs.map((r) => [r.optimizer.name, r.result?.status, r.result?.step])).toEqual([['adam', 'max_steps', 2000], ['sgd', 'max_steps', 2000]]);
    expect(session.view.replayStep).toBe(700);
    expect(session.notes).toMatch(/valley floor/);
    await expect.poll(() => page.title()).toBe('experiment.gdlab — Gradient Descent Lab');

    await page.reload();
    await page.getByRole('button', { name: 'Explain' }).first().waitFor();
    await openSession(saved);
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('race.gdlab');
    await expect.poll(() => page.getByTestId('replay-step').textContent()).toBe('step 700');
    await expect.poll(() => page.getByLabel('Replay step').inputValue()).toBe('700');
    await expect.poll(async () => (await view()).statuses, { timeout: 20_000 }).toEqual(before.statuses);
    await settled(page);
    const after = await view();
    expect(after).toEqual(before);
    expect(await page.getByTestId('notes').inputValue()).toMatch(/valley floor/);
    await page.screenshot({ path: join(OUTPUT, 'session-reopened.png') });
    // Opening is not an edit.
    expect(await page.title()).toBe('race.gdlab — Gradient Descent Lab');
  });

  it('re-runs a reopened session to exactly the saved values', async () => {
    const session = parseSession(readFileSync(saved));
    await page.getByRole('button', { name: 'Live' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => [await statusOf(0).getAttribute('data-status'), await statusOf(1).getAttribute('data-status')], { timeout: 20_000 }).toEqual(['max_steps', 'max_steps']);
    for (const [i, run] of session.runs.entries()) {
      const value = run.result!.history;
      const rows = new Float64Array(Buffer.from(value.data, 'base64').buffer.slice(0));
      const last = rows[rows.length - value.width + 1];
      await expect.poll(() => statusOf(i).textContent()).toContain(`f = ${Number(last.toPrecision(6))}`);
    }
  });

  it('asks before opening over unsaved changes', async () => {
    // The re-run above changed the results since the last save.
    expect(await page.title()).toBe('• race.gdlab — Gradient Descent Lab');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await fileMenu('Open…')();
    await expect.poll(() => asked).toBe('Discard unsaved changes before opening another session?');
    expect(await page.getByTestId('document-name').textContent()).toMatch(/^race\.gdlab •/);
    page.on('dialog', (d) => void d.accept());
  });

  it('refuses a damaged file with its reason and keeps the open session', async () => {
    const text = readFileSync(saved, 'utf8');
    const truncated = join(OUTPUT, 'truncated.gdlab');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 3)));
    await openSession(truncated);
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/truncated\.gdlab is truncated: its JSON ends early/);
    expect(await page.getByTestId('document-name').textContent()).toMatch(/^race\.gdlab/);
    const future = join(OUTPUT, 'future.gdlab');
    writeFileSync(future, text.replace('"version": 2,', '"version": 9,'));
    await openSession(future);
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/newer Gradient Descent Lab \(session format version 9\)/);
    expect(await statusOf(0).getAttribute('data-status')).toBe('max_steps');
  });

  it('offers to restore unsaved work after the page was closed without saving', async () => {
    await page.getByTestId('notes').fill('work in progress, never saved');
    await expect.poll(() => page.title()).toMatch(/^• /);
    await page.evaluate(() => (window as any).__gdlab.files.autosaveNow());
    // A crash: the page goes away without asking.
    await page.evaluate(() => { window.onbeforeunload = null; });
    const next = await context.newPage();
    await page.close({ runBeforeUnload: false });
    page = next;
    page.on('dialog', (d) => void d.accept());
    await page.goto(inject('webUrl'));
    await expect.poll(() => page.getByTestId('banner').textContent(), { timeout: 20_000 }).toMatch(/Unsaved work from .* was recovered/);
    await page.getByRole('button', { name: 'Restore it' }).click();
    await expect.poll(() => page.getByTestId('notes').inputValue()).toBe('work in progress, never saved');
    await expect.poll(() => page.title()).toMatch(/^• Untitled/);
  });

  it('saves a data-mode fit with its generated dataset and reopens it with the same fit', async () => {
    await fileMenu('New')();
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Noisy line' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
    await expect.poll(async () => statusOf(1).getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
    await settled(page);
    const before = await view();
    const download = page.waitForEvent('download');
    await fileMenu('Save As…')();
    const path = join(OUTPUT, 'fit.gdlab');
    await (await download).saveAs(path);
    const session = parseSession(readFileSync(path));
    expect(session.problem).toMatchObject({ kind: 'data', dataset: { kind: 'generated', spec: { kind: 'line' } }, target: 'y', model: { kind: 'linear' } });
    await fileMenu('New')();
    await openSession(path);
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('fit.gdlab');
    await expect.poll(async () => (await view()).statuses, { timeout: 20_000 }).toEqual(before.statuses);
    await settled(page);
    expect((await view()).explain).toEqual(before.explain);
  });

  it('exports the run history as CSV, the data with predictions, a PyTorch script, a Jupyter notebook in the lab’s language and a chart PNG', async () => {
    const exported = async (item: string) => {
      const download = page.waitForEvent('download');
      await fileMenu(item)();
      const file = await download;
      const path = join(OUTPUT, file.suggestedFilename());
      await file.saveAs(path);
      return { name: file.suggestedFilename(), bytes: readFileSync(path) };
    };
    const history = await exported('Export run history as CSV…');
    expect(history.name).toBe('fit-history.csv');
    expect(history.bytes.toString('utf8').split('\n')[0]).toBe('run,name,step,value,grad_norm,lr,w1,b');
    const predictions = await exported('Export data with predictions as CSV…');
    const lines = predictions.bytes.toString('utf8').trim().split('\n');
    // The prediction's column names the run it came from and its step.
    expect(lines[0]).toBe('x,y,"predicted_y (Adam 1, step 100)",split');
    expect(lines).toHaveLength(1 + 100);
    const script = await exported('Export as PyTorch script…');
    expect(script.name).toBe('fit.py');
    expect(script.bytes.toString('utf8')).toMatch(/^#!\/usr\/bin\/env python3[\s\S]*def batch_loss\(theta, rows\)/);
    const notebook = await exported('Export as Jupyter notebook…');
    expect(notebook.name).toBe('fit.ipynb');
    type Nb = { nbformat: number; cells: Array<{ cell_type: string; source: string[] }> };
    const cells = (JSON.parse(notebook.bytes.toString('utf8')) as Nb).cells;
    expect(cells[0].source.join('')).toMatch(/^# Gradient Descent Lab\n\nModel linear, fitted to .* \(target y, features x\) with the mse loss\.\n\n## Runs and their settings\n/);
    expect(cells[0].source.join('')).toContain(' | 100 epochs, full batch |');
    expect(cells[0].source.join('')).toContain('| Adam 1 | adam |');
    expect(cells.some((c) => c.source.join('').includes('fig.savefig("fit-fit.png"'))).toBe(true);
    // In the lab's language: its words in Portuguese, its numbers the same.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('pt-BR');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Arquivo/ }).click();
    await page.getByRole('menuitem', { name: 'Exportar como notebook Jupyter…', exact: true }).click();
    const file = await download;
    await file.saveAs(join(OUTPUT, 'fit-pt-BR.ipynb'));
    const portuguese = (JSON.parse(readFileSync(join(OUTPUT, 'fit-pt-BR.ipynb'), 'utf8')) as Nb).cells;
    expect(portuguese[0].source.join('')).toMatch(/^# Gradient Descent Lab\n\nModelo regressão linear, ajustado a .* \(alvo y, atributos x\) com a perda mse\.\n\n## Execuções e suas configurações\n/);
    expect(portuguese[0].source.join('')).toContain(' | 100 épocas, lote completo |');
    expect(portuguese.filter((c) => c.cell_type === 'code').map((c) => c.source.join('').replace(/"[^"\n]*"/g, '""'))).toEqual(cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('').replace(/"[^"\n]*"/g, '""')));
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
    const png = await exported('Export chart as PNG…');
    expect(png.name).toMatch(/^fit-fit-to-.*\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('asks for a referenced dataset that cannot be found, checks it, and opens the session with it', async () => {
    const session = parseSession(readFileSync(join(process.cwd(), 'test/fixtures/sessions/v1-data.gdlab')));
    if (session.problem.kind !== 'data' || session.problem.dataset.kind !== 'embedded') throw new Error('fixture changed');
    const csv = Buffer.from(session.problem.dataset.data, 'base64');
    const { name, sha256, size } = session.problem.dataset;
    session.problem.dataset = { kind: 'reference', name, path: '/nowhere/small.csv', sha256, size };
    const path = join(OUTPUT, 'referenced.gdlab');
    writeFileSync(path, serializeSession(session));
    writeFileSync(join(OUTPUT, 'small.csv'), csv);
    writeFileSync(join(OUTPUT, 'other.csv'), csv.toString('utf8').replace(/\n(\d)/, '\n7$1'));
    await fileMenu('New')();
    await openSession(path);
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/The session's dataset small\.csv was at \/nowhere\/small\.csv, which cannot be read now \(moved or deleted\); put it back there or locate it\. The open session is unchanged/);
    // A different file is refused by its content…
    let chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Locate…' }).click();
    await (await chooser).setFiles(join(OUTPUT, 'other.csv'));
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/other\.csv is not the session's dataset small\.csv/);
    // …the right one opens the session.
    chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Locate…' }).click();
    await (await chooser).setFiles(join(OUTPUT, 'small.csv'));
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('referenced.gdlab');
    await expect.poll(async () => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toBe('max_steps');
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
