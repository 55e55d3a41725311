// Atomic saves under fire: a process saving in a loop is killed at random moments; the file on
// disk must always open as one of the two sessions, never as a torn mix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseSession, serializeSession } from '../../../engine/session/open';
import { readSessionFile, writeSessionFile } from '../../../engine/session/file';
import type { Session } from '../../../engine/spec/session';

const KILLS = 100;
let dir: string;
let child: string;
const fixture = (name: string) => parseSession(readFileSync(fileURLToPath(new URL(`../../fixtures/sessions/${name}`, import.meta.url))));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gdlab-save-'));
  child = join(dir, 'saveLoop.mjs');
  await build({ entryPoints: [fileURLToPath(new URL('./saveLoop.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saving is atomic', () => {
  it(`leaves a whole session on disk when the saving process is killed at ${KILLS} random moments`, async () => {
    const small = fixture('v1-function.gdlab');
    // A second session some hundred times larger, so that a kill often lands mid-write.
    const large: Session = { ...fixture('v1-data.gdlab'), notes: 'n'.repeat(90_000) };
    large.runs = Array.from({ length: 30 }, (_, i) => ({ ...large.runs[0], id: `run${i}` }));
    const [a, b] = [serializeSession(small), serializeSession(large)];
    writeFileSync(join(dir, 'a.gdlab'), a);
    writeFileSync(join(dir, 'b.gdlab'), b);
    const target = join(dir, 'target.gdlab');
    writeFileSync(target, a);
    const seen = { a: 0, b: 0 };
    for (let k = 0; k < KILLS; k++) {
      const proc = fork(child, [target, join(dir, 'a.gdlab'), join(dir, 'b.gdlab')], { stdio: 'ignore' });
      await new Promise<void>((resolve) => proc.once('message', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
      proc.kill('SIGKILL');
      await new Promise((resolve) => proc.once('exit', resolve));
      const text = readFileSync(target, 'utf8');
      expect(text === a || text === b).toBe(true);
      expect(() => parseSession(text)).not.toThrow();
      seen[text === a ? 'a' : 'b']++;
    }
    // Both sessions were seen: the kills really landed between and during saves.
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
    // Killed saves may leave their temporary file behind, never a damaged target.
    for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) expect(name).toMatch(/^\.target\.gdlab\.[0-9a-f]{12}\.tmp$/);
  }, 120_000);

  it('refuses to save over a read-only file with a clear message and keeps the old file whole', async () => {
    if (process.getuid?.() === 0 || process.platform === 'win32') {
      // root ignores file modes, and Windows folders have none; a missing folder is the fault both still meet.
      await expect(writeSessionFile(join(dir, 'no-such-folder', 'x.gdlab'), fixture('v1-function.gdlab'))).rejects.toThrow(/Cannot save x\.gdlab: the folder .*no-such-folder does not exist/);
      return;
    }
    const ro = mkdtempSync(join(dir, 'ro-'));
    const target = join(ro, 'kept.gdlab');
    writeFileSync(target, serializeSession(fixture('v1-function.gdlab')));
    chmodSync(ro, 0o500);
    try {
      await expect(writeSessionFile(target, fixture('v1-data.gdlab'))).rejects.toThrow(/Cannot save kept\.gdlab: permission denied .*Save As/);
      expect((await readSessionFile(target)).problem.kind).toBe('function');
    } finally {
      chmodSync(ro, 0o700);
    }
  });

  it('refuses to save on a full disk with a clear message, keeping the old file whole', async (context) => {
    // A real full disk: a 64 KiB tmpfs (needs root on Linux, as CI has).
    const mount = join(dir, 'small-disk');
    mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      console.log('skipped: the full-disk test mounts a 64 KiB tmpfs, which needs root on Linux');
      context.skip();
    }
    try {
      const target = join(mount, 'kept.gdlab');
      const old = serializeSession(fixture('v1-function.gdlab'));
      writeFileSync(target, old);
      const large: Session = { ...fixture('v1-data.gdlab'), notes: 'n'.repeat(99_000) };
      large.runs = Array.from({ length: 12 }, (_, i) => ({ ...large.runs[0], id: `run${i}` }));
      await expect(writeSessionFile(target, large)).rejects.toThrow(/Cannot save kept\.gdlab: the disk is full\. Free some space or Save As… on another disk; the previous file is unchanged/);
      expect(readFileSync(target, 'utf8')).toBe(old);
      expect(readdirSync(mount)).toEqual(['kept.gdlab']);
    } finally {
      execFileSync('umount', [mount], { stdio: 'ignore' });
    }
  });

  it('saves again when the open session’s file was deleted meanwhile', async () => {
    const target = join(dir, 'deleted.gdlab');
    await writeSessionFile(target, fixture('v1-function.gdlab'));
    unlinkSync(target);
    await writeSessionFile(target, fixture('v1-function.gdlab'));
    expect(existsSync(target)).toBe(true);
    expect((await readSessionFile(target)).problem.kind).toBe('function');
  });

  it('says so when the file to open has been deleted', async () => {
    await expect(readSessionFile(join(dir, 'gone.gdlab'))).rejects.toThrow(/gone\.gdlab no longer exists at /);
  });
});
