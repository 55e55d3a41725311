/**
 * The application menu as data: each item names a command the renderer
 * handles (or an Electron role). main.ts turns it into a Menu; tests check the
 * platform conventions here.
 */

import i18next from 'i18next';
import { LANGUAGES, type LanguageCode } from '../../engine/spec/desktop';
import en from '../../renderer/src/i18n/locales/en/menu.json';
import pt from '../../renderer/src/i18n/locales/pt-BR/menu.json';
import zh from '../../renderer/src/i18n/locales/zh-CN/menu.json';

/** The menus' texts: the `menu` area of the interface's catalogs, in a translator of their own. */
const texts = i18next.createInstance();
void texts.init({
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false },
  showSupportNotice: false,
  resources: { en: { translation: en }, 'pt-BR': { translation: pt }, 'zh-CN': { translation: zh } },
} as Parameters<typeof texts.init>[0]);

export type MenuCommand =
  | 'file.new' | 'file.open' | 'file.save' | 'file.saveAs' | 'file.exportPng' | 'file.exportCsv' | 'file.exportPredictions' | 'file.exportPytorch' | 'file.exportNotebook'
  | 'view.theme.system' | 'view.theme.light' | 'view.theme.dark' | `view.language.${LanguageCode}`
  | 'run.toggle' | 'run.step' | 'run.reset'
  | 'help.learn' | 'help.welcome' | 'help.shortcuts' | 'help.about';

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

export function buildMenuTemplate(options: { platform: string; appName: string; recent: readonly string[]; theme: 'system' | 'light' | 'dark'; language?: LanguageCode }): MenuItemSpec[] {
  const language = options.language ?? 'en';
  const t = texts.getFixedT(language);
  /** An Electron role, labelled in the menu's language (Electron's own labels are English). */
  const role = (name: string): MenuItemSpec => ({ role: name, label: t(`role.${name}`, { app: options.appName }) });
  const mac = options.platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  const recent: MenuItemSpec[] = options.recent.length
    ? [...options.recent.map((path) => ({ label: path, openPath: path })), sep, { label: t('clearRecent'), role: 'clearRecentDocuments' }]
    : [{ label: t('noRecent'), role: 'none' }];
  const template: MenuItemSpec[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [{ label: t('about', { app: options.appName }), command: 'help.about' }, sep, role('services'), sep, role('hide'), role('hideOthers'), role('unhide'), sep, role('quit')],
    });
  }
  template.push({
    label: t('file'),
    submenu: [
      { label: t('new'), command: 'file.new', accelerator: 'CmdOrCtrl+N' },
      { label: t('open'), command: 'file.open', accelerator: 'CmdOrCtrl+O' },
      { label: t('openRecent'), submenu: recent },
      sep,
      { label: t('save'), command: 'file.save', accelerator: 'CmdOrCtrl+S' },
      { label: t('saveAs'), command: 'file.saveAs', accelerator: 'CmdOrCtrl+Shift+S' },
      sep,
      {
        label: t('export'),
        submenu: [
          { label: t('exportPng'), command: 'file.exportPng' },
          { label: t('exportCsv'), command: 'file.exportCsv' },
          { label: t('exportPredictions'), command: 'file.exportPredictions' },
          { label: t('exportPytorch'), command: 'file.exportPytorch' },
          { label: t('exportNotebook'), command: 'file.exportNotebook' },
        ],
      },
      ...(mac ? [] : [sep, { role: 'quit', label: t('exit') }]),
    ],
  });
  template.push({
    label: t('edit'),
    submenu: [role('undo'), role('redo'), sep, role('cut'), role('copy'), role('paste'), role('selectAll')],
  });
  template.push({
    label: t('run'),
    submenu: [
      { label: t('runPause'), command: 'run.toggle', accelerator: 'CmdOrCtrl+Enter' },
      { label: t('step'), command: 'run.step', accelerator: 'CmdOrCtrl+.' },
      { label: t('reset'), command: 'run.reset', accelerator: 'CmdOrCtrl+Shift+R' },
    ],
  });
  template.push({
    label: t('view'),
    submenu: [
      role('resetZoom'), role('zoomIn'), role('zoomOut'), sep,
      { label: t('themeSystem'), command: 'view.theme.system', type: 'radio', checked: options.theme === 'system' },
      { label: t('themeLight'), command: 'view.theme.light', type: 'radio', checked: options.theme === 'light' },
      { label: t('themeDark'), command: 'view.theme.dark', type: 'radio', checked: options.theme === 'dark' },
      sep,
      {
        label: t('language'),
        submenu: LANGUAGES.map(({ code, name }) => ({ label: name, command: `view.language.${code}` as const, type: 'radio' as const, checked: language === code })),
      },
      sep, role('togglefullscreen'), role('toggleDevTools'),
    ],
  });
  template.push({
    label: t('help'),
    submenu: [
      { label: t('lessons'), command: 'help.learn' },
      { label: t('welcome'), command: 'help.welcome' },
      sep,
      { label: t('shortcuts'), command: 'help.shortcuts', accelerator: 'F1' },
      ...(mac ? [] : [{ label: t('about', { app: options.appName }), command: 'help.about' as const }]),
    ],
  });
  return template;
}
