// The 3-D surface view: a WebGL canvas with every run's path on f, following the replay step (the
// drawn ends are the engine's recorded points at that step), orbiting with the pointer, and the
// contour map with a message where WebGL cannot start.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { openLab, setEveryRun, settled } from './browser';

let context: BrowserContext;
let page: Page;
let errors: string[];
const view = () => page.getByTestId('surface-3d');
/** The last step of the longer run. */
let last = 0;
const canvasShot = () => page.getByTestId('surface-canvas').screenshot();

/**
 * The view as shown once the worker has drawn everything asked of it: its frames reach the screen
 * through the compositor a little later, so two shots in a row must agree.
 */
async function drawnShot(): Promise<Buffer> {
  await page.locator('[data-testid="surface-3d"][data-drawn="true"]').waitFor({ timeout: 20_000 });
  // A drawn surface is tens of kilobytes of PNG, a blank canvas about one.
  await expect.poll(async () => (await canvasShot()).length, { timeout: 10_000 }).toBeGreaterThan(20_000);
  let shot = await canvasShot();
  for (;;) {
    const next = await canvasShot();
    if (next.equals(shot)) return shot;
    shot = next;
  }
}

beforeAll(async () => {
  ({ context, page, errors } = await openLab(inject('webUrl')));
});

afterAll(async () => {
  await context?.close();
});

/** Each run's recorded point at `step`, from the engine: [x, y, f]. */
async function engineEnds(step: number): Promise<Record<string, number[]>> {
  return page.evaluate(async (s) => {
    const bridge = (window as any).__gdlab.bridge;
    const ids = [...document.querySelectorAll('[data-testid^="status-"]')].map((e) => e.getAttribute('data-testid')!.slice('status-'.length));
    const out: Record<string, number[]> = {};
    for (const runId of ids) {
      const r = await bridge.engine.request('queryStep', { runId, step: s });
      out[runId] = [r.params[0], r.params[1], r.value];
    }
    return out;
  }, step);
}

