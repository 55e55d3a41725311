// The desktop shell's security settings, asserted on the very objects main.ts uses.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, isTrustedSender, permissionDecision, resolveAppUrl, secureWebPreferences } from '../../app/lib/security';
import { validateIpc, IPC } from '../../app/lib/ipc';
import { readFileSync } from 'node:fs';

describe('the window', () => {
  it('is isolated, sandboxed and has no Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, experimentalFeatures: false, navigateOnDragDrop: false, disableBlinkFeatures: 'Auxclick' });
  });

  it('main.ts creates its window with these preferences, from the app:// origin', () => {
    const main = readFileSync(new URL('../../app/main.ts', import.meta.url), 'utf8');
    expect(main).toMatch(/webPreferences: secureWebPreferences\(/);
    expect(main).toMatch(/win\.loadURL\(devOrigin \?\? `\$\{APP_ORIGIN\}\/index\.html`\)/);
    expect(main).toMatch(/const devOrigin = !app\.isPackaged && process\.env\.ELECTRON_RENDERER_URL/);
    expect(main).not.toMatch(/file:\/\//);
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/setPermissionRequestHandler/);
  });
});

describe('Content-Security-Policy', () => {
  const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('allows nothing remote and no eval', () => {
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  it('the web build’s page carries the same restrictions in a meta tag', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta).toMatch(/default-src 'none'/);
    expect(meta).toMatch(/script-src 'self'(;|$)/);
    expect(meta).not.toMatch(/unsafe-eval|https?:/);
  });
});

describe('navigation, permissions and senders', () => {
  it.each([
    ['app://lab/index.html', true],
    ['app://lab/assets/index.js', true],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['app://evil/index.html', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedNavigation(url)).toBe(allowed);
  });

  it('denies every permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) expect(permissionDecision(p)).toBe(false);
  });

  it('allows the development server only when asked, and only on this machine', () => {
    expect(isAllowedNavigation('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173/', undefined)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAllowedNavigation('http://example.com:5173/', 'http://example.com:5173')).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true, 'http://localhost:5173')).toBe(true);
  });

  it('trusts only the app’s own main frame', () => {
    expect(isTrustedSender('app://lab/index.html', true)).toBe(true);
    expect(isTrustedSender('app://lab/index.html', false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
});

describe('the app:// protocol', () => {
  it('maps URLs below the renderer folder and refuses to leave it', () => {
    expect(resolveAppUrl('app://lab/', '/opt/app/renderer')).toBe('/opt/app/renderer/index.html');
    expect(resolveAppUrl('app://lab/assets/a.js', '/opt/app/renderer')).toBe('/opt/app/renderer/assets/a.js');
    // The URL parser resolves dot segments (also %2e%2e) against the root: they cannot climb out.
    expect(resolveAppUrl('app://lab/../../etc/passwd', '/opt/app/renderer')).toBe('/opt/app/renderer/etc/passwd');
    expect(resolveAppUrl('app://lab/%2e%2e/%2e%2e/etc/passwd', '/opt/app/renderer')).toBe('/opt/app/renderer/etc/passwd');
    expect(resolveAppUrl('app://lab/a/%252e%252e/b', '/opt/app/renderer')).toBe('/opt/app/renderer/a/%2e%2e/b');
    expect(resolveAppUrl('app://lab/a%5c..%5cb', '/opt/app/renderer')).toBeNull();
    expect(resolveAppUrl('app://other/index.html', '/opt/app/renderer')).toBeNull();
    expect(resolveAppUrl('app://lab/%E0%A4%A', '/opt/app/renderer')).toBeNull();
  });
});

describe('IPC validation', () => {
  it('accepts well-formed payloads', () => {
    expect(validateIpc(IPC.openFile, { kind: 'dataset' })).toEqual({ kind: 'dataset' });
    expect(validateIpc(IPC.saveFile, { kind: 'session', suggestedName: 'a.gdlab', data: '{}', path: null })).toMatchObject({ kind: 'session' });
  });

  it.each([
    [IPC.openFile, { kind: 'executable' }, /Invalid lab:openFile request at kind/],
    [IPC.openFile, null, /at kind/],
    [IPC.saveFile, { kind: 'session', suggestedName: '../../.bashrc', data: '', path: null }, /at suggestedName: a file name without folders/],
    [IPC.saveFile, { kind: 'session', suggestedName: 'a.gdlab', data: 42, path: null }, /at data/],
    [IPC.setTitle, { filePath: 3, dirty: true }, /at filePath/],
    [IPC.appInfo, { extra: true }, /Invalid lab:appInfo request/],
  ])('%s refuses %j', (channel, payload, message) => {
    expect(() => validateIpc(channel as never, payload)).toThrow(message);
  });

  it('refuses channels outside the allowlist', () => {
    expect(() => validateIpc('lab:exec' as never, {})).toThrow('Unknown IPC channel lab:exec');
  });

  it('the preload exposes named functions only, never ipcRenderer, and invokes only validated channels', () => {
    const preload = readFileSync(new URL('../../app/preload.ts', import.meta.url), 'utf8');
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\('lab', lab\)/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    const invoked = [...preload.matchAll(/ipcRenderer\.invoke\(IPC\.(\w+)/g)].map((m) => (IPC as Record<string, string>)[m[1]]);
    expect(invoked.length).toBeGreaterThanOrEqual(9);
    for (const channel of invoked) expect(() => validateIpc(channel as never, undefined)).not.toThrow(/Unknown IPC channel/);
    expect(preload).not.toMatch(/ipcRenderer\.(send|sendSync)\(/);
  });
});
