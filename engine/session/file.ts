/**
 * Node only (the `gdlab` command, Electron's main process): session files on
 * disk. Saving is atomic: the text goes to a temporary file beside the target,
 * is flushed to disk, and is renamed over the target, so a crash or a full disk
 * mid-save leaves the previous file whole.
 */
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { MAX_SESSION_BYTES, type Session } from '../spec/session';
import { parseSession, serializeSession, SessionError } from './open';

export async function atomicWrite(target: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** A file-system error as a sentence: what happened to which file, and what to do. */
export function fileErrorMessage(error: unknown, path: string, action: 'save' | 'open'): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const name = basename(path);
  switch (code) {
    case 'ENOENT':
      return action === 'open' ? `${name} no longer exists at ${dirname(path)}` : `Cannot save ${name}: the folder ${dirname(path)} does not exist`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `Cannot ${action} ${name}: permission denied${action === 'save' ? ' (the file or its folder is read-only); choose Save As… and another folder' : ''}`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `Cannot save ${name}: the disk is full. Free some space or Save As… on another disk; the previous file is unchanged`;
    case 'EISDIR':
      return `Cannot ${action} ${name}: it is a folder`;
    default:
      return `Cannot ${action} ${name}: ${(error as Error)?.message ?? String(error)}`;
  }
}

export async function writeSessionFile(path: string, session: Session): Promise<void> {
  try {
    await atomicWrite(path, serializeSession(session));
  } catch (error) {
    throw new SessionError(fileErrorMessage(error, path, 'save'));
  }
}

export async function readSessionFile(path: string): Promise<Session> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > MAX_SESSION_BYTES) throw new SessionError(`${basename(path)} is ${Math.round(info.size / 2 ** 20)} MiB; sessions are at most ${MAX_SESSION_BYTES / 2 ** 20} MiB`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof SessionError) throw error;
    throw new SessionError(fileErrorMessage(error, path, 'open'));
  }
  return parseSession(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), basename(path));
}

/** A referenced dataset's bytes, or null when the file is gone or unreadable. */
export async function readReference(path: string): Promise<Uint8Array | null> {
  try {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch {
    return null;
  }
}
