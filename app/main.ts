/**
 * Electron main process: wiring only. Every decision (security settings, menu,
 * IPC validation, window state, atomic saves, engine restarts) lives in the
 * plain modules under app/lib, tested in Node.
 */
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, ipcMain, Menu, MessageChannelMain, nativeTheme, net, protocol, screen, session, utilityProcess, type MenuItemConstructorOptions, type UtilityProcess } from 'electron';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAllowedNavigation, isTrustedSender, mimeType, permissionDecision, resolveAppUrl, secureWebPreferences } from './lib/security';
import { buildMenuTemplate, type MenuItemSpec } from './lib/menu';
import { FILE_FILTERS, helperCount, IPC, validateIpc } from './lib/ipc';
import { DESKTOP_EVENTS as EVENTS, isLanguage, matchLanguage, type LanguageCode, type DesktopCall, type DesktopInputs, type DesktopReplies } from '../engine/spec/desktop';
import { atomicWrite, fileErrorMessage, pushRecent, readUserFile, windowTitle } from './lib/files';
import { restoreWindowState, MIN_SIZE } from './lib/windowState';
import { EngineSupervisor } from './lib/supervisor';
import { HelperProcesses } from './lib/helpers';
import { autosavePath, closeDecision, readAutosave, writeAutosave } from './lib/autosave';

const APP_NAME = 'Gradient Descent Lab';
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = join(here, '../renderer');
const stateFile = () => join(app.getPath('userData'), 'state.json');

interface Persisted {
  window?: unknown;
  recent?: string[];
  theme?: 'system' | 'light' | 'dark';
  /** The interface language the person chose; until then the system's. */
  language?: LanguageCode;
}

let persisted: Persisted = {};
// `npm start` (electron-vite dev) serves the renderer with hot reload; a packaged app never does.
const devOrigin = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : undefined;
let win: BrowserWindow | null = null;
let pendingOpen: string | null = process.argv.find((a) => a.endsWith('.gdlab')) ?? null;

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const file = argv.find((a) => a.endsWith('.gdlab'));
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
      if (file) win.webContents.send(EVENTS.openPath, file);
    }
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (win) win.webContents.send(EVENTS.openPath, path);
    else pendingOpen = path;
  });
  app.whenReady().then(start, (error) => {
    dialog.showErrorBox(APP_NAME, `The app could not start: ${String(error)}`);
    app.quit();
  });
}

async function loadState(): Promise<void> {
  try {
    persisted = JSON.parse(await readFile(stateFile(), 'utf8')) as Persisted;
  } catch {
    persisted = {};
  }
}

async function saveState(): Promise<void> {
  await mkdir(app.getPath('userData'), { recursive: true });
  await writeFile(stateFile(), JSON.stringify(persisted));
}

function serveApp(): void {
  protocol.handle('app', async (request) => {
    const file = resolveAppUrl(request.url, rendererRoot, process.platform === 'win32' ? '\\' : '/');
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const response = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers({ 'Content-Type': mimeType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' });
      return new Response(response.body, { status: response.status, headers });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, devOrigin)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, devOrigin)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Answers one call of the desktop contract: its input validated, its answer typed by the contract. */
function handle<K extends DesktopCall>(call: K, fn: (input: DesktopInputs[K], event: Electron.IpcMainInvokeEvent) => DesktopReplies[K] | Promise<DesktopReplies[K]>): void {
  const channel = IPC[call];
  ipcMain.handle(channel, async (event, payload) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame?.url, frame === event.sender.mainFrame, devOrigin)) throw new Error('Refused: the request did not come from the app window');
    return fn(validateIpc<K>(channel, payload), event);
  });
}

