/**
 * In the browser build (engine in a Web Worker, Debian's chromium): progress
 * throughput while 4 runs of 1,000,000 steps stream (messages and recorded
 * steps per second reaching the page), and the UI's frame rate meanwhile
 * (requestAnimationFrame intervals and long tasks), with the lab's own charts drawing.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { line } from './harness';
import { CHROMIUM, openWebBuild } from './webPage';
import { setEveryRun } from '../e2e/browser';

export async function benchBrowserStreaming(): Promise<void> {
  console.log('Browser build: 4 runs × 1,000,000 steps streaming from the Web Worker engine');
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped: no browser at ${CHROMIUM}`);
    return;
  }
  const { page, close } = await openWebBuild();
  try {
    // Four runs on Rosenbrock, a million steps each, through the UI's own Run button.
    await fourRuns(page);
    await report(page, 'contour map');
    // The same races with the 3-D surface view drawing every run's path as it streams.
    await page.getByRole('button', { name: '3-D surface' }).click();
    await page.locator('[data-testid="surface-3d"][data-frames]').waitFor();
    await report(page, '3-D surface');
    console.log(`  3-D view drawn by: ${await drawnBy(page)}`);
    // Races a person watches: four runs at 1,000 steps/s for 4,000 steps (four seconds each).
    await watchedRaces(page);
    console.log('Browser build: 4 runs × 4,000 steps at 1,000 steps/s, as a person watches them');
    const watched = await report(page, '3-D surface', 1);
    verdict(watched);
    await page.getByRole('button', { name: 'Contour map', exact: true }).click();
    await page.getByTestId('contour-chart').waitFor();
    await report(page, 'contour map', 1);
  } finally {
    await close();
  }
  // The same race where a worker cannot draw WebGL (no OffscreenCanvas control): the 3-D view draws on the page, as it did before.
  const fallback = await openWebBuild({ rebuild: false, init: "Object.defineProperty(HTMLCanvasElement.prototype, 'transferControlToOffscreen', { value: undefined })" });
  try {
    await fourRuns(fallback.page);
    await fallback.page.getByRole('button', { name: '3-D surface' }).click();
    await fallback.page.locator('[data-testid="surface-3d"][data-frames]').waitFor();
    await watchedRaces(fallback.page);
    console.log('Browser build: the same race with the 3-D view drawn on the page (where a worker cannot draw WebGL)');
    console.log(`  3-D view drawn by: ${await drawnBy(fallback.page)}`);
    await report(fallback.page, '3-D surface', 1);
  } finally {
    await fallback.close();
  }
}

/** Four runs on Rosenbrock, a million steps each and no early convergence, set through the lab's own fields. */
async function fourRuns(page: Page): Promise<void> {
  for (let k = 0; k < 2; k++) await page.getByRole('button', { name: 'Add run' }).click();
  await setEveryRun(page, 'steps-', '1000000');
  // no early convergence: every run streams its full million steps
  await setEveryRun(page, 'tol-', '0');
}

/** The runs at 1,000 steps/s for 4,000 steps: four seconds a race, as a person watches it. */
async function watchedRaces(page: Page): Promise<void> {
  await page.locator('#speed').selectOption('1000');
  await setEveryRun(page, 'steps-', '4000');
}

async function drawnBy(page: Page): Promise<string> {
  const host = page.locator('[data-renderer]');
  const gl = (await host.getAttribute('data-renderer')) === 'software' ? 'software WebGL (no GPU here)' : 'the GPU';
  return `${gl}, ${(await host.getAttribute('data-thread')) === 'worker' ? 'in a worker (OffscreenCanvas)' : "on the page's thread"}`;
}

/** The aim for the 3-D view while runs stream: a median frame interval of at most 17 ms and no long task over 50 ms. */
function verdict(result: Race): void {
  const met = result.median <= 17 && result.longTasks.length === 0;
  line('  aim: median frame ≤ 17 ms, no long task > 50 ms', met ? 'met' : 'NOT met');
}

interface Race {
  median: number;
  longTasks: number[];
}

