// Autosave and recovery as main does them, on real files; the IPC schemas of the session channels.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autosavePath, closeDecision, readAutosave, writeAutosave } from '../../app/lib/autosave';
import { IPC, validateIpc } from '../../app/lib/ipc';

describe('autosave', () => {
  it('keeps the unsaved session in the data folder and gives it back after a crash', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'gdlab-userdata-'));
    const path = autosavePath(userData);
    expect(path).toBe(join(userData, 'autosave', 'unsaved.gdlab'));
    expect(await readAutosave(path)).toBeNull();
    await writeAutosave(path, '{"first": 1}');
    await writeAutosave(path, '{"second": 2}');
    const copy = await readAutosave(path);
    expect(copy?.text).toBe('{"second": 2}');
    expect(Date.now() - Date.parse(copy!.savedAt)).toBeLessThan(60_000);
    // Written atomically: no temporary files are left beside it.
    expect(readdirSync(join(userData, 'autosave'))).toEqual(['unsaved.gdlab']);
  });

  it('forgets the copy once the session is saved or discarded', async () => {
    const path = autosavePath(mkdtempSync(join(tmpdir(), 'gdlab-userdata-')));
    await writeAutosave(path, '{}');
    await writeAutosave(path, null);
    expect(existsSync(path)).toBe(false);
    expect(await readAutosave(path)).toBeNull();
    // Clearing twice is harmless.
    await writeAutosave(path, null);
  });

  it('asks before closing with unsaved changes, once', () => {
    expect(closeDecision(false, false)).toBe('close');
    expect(closeDecision(true, false)).toBe('ask');
    expect(closeDecision(true, true)).toBe('close');
  });
});

describe('session IPC payloads', () => {
  it('takes an autosave text or null, and nothing else', () => {
    expect(validateIpc(IPC.autosave, { text: '{}' })).toEqual({ text: '{}' });
    expect(validateIpc(IPC.autosave, { text: null })).toEqual({ text: null });
    expect(() => validateIpc(IPC.autosave, { text: 42 })).toThrow(/Invalid lab:autosave request at text/);
    expect(() => validateIpc(IPC.recoverable, { path: '/etc/passwd' })).toThrow(/Invalid lab:recoverable request/);
  });
});
