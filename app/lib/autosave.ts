/**
 * Autosave and recovery, for main: the window sends its unsaved session every
 * so often; it is kept atomically in the app's data folder and removed when the
 * session is saved, discarded or closed cleanly. A copy still there at the next
 * launch was left by a crash, and the window offers to recover it.
 */
import { readFile, stat, unlink, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWrite } from './files';

export function autosavePath(userData: string): string {
  return join(userData, 'autosave', 'unsaved.gdlab');
}

export async function writeAutosave(path: string, text: string | null): Promise<void> {
  if (text === null) {
    await unlink(path).catch(() => undefined);
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  await atomicWrite(path, text);
}

export async function readAutosave(path: string): Promise<{ text: string; savedAt: string } | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, savedAt: info.mtime.toISOString() };
  } catch {
    return null;
  }
}

/** What closing the window does: close at once, or ask first (unsaved changes). */
export function closeDecision(dirty: boolean, alreadyConfirmed: boolean): 'close' | 'ask' {
  return dirty && !alreadyConfirmed ? 'ask' : 'close';
}
