// Debian's chromium driven by playwright-core, with a fresh profile per test file.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ElectronApplication, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const OUTPUT = join(process.cwd(), 'test-output');

/**
 * Answers the first-start welcome with the Lab door, shown or not yet: the lab model exists before
 * the page lists its runs, and once the door is chosen the welcome does not open. For windows whose
 * storage cannot be set before the page loads (the desktop app, the benches).
 */
export async function chooseLab(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __gdlab: { learn: { choose(door: 'lab'): void } } }).__gdlab.learn.choose('lab'));
}

/**
 * Opens the lab in a fresh profile; `locale` is the browser's language (navigator.language), English
 * by default. The first-start welcome is answered "Lab" beforehand unless `welcome` asks to see it.
 */
export async function openLab(url: string, options: { locale?: string; welcome?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  mkdirSync(OUTPUT, { recursive: true });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gdlab-profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    locale: options.locale ?? 'en-US',
  });
  if (!options.welcome) {
    await context.addInitScript(() => {
      if (!localStorage.getItem('gdlab.door')) localStorage.setItem('gdlab.door', JSON.stringify('lab'));
    });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(process.env.GDLAB_STACKS ? `${e.message}\n${e.stack}` : e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.locator('header .controls button.primary').waitFor();
  // the engine answered the catalog request: runs are listed
  await page.locator('button.select').first().waitFor();
  return { context, page, errors };
}

/**
 * Resolves once the page has caught up: the runs are not streaming, every view has the engine's
 * answer it wants, and two animation frames have drawn it.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const lab = (window as unknown as { __gdlab: { lab: { views: { idle: boolean }; runs: { anyRunning: boolean }; results: { pending: boolean } } } }).__gdlab.lab;
    return lab.views.idle && !lab.runs.anyRunning && !lab.results.pending;
  }, null, { timeout: 30_000 });
  await drawn(page);
}

/** Resolves once every chart waiting to draw has drawn (charts draw in turn, one a task) and two frames have passed. */
export async function drawn(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => (window as unknown as { __gdlab: { afterDrawing: (done: () => void) => void } }).__gdlab.afterDrawing(resolve)));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Opens a dataset file in data mode (the mode shown) and resolves once its summary names it. */
export async function openDataset(page: Page, path: string): Promise<void> {
  await page.getByLabel('Open dataset').setInputFiles(path);
  await page.getByTestId('dataset-summary').filter({ hasText: path.split(/[\\/]/).pop()! }).waitFor();
}

/** Types `value` into the field of every run whose id starts with `prefix` (`steps-`, `tol-`…), leaving each with Tab. */
export async function setEveryRun(page: Page, prefix: string, value: string): Promise<void> {
  for (const input of await page.locator(`[id^="${prefix}"]`).all()) {
    await input.fill(value);
    await input.press('Tab');
  }
}

/** How a run can end (a fresh run is idle before it starts: that is not an end). */
export const RUN_ENDS = ['max_steps', 'converged', 'diverged', 'undefined', 'unbounded', 'stopped', 'failed'];

/** Presses Run and resolves once every run has ended; the first run's status line. */
export async function runToEnds(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction((ends) => [...document.querySelectorAll('[data-testid^="status-"]')].every((e) => ends.includes(e.getAttribute('data-status') ?? '')), RUN_ENDS, { timeout: 30_000 });
  // The last rows shown too (a run's status shows at once, its rows with the next frame).
  await page.waitForFunction(() => !(window as unknown as { __gdlab: { lab: { results: { pending: boolean } } } }).__gdlab.lab.results.pending, null, { timeout: 30_000 });
  return (await page.locator('[data-testid^="status-"]').first().textContent()) ?? '';
}

/**
 * Runs `attempt` (which tries to navigate the window away) and resolves once the main process has
 * been asked about that navigation: its answer (refuse or allow) is given synchronously in that event,
 * so the page's address afterwards says which it was.
 */
export async function navigationAsked(app: ElectronApplication, page: Page, attempt: () => Promise<void>): Promise<void> {
  await app.evaluate(({ BrowserWindow }) => {
    const asked: string[] = [];
    (globalThis as Record<string, unknown>).__gdlabAsked = asked;
    BrowserWindow.getAllWindows()[0].webContents.on('will-navigate', (event, url) => asked.push(url ?? (event as unknown as { url: string }).url));
  });
  await attempt();
  await app.evaluate(() => new Promise<void>((resolve) => {
    const wait = () => (((globalThis as Record<string, unknown>).__gdlabAsked as string[]).length > 0 ? resolve() : setTimeout(wait, 20));
    wait();
  }));
  await settled(page);
}
