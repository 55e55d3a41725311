/**
 * The sandboxed preload: exposes one small typed API, `window.lab`, and
 * never `ipcRenderer` itself. The engine's MessagePort is forwarded to the
 * page with window.postMessage (MessagePorts cannot cross contextBridge).
 * Built as CommonJS, as sandboxed preloads must be.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EVENTS, IPC } from './lib/channels';



ipcRenderer.on(EVENTS.enginePort, (event, info: { restarted: boolean }) => {
  window.postMessage({ type: 'gdlab:engine-port', restarted: info?.restarted === true }, window.location.origin, event.ports);
});

type Listener<T> = (value: T) => void;
const subscribe = <T>(channel: string) => (listener: Listener<T>) => {
  const wrapped = (_event: unknown, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
};

const lab = {
  kind: 'electron' as const,
  openFile: (kind: 'dataset' | 'session') => ipcRenderer.invoke(IPC.openFile, { kind }),
  readPath: (path: string) => ipcRenderer.invoke(IPC.readPath, { path }),
  saveFile: (request: { kind: string; suggestedName: string; data: string | Uint8Array; path: string | null }) => ipcRenderer.invoke(IPC.saveFile, request),
  appInfo: () => ipcRenderer.invoke(IPC.appInfo, {}),
  setTitle: (filePath: string | null, dirty: boolean) => ipcRenderer.invoke(IPC.setTitle, { filePath, dirty }),
  recentFiles: () => ipcRenderer.invoke(IPC.recentFiles, {}),
  setTheme: (theme: 'system' | 'light' | 'dark') => ipcRenderer.invoke(IPC.setTheme, { theme }),
  requestEnginePort: () => ipcRenderer.invoke(IPC.requestEnginePort, {}),
  confirmDiscard: (action: 'close' | 'open' | 'new') => ipcRenderer.invoke(IPC.confirmDiscard, { action }),
  autosave: (text: string | null) => ipcRenderer.invoke(IPC.autosave, { text }),
  recoverable: () => ipcRenderer.invoke(IPC.recoverable, {}),
  copyImage: (png: Uint8Array) => ipcRenderer.invoke(IPC.copyImage, { png }),
  onMenu: subscribe<string>(EVENTS.menu),
  onOpenPath: subscribe<string>(EVENTS.openPath),
  onEngineCrashed: subscribe<{ willRestart: boolean }>(EVENTS.engineCrashed),
};

contextBridge.exposeInMainWorld('lab', lab);

export type LabApi = typeof lab;
