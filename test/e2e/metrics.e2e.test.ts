// The analyst's metrics in the lab: every number in the metrics panel, the confusion matrix, the
// optimum's dashed line and the gap to it are the engine's report for the selected run at the step
// shown; a penalized loss says so in the status. Real files from sklearn's datasets.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { openDataset, openLab, OUTPUT, runToEnds } from './browser';
import type { FitReport } from '../../engine';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/metrics/${name}`, import.meta.url));

let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  await page.getByRole('tab', { name: 'Data' }).click();
});

afterAll(async () => {
  await context?.close();
});

const load = (name: string) => openDataset(page, fixture(name));

/** Runs every run to its end and returns the selected run's id. */
async function runAll(): Promise<string> {
  await runToEnds(page);
  return page.evaluate(() => (window as unknown as { __gdlab: { lab: { runs: { selected: { id: string } } } } }).__gdlab.lab.runs.selected.id);
}

/** The engine's report for a run at its last step, asked as the panel asks. */
function report(runId: string): Promise<FitReport> {
  return page.evaluate((id) => (window as unknown as { __gdlab: { bridge: { engine: { request(t: string, i: unknown): Promise<FitReport> } } } }).__gdlab.bridge.engine.request('fitReport', { runId: id }), runId);
}

/** The panel's cells as numbers (its text is grouped with commas in English). */
async function cells(set: 'training' | 'validation'): Promise<Record<string, number>> {
  const rows = await page.locator(`[data-testid="metrics-table"] tr[data-metric]`).evaluateAll((trs, which) => trs.map((tr) => [tr.getAttribute('data-metric'), tr.querySelector(`td[data-set="${which}"]`)?.textContent ?? '']), set);
  return Object.fromEntries(rows.map(([k, v]) => [k, Number(String(v).replace(/,/g, ''))]));
}

/** Shown to 6 significant digits: the cell is the engine's value rounded there. */
function shows(shown: number, value: number) {
  expect(Math.abs(shown - value), `${shown} for ${value}`).toBeLessThanOrEqual(5e-6 * Math.abs(value) + 1e-300);
}

describe('metrics in the lab', () => {
  it('show a breast-cancer logistic fit’s accuracy, ROC AUC and confusion matrix, its penalty and Newton’s optimum, as the engine reports them', async () => {
    await load('breast_cancer.csv');
    await page.locator('#model').selectOption('logistic');
    await page.locator('#val').fill('0.2');
    await page.locator('#l2').fill('0.01');
    const id = await runAll();
    await expect.poll(() => page.getByTestId('metrics-panel').getAttribute('data-step')).not.toBe('latest');
    const r = await report(id);
    expect(r.step).toBe(100);
    expect(r.classification).toBe(true);
    await expect.poll(() => page.getByTestId('metrics-panel').getAttribute('data-step')).toBe(String(r.step));
    const training = await cells('training');
    const validation = await cells('validation');
    expect(Object.keys(training)).toEqual(['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'rocAuc']);
    for (const [k, v] of Object.entries(training)) shows(v, (r.metrics as unknown as Record<string, number>)[k]);
    for (const [k, v] of Object.entries(validation)) shows(v, (r.valMetrics as unknown as Record<string, number>)[k]);
    const matrix = await page.getByTestId('confusion-training').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    expect(matrix).toEqual((r.metrics as { confusion: number[][] }).confusion);
    expect(await page.getByTestId('confusion-validation').count()).toBe(1);
    // The loss holds the penalty, the metrics do not: both say so.
    expect(await page.getByTestId('metrics-penalty').isVisible()).toBe(true);
    expect(await page.getByTestId(`status-${id}`).textContent()).toContain('training loss with penalty');
    if (!('loss' in r.optimum)) throw new Error('no optimum');
    expect(r.optimum.method).toBe('newton');
    expect(Number(await page.getByTestId('epoch-chart').getAttribute('data-optimum'))).toBe(r.optimum.loss);
    expect(await page.getByTestId('metrics-optimum').textContent()).toMatch(/^Optimum \(Newton’s method\): loss [\d.]+ · gap to optimum [\d.e-]+$/);
    // Accuracy after each epoch, on training and validation rows: the engine's metrics at each epoch's end.
    const curve = page.getByTestId('metric-curve');
    await expect.poll(() => curve.getAttribute('data-metric')).toBe('accuracy');
    await expect.poll(() => curve.getAttribute('data-epochs')).toBe('101');
    const runName = await page.evaluate(() => (window as unknown as { __gdlab: { lab: { runs: { selected: { name: string } } } } }).__gdlab.lab.runs.selected.name);
    expect(await curve.locator('.u-legend .u-series .u-label').allTextContents()).toEqual(['epoch', `${runName} training`, `${runName} validation`]);
    await page.getByLabel('Metric per epoch', { exact: true }).selectOption('rocAuc');
    await expect.poll(() => curve.getAttribute('data-metric')).toBe('rocAuc');
    const shown = await page.evaluate(() => (window as unknown as { __gdlab: { lab: { views: { metricCurve: { shown: { epochs: number[]; steps: number[]; training: number[]; validation: number[] } } } } } }).__gdlab.lab.views.metricCurve.shown);
    expect(shown.epochs).toEqual(Array.from({ length: 101 }, (_, k) => k));
    expect(shown.training.at(-1)).toBe((r.metrics as { rocAuc: number }).rocAuc);
    expect(shown.validation.at(-1)).toBe((r.valMetrics as { rocAuc: number }).rocAuc);
    const mid = await page.evaluate(({ runId, step }) => (window as unknown as { __gdlab: { bridge: { engine: { request(t: string, i: unknown): Promise<FitReport> } } } }).__gdlab.bridge.engine.request('fitReport', { runId, step }), { runId: id, step: shown.steps[40] });
    expect(shown.training[40]).toBe((mid.metrics as { rocAuc: number }).rocAuc);
    await page.getByTestId('metrics-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT, 'metrics-logistic.png') });
  });

  it('show a regression’s error metrics and R² beside the least-squares optimum, and follow the replay step', async () => {
    await load('diabetes.csv');
    await page.locator('#model').selectOption('linear');
    await page.locator('#l2').fill('0');
    await page.locator('#val').fill('0');
    const id = await runAll();
    const r = await report(id);
    await expect.poll(() => page.getByTestId('metrics-panel').getAttribute('data-step')).toBe(String(r.step));
    const training = await cells('training');
    expect(Object.keys(training)).toEqual(['mse', 'rmse', 'mae', 'r2', 'adjustedR2']);
    for (const [k, v] of Object.entries(training)) shows(v, (r.metrics as unknown as Record<string, number>)[k]);
    expect(await page.getByTestId('metrics-penalty').count()).toBe(0);
    if (!('loss' in r.optimum)) throw new Error('no optimum');
    const gap = (await page.getByTestId('metrics-optimum').textContent())!.match(/gap to optimum ([\d,.e+-]+)/)![1];
    expect(Math.abs(Number(gap.replace(/,/g, '')) - (r.loss - r.optimum.loss))).toBeLessThanOrEqual(5e-3 * (r.loss - r.optimum.loss));
    // Replayed to step 10, the panel reports that step.
    await page.getByLabel('Replay step').fill('10');
    await expect.poll(() => page.getByTestId('metrics-panel').getAttribute('data-step')).toBe('10');
    const at10 = await page.evaluate((runId) => (window as unknown as { __gdlab: { bridge: { engine: { request(t: string, i: unknown): Promise<FitReport> } } } }).__gdlab.bridge.engine.request('fitReport', { runId, step: 10 }), id);
    shows((await cells('training')).mse, (at10.metrics as { mse: number }).mse);
  });

  it('show softmax regression on iris: three classes, macro metrics, a 3 × 3 confusion matrix and Newton’s optimum', async () => {
    await load('iris.csv');
    await page.locator('#model').selectOption('softmax');
    await page.locator('#target').selectOption('species');
    await page.locator('#l2').fill('0.01');
    await page.locator('#val').fill('0');
    expect(await page.locator('#loss').inputValue()).toBe('cross_entropy');
    const id = await runAll();
    const r = await report(id);
    expect(r.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    await expect.poll(() => page.getByTestId('metrics-panel').getAttribute('data-step')).toBe(String(r.step));
    for (const [k, v] of Object.entries(await cells('training'))) shows(v, (r.metrics as unknown as Record<string, number>)[k]);
    const matrix = await page.getByTestId('confusion-training').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    expect(matrix).toEqual((r.metrics as { confusion: number[][] }).confusion);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(150);
    expect(await page.getByTestId('confusion-training').locator('thead th').allTextContents()).toEqual(['actual ↓ predicted →', 'setosa', 'versicolor', 'virginica']);
    expect('loss' in r.optimum && r.optimum.method).toBe('newton');
    await page.getByTestId('metrics-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT, 'metrics-softmax.png') });
  });

  it('say why a network has no optimum, and show its layers where a model shows its coefficients', async () => {
    await page.locator('#model').selectOption('mlp');
    const id = await runAll();
    await expect.poll(() => page.getByTestId('metrics-optimum').textContent()).toBe('No reference optimum: a network has no closed-form solution.');
    // The coefficients panel gives way to the layers: sizes, parameters and largest weight, from the engine's parameters.
    type Lab = { doc: { data: { features: string[]; model: { hidden: number[] } } }; results: { info: Record<string, { paramNames: string[] }> } };
    const { params, names, features, hidden } = await page.evaluate(async (runId) => {
      const g = (window as unknown as { __gdlab: { lab: Lab; bridge: { engine: { request(t: string, i: unknown): Promise<{ params: number[]; step: number }> } } } }).__gdlab;
      const p = await g.bridge.engine.request('predict', { runId, paramsOnly: true });
      return { params: p.params, names: g.lab.results.info[runId].paramNames, features: g.lab.doc.data.features.length, hidden: g.lab.doc.data.model.hidden };
    }, id);
    // Iris's four features, the network's hidden layers, one output per species.
    const sizes = [features, ...hidden, (await report(id)).classes.length];
    expect(sizes).toEqual([4, 8, 8, 3]);
    const expected: string[][] = [];
    let offset = 0;
    for (let l = 1; l < sizes.length; l++) {
      const count = (sizes[l - 1] + 1) * sizes[l];
      const largest = Math.max(...params.slice(offset, offset + sizes[l - 1] * sizes[l]).map(Math.abs));
      expected.push([`${sizes[l - 1]} → ${sizes[l]}`, String(count), String(Number(largest.toPrecision(4)))]);
      offset += count;
    }
    expect(names.length).toBe(offset);
    await expect.poll(() => page.getByTestId('layer-summary').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))).toEqual(expected);
    expect(await page.getByTestId('coefficients').locator('h2').textContent()).toMatch(/^Layers · /);
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
