/**
 * File operations main performs for the renderer. Saving is atomic: the data
 * goes to a temporary file beside the target, is flushed to disk, and is then
 * renamed over the target, so a crash mid-save leaves the old file whole.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';

export { atomicWrite, fileErrorMessage } from '../../engine/session/file';

export const MAX_OPEN_BYTES = 512 * 1024 * 1024;

export async function readUserFile(path: string): Promise<{ name: string; path: string; bytes: Uint8Array }> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  if (info.size > MAX_OPEN_BYTES) throw new Error(`${basename(path)} is larger than ${MAX_OPEN_BYTES / 2 ** 20} MiB`);
  const bytes = await readFile(path);
  return { name: basename(path), path, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Most recent first, no duplicates, at most `max`. */
export function pushRecent(list: readonly string[], path: string, max = 10): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, max);
}

/** "experiment.gdlab — Gradient Descent Lab", with a • when there are unsaved changes. */
export function windowTitle(appName: string, filePath: string | null, dirty: boolean): string {
  const name = filePath ? basename(filePath) : 'Untitled';
  return `${dirty ? '• ' : ''}${name} — ${appName}`;
}
