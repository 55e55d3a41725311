// The real desktop app under Playwright's Electron driver. It needs Electron's
// binary, which is downloaded on first use and cannot be here; the test runs
// wherever one exists (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist)
// and otherwise says plainly that it was skipped. When it has run, it leaves test-output/electron-e2e.json
// behind, so CI can tell a run from a skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { chooseLab, navigationAsked } from './browser';

function electronBinary(): string | null {
  const exe = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override && existsSync(join(override, exe))) return join(override, exe);
  const local = join('node_modules', 'electron', 'dist', exe);
  return existsSync(local) ? local : null;
}

const binary = electronBinary();
const MARKER = join(process.cwd(), 'test-output', 'electron-e2e.json');
rmSync(MARKER, { force: true });
if (!binary) console.log('skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH to an Electron dist folder to run the desktop end-to-end test)');

describe.skipIf(!binary)('the desktop app', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { timeout: 240_000 });
    app = await electron.launch({ executablePath: binary!, args: ['out/main/main.js', '--no-sandbox', '--lang=en-US'], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
    page = await app.firstWindow();
    await page.getByRole('button', { name: 'Explain' }).first().waitFor({ timeout: 60_000 });
    await chooseLab(page);
  }, 300_000);

  afterAll(async () => {
    if (!app) return;
    const electronVersion = await app.evaluate(() => process.versions.electron);
    // The autosave test leaves unsaved notes: answer main's "Close without saving?" with Discard, or quitting waits on it.
    await app.evaluate(({ dialog }) => {
      dialog.showMessageBoxSync = (() => 0) as typeof dialog.showMessageBoxSync;
    });
    await app.close();
    mkdirSync(join(process.cwd(), 'test-output'), { recursive: true });
    writeFileSync(MARKER, `${JSON.stringify({ ran: true, electron: electronVersion, platform: process.platform, arch: process.arch })}\n`);
  });

  it('opens one sandboxed window from app://', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe('app://lab/index.html');
    expect(await page.evaluate(() => typeof (window as any).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as any).process)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as any).lab).sort())).toContain('saveFile');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('refuses to navigate away or open windows', async () => {
    await page.evaluate(() => window.open('https://example.com'));
    await navigationAsked(app, page, () => page.evaluate(() => { location.href = 'https://example.com'; }));
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe('app://lab/index.html');
  });

  it('round-trips the engine in its utility process', async () => {
    await page.getByLabel('Formula').fill('2*x^2 + 6*z^2 + 7*m^3');
    await expect.poll(() => page.getByTestId('partial').allTextContents()).toEqual(['4 * x', '12 * z', '21 * m ^ 2']);
  });

  it('saves a file atomically and reads it back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gdlab-electron-')), 'x.gdlab');
    await page.evaluate((p) => (window as any).lab.saveFile({ kind: 'session', suggestedName: 'x.gdlab', data: '{"format":"gdlab"}', path: p }), path);
    expect(readFileSync(path, 'utf8')).toBe('{"format":"gdlab"}');
    const back = await page.evaluate((p) => (window as any).lab.readPath(p).then((f: any) => new TextDecoder().decode(f.bytes)), path);
    expect(back).toBe('{"format":"gdlab"}');
  });

  it('opens a session handed over by the OS (double-click, command line) and titles the window with it', async () => {
    const path = join(process.cwd(), 'test', 'fixtures', 'sessions', 'v1-function.gdlab');
    await app.evaluate(({ BrowserWindow }, p) => BrowserWindow.getAllWindows()[0].webContents.send('lab:openPath', p), path);
    await expect.poll(() => page.getByTestId('document-name').textContent()).toBe('v1-function.gdlab');
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].getTitle())).toBe('v1-function.gdlab — Gradient Descent Lab');
    await expect.poll(() => page.locator('[data-testid^="status-"]').first().getAttribute('data-status')).toBe('max_steps');
  });

  it('keeps an autosave of unsaved work in the data folder and offers it back', async () => {
    await page.getByTestId('notes').fill('unsaved in the desktop app');
    await page.evaluate(() => (window as any).__gdlab.files.autosaveNow());
    const copy = await page.evaluate(() => (window as any).lab.recoverable());
    expect(copy.text).toContain('unsaved in the desktop app');
    const file = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(existsSync(join(file, 'autosave', 'unsaved.gdlab'))).toBe(true);
  });

  it('refuses IPC payloads that do not match their schema', async () => {
    const error = await page.evaluate(() => (window as any).lab.saveFile({ kind: 'exe', suggestedName: '../../x', data: 1, path: null }).then(() => null, (e: Error) => e.message));
    expect(error).toMatch(/Invalid lab:saveFile request/);
  });
});
