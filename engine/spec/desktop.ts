/**
 * The desktop app's IPC contract, declared once: each call the sandboxed page
 * may make of Electron's main process (its channel, its input and what main
 * answers), and the events main sends the page. Main registers its handlers
 * against it and validates every input with a schema checked against it
 * (app/lib/ipc.ts), the preload exposes it as `window.lab` (app/preload.ts),
 * and the renderer's ElectronBridge calls it; the compiler holds all of them
 * to this one declaration. It imports nothing, so the preload stays small.
 */

export const DESKTOP_CHANNELS = {
  openFile: 'lab:openFile',
  saveFile: 'lab:saveFile',
  readPath: 'lab:readPath',
  appInfo: 'lab:appInfo',
  setTitle: 'lab:setTitle',
  recentFiles: 'lab:recentFiles',
  setTheme: 'lab:setTheme',
  requestEnginePort: 'lab:requestEnginePort',
  requestHelperPort: 'lab:requestHelperPort',
  confirmDiscard: 'lab:confirmDiscard',
  autosave: 'lab:autosave',
  recoverable: 'lab:recoverable',
  copyImage: 'lab:copyImage',
  setLanguage: 'lab:setLanguage',
} as const;

/** The interface's languages (BCP 47), the first the default. */
export const LANGUAGE_CODES = ['en', 'pt-BR', 'zh-CN'] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

/** Each language named in itself: in full (menus), short (the toolbar's picker) and as a code (a narrow toolbar). */
export const LANGUAGES: readonly { code: LanguageCode; name: string; short: string; abbr: string }[] = [
  { code: 'en', name: 'English', short: 'English', abbr: 'EN' },
  { code: 'pt-BR', name: 'Português (Brasil)', short: 'Português', abbr: 'PT' },
  { code: 'zh-CN', name: '中文 (简体)', short: '中文', abbr: '中文' },
];

export const isLanguage = (value: unknown): value is LanguageCode => LANGUAGE_CODES.includes(value as LanguageCode);

/** The supported language closest to a BCP 47 tag (a system locale): pt-* → Português, zh-* → 中文, anything else English. */
export function matchLanguage(tag: string | null | undefined): LanguageCode {
  const lower = (tag ?? '').toLowerCase();
  if (lower.startsWith('pt')) return 'pt-BR';
  if (lower.startsWith('zh')) return 'zh-CN';
  return 'en';
}

export type DesktopCall = keyof typeof DESKTOP_CHANNELS;

/** Experiment helpers are at most this many, whatever the core count. */
export const MAX_HELPERS = 15;

/** Experiment helpers for a machine with `cores` logical cores: one engine per core beside the lab's own. */
export function helperCount(cores: number): number {
  return Math.max(0, Math.min(MAX_HELPERS, Math.floor(cores) - 1));
}
export type SaveKind = 'session' | 'csv' | 'png' | 'svg' | 'python' | 'notebook';

/** What the page sends with each call. */
export interface DesktopInputs {
  openFile: { kind: 'dataset' | 'session' };
  saveFile: { kind: SaveKind; suggestedName: string; data: string | Uint8Array; path: string | null };
  readPath: { path: string };
  appInfo: Record<string, never>;
  setTitle: { filePath: string | null; dirty: boolean };
  recentFiles: Record<string, never>;
  setTheme: { theme: 'system' | 'light' | 'dark' };
  requestEnginePort: Record<string, never>;
  /** A port to experiment helper `index` (an engine in a utility process of its own), started if need be. */
  requestHelperPort: { index: number };
  confirmDiscard: { action: 'close' | 'open' | 'new' };
  autosave: { text: string | null };
  recoverable: Record<string, never>;
  copyImage: { png: Uint8Array };
  /** The language the person chose: the menus follow it, and it is kept for the next start. */
  setLanguage: { language: LanguageCode };
}

export interface DesktopFile {
  name: string;
  path: string;
  bytes: Uint8Array;
}

/** What main answers to each call. */
export interface DesktopReplies {
  openFile: DesktopFile | null;
  saveFile: { path: string } | null;
  readPath: DesktopFile;
  /** `locale` is the system's (app.getLocale()); `language` the one chosen before, if any. */
  appInfo: { name: string; version: string; platform: string; electron: string; locale: string; language: LanguageCode | null };
  setTitle: boolean;
  recentFiles: string[];
  setTheme: boolean;
  requestEnginePort: boolean;
  /** How many helpers this machine gets (its cores minus one); false when `index` is not below it. */
  requestHelperPort: { helpers: number; started: boolean };
  confirmDiscard: boolean;
  autosave: boolean;
  recoverable: { text: string; savedAt: string } | null;
  copyImage: boolean;
  setLanguage: boolean;
}

/** The channels main sends on. */
export const DESKTOP_EVENTS = {
  enginePort: 'lab:enginePort',
  menu: 'lab:menu',
  openPath: 'lab:openPath',
  engineCrashed: 'lab:engineCrashed',
  helperPort: 'lab:helperPort',
  helperStopped: 'lab:helperStopped',
} as const;

/** What each event carries. */
export interface DesktopEvents {
  menu: string;
  openPath: string;
  engineCrashed: { willRestart: boolean };
  helperStopped: { index: number };
}

/** `window.lab`: one function per call, and a subscription per event (returning its unsubscribe). */
export type DesktopApi = { readonly kind: 'electron' } & { [K in DesktopCall]: (input: DesktopInputs[K]) => Promise<DesktopReplies[K]> } & {
  onMenu(listener: (command: DesktopEvents['menu']) => void): () => void;
  onOpenPath(listener: (path: DesktopEvents['openPath']) => void): () => void;
  onEngineCrashed(listener: (info: DesktopEvents['engineCrashed']) => void): () => void;
  onHelperStopped(listener: (info: DesktopEvents['helperStopped']) => void): () => void;
};
