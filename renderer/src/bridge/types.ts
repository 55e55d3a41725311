/**
 * How the UI reaches the outside: the engine, files and the window. The
 * desktop app gives an ElectronBridge (over the preload's `window.lab`), the
 * browser build a WorkerBridge (engine in a Web Worker, files by file input and
 * download). No component knows which one it has.
 */
import type { EngineClient } from '../../../engine';
import type { LanguageCode } from '../../../engine/spec/desktop';

export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
  path?: string;
}

export interface SaveRequest {
  kind: 'session' | 'csv' | 'png' | 'svg' | 'python' | 'notebook';
  suggestedName: string;
  data: string | Uint8Array;
  /** Save to this path without asking (desktop only), or null for Save As. */
  path: string | null;
}

export interface LabBridge {
  readonly kind: 'electron' | 'web';
  /** The current engine connection; a new one after a crash. */
  readonly engine: EngineClient;
  /** Resolves once the engine has said it is ready. */
  ready(): Promise<void>;
  /**
   * The experiment helpers, ready: further engines (Web Workers, or utility processes on the
   * desktop), one per core beside the lab's own, started on first use and kept. Sweeps and basin
   * maps spread over them and the lab's engine; none on a one-core machine.
   */
  helpers(): Promise<EngineClient[]>;
  /** Called with the new client after the engine restarted, and the runs the old one lost. */
  onEngineRestart(listener: (info: { lostRuns: string[]; reason: string }) => void): () => void;
  openFile(kind: 'dataset' | 'session'): Promise<OpenedFile | null>;
  saveFile(request: SaveRequest): Promise<{ path?: string } | null>;
  setTitle(filePath: string | null, dirty: boolean): void;
  onMenu(listener: (command: string) => void): () => void;
  /** Reads a file the user opened before (recent files, a referenced dataset); null when it is gone. Desktop only. */
  readPath(path: string): Promise<OpenedFile | null>;
  /** Files the OS asks the app to open (double-click, drag onto the icon, command line). */
  onOpenPath(listener: (path: string) => void): () => void;
  /** Asks whether unsaved changes may be discarded. */
  confirmDiscard(action: 'close' | 'open' | 'new'): Promise<boolean>;
  /** Keeps a copy of the unsaved session where a crash cannot take it; null clears it. */
  autosave(text: string | null): Promise<void>;
  /** Puts a PNG image on the system clipboard. */
  copyImage(png: Uint8Array): Promise<void>;
  /** The system's locale (app.getLocale() on the desktop, navigator.language in a browser) and the language chosen before, if the shell keeps it. */
  locale(): Promise<{ locale: string; language: string | null }>;
  /** Tells the shell the language chosen: the desktop menus follow it and main keeps it. */
  setLanguage(language: LanguageCode): void;
  /** The copy left by a session that did not end cleanly, if any. */
  recoverable(): Promise<{ text: string; savedAt: string } | null>;
}
