/**
 * The sandboxed preload: exposes the desktop contract (engine/spec/desktop.ts)
 * as `window.lab`, one named function per call, and never `ipcRenderer`
 * itself. The engine's MessagePort is forwarded to the page with
 * window.postMessage (MessagePorts cannot cross contextBridge). Built as
 * CommonJS, as sandboxed preloads must be.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_CHANNELS as IPC, DESKTOP_EVENTS as EVENTS, type DesktopApi } from '../engine/spec/desktop';

ipcRenderer.on(EVENTS.enginePort, (event, info: { restarted: boolean }) => {
  window.postMessage({ type: 'gdlab:engine-port', restarted: info?.restarted === true }, window.location.origin, event.ports);
});

ipcRenderer.on(EVENTS.helperPort, (event, info: { index: number }) => {
  window.postMessage({ type: 'gdlab:helper-port', index: Number(info?.index) }, window.location.origin, event.ports);
});

type Listener<T> = (value: T) => void;
const subscribe = <T>(channel: string) => (listener: Listener<T>) => {
  const wrapped = (_event: unknown, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
};

const lab: DesktopApi = {
  kind: 'electron',
  openFile: (input) => ipcRenderer.invoke(IPC.openFile, input),
  readPath: (input) => ipcRenderer.invoke(IPC.readPath, input),
  saveFile: (input) => ipcRenderer.invoke(IPC.saveFile, input),
  appInfo: (input) => ipcRenderer.invoke(IPC.appInfo, input),
  setTitle: (input) => ipcRenderer.invoke(IPC.setTitle, input),
  recentFiles: (input) => ipcRenderer.invoke(IPC.recentFiles, input),
  setTheme: (input) => ipcRenderer.invoke(IPC.setTheme, input),
  requestEnginePort: (input) => ipcRenderer.invoke(IPC.requestEnginePort, input),
  requestHelperPort: (input) => ipcRenderer.invoke(IPC.requestHelperPort, input),
  confirmDiscard: (input) => ipcRenderer.invoke(IPC.confirmDiscard, input),
  autosave: (input) => ipcRenderer.invoke(IPC.autosave, input),
  recoverable: (input) => ipcRenderer.invoke(IPC.recoverable, input),
  copyImage: (input) => ipcRenderer.invoke(IPC.copyImage, input),
  setLanguage: (input) => ipcRenderer.invoke(IPC.setLanguage, input),
  onMenu: subscribe(EVENTS.menu),
  onOpenPath: subscribe(EVENTS.openPath),
  onEngineCrashed: subscribe(EVENTS.engineCrashed),
  onHelperStopped: subscribe(EVENTS.helperStopped),
};

contextBridge.exposeInMainWorld('lab', lab);
