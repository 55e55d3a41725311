// The slides in docs/slides/, exported by the lab itself (each chart's "Slide PNG", 1600 × 900),
// in the light and the dark theme:
//   npx tsx test/e2e/slides.ts [DIR]   → DIR/<chart>-<theme>.png (docs/slides by default)
// Builds the web page (engine in a Web Worker) and drives Debian's chromium.
import { build, preview } from 'vite';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openLab, settled } from './browser';

const out = process.argv[2] ?? 'docs/slides';
await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
const server = await preview({ configFile: 'vite.web.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const address = server.httpServer.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 4178}/`;
mkdirSync(out, { recursive: true });

async function slide(page: Page, testid: string, file: string) {
  const chart = page.getByTestId(testid);
  await chart.getByRole('button', { name: /^Tools of the / }).first().click();
  const download = page.waitForEvent('download');
  await chart.getByRole('button', { name: /^Slide PNG: export the .* chart on a slide$/ }).first().click();
  await (await download).saveAs(file);
  console.log(file);
}

const problems: string[] = [];
for (const theme of ['light', 'dark']) {
  const { context, page, errors } = await openLab(url);
  await page.getByLabel('Theme').selectOption(theme);
  // Adam and SGD on Rosenbrock, run to their end.
  await page.getByLabel('Preset').selectOption('rosenbrock');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('[data-testid^="status-"]').nth(1).filter({ hasText: /max_steps|converged|steps/ }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="status-"]')].every((s) => !['running', 'none'].includes(s.getAttribute('data-status') ?? '')), null, { timeout: 60_000 });
  await settled(page);
  await slide(page, 'loss-chart', join(out, `rosenbrock-loss-${theme}.png`));
  await slide(page, 'contour-chart', join(out, `rosenbrock-contour-${theme}.png`));
  problems.push(...errors.map((e) => `${theme}: ${e}`));
  await context.close();
}
await server.close();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