function applyMenu(): void {
  const toElectron = (item: MenuItemSpec): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const out: MenuItemConstructorOptions = { label: item.label, accelerator: item.accelerator };
    if (item.role && item.role !== 'none') out.role = item.role as MenuItemConstructorOptions['role'];
    if (item.role === 'none') out.enabled = false;
    if (item.type === 'radio') {
      out.type = 'radio';
      out.checked = item.checked;
    }
    if (item.submenu) out.submenu = item.submenu.map(toElectron);
    if (item.command) {
      const command = item.command;
      out.click = () => {
        if (command.startsWith('view.theme.')) setTheme(command.slice('view.theme.'.length) as Persisted['theme'] & string);
        win?.webContents.send(EVENTS.menu, command);
      };
    }
    if (item.openPath) {
      const path = item.openPath;
      out.click = () => win?.webContents.send(EVENTS.openPath, path);
    }
    return out;
  };
  const template = buildMenuTemplate({ platform: process.platform, appName: APP_NAME, recent: persisted.recent ?? [], theme: persisted.theme ?? 'system', language: chosenLanguage() ?? matchLanguage(app.getLocale()) });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map(toElectron)));
}

/** The language the person chose, as kept in the state file (which is read, not trusted). */
function chosenLanguage(): LanguageCode | null {
  return isLanguage(persisted.language) ? persisted.language : null;
}

function setTheme(theme: 'system' | 'light' | 'dark'): void {
  nativeTheme.themeSource = theme;
  persisted.theme = theme;
  void saveState();
}

function addRecent(path: string): void {
  persisted.recent = pushRecent(persisted.recent ?? [], path);
  app.addRecentDocument(path);
  void saveState();
  applyMenu();
}

const enginePath = fileURLToPath(new URL('./engine.js', import.meta.url));

function connectEngine(child: UtilityProcess, restarted: boolean): void {
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ type: 'engine-port' }, [port1]);
  win?.webContents.postMessage(EVENTS.enginePort, { restarted }, [port2]);
}

