import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMenuTemplate, type MenuItemSpec } from '../../app/lib/menu';
import { restoreWindowState } from '../../app/lib/windowState';
import { atomicWrite, pushRecent, windowTitle } from '../../app/lib/files';
import { EngineSupervisor } from '../../app/lib/supervisor';
import { HelperProcesses } from '../../app/lib/helpers';
import { helperCount, IPC_SCHEMAS } from '../../app/lib/ipc';
import { forkEngine, type ForkedEngine } from '../../engine/host/nodeClient';

const labels = (items: MenuItemSpec[]) => items.map((i) => i.label ?? i.role ?? i.type);
const find = (items: MenuItemSpec[], label: string) => items.find((i) => i.label === label)!;

describe('menu', () => {
  it('follows Windows and Linux conventions', () => {
    const t = buildMenuTemplate({ platform: 'linux', appName: 'Lab', recent: ['/a.gdlab'], theme: 'system' });
    expect(labels(t)).toEqual(['File', 'Edit', 'Run', 'View', 'Help']);
    const file = find(t, 'File').submenu!;
    expect(labels(file)).toEqual(['New', 'Open…', 'Open Recent', 'separator', 'Save', 'Save As…', 'separator', 'Export', 'separator', 'Exit']);
    expect(find(file, 'Save').accelerator).toBe('CmdOrCtrl+S');
    expect(find(file, 'Open Recent').submenu![0]).toEqual({ label: '/a.gdlab', openPath: '/a.gdlab' });
    expect(labels(find(t, 'Help').submenu!)).toEqual(['Lessons…', 'Welcome…', 'separator', 'Keyboard Shortcuts', 'About Lab']);
    expect(labels(find(t, 'View').submenu!)).toEqual(expect.arrayContaining(['Actual Size', 'Zoom In', 'Zoom Out', 'Theme: System', 'Theme: Light', 'Theme: Dark', 'Language']));
    // Electron's roles keep their behaviour; their labels are the menu's language.
    expect(find(t, 'View').submenu!.filter((i) => i.role).map((i) => i.role)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'toggleDevTools']);
  });

  it('follows macOS conventions: an app menu with About and Quit, no Exit in File', () => {
    const t = buildMenuTemplate({ platform: 'darwin', appName: 'Lab', recent: [], theme: 'dark' });
    expect(labels(t)[0]).toBe('Lab');
    expect(labels(t[0].submenu!)).toEqual(['About Lab', 'separator', 'Services', 'separator', 'Hide Lab', 'Hide Others', 'Show All', 'separator', 'Quit Lab']);
    expect(t[0].submenu!.map((i) => i.role).filter(Boolean)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(labels(find(t, 'File').submenu!)).not.toContain('Exit');
    expect(find(find(t, 'File').submenu!, 'Open Recent').submenu).toEqual([{ label: 'No Recent Files', role: 'none' }]);
    expect(find(t, 'View').submenu!.find((i) => i.label === 'Theme: Dark')?.checked).toBe(true);
  });
});

describe('file menu', () => {
  it('has every export a session offers', () => {
    const file = buildMenuTemplate({ platform: 'linux', appName: 'Gradient Descent Lab', recent: [], theme: 'system' }).find((m) => m.label === 'File')!;
    const exports = file.submenu!.find((i) => i.label === 'Export')!.submenu!;
    expect(exports.map((i) => i.command)).toEqual(['file.exportPng', 'file.exportCsv', 'file.exportPredictions', 'file.exportPytorch', 'file.exportNotebook']);
  });
});

describe('window state', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1080 };
  it('restores a saved window that is still on a display', () => {
    expect(restoreWindowState({ x: 100, y: 50, width: 1300, height: 850, maximized: true }, [primary], primary)).toEqual({ x: 100, y: 50, width: 1300, height: 850, maximized: true });
  });
  it('centres a default window when the saved one is off every display or corrupt', () => {
    const centred = { x: 320, y: 140, width: 1280, height: 800, maximized: false };
    expect(restoreWindowState({ x: 5000, y: 5000, width: 1300, height: 850 }, [primary], primary)).toEqual(centred);
    expect(restoreWindowState('nonsense', [primary], primary)).toEqual(centred);
    expect(restoreWindowState({ x: NaN, y: 0, width: 1, height: 1 }, [primary], primary)).toEqual(centred);
  });
  it('never restores below the minimum size', () => {
    expect(restoreWindowState({ x: 0, y: 0, width: 10, height: 10 }, [primary], primary)).toMatchObject({ width: 960, height: 640 });
  });
});

