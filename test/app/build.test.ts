// The desktop build without an Electron binary: electron-vite builds main, the
// engine's utility entry, the CommonJS preload and the renderer.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

beforeAll(async () => {
  await run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { timeout: 240_000 });
}, 240_000);

describe('electron-vite build', () => {
  it('builds the main process and the engine entry as separate files', () => {
    const main = readFileSync('out/main/main.js', 'utf8');
    expect(main).toMatch(/utilityProcess\.fork\(enginePath/);
    expect(existsSync('out/main/engine.js')).toBe(true);
    expect(readFileSync('out/main/engine.js', 'utf8')).toMatch(/parentPort/);
  });

  it('builds the sandboxed preload as CommonJS', () => {
    const preload = readFileSync('out/preload/preload.cjs', 'utf8');
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).not.toMatch(/^\s*export\s/m);
  });

  it('builds the renderer with its Content-Security-Policy', () => {
    const html = readFileSync('out/renderer/index.html', 'utf8');
    expect(html).toMatch(/Content-Security-Policy/);
    expect(html).not.toMatch(/https?:\/\//);
  });
});