async function start(): Promise<void> {
  await loadState();
  nativeTheme.themeSource = persisted.theme ?? 'system';
  serveApp();
  harden();
  const display = screen.getPrimaryDisplay().workArea;
  const bounds = restoreWindowState(persisted.window, screen.getAllDisplays().map((d) => d.workArea), display);
  win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: APP_NAME,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: secureWebPreferences(join(here, '../preload/preload.cjs')),
  });
  if (bounds.maximized) win.maximize();
  const remember = () => {
    if (!win) return;
    persisted.window = { ...win.getNormalBounds(), maximized: win.isMaximized() };
  };
  win.on('resize', remember);
  win.on('move', remember);
  let documentDirty = false;
  let closeConfirmed = false;
  win.on('close', (event) => {
    remember();
    void saveState();
    if (!win || closeDecision(documentDirty, closeConfirmed) === 'close') return;
    event.preventDefault();
    const response = dialog.showMessageBoxSync(win, { type: 'warning', buttons: ['Discard changes', 'Cancel'], defaultId: 1, cancelId: 1, message: 'Close without saving?', detail: 'Your changes since the last save will be lost. Choose Cancel, then File › Save, to keep them.' });
    if (response === 0) {
      closeConfirmed = true;
      void writeAutosave(autosavePath(app.getPath('userData')), null).finally(() => win?.close());
    }
  });
  win.once('ready-to-show', () => win?.show());
  applyMenu();

  const supervisor = new EngineSupervisor({
    spawn: () => {
      const child = utilityProcess.fork(enginePath, [], { serviceName: 'Gradient Descent Lab engine' });
      return Object.assign(child, {
        onExit: (listener: (code: number | null) => void) => child.on('exit', listener),
      });
    },
    onStarted: (child, restarted) => connectEngine(child, restarted),
    onCrashed: ({ willRestart }) => win?.webContents.send(EVENTS.engineCrashed, { willRestart }),
  });

  handle('requestEnginePort', () => {
    const child = supervisor.process ?? supervisor.start();
    connectEngine(child, false);
    return true;
  });
  // Sweeps and basin maps also run on helpers: one engine per further core, each in its own utility process.
  const helpers = new HelperProcesses({
    count: helperCount(availableParallelism()),
    spawn: () => {
      const child = utilityProcess.fork(enginePath, [], { serviceName: 'Gradient Descent Lab experiment helper' });
      return Object.assign(child, { onExit: (listener: (code: number | null) => void) => child.on('exit', listener) });
    },
    connect: (child, index) => {
      const { port1, port2 } = new MessageChannelMain();
      child.postMessage({ type: 'engine-port' }, [port1]);
      win?.webContents.postMessage(EVENTS.helperPort, { index }, [port2]);
    },
    onStopped: (index) => win?.webContents.send(EVENTS.helperStopped, { index }),
  });
  handle('requestHelperPort', ({ index }) => ({ helpers: helpers.count, started: helpers.request(index) }));
  handle('appInfo', () => ({ name: APP_NAME, version: app.getVersion(), platform: process.platform, electron: process.versions.electron, locale: app.getLocale(), language: chosenLanguage() }));
  handle('setLanguage', ({ language }) => {
    persisted.language = language;
    void saveState();
    applyMenu();
    return true;
  });
  handle('setTitle', ({ filePath, dirty }) => {
    documentDirty = dirty;
    win?.setTitle(windowTitle(APP_NAME, filePath, dirty));
    win?.setDocumentEdited(dirty);
    if (filePath) win?.setRepresentedFilename(filePath);
    return true;
  });
  handle('setTheme', ({ theme }) => {
    setTheme(theme);
    applyMenu();
    return true;
  });
  handle('recentFiles', () => persisted.recent ?? []);
  handle('openFile', async ({ kind }) => {
    if (!win) return null;
    const result = await dialog.showOpenDialog(win, { properties: ['openFile'], filters: FILE_FILTERS[kind].map((f) => ({ name: f.name, extensions: [...f.extensions] })) });
    if (result.canceled || !result.filePaths[0]) return null;
    const file = await readUserFile(result.filePaths[0]);
    if (kind === 'session') addRecent(file.path);
    return file;
  });
  handle('readPath', async ({ path }) => {
    const file = await readUserFile(path);
    if (path.endsWith('.gdlab')) addRecent(path);
    return file;
  });
  handle('saveFile', async ({ kind, suggestedName, data, path }) => {
    if (!win) return null;
    let target = path;
    if (!target) {
      const result = await dialog.showSaveDialog(win, { defaultPath: suggestedName, filters: FILE_FILTERS[kind].map((f) => ({ name: f.name, extensions: [...f.extensions] })) });
      if (result.canceled || !result.filePath) return null;
      target = result.filePath;
    }
    try {
      await atomicWrite(target, data);
    } catch (error) {
      throw new Error(fileErrorMessage(error, target, 'save'));
    }
    if (kind === 'session') addRecent(target);
    return { path: target };
  });
  handle('autosave', async ({ text }) => {
    await writeAutosave(autosavePath(app.getPath('userData')), text);
    return true;
  });
  handle('recoverable', () => readAutosave(autosavePath(app.getPath('userData'))));
  handle('copyImage', async ({ png }) => {
    await clipboard.write([new ClipboardItem({ 'image/png': new Blob([png as BlobPart], { type: 'image/png' }) })]);
    return true;
  });
  handle('confirmDiscard', async ({ action }) => {
    if (!win) return false;
    const verb = action === 'close' ? 'closing' : action === 'open' ? 'opening another file' : 'starting a new experiment';
    const { response } = await dialog.showMessageBox(win, { type: 'warning', buttons: ['Discard changes', 'Cancel'], defaultId: 1, cancelId: 1, message: `Discard unsaved changes before ${verb}?` });
    return response === 0;
  });

  await win.loadURL(devOrigin ?? `${APP_ORIGIN}/index.html`);
  supervisor.start();
  if (pendingOpen) {
    win.webContents.send(EVENTS.openPath, pendingOpen);
    pendingOpen = null;
  }
  app.on('before-quit', () => {
    supervisor.stop();
    helpers.stop();
  });
}

app.on('window-all-closed', () => app.quit());
