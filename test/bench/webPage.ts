/** The browser build served locally and opened in Debian's chromium at 1400 × 900, for the benches that measure the lab as people use it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { chooseLab } from '../e2e/browser';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The lab's page; `init` runs in it before the lab's own code (to take a feature away, say); `rebuild: false` serves the last build. */
export async function openWebBuild(options: { init?: string; rebuild?: boolean } = {}): Promise<{ page: Page; close: () => Promise<void> }> {
  if (options.rebuild !== false) await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
  const server = await preview({ configFile: 'vite.web.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const address = server.httpServer.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 4178}/`;
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gdlab-bench-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // tsx names functions with a helper that page.evaluate's serialized code does not carry.
  await page.addInitScript('globalThis.__name = (f) => f');
  if (options.init) await page.addInitScript(options.init);
  await page.goto(url);
  await page.getByRole('button', { name: 'Explain' }).first().waitFor();
  await chooseLab(page);
  return {
    page,
    close: async () => {
      await context.close();
      await server.close();
    },
  };
}
