// The packaged app, as electron-builder made it (`npm run dist -- --dir`), started through Playwright's
// Electron driver: it finds its app.asar, loads the interface over app://, starts the engine in its
// utility process and answers; it runs Adam, saves a session through the save dialog and opens it
// again through the open dialog (both stubbed in main), keeps the window locked down, and quits.
//
// It runs wherever a packaged app exists: GDLAB_PACKAGED_APP (the executable, the .app, or the unpacked
// folder), else dist/linux*-unpacked, dist/win*-unpacked or dist/mac*/Gradient Descent Lab.app for this
// platform. Playwright drives Electron through Node's inspector, so the package must be built with the
// EnableNodeCliInspectArguments fuse on (CI: `npm run dist -- --dir
// -c.electronFuses.enableNodeCliInspectArguments=true`); every other fuse is checked as shipped.
// Elsewhere it says plainly that it was skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { chooseLab, navigationAsked, OUTPUT, settled } from './browser';
import { parseSession } from '../../engine/session/open';

const PRODUCT = 'Gradient Descent Lab';
const ENGINE_SERVICE = 'Gradient Descent Lab engine';
// @electron/fuses' FuseState (not exported from its index): the wire holds '0' or '1'.
const FuseState = { DISABLE: 48, ENABLE: 49 } as const;
const OS = ({ win32: 'windows', darwin: 'macos', linux: 'linux' } as Record<string, string>)[process.platform] ?? process.platform;
const SCREENSHOT = join(OUTPUT, `packaged-app-${OS}.png`);

/** The executable inside a packaged app: given the executable itself, a .app bundle, or an unpacked folder. */
function executableIn(path: string): string | null {
  if (!existsSync(path)) return null;
  if (path.endsWith('.app')) {
    const inner = join(path, 'Contents', 'MacOS', PRODUCT);
    return existsSync(inner) ? inner : null;
  }
  if (!statSync(path).isDirectory()) return path;
  for (const name of [`${PRODUCT}.app`, `${PRODUCT}.exe`, 'gdlab']) {
    const found = existsSync(join(path, name)) ? executableIn(join(path, name)) : null;
    if (found) return found;
  }
  return null;
}

/** electron-builder's unpacked output folders for this platform, this machine's architecture first. */
function distFolders(): string[] {
  if (!existsSync('dist')) return [];
  const pattern = { linux: /^linux(-\w+)?-unpacked$/, win32: /^win(-\w+)?-unpacked$/, darwin: /^mac(-\w+)?$/ }[process.platform as 'linux' | 'win32' | 'darwin'];
  if (!pattern) return [];
  const own = (name: string) => (process.arch === 'x64' ? !/-(arm64|ia32|armv7l|universal)/.test(name) : name.includes(process.arch));
  return readdirSync('dist')
    .filter((name) => pattern.test(name))
    .sort((a, b) => Number(own(b)) - Number(own(a)))
    .map((name) => join('dist', name));
}

type Found = { exe: string } | { skip: string } | { error: string };

function locatePackagedApp(): Found {
  const named = process.env.GDLAB_PACKAGED_APP;
  if (named) {
    const exe = executableIn(named);
    return exe ? { exe: resolve(exe) } : { error: `GDLAB_PACKAGED_APP is ${named}, which holds no packaged ${PRODUCT} (an executable, a .app, or an unpacked folder with one)` };
  }
  for (const folder of distFolders()) {
    const exe = executableIn(folder);
    if (exe) return { exe: resolve(exe) };
  }
  const where = { linux: 'dist/linux-unpacked/gdlab', win32: `dist/win-unpacked/${PRODUCT}.exe`, darwin: `dist/mac*/${PRODUCT}.app` }[process.platform as 'linux' | 'win32' | 'darwin'] ?? 'dist/';
  return { skip: `no ${where} and no GDLAB_PACKAGED_APP; build one with \`npm run dist -- --dir -c.electronFuses.enableNodeCliInspectArguments=true\` (ELECTRON_OVERRIDE_DIST_PATH where Electron cannot be downloaded)` };
}