/** Three races of the four runs, with the frame rate and long tasks on the page meanwhile. */
async function report(page: Page, view: string, races = 3): Promise<Race> {
  console.log(`  with the ${view} on screen:`);
  // Three races in a row: one race lasts about a second on this machine, so one alone is a noisy sample.
  const results = [];
  for (let rep = 0; rep < races; rep++) {
    const result = await page.evaluate(async () => {
      const bridge = (window as any).__gdlab.bridge;
      let messages = 0;
      let rows = 0;
      bridge.engine.onProgress((updates: Array<{ rows: Float64Array; width: number }>) => {
        messages++;
        for (const u of updates) rows += u.rows.length / u.width;
      });
      const frames: number[] = [];
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask', buffered: false });
      let last = performance.now();
      let measuring = true;
      const tick = (t: number) => {
        frames.push(t - last);
        last = t;
        if (measuring) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      // Each line chart clears its canvas once a drawing: counted, per chart.
      const clears = new Map<string, number>();
      const clearRect = CanvasRenderingContext2D.prototype.clearRect;
      CanvasRenderingContext2D.prototype.clearRect = function (this: CanvasRenderingContext2D, ...args: [number, number, number, number]) {
        const chart = this.canvas.closest('[data-testid$="-chart"]')?.getAttribute('data-testid');
        if (chart && chart !== 'contour-chart') clears.set(chart, (clears.get(chart) ?? 0) + 1);
        return clearRect.apply(this, args);
      };
      const surfaceFrames = () => Number(document.querySelector('[data-testid="surface-3d"]')?.getAttribute('data-frames') ?? 0);
      const framesBefore = surfaceFrames();
      const t0 = performance.now();
      (document.querySelector('button.primary') as HTMLButtonElement).click();
      const statuses = () => [...document.querySelectorAll('[data-testid^="status-"]')].map((e) => e.getAttribute('data-status'));
      const done = () => statuses().every((s) => s === 'max_steps' || s === 'converged' || s === 'diverged');
      await new Promise((r) => setTimeout(r, 100));
      while (!done() && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
      const seconds = (performance.now() - t0) / 1000;
      measuring = false;
      observer.disconnect();
      CanvasRenderingContext2D.prototype.clearRect = clearRect;
      const chartDraws = clears.size ? [...clears.values()].reduce((a, b) => a + b, 0) / clears.size : 0;
      frames.shift();
      const sorted = [...frames].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
      return { seconds, messages, rows, frames: frames.length, median, p95: sorted[Math.floor(sorted.length * 0.95)] ?? NaN, longTasks, finished: done(), chartDraws, surfaceFrames: surfaceFrames() - framesBefore };
    });
    results.push(result);
  }
  const middle = [...results].sort((a, b) => a.median - b.median)[Math.floor(results.length / 2)];
  const result = { ...middle, messages: results.reduce((s, r) => s + r.messages, 0), rows: results.reduce((s, r) => s + r.rows, 0), seconds: results.reduce((s, r) => s + r.seconds, 0), chartDraws: results.reduce((s, r) => s + r.chartDraws, 0), surfaceFrames: results.reduce((s, r) => s + r.surfaceFrames, 0), longTasks: results.flatMap((r) => r.longTasks), finished: results.every((r) => r.finished) };
  line(`  frame rate of each race (median interval)`, results.map((r) => `${(1000 / r.median).toFixed(0)} fps`).join(', '));
  line(`  all four runs finished, ${races} race${races === 1 ? '' : 's'}`, result.finished ? `yes, in ${(result.seconds / races).toFixed(2)} s each on average` : 'NO (timed out)');
  line(`  progress messages reaching the page`, `${(result.messages / result.seconds).toFixed(1)} /s (${result.messages} in all)`);
  line(`  recorded steps reaching the page`, `${Math.round(result.rows / result.seconds).toLocaleString('en')} /s (${result.rows.toLocaleString('en')} rows)`);
  line(`  frame rate, ${races === 1 ? 'the race' : 'the middle race'} (median interval)`, `${(1000 / result.median).toFixed(1)} fps (${result.median.toFixed(1)} ms; 95th percentile ${result.p95.toFixed(1)} ms)`);
  line(`  long tasks (> 50 ms) on the UI thread`, `${result.longTasks.length}${result.longTasks.length ? `, longest ${Math.max(...result.longTasks).toFixed(0)} ms` : ''}`);
  if (view === '3-D surface') line('  3-D view: frames it drew', `${(result.surfaceFrames / result.seconds).toFixed(1)} /s`);
  line('  charts drawn (each line chart, on average)', `${(result.chartDraws / result.seconds).toFixed(1)} /s`);
  return result;
}
