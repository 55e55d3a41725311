// `npm start` where Electron's binary is missing (build/start.mjs): one paragraph that says what is
// missing, how to fetch it and that `npm run web` gives the same lab, no stack trace, a non-zero exit.
// Run as a user runs it, through npm. Nothing here needs or imports Electron.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm start` with the given variables on top of this environment, minus the ones that name an Electron. */
function npmStart(env: Record<string, string> = {}): Promise<Result> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'ELECTRON_OVERRIDE_DIST_PATH' && k !== 'ELECTRON_EXEC_PATH'));
  // npm's own CLI script when the tests run under npm or npx; otherwise npm from the PATH (npm.cmd, through a shell, on Windows).
  const npmCli = process.env.npm_execpath;
  const [command, args, shell] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, 'start'], false] : ['npm', ['start'], process.platform === 'win32'];
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...base, ...env }, shell, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Our message: from its first line to the end of its paragraph. */
function paragraph(stderr: string): string[] {
  const lines = stderr.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith("npm start: Electron's binary is missing"));
  expect(start, `no message in:\n${stderr}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

function expectClearFailure(r: Result): string {
  expect(r.code).not.toBe(0);
  const text = paragraph(r.stderr).join(' ');
  expect(text).toContain('node node_modules/electron/install.js');
  for (const variable of ['ELECTRON_MIRROR', 'ELECTRON_CUSTOM_DIR', 'ELECTRON_OVERRIDE_DIST_PATH']) expect(text).toContain(variable);
  expect(text).toContain('`npm run web` serves the same lab in a browser');
  const all = `${r.stdout}\n${r.stderr}`;
  expect(all).not.toMatch(/^\s+at\s/m);
  expect(all).not.toContain('Electron uninstall');
  expect(all).not.toMatch(/\bError\b/);
  // Only npm's own header and our paragraph: nothing was started.
  expect(all).not.toMatch(/electron-vite|dev server|starting electron/i);
  return text;
}

const electronDir = join('node_modules', 'electron');
const recorded = existsSync(join(electronDir, 'path.txt')) ? readFileSync(join(electronDir, 'path.txt'), 'utf8').trim() : '';
const installed = recorded !== '' && existsSync(join(electronDir, 'dist', recorded));
if (installed) console.log(`skipped: an Electron binary exists here (${join(electronDir, 'dist', recorded)}), so plain \`npm start\` would start the app; the message is still checked below with an empty ELECTRON_OVERRIDE_DIST_PATH`);

describe('npm start without Electron’s binary', () => {
  it.skipIf(installed)('says what is missing, how to fetch it, and that npm run web gives the same lab, in one paragraph without a stack trace', async () => {
    const r = await npmStart();
    const text = expectClearFailure(r);
    expect(text).toMatch(/Looked for node_modules\/electron\/dist\/(electron|electron\.exe|Electron\.app\/Contents\/MacOS\/Electron); there is no node_modules\/electron\/path\.txt/);
    expect(text).toMatch(/Fetch Electron \d+\.\d+\.\d+ with `node node_modules\/electron\/install\.js`/);
  });

  it('names an ELECTRON_OVERRIDE_DIST_PATH that holds no Electron', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gdlab-no-electron-'));
    const text = expectClearFailure(await npmStart({ ELECTRON_OVERRIDE_DIST_PATH: empty }));
    expect(text).toContain(`ELECTRON_OVERRIDE_DIST_PATH is ${empty}, which holds no`);
  });
});
