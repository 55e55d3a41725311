/**
 * The application menu as data: each item names a command the renderer
 * handles (or an Electron role). main.ts turns it into a Menu; tests check the
 * platform conventions here.
 */

export type MenuCommand =
  | 'file.new' | 'file.open' | 'file.save' | 'file.saveAs' | 'file.exportPng' | 'file.exportCsv' | 'file.exportPredictions' | 'file.exportPytorch'
  | 'view.theme.system' | 'view.theme.light' | 'view.theme.dark'
  | 'run.toggle' | 'run.step' | 'run.reset'
  | 'help.shortcuts' | 'help.about';

export interface MenuItemSpec {
  label?: string;
  command?: MenuCommand;
  role?: string;
  accelerator?: string;
  type?: 'separator' | 'radio';
  checked?: boolean;
  submenu?: MenuItemSpec[];
  /** For Open Recent: the file to open. */
  openPath?: string;
}

export function buildMenuTemplate(options: { platform: string; appName: string; recent: readonly string[]; theme: 'system' | 'light' | 'dark' }): MenuItemSpec[] {
  const mac = options.platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  const recent: MenuItemSpec[] = options.recent.length
    ? [...options.recent.map((path) => ({ label: path, openPath: path })), sep, { label: 'Clear Recent', role: 'clearRecentDocuments' }]
    : [{ label: 'No Recent Files', role: 'none' }];
  const template: MenuItemSpec[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [{ label: `About ${options.appName}`, command: 'help.about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      { label: 'New', command: 'file.new', accelerator: 'CmdOrCtrl+N' },
      { label: 'Open…', command: 'file.open', accelerator: 'CmdOrCtrl+O' },
      { label: 'Open Recent', submenu: recent },
      sep,
      { label: 'Save', command: 'file.save', accelerator: 'CmdOrCtrl+S' },
      { label: 'Save As…', command: 'file.saveAs', accelerator: 'CmdOrCtrl+Shift+S' },
      sep,
      {
        label: 'Export',
        submenu: [
          { label: 'Chart as PNG…', command: 'file.exportPng' },
          { label: 'Run History as CSV…', command: 'file.exportCsv' },
          { label: 'Data with Predictions as CSV…', command: 'file.exportPredictions' },
          { label: 'PyTorch Script…', command: 'file.exportPytorch' },
        ],
      },
      ...(mac ? [] : [sep, { role: 'quit', label: 'Exit' }]),
    ],
  });
  template.push({
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  template.push({
    label: 'Run',
    submenu: [
      { label: 'Run / Pause', command: 'run.toggle', accelerator: 'CmdOrCtrl+Enter' },
      { label: 'Step', command: 'run.step', accelerator: 'CmdOrCtrl+.' },
      { label: 'Reset', command: 'run.reset', accelerator: 'CmdOrCtrl+Shift+R' },
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep,
      { label: 'Theme: System', command: 'view.theme.system', type: 'radio', checked: options.theme === 'system' },
      { label: 'Theme: Light', command: 'view.theme.light', type: 'radio', checked: options.theme === 'light' },
      { label: 'Theme: Dark', command: 'view.theme.dark', type: 'radio', checked: options.theme === 'dark' },
      sep, { role: 'togglefullscreen' }, { role: 'toggleDevTools' },
    ],
  });
  template.push({
    label: 'Help',
    submenu: [
      { label: 'Keyboard Shortcuts', command: 'help.shortcuts', accelerator: 'F1' },
      ...(mac ? [] : [{ label: `About ${options.appName}`, command: 'help.about' as const }]),
    ],
  });
  return template;
}