describe('3-D surface view', () => {
  it('draws f on a WebGL canvas with both runs’ paths to their last step, as the engine recorded them', async () => {
    await page.getByLabel('Preset').selectOption('himmelblau');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid^="status-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), { timeout: 20_000 }).toEqual(['converged', 'converged']);
    last = Math.max(...(await page.locator('[data-testid^="status-"]').allTextContents()).map((t) => Number(t.match(/step ([\d,]+)/)![1].replace(/,/g, ''))));
    await page.getByRole('button', { name: '3-D surface' }).click();
    await expect.poll(() => view().getAttribute('data-step'), { timeout: 20_000 }).toBe(String(last));
    // WebGL draws in a worker: the canvas was handed over, so the page can no longer take a context of it.
    expect(await page.locator('[data-thread]').getAttribute('data-thread')).toBe('worker');
    const own = await page.getByTestId('surface-canvas').evaluate((c: HTMLCanvasElement) => {
      try {
        return c.getContext('2d') ? 'page' : 'none';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(own).toBe('InvalidStateError');
    expect(await page.getByTestId('surface-on-page').count()).toBe(0);
    const ends = JSON.parse((await view().getAttribute('data-ends'))!);
    const recorded = await engineEnds(last);
    expect(Object.keys(ends).sort()).toEqual(Object.keys(recorded).sort());
    for (const id of Object.keys(recorded)) expect(ends[id]).toEqual(recorded[id]);
    // Drawn by the worker, and on screen.
    await drawnShot();
    expect(await page.getByRole('button', { name: '3-D surface' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('moves the paths with the replay slider', async () => {
    await settled(page);
    const atEnd = await drawnShot();
    await page.getByLabel('Replay step').fill('12');
    await expect.poll(() => view().getAttribute('data-step')).toBe('12');
    const ends = JSON.parse((await view().getAttribute('data-ends'))!);
    const recorded = await engineEnds(12);
    for (const id of Object.keys(recorded)) expect(ends[id]).toEqual(recorded[id]);
    await expect.poll(async () => (await canvasShot()).equals(atEnd), { timeout: 10_000 }).toBe(false);
    await page.getByRole('button', { name: 'Live' }).click();
    await expect.poll(() => view().getAttribute('data-step')).toBe(String(last));
  });

  it('draws a run begun again with other settings, even where it ends at the same step as before', async () => {
    // Both runs stop at step 60 whatever their rate: only the path tells the two races apart.
    await setEveryRun(page, 'steps-', '60');
    await setEveryRun(page, 'tol-', '0');
    const race = async () => {
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => page.locator('[data-testid^="status-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), { timeout: 20_000 }).toEqual(['max_steps', 'max_steps']);
      await settled(page);
      await expect.poll(() => view().getAttribute('data-step')).toBe('60');
      return { shot: await drawnShot(), ends: JSON.parse((await view().getAttribute('data-ends'))!) as Record<string, number[]> };
    };
    const first = await race();
    const lr = page.locator('[id$="-lr"]').first();
    await lr.fill('0.2');
    await lr.press('Tab');
    const second = await race();
    const recorded = await engineEnds(60);
    expect(second.ends).toEqual(recorded);
    expect(second.ends).not.toEqual(first.ends);
    expect(second.shot.equals(first.shot)).toBe(false);
  });

  it('orbits with the pointer', async () => {
    const before = await canvasShot();
    const frames = Number(await view().getAttribute('data-frames'));
    const box = (await page.getByTestId('surface-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => Number(await view().getAttribute('data-frames'))).toBeGreaterThan(frames);
    await expect.poll(async () => (await canvasShot()).equals(before), { timeout: 10_000 }).toBe(false);
  });

  it('exports what is drawn: the surface drawn again at three times its pixels, under the title and legend', async () => {
    await page.getByRole('button', { name: /^Tools of the surface of f/ }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export the surface of f .* chart as SVG$/ }).click();
    const file = await download;
    const svg = readFileSync(await file.path(), 'utf8');
    const [, shownWidth, image] = /<image [^>]*width="([\d.]+)"[^>]*href="data:image\/png;base64,([^"]*)"/.exec(svg)!;
    // A drawn surface: tens of kilobytes of PNG; a blank canvas of this size encodes to about one.
    expect(image.length).toBeGreaterThan(20_000);
    // Drawn again for the export at three times the screen's pixels (antialiased), placed at the screen's size.
    const png = Buffer.from(image, 'base64');
    expect(png.readUInt32BE(16)).toBe(3 * Number(shownWidth));
    // Each run named with its optimizer and rate.
    expect(svg).toMatch(/>Adam 1 \(adam, lr [\d.e-]+\)<\/text>/);
    expect(svg).toMatch(/>SGD 2 \(sgd, lr [\d.e-]+(, [^)]*)?\)<\/text>/);
  });

  it('goes back to the contour map', async () => {
    await page.getByRole('button', { name: 'Contour map', exact: true }).click();
    await expect(page.getByTestId('contour-chart').count()).resolves.toBe(1);
    await expect(view().count()).resolves.toBe(0);
  });

  it('has no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});

describe('3-D surface view where a worker cannot draw', () => {
  it('draws on the page instead and says so', async () => {
    const lab = await openLab(inject('webUrl'));
    try {
      // A browser that cannot hand a canvas to a worker (no OffscreenCanvas control).
      await lab.page.evaluate(() => Object.defineProperty(HTMLCanvasElement.prototype, 'transferControlToOffscreen', { value: undefined }));
      await lab.page.getByLabel('Preset').selectOption('himmelblau');
      await lab.page.getByRole('button', { name: '3-D surface' }).click();
      const shown = lab.page.getByTestId('surface-3d');
      await expect.poll(async () => Number(await shown.getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await lab.page.locator('[data-thread]').getAttribute('data-thread')).toBe('page');
      expect(await lab.page.getByTestId('surface-on-page').textContent()).toMatch(/^Drawn on the page itself: this browser cannot draw WebGL in a worker/);
      // The page's own WebGL context draws it.
      expect(await lab.page.getByTestId('surface-canvas').evaluate((c: HTMLCanvasElement) => c.getContext('webgl2') !== null)).toBe(true);
      // The export still draws it again at three times its pixels.
      await lab.page.getByRole('button', { name: /^Tools of the surface of f/ }).click();
      const download = lab.page.waitForEvent('download');
      await lab.page.getByRole('button', { name: /^Export the surface of f .* chart as SVG$/ }).click();
      const svg = readFileSync(await (await download).path(), 'utf8');
      const [, shownWidth, image] = /<image [^>]*width="([\d.]+)"[^>]*href="data:image\/png;base64,([^"]*)"/.exec(svg)!;
      expect(Buffer.from(image, 'base64').readUInt32BE(16)).toBe(3 * Number(shownWidth));
      expect(lab.errors).toEqual([]);
    } finally {
      await lab.context.close();
    }
  });
});

describe('3-D surface view without WebGL', () => {
  it('shows the contour map and says why', async () => {
    const lab = await openLab(inject('webUrl'));
    try {
      // A system without WebGL: every WebGL context request fails, as on a machine with no GPU driver
      // (and no canvas can be handed to a worker, where WebGL would fail the same way).
      await lab.page.evaluate(() => {
        Object.defineProperty(HTMLCanvasElement.prototype, 'transferControlToOffscreen', { value: undefined });
        const original = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
          return /webgl/i.test(type) ? null : (original as (...a: unknown[]) => RenderingContext | null).call(this, type, ...rest);
        } as typeof original;
      });
      await lab.page.getByRole('button', { name: '3-D surface' }).click();
      await expect.poll(() => lab.page.getByTestId('banner').textContent()).toMatch(/The 3-D view needs WebGL, which this system does not offer .*; the contour map shows the same function\./);
      await expect(lab.page.getByTestId('contour-chart').count()).resolves.toBe(1);
      expect(await lab.page.getByRole('button', { name: '3-D surface' }).isDisabled()).toBe(true);
      // three.js reports the failed context on the console; nothing else went wrong.
      expect(lab.errors.filter((e) => !/WebGL/i.test(e))).toEqual([]);
    } finally {
      await lab.context.close();
    }
  });
});
