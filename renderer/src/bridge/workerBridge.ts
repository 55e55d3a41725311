/** The engine in a Web Worker; files through a file input and downloads. */
import { EngineClient, type EngineEvent } from '../../../engine';
import { helperCount } from '../../../engine/spec/desktop';
import type { LabBridge, OpenedFile, SaveRequest } from './types';

export class WorkerBridge implements LabBridge {
  readonly kind = 'web' as const;
  private worker!: Worker;
  private client!: EngineClient;
  private readyPromise!: Promise<void>;
  private readonly restartListeners = new Set<(info: { lostRuns: string[]; reason: string }) => void>();

  constructor() {
    this.connect();
  }

  get engine(): EngineClient {
    return this.client;
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  private connect(): void {
    const { worker, client, ready } = startEngine('gdlab-engine', (reason) => this.crashed(reason));
    this.worker = worker;
    this.client = client;
    this.readyPromise = ready;
    client.onCrash((info) => {
      for (const listener of this.restartListeners) listener(info);
    });
  }

  private crashed(reason: string): void {
    const old = this.client;
    this.worker.terminate();
    this.connect();
    old.transportClosed(reason);
  }

  private readonly helperEngines = new Map<number, { worker: Worker; client: EngineClient; ready: Promise<void>; failReady: (error: Error) => void }>();

  async helpers(): Promise<EngineClient[]> {
    const count = helperCount(navigator.hardwareConcurrency || 1);
    const started = Array.from({ length: count }, (_, index) => {
      let helper = this.helperEngines.get(index);
      if (!helper) {
        // A helper that fails is dropped (its shares fail with its reason); the next experiment starts a new one.
        const created = startEngine(`gdlab-helper-${index + 1}`, (reason) => {
          if (this.helperEngines.get(index) !== created) return;
          this.helperEngines.delete(index);
          created.worker.terminate();
          created.failReady(new Error(reason));
          created.client.transportClosed(reason);
        });
        helper = created;
        this.helperEngines.set(index, created);
      }
      // A helper that failed before it was ready is left out; the work goes to the others.
      return helper.ready.then(() => helper.client, () => null);
    });
    return (await Promise.all(started)).filter((c): c is EngineClient => c !== null);
  }

  /** For the fault-injection tests: kill the engine as a crash would. */
  simulateCrash(): void {
    this.crashed('the engine process was killed');
  }

  onEngineRestart(listener: (info: { lostRuns: string[]; reason: string }) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  openFile(kind: 'dataset' | 'session'): Promise<OpenedFile | null> {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = kind === 'session' ? '.gdlab,application/json' : '.csv,.tsv,.txt,.json,.xlsx,.parquet';
      input.addEventListener('change', async () => {
        const file = input.files?.[0];
        resolve(file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null);
      });
      input.addEventListener('cancel', () => resolve(null));
      input.click();
    });
  }

  async saveFile(request: SaveRequest): Promise<{ path?: string } | null> {
    const type = { session: 'application/json', csv: 'text/csv', png: 'image/png', svg: 'image/svg+xml', python: 'text/x-python', notebook: 'application/x-ipynb+json' }[request.kind];
    const blob = new Blob([request.data as BlobPart], { type });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = request.suggestedName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return {};
  }

  setTitle(filePath: string | null, dirty: boolean): void {
    document.title = `${dirty ? '• ' : ''}${filePath ?? 'Untitled'} — Gradient Descent Lab`;
  }

  onMenu(): () => void {
    return () => undefined;
  }

  async locale(): Promise<{ locale: string; language: string | null }> {
    return { locale: navigator.language, language: null };
  }

  setLanguage(): void {
    // The page keeps the choice itself (localStorage); a browser has no menus to follow it.
  }

  async copyImage(png: Uint8Array): Promise<void> {
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([png as BlobPart], { type: 'image/png' }) })]);
  }

  async readPath(): Promise<OpenedFile | null> {
    return null;
  }

  onOpenPath(): () => void {
    return () => undefined;
  }

  async confirmDiscard(action: 'close' | 'open' | 'new'): Promise<boolean> {
    const verb = action === 'open' ? 'opening another session' : action === 'new' ? 'starting a new experiment' : 'leaving';
    return window.confirm(`Discard unsaved changes before ${verb}?`);
  }

  // The browser build keeps its autosave in localStorage (about 5 MB); a larger session is not autosaved.
  async autosave(text: string | null): Promise<void> {
    try {
      if (text === null) localStorage.removeItem(AUTOSAVE_KEY);
      else localStorage.setItem(AUTOSAVE_KEY, JSON.stringify({ text, savedAt: new Date().toISOString() }));
    } catch {
      localStorage.removeItem(AUTOSAVE_KEY);
    }
  }

  async recoverable(): Promise<{ text: string; savedAt: string } | null> {
    try {
      const item = localStorage.getItem(AUTOSAVE_KEY);
      const parsed = item ? JSON.parse(item) : null;
      return parsed && typeof parsed.text === 'string' && typeof parsed.savedAt === 'string' ? parsed : null;
    } catch {
      return null;
    }
  }
}

const AUTOSAVE_KEY = 'gdlab.autosave';

/**
 * An engine in a Web Worker, with its client; `failed` hears when the worker fails. `ready` resolves
 * when the engine says it is ready, and `failReady` ends the wait for one that failed first.
 */
function startEngine(name: string, failed: (reason: string) => void): { worker: Worker; client: EngineClient; ready: Promise<void>; failReady: (error: Error) => void } {
  const worker = new Worker(new URL('../../../engine/host/worker.ts', import.meta.url), { type: 'module', name });
  const client = new EngineClient((message, transfer) => worker.postMessage(message, transfer ?? []));
  let failReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    failReady = reject;
    worker.addEventListener('message', (event: MessageEvent<EngineEvent>) => {
      if (event.data?.type === 'ready') resolve();
      client.receive(event.data);
    });
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    failed(`the engine failed: ${event.message || 'unknown error'}`);
  });
  return { worker, client, ready, failReady };
}
