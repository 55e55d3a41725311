/**
 * The window's security settings and the decisions main makes about
 * navigation, new windows and permissions, as plain data and functions so
 * they are tested in Node (Electron's security checklist, items 1–15).
 */

export const APP_ORIGIN = 'app://lab';

/** webPreferences of the one BrowserWindow. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: true,
    // Middle-click would otherwise ask for a new window (refused anyway by the window-open handler).
    disableBlinkFeatures: 'Auxclick',
  } as const;
}

/**
 * No remote origins at all. `wasm-unsafe-eval` is not needed; `unsafe-eval` is
 * left out, so the formula compiler falls back to its closure backend in the
 * desktop window. Styles allow inline attributes for KaTeX's layout.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Navigation stays inside the app: anything else (links, drops, redirects) is
 * refused. `devOrigin` is electron-vite's dev server (`npm start`), allowed
 * only in an unpackaged app.
 */
export function isAllowedNavigation(url: string, devOrigin?: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'app:' && u.host === 'lab') return true;
    return devOrigin !== undefined && u.origin === new URL(devOrigin).origin && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

/** Every permission request (camera, notifications, clipboard-read, …) is denied. */
export function permissionDecision(_permission: string): boolean {
  return false;
}

/** IPC senders must be the app's own top-level page. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean, devOrigin?: string): boolean {
  return isMainFrame && typeof frameUrl === 'string' && isAllowedNavigation(frameUrl, devOrigin);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function mimeType(path: string): string {
  const dot = path.lastIndexOf('.');
  return MIME[path.slice(dot).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps an app:// URL to a file below `root`, or null when it would leave it
 * (../, encoded or not). The host must be `lab`; `/` is index.html.
 */
export function resolveAppUrl(url: string, root: string, sep = '/'): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'app:' || u.host !== 'lab') return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  const parts = path.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) return null;
  return [root.replace(/[\\/]+$/, ''), ...parts].join(sep);
}
