// Screenshots of the lab as a person sees it, for the README and for looking at changes:
//   npx tsx test/e2e/shots.ts            → docs/<scene>.png (1400×900, light) and docs/<scene>-1024-dark.png
//   npx tsx test/e2e/shots.ts DIR --all  → DIR/<scene>-<width>-<theme>.png at 1024×700 and 1400×900, light and dark
//   … --lang pt-BR                       → the same, the interface switched to that language after the scene is set up
// Builds the web page (engine in a Web Worker) and drives Debian's chromium.
import { build, preview } from 'vite';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { openLab, settled } from './browser';

const out = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'docs';
const all = process.argv.includes('--all');
/** `--only NAME` shoots one scene. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
/** `--lang CODE` switches the interface to that language once the scene is set up (scenes are driven by English names). */
const lang = process.argv.includes('--lang') ? process.argv[process.argv.indexOf('--lang') + 1] : null;
const houses = fileURLToPath(new URL('../fixtures/standardize/houses.csv', import.meta.url));

type Scene = (page: Page) => Promise<void>;

async function runUntil(page: Page, status: RegExp, pause = false) {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  if (pause) await pauseAfter(page, 30);
  await page.locator('[data-testid^="status-"]').first().filter({ hasText: status }).waitFor({ timeout: 30_000 });
  await settled(page);
}

/** Pauses once the first run has taken `steps` steps. */
async function pauseAfter(page: Page, steps: number) {
  await page.waitForFunction((n) => {
    const shown = /step ([\d,]+)/.exec(document.querySelector('[data-testid^="status-"]')?.textContent ?? '');
    return shown !== null && Number(shown[1].replace(/,/g, '')) >= n;
  }, steps, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
}

const scenes: Record<string, Scene> = {
  'function-2d': async (page) => {
    await page.getByLabel('Formula').fill('(1 - x)^2 + 100*(y - x^2)^2');
    await page.getByRole('button', { name: 'Add run' }).click();
    await page.getByLabel('Optimizer').nth(1).selectOption('sgd');
    await runUntil(page, /max steps|converged/);
  },
  'function-1d': async (page) => {
    await page.getByRole('button', { name: /5x²/ }).click();
    await page.getByRole('button', { name: 'Add run' }).click();
    await page.getByLabel('Optimizer').first().selectOption('sgd');
    await page.locator('input[id$="-lr"]').first().fill('0.21');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await runUntil(page, /diverged|converged|max steps/);
  },
  'schedule-paused': async (page) => {
    await page.getByLabel('Formula').fill('(1 - x)^2 + 100*(y - x^2)^2');
    await page.locator('select[id^="sched-"]').first().selectOption('cosine');
    await page.locator('#speed').selectOption('100');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await pauseAfter(page, 40);
    await page.getByRole('button', { name: 'Step' }).click();
    await settled(page);
  },
  'surface-3d': async (page) => {
    await page.getByLabel('Preset').selectOption('himmelblau');
    await page.getByRole('button', { name: 'Add run' }).click();
    await page.getByLabel('Optimizer').nth(1).selectOption('sgd');
    await runUntil(page, /max steps|converged/);
    await page.getByRole('button', { name: '3-D surface' }).click();
    await page.getByTestId('surface-3d').and(page.locator('[data-step]')).waitFor({ timeout: 20_000 });
    await settled(page);
    // The worker's frame with the paths drawn (it draws on its own thread, after the page has settled),
    // once on screen: a drawn surface is tens of kilobytes of PNG, a blank canvas about one.
    await page.locator('[data-testid="surface-3d"][data-drawn="true"]').waitFor({ timeout: 20_000 });
    for (let tries = 0; tries < 100 && (await page.getByTestId('surface-canvas').screenshot()).length < 20_000; tries++) await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  },
  'lesson-2': async (page) => {
    // Learn mode, lesson 2 (the derivative's sign on 5x²) after its one Step: the lesson has noticed it.
    await page.evaluate(() => (window as unknown as { __gdlab: { learn: { open(i: number): Promise<void> } } }).__gdlab.learn.open(1));
    await page.getByTestId('lesson').and(page.locator('[data-lesson="sign"]')).waitFor();
    await settled(page);
    await page.locator('header .controls button').nth(2).click();
    await page.getByTestId('lesson').and(page.locator('[data-done="true"]')).waitFor();
    await settled(page);
  },
  'lesson-1': async (page) => {
    // Lesson 1 after the sliders set a good line: the loss is the engine's, the start marker at the line.
    await page.evaluate(() => (window as unknown as { __gdlab: { learn: { open(i: number): Promise<void> } } }).__gdlab.learn.open(0));
    await page.getByTestId('lesson').and(page.locator('[data-lesson="loss"]')).waitFor();
    const sliders = page.getByTestId('lesson').getByRole('slider');
    await sliders.nth(0).fill('1.9');
    await sliders.nth(1).fill('1.1');
    await page.getByTestId('lesson').and(page.locator('[data-done="true"]')).waitFor();
    await settled(page);
  },
  'lesson-3': async (page) => {
    // Lesson 3 after three Steps and Run: the loop stopped on its tolerance, and the lesson says so.
    await page.evaluate(() => (window as unknown as { __gdlab: { learn: { open(i: number): Promise<void> } } }).__gdlab.learn.open(2));
    await page.getByTestId('lesson').and(page.locator('[data-lesson="loop"]')).waitFor();
    await settled(page);
    for (let k = 0; k < 3; k++) await page.locator('header .controls button').nth(2).click();
    await page.getByTestId('lesson').and(page.locator('[data-done="true"]')).waitFor();
    await page.locator('header .controls button.primary').click();
    await page.locator('[data-testid^="status-"]').first().and(page.locator('[data-status="converged"]')).waitFor({ timeout: 30_000 });
    await settled(page);
  },
  'lesson-5': async (page) => {
    // Lesson 5's three learning rates run: the overshooting one is marked at its sign changes.
    await page.evaluate(() => (window as unknown as { __gdlab: { learn: { open(i: number): Promise<void> } } }).__gdlab.learn.open(4));
    await page.getByTestId('lesson').and(page.locator('[data-lesson="rate"]')).waitFor();
    await settled(page);
    await page.locator('header .controls button.primary').click();
    await page.getByTestId('lesson').and(page.locator('[data-done="true"]')).waitFor({ timeout: 30_000 });
    await settled(page);
  },
  'data-mode': async (page) => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('Open dataset').setInputFiles(houses);
    await page.getByTestId('dataset-summary').filter({ hasText: 'houses.csv' }).waitFor();
    await page.getByLabel('Optimizer').first().selectOption('sgd');
    await page.locator('input[id$="-lr"]').first().fill('0.1');
    await page.locator('input[id$="-lr"]').first().press('Tab');
    await runUntil(page, /epochs done|converged/);
  },
  // Three-arm spirals learned by a 2-32-32-3 network: halfway (replayed to update 30), and at the end.
  'network-spiral-30': async (page) => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Spirals', exact: true }).click();
    await page.getByTestId('dataset-summary').filter({ hasText: 'spiral' }).waitFor();
    await runUntil(page, /epochs done/);
    await page.getByLabel('Replay step').fill('30');
    await page.getByTestId('network-panel').and(page.locator('[data-step="30"]')).waitFor();
    await settled(page);
  },
  'network-spiral': async (page) => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Spirals', exact: true }).click();
    await page.getByTestId('dataset-summary').filter({ hasText: 'spiral' }).waitFor();
    await runUntil(page, /epochs done/);
    await settled(page);
  },
};

