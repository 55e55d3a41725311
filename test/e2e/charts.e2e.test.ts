// Chart conventions in the browser build: the hover readout matches the recorded history; log axes,
// smoothing and pinned ranges; PNG and SVG exports with the legend; copy to the clipboard.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, OUTPUT, settled } from './browser';

let context: BrowserContext;
let page: Page;
let errors: string[];
const loss = () => page.getByTestId('loss-chart');
const statusOf = (i: number) => page.locator('[data-testid^="status-"]').nth(i);
/** Opens the loss chart's tools menu (axes, smoothing, pinning, exports) unless it is open. */
async function lossTools() {
  const trigger = loss().getByRole('button', { name: 'Tools of the f (value) chart' });
  if ((await trigger.getAttribute('aria-expanded')) !== 'true') await trigger.click();
}
/** The loss chart's scales as drawn: [min, max, distr] for x and y (distr 1 linear, 3 log). */
const scales = async (): Promise<{ x: [number, number, number]; y: [number, number, number] }> => JSON.parse((await loss().locator('.plot').getAttribute('data-scales')) ?? '{}');

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(inject('webUrl')).origin });
});

afterAll(async () => {
  await context?.close();
});

describe('chart conventions', () => {
  it('races Adam and SGD on Rosenbrock', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => [await statusOf(0).getAttribute('data-status'), await statusOf(1).getAttribute('data-status')], { timeout: 20_000 }).toEqual(['max_steps', 'max_steps']);
    await settled(page);
  });

  it('reads out every run’s recorded value at the hovered step', async () => {
    const over = loss().locator('.u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.37, box.y + box.height / 2);
    const values = loss().locator('.u-legend .u-series .u-value');
    await expect.poll(async () => (await values.allTextContents())[0]).not.toBe('—');
    const [stepText, adamText, sgdText] = await values.allTextContents();
    const step = Number(stepText);
    expect(step).toBeGreaterThan(0);
    const recorded = await page.evaluate(async (s) => {
      const bridge = (window as any).__gdlab.bridge;
      const ids = [...document.querySelectorAll('[data-testid^="status-"]')].map((e) => e.getAttribute('data-testid')!.slice('status-'.length));
      return Promise.all(ids.map((runId) => bridge.engine.request('queryStep', { runId, step: s }).then((r: { value: number }) => r.value)));
    }, step);
    expect(adamText).toBe(String(Number(recorded[0].toPrecision(6))));
    expect(sgdText).toBe(String(Number(recorded[1].toPrecision(6))));
    // The crosshair is drawn where the pointer is.
    expect(await loss().locator('.u-cursor-x').isVisible()).toBe(true);
  });

  it('switches to log-x, log-y and log-log axes', async () => {
    // f stays above 0 on Rosenbrock: the automatic y axis is a log one.
    expect((await scales()).y[2]).toBe(3);
    expect((await scales()).x[2]).toBe(1);
    await lossTools();
    await loss().getByLabel('log x').check();
    await expect.poll(async () => [(await scales()).x[2], (await scales()).y[2]]).toEqual([3, 3]);
    // A log step axis starts at step 1 and spans whole decades.
    expect((await scales()).x[0]).toBe(1);
    await loss().getByLabel('y axis').selectOption({ label: 'linear' });
    await expect.poll(async () => [(await scales()).x[2], (await scales()).y[2]]).toEqual([3, 1]);
    await loss().getByLabel('log x').uncheck();
    await loss().getByLabel('y axis').selectOption({ label: 'log' });
    await expect.poll(async () => [(await scales()).x[2], (await scales()).y[2]]).toEqual([1, 3]);
    await loss().getByLabel('y axis').selectOption({ label: 'auto' });
  });

  it('smooths with a debiased moving average and keeps the raw curve faint', async () => {
    await lossTools();
    await loss().getByLabel('Smoothing of the f (value) chart').fill('0.9');
    await expect.poll(() => loss().locator('.u-legend .u-series .u-label').allTextContents()).toEqual(['step', 'Adam 1 (raw)', 'Adam 1', 'SGD 2 (raw)', 'SGD 2']);
    await loss().getByLabel('Smoothing of the f (value) chart').fill('0');
    await expect.poll(() => loss().locator('.u-legend .u-series .u-label').allTextContents()).toEqual(['step', 'Adam 1', 'SGD 2']);
  });

  it('holds pinned axis ranges while the data changes, and follows the data again when unpinned', async () => {
    const before = await scales();
    await lossTools();
    await loss().getByRole('button', { name: 'pin axes' }).click();
    await page.getByLabel('Preset').selectOption('booth');
    await expect.poll(() => page.getByTestId('partial').count()).toBe(2);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|converged/);
    await settled(page);
    expect(await scales()).toEqual(before);
    await lossTools();
    await loss().getByRole('button', { name: 'pin axes' }).click();
    await expect.poll(() => scales()).not.toEqual(before);
  });

  it('exports a chart as SVG with its legend, and as PNG', async () => {
    await lossTools();
    let download = page.waitForEvent('download');
    await loss().getByRole('button', { name: 'Export the f (value) chart as SVG' }).click();
    let file = await download;
    const svgPath = join(OUTPUT, file.suggestedFilename());
    await file.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(file.suggestedFilename()).toBe('experiment-f-value.svg');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.match(/<g class="legend-entry">/g)).toHaveLength(2);
    // Each run named with its optimizer and rate.
    expect(svg).toMatch(/>Adam 1 \(adam, lr [\d.e-]+\)<\/text>/);
    expect(svg).toMatch(/>SGD 2 \(sgd, lr [\d.e-]+(, [^)]*)?\)<\/text>/);
    expect(svg.match(/<path d="M/g)?.length).toBe(2);
    // In the run colours, curve and legend swatch alike, with both axis titles.
    for (const color of ['#2563eb', '#dc2626']) {
      expect(svg).toContain(`<path d="M`);
      expect(svg).toMatch(new RegExp(`<path d="M[^"]*" fill="none" stroke="${color}"`));
      expect(svg).toContain(`fill="${color}"/><text`);
    }
    expect(svg).not.toContain('#555');
    expect(svg.match(/class="axis-title">([^<]*)</g)?.map((t) => t.replace(/.*>/, '').replace('<', ''))).toEqual(['step', 'f']);
    download = page.waitForEvent('download');
    await lossTools();
    await loss().getByRole('button', { name: 'Export the f (value) chart as PNG' }).click();
    file = await download;
    const pngPath = join(OUTPUT, file.suggestedFilename());
    await file.saveAs(pngPath);
    const png = readFileSync(pngPath);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1200);
    expect(png.readUInt32BE(20)).toBeGreaterThan(png.readUInt32BE(16) / 4);
  });

  it('exports a chart as a slide: 1600 × 900 by default or the size chosen, its text at twice the screen’s, the chart on screen unchanged', async () => {
    const before = await loss().locator('canvas').evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    const slide = async (kind: 'PNG' | 'SVG', size?: string) => {
      await lossTools();
      if (size) await loss().getByRole('combobox', { name: 'Slide size' }).selectOption(size);
      const download = page.waitForEvent('download');
      await loss().getByRole('button', { name: `Slide ${kind}: export the f (value) chart on a slide` }).click();
      return readFileSync(await (await download).path());
    };
    const png = await slide('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1600, 900]);
    const svg = (await slide('SVG')).toString('utf8');
    expect(svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1600" height="900" viewBox="[-\d.]+ [-\d.]+ 800 450"/);
    // Laid out afresh at 800 units across: the plot spans most of the slide, with both series.
    expect(svg.match(/<path d="M/g)?.length).toBe(2);
    const frame = /<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="none" stroke="#999"\/>/.exec(svg)!;
    expect(Number(frame[2]) / 800).toBeGreaterThan(0.8);
    expect((await slide('PNG', '2')).readUInt32BE(16)).toBe(1920);
    expect(await loss().locator('canvas').evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])).toEqual(before);
  });

  it('exports the contour map as vector SVG: bands and paths as paths, ticks as text, the colour bar, no bitmap', async () => {
    const map = page.getByTestId('contour-chart');
    await map.getByRole('button', { name: /^Tools of the / }).click();
    const download = page.waitForEvent('download');
    await map.getByRole('button', { name: /^Export the .* chart as SVG$/ }).click();
    const file = await download;
    const path = join(OUTPUT, `contour-${file.suggestedFilename()}`);
    await file.saveAs(path);
    const svg = readFileSync(path, 'utf8');
    expect(svg).not.toContain('<image');
    const bands = svg.match(/<path class="band" d="M/g)?.length ?? 0;
    expect(bands).toBeGreaterThan(5);
    // One colour-bar cell per band, its labels the screen's.
    expect(svg.match(/<g class="colorbar">[\s\S]*?<\/g>/)![0].match(/<rect /g)).toHaveLength(bands);
    const onScreen = await map.getByTestId('colorbar').locator('.ticks span').allTextContents();
    const inFile = [...svg.match(/<g class="colorbar">[\s\S]*?<\/g>/)![0].matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]).slice(1);
    expect(inFile).toEqual(onScreen);
    // Each run's path in its colour, named in the legend; the axes' ticks and titles as text.
    for (const [name, color] of [['Adam 1', '#2563eb'], ['SGD 2', '#dc2626']]) {
      expect(svg).toMatch(new RegExp(`<path class="run-path" d="M[^"]*L[^"]*" fill="none" stroke="${color}"`));
      expect(svg).toMatch(new RegExp(`>${name} \\(${name.split(' ')[0].toLowerCase()}, lr [\\d.e-]+[^)]*\\)</text>`));
    }
    expect(svg.match(/class="axis-title">([^<]*)</g)?.map((t) => t.replace(/.*>/, '').replace('<', ''))).toEqual(['x', 'y']);
    expect(svg.match(/<text [^>]*text-anchor="(middle|end)"[^>]*font-size="11"/g)!.length).toBeGreaterThan(6);
    expect(new Resvg(svg).render().width).toBeGreaterThan(0);
  });

  it('exports the downhill arrows the map draws: one per run at a replayed step, none once the runs have settled', async () => {
    const map = page.getByTestId('contour-chart');
    const exported = async () => {
      await map.getByRole('button', { name: /^Tools of the / }).click();
      const download = page.waitForEvent('download');
      await map.getByRole('button', { name: /^Export the .* chart as SVG$/ }).click();
      return readFileSync(await (await download).path(), 'utf8');
    };
    expect(await exported()).not.toContain('class="downhill"');
    await page.getByLabel('Replay step').fill('5');
    await expect.poll(() => page.getByTestId('replay-step').textContent()).toBe('step 5');
    const svg = await exported();
    for (const color of ['#2563eb', '#dc2626']) expect(svg).toMatch(new RegExp(`<path class="downhill" d="M[\\d.]+,[\\d.]+L[^"]+" fill="none" stroke="${color}"`));
    expect(svg.match(/class="downhill"/g)).toHaveLength(2);
    await page.getByRole('button', { name: 'Live' }).click();
  });

  it('copies a chart to the clipboard as an image', async () => {
    await lossTools();
    await loss().getByRole('button', { name: 'Copy the f (value) chart' }).click();
    await expect.poll(() => page.getByTestId('banner').textContent(), { timeout: 10_000 }).toMatch(/Copied the f \(value\) chart to the clipboard/);
    const types = await page.evaluate(async () => (await navigator.clipboard.read()).flatMap((item) => item.types));
    expect(types).toContain('image/png');
  });

  it('draws f on a linear axis where it reaches 0 or below, says why, and says what a chosen log axis leaves out', async () => {
    // On the saddle x² − y² the value goes negative: the automatic axis is linear, and says why.
    await page.getByLabel('Formula').fill('x^2 - y^2');
    await expect.poll(() => page.getByTestId('partial').count()).toBe(2);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|unbounded|diverged|converged/);
    await expect.poll(() => loss().getAttribute('data-log-y')).toBe('linear');
    await expect.poll(() => loss().getByTestId('axis-note').textContent()).toBe('Linear axis: some values are at or below 0, which a log axis cannot show.');
    // Log chosen: the points it cannot draw are counted.
    await lossTools();
    await loss().getByLabel('y axis').selectOption({ label: 'log' });
    await expect.poll(() => loss().getByTestId('log-hidden').textContent()).toMatch(/^\d+ points? at or below 0 not drawn on the log axis$/);
    const hidden = Number((await loss().getByTestId('log-hidden').textContent())!.split(' ')[0]);
    expect(hidden).toBeGreaterThan(0);
    await loss().getByLabel('y axis').selectOption({ label: 'linear' });
    await expect(loss().getByTestId('log-hidden').count()).resolves.toBe(0);
    await loss().getByLabel('y axis').selectOption({ label: 'auto' });
    await page.keyboard.press('Escape');
    // Rosenbrock again: the loss falls over many decades, and every drawn label is a power of ten.
    await page.getByLabel('Formula').fill('(1 - x)^2 + 100*(y - x^2)^2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => statusOf(0).getAttribute('data-status'), { timeout: 20_000 }).toMatch(/max_steps|converged/);
    await expect(loss().getByTestId('log-hidden').count()).resolves.toBe(0);
  });

  it('offers log y on every step chart, the learning rate included', async () => {
    for (const id of ['loss-chart', 'gradnorm-chart', 'lr-chart', 'param-chart']) {
      const chart = page.getByTestId(id);
      await chart.getByRole('button', { name: /^Tools of the/ }).click();
      await chart.getByLabel('y axis').selectOption({ label: 'log' });
      await expect.poll(async () => JSON.parse((await chart.locator('.plot').getAttribute('data-scales')) ?? '{}').y?.[2]).toBe(3);
      await page.keyboard.press('Escape');
    }
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
