/** The IPC channel names, shared by main (which validates them, see ipc.ts) and the preload. */
export const IPC = {
  openFile: 'lab:openFile',
  saveFile: 'lab:saveFile',
  readPath: 'lab:readPath',
  appInfo: 'lab:appInfo',
  setTitle: 'lab:setTitle',
  recentFiles: 'lab:recentFiles',
  setTheme: 'lab:setTheme',
  requestEnginePort: 'lab:requestEnginePort',
  confirmDiscard: 'lab:confirmDiscard',
  autosave: 'lab:autosave',
  recoverable: 'lab:recoverable',
  copyImage: 'lab:copyImage',
} as const;

/** Channels main sends on, to the window. */
export const EVENTS = {
  enginePort: 'lab:enginePort',
  menu: 'lab:menu',
  openPath: 'lab:openPath',
  engineCrashed: 'lab:engineCrashed',
} as const;