const server = await (async () => {
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
  return preview({ configFile: 'vite.web.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
})();
const address = server.httpServer.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 4178}/`;
mkdirSync(out, { recursive: true });
// docs/: each scene at 1400×900 in the light theme, and at 1024×700 in the dark theme.
const shots: Array<[number, number, string]> = all
  ? [[1024, 700, 'light'], [1024, 700, 'dark'], [1400, 900, 'light'], [1400, 900, 'dark']]
  : [[1400, 900, 'light'], [1024, 700, 'dark']];
const problems: string[] = [];
for (const [name, scene] of Object.entries(scenes)) {
  if (only ? name !== only : !all && name === 'schedule-paused') continue;
  for (const [width, height, theme] of shots) {
    {
      const { context, page, errors } = await openLab(url);
      await page.setViewportSize({ width, height });
      await page.getByLabel('Theme').selectOption(theme);
      await scene(page);
      if (lang) {
        await page.locator('header select.language').selectOption(lang);
        await settled(page);
      }
      const suffix = lang ? `-${lang}` : '';
      const file = all || width !== 1400 ? join(out, `${name}-${width}-${theme}${suffix}.png`) : join(out, `${name}${suffix}.png`);
      await page.screenshot({ path: file });
      if (all) {
        // The side panel's lower half: coefficients (data mode) and the explained update.
        await page.getByTestId('explain').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(out, `${name}-${width}-${theme}${suffix}-explain.png`) });
        await page.getByTestId('lr-chart').screenshot({ path: join(out, `${name}-${width}-${theme}${suffix}-lr.png`) });
      }
      problems.push(...errors.map((e) => `${name} ${width} ${theme}: ${e}`));
      await context.close();
      console.log(file);
    }
  }
}
await server.close();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