const found = locatePackagedApp();
const exe = 'exe' in found ? found.exe : null;
let skipReason = 'skip' in found ? found.skip : null;
const wire = exe ? await getCurrentFuseWire(exe) : null;
if (exe && wire && wire[FuseV1Options.EnableNodeCliInspectArguments] !== FuseState.ENABLE) {
  skipReason = `${exe} has the EnableNodeCliInspectArguments fuse off, as a release build has, and Playwright drives Electron through Node's inspector; package it with \`npm run dist -- --dir -c.electronFuses.enableNodeCliInspectArguments=true\``;
}
if (skipReason) console.log(`skipped: no packaged app (${skipReason})`);

describe.runIf('error' in found)('the packaged app named by GDLAB_PACKAGED_APP', () => {
  it('exists', () => {
    throw new Error('error' in found ? found.error : 'unreachable');
  });
});

describe.runIf(exe !== null && skipReason === null)('the packaged app', () => {
  let app: ElectronApplication;
  let page: Page;
  const errors: string[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'gdlab-packaged-'));
  const sessionPath = join(folder, 'smoke.gdlab');
  const statusOf = (i: number) => page.locator('[data-testid^="status-"]').nth(i);
  const statuses = () => page.locator('[data-testid^="status-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  const title = () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
  const fileMenu = async (item: string) => {
    await page.getByRole('button', { name: /^File/ }).click();
    await page.getByRole('menuitem', { name: item, exact: true }).click();
  };

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    // On Linux the app's data folder follows XDG_CONFIG_HOME: a fresh one, so no earlier autosave or window state is found.
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ELECTRON_ENABLE_LOGGING: '1' };
    if (process.platform === 'linux') env.XDG_CONFIG_HOME = join(folder, 'config');
    // English, whatever the runner's locale: the test finds controls by their English names.
    app = await electron.launch({ executablePath: exe!, args: ['--lang=en-US'], env, timeout: 120_000 });
    page = await app.firstWindow({ timeout: 60_000 });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // The engine answered the catalog request: runs are listed.
    await page.getByRole('button', { name: 'Explain' }).first().waitFor({ timeout: 60_000 });
    await chooseLab(page);
  }, 300_000);

  afterAll(async () => {
    // After a failure: close the app, and end it if closing does not (a prompt could hold it open).
    if (!app || app.process().exitCode !== null) return;
    await Promise.race([app.close().catch(() => undefined), new Promise((done) => setTimeout(done, 30_000))]);
    if (app.process().exitCode === null) app.process().kill();
  });

  it('runs from its app.asar with the shipped fuses, one window on app://', async () => {
    const info = await app.evaluate(({ app: electronApp }) => ({ packaged: electronApp.isPackaged, appPath: electronApp.getAppPath(), name: electronApp.getName() }));
    expect(info.packaged).toBe(true);
    expect(info.appPath).toMatch(/app\.asar$/);
    expect(info.name).toBe(PRODUCT);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe('app://lab/index.html');
    // Every fuse as electron-builder.yml ships it, but the inspector one this test needs.
    const shipped: Record<string, boolean> = parse(readFileSync('electron-builder.yml', 'utf8')).electronFuses;
    for (const [key, value] of Object.entries(shipped)) {
      const fuse = FuseV1Options[(key[0].toUpperCase() + key.slice(1)) as keyof typeof FuseV1Options];
      if (fuse === undefined || fuse === FuseV1Options.EnableNodeCliInspectArguments) continue;
      expect({ key, state: wire![fuse] }).toEqual({ key, state: value ? FuseState.ENABLE : FuseState.DISABLE });
    }
  });

  it('starts the engine in its utility process, and it answers: [4, 12, 21] at [1, 1, 1]', async () => {
    const metrics = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ type: m.type, name: m.name, serviceName: m.serviceName })));
    expect(metrics.some((m) => m.type === 'Utility' && (m.name === ENGINE_SERVICE || m.serviceName === ENGINE_SERVICE)), JSON.stringify(metrics)).toBe(true);
    await page.getByLabel('Formula').fill('2*x^2 + 6*z^2 + 7*m^3');
    await expect.poll(() => page.getByTestId('variables').textContent()).toBe('x, z, m');
    await expect.poll(() => page.getByTestId('partial').allTextContents()).toEqual(['4 * x', '12 * z', '21 * m ^ 2']);
    await page.getByRole('textbox', { name: 'Point', exact: true }).fill('1, 1, 1');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.getByTestId('evaluation').textContent()).toBe('f(1, 1, 1) = 15, ∇f = [4, 12, 21]');
    expect(await page.getByTestId('gradient-value').textContent()).toBe('[4, 12, 21]');
  });

  it('runs Adam on Rosenbrock until it finishes', async () => {
    await page.getByLabel('Preset').selectOption('rosenbrock');
    await expect.poll(() => page.getByTestId('partial').count()).toBe(2);
    expect(await page.getByLabel('Optimizer').first().inputValue()).toBe('adam');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(statuses, { timeout: 45_000 }).toEqual(['max_steps', 'max_steps']);
    expect(await statusOf(0).textContent()).toMatch(/step 2,000/);
  });

  it('saves the session through the save dialog and opens it again through the open dialog', async () => {
    // The native dialogs are replaced in main; everything else (IPC, the atomic write, reading the file) is the app's own.
    await app.evaluate(({ dialog }, path) => {
      const calls: string[] = [];
      (globalThis as Record<string, unknown>).__gdlabDialogCalls = calls;
      dialog.showSaveDialog = (async () => {
        calls.push('save');
        return { canceled: false, filePath: path };
      }) as typeof dialog.showSaveDialog;
      dialog.showOpenDialog = (async () => {
        calls.push('open');
        return { canceled: false, filePaths: [path] };
      }) as typeof dialog.showOpenDialog;
      dialog.showMessageBox = (async () => {
        calls.push('message');
        return { response: 0, checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    }, sessionPath);
    const before = await page.locator('[data-testid^="status-"]').allTextContents();

    await fileMenu('Save');
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('smoke.gdlab');
    await expect.poll(title).toBe(`smoke.gdlab — ${PRODUCT}`);
    const session = parseSession(readFileSync(sessionPath));
    expect(session.runs.map((r) => [r.optimizer.name, r.result?.status, r.result?.step])).toEqual([['adam', 'max_steps', 2000], ['sgd', 'max_steps', 2000]]);

    await fileMenu('New');
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('Untitled');
    await expect.poll(statuses).toEqual(['none', 'none']);

    await fileMenu('Open…');
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('smoke.gdlab');
    await expect.poll(() => page.locator('[data-testid^="status-"]').allTextContents(), { timeout: 30_000 }).toEqual(before);
    expect(await statuses()).toEqual(['max_steps', 'max_steps']);
    // ('message' would be the "Discard unsaved changes?" question, answered with Discard.)
    const calls = (await app.evaluate(() => (globalThis as Record<string, unknown>).__gdlabDialogCalls)) as string[];
    expect(calls.filter((c) => c !== 'message')).toEqual(['save', 'open']);
    await expect.poll(title).toBe(`smoke.gdlab — ${PRODUCT}`);
  });

  it('takes a screenshot of the reopened session', async () => {
    await settled(page);
    await page.screenshot({ path: SCREENSHOT });
    expect([...readFileSync(SCREENSHOT).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('has no uncaught errors', () => {
    // Chromium reports each use of eval refused by the Content-Security-Policy (libraries probe for it); that refusal is the policy working.
    expect(errors.filter((e) => !/'unsafe-eval'/.test(e))).toEqual([]);
  });

  it('keeps the page away from Node and generated code', async () => {
    expect(await page.evaluate(() => typeof (window as any).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as any).process)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as any).module)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as any).lab).sort())).toContain('saveFile');
    // The Content-Security-Policy has no 'unsafe-eval'.
    expect(await page.evaluate(() => {
      try {
        return typeof new Function('return 1');
      } catch (e) {
        return (e as Error).name;
      }
    })).toBe('EvalError');
  });

  it('refuses to navigate away or open new windows', async () => {
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    await navigationAsked(app, page, () => page.evaluate(() => {
      location.href = 'https://example.com/';
    }));
    expect(page.url()).toBe('app://lab/index.html');
    expect(app.windows()).toHaveLength(1);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // Still the working lab.
    expect(await page.getByTestId('document-name').textContent()).toBe('smoke.gdlab');
  });

  it('quits cleanly', async () => {
    // Nothing unsaved, so no "Close without saving?" prompt stands in the way.
    expect(await title()).toBe(`smoke.gdlab — ${PRODUCT}`);
    const child = app.process();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      if (child.exitCode !== null) done({ code: child.exitCode, signal: null });
      else child.once('exit', (code, signal) => done({ code, signal }));
    });
    await app.close();
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