describe('files', () => {
  it('saves atomically: the new content replaces the old, no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdlab-save-'));
    const target = join(dir, 'session.gdlab');
    writeFileSync(target, 'old');
    await atomicWrite(target, 'new content');
    expect(readFileSync(target, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['session.gdlab']);
  });

  it('a failed save leaves the old file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdlab-save-'));
    const target = join(dir, 'session.gdlab');
    writeFileSync(target, 'old');
    chmodSync(dir, 0o500);
    try {
      if (process.getuid?.() === 0) return; // root ignores directory permissions
      await expect(atomicWrite(target, 'new')).rejects.toThrow();
      expect(readFileSync(target, 'utf8')).toBe('old');
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('keeps recent files most recent first, without duplicates', () => {
    expect(pushRecent(['/a', '/b', '/c'], '/b')).toEqual(['/b', '/a', '/c']);
    expect(pushRecent(Array.from({ length: 10 }, (_, i) => `/${i}`), '/new')).toHaveLength(10);
  });

  it('titles the window with the file name and an unsaved mark', () => {
    expect(windowTitle('Lab', '/home/me/race.gdlab', true)).toBe('• race.gdlab — Lab');
    expect(windowTitle('Lab', null, false)).toBe('Untitled — Lab');
  });
});

describe('engine supervisor', () => {
  function fakeProcess() {
    let exit: (code: number | null) => void = () => undefined;
    return { onExit: (l: (code: number | null) => void) => (exit = l), kill: () => exit(null), die: (code: number) => exit(code) };
  }

  it('restarts a crashed engine and reports the crash', () => {
    const spawned: ReturnType<typeof fakeProcess>[] = [];
    const crashes: unknown[] = [];
    const starts: boolean[] = [];
    const s = new EngineSupervisor({
      spawn: () => { const p = fakeProcess(); spawned.push(p); return p; },
      onStarted: (_p, restart) => starts.push(restart),
      onCrashed: (info) => crashes.push(info),
    });
    s.start();
    spawned[0].die(9);
    expect(starts).toEqual([false, true]);
    expect(crashes).toEqual([{ code: 9, restarts: 0, willRestart: true }]);
    expect(s.process).toBe(spawned[1]);
  });

  it('gives up after too many crashes in a minute', () => {
    let t = 0;
    const spawned: ReturnType<typeof fakeProcess>[] = [];
    const crashes: Array<{ willRestart: boolean }> = [];
    const s = new EngineSupervisor({ spawn: () => { const p = fakeProcess(); spawned.push(p); return p; }, onStarted: () => undefined, onCrashed: (i) => crashes.push(i), maxRestarts: 2, now: () => t });
    s.start();
    for (let k = 0; k < 3; k++) { t += 1000; spawned[spawned.length - 1].die(1); }
    expect(crashes.map((c) => c.willRestart)).toEqual([true, true, false]);
    expect(s.process).toBeNull();
  });

  it('does not restart an engine it stopped itself', () => {
    const spawned: ReturnType<typeof fakeProcess>[] = [];
    const crashes: unknown[] = [];
    const s = new EngineSupervisor({ spawn: () => { const p = fakeProcess(); spawned.push(p); return p; }, onStarted: () => undefined, onCrashed: (i) => crashes.push(i) });
    s.start();
    s.stop();
    expect(crashes).toEqual([]);
    expect(spawned).toHaveLength(1);
  });
});

describe('experiment helpers', () => {
  it('counts one helper per core beside the lab’s engine, within bounds', () => {
    expect([1, 2, 8, 64].map(helperCount)).toEqual([0, 1, 7, 15]);
    expect(IPC_SCHEMAS.requestHelperPort.safeParse({ index: 15 }).success).toBe(false);
    expect(IPC_SCHEMAS.requestHelperPort.safeParse({ index: 0.5 }).success).toBe(false);
  });

  it('starts engine processes on first request, keeps them, forgets and reports one that dies', async () => {
    // Real engine processes (as utility processes are on the desktop), each wrapped as the app wraps them.
    const spawned: ForkedEngine[] = [];
    const connected: number[] = [];
    const stopped: number[] = [];
    const helpers = new HelperProcesses({
      count: 2,
      spawn: () => {
        const e = forkEngine();
        e.ready.catch(() => undefined);
        spawned.push(e);
        return { onExit: (l: (code: number | null) => void) => void e.child.on('exit', (code) => l(code)), kill: () => void e.child.kill() };
      },
      connect: (_p, index) => connected.push(index),
      onStopped: (index) => stopped.push(index),
    });
    expect(helpers.request(2)).toBe(false);
    expect(helpers.request(0)).toBe(true);
    expect(helpers.request(0)).toBe(true);
    expect(helpers.request(1)).toBe(true);
    expect(spawned).toHaveLength(2);
    expect(connected).toEqual([0, 0, 1]);
    await Promise.all(spawned.map((e) => e.ready));
    expect(await spawned[1].client.request('evaluate', { expr: 'x^2', at: [3] })).toEqual({ value: 9, gradient: [6] });
    // Helper 0 dies: it is reported, and the next request starts a new process.
    const died = new Promise((resolve) => spawned[0].child.once('exit', resolve));
    spawned[0].child.kill('SIGKILL');
    await died;
    expect(stopped).toEqual([0]);
    expect(helpers.running).toBe(1);
    expect(helpers.request(0)).toBe(true);
    expect(spawned).toHaveLength(3);
    // Stopping the app kills every helper without reporting them as stopped.
    const ends = spawned.slice(1).map((e) => new Promise((resolve) => e.child.once('exit', resolve)));
    helpers.stop();
    await Promise.all(ends);
    expect(stopped).toEqual([0]);
    expect(helpers.request(1)).toBe(false);
  });
});
