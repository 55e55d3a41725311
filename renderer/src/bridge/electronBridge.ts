/** The desktop bridge over the preload's `window.lab`; the engine arrives as a MessagePort from main. */
import { EngineClient } from '../../../engine';
import type { EngineEvent } from '../../../engine';
import { helperCount, type DesktopApi, type LanguageCode } from '../../../engine/spec/desktop';
import type { LabBridge, OpenedFile, SaveRequest } from './types';

export class ElectronBridge implements LabBridge {
  readonly kind = 'electron' as const;
  private client: EngineClient;
  private port: MessagePort | null = null;
  private readyResolve!: () => void;
  private readyPromise: Promise<void>;
  private readonly restartListeners = new Set<(info: { lostRuns: string[]; reason: string }) => void>();

  constructor(private readonly api: DesktopApi) {
    this.client = this.newClient();
    this.readyPromise = new Promise((resolve) => (this.readyResolve = resolve));
    window.addEventListener('message', (event: MessageEvent) => {
      // Only the preload, posting to this very window, hands over ports.
      if (event.source !== window || event.origin !== window.location.origin) return;
      if (event.data?.type === 'gdlab:helper-port' && event.ports[0]) this.attachHelper(Number(event.data.index), event.ports[0]);
      if (event.data?.type !== 'gdlab:engine-port' || !event.ports[0]) return;
      this.attach(event.ports[0]);
    });
    api.onHelperStopped(({ index }) => this.dropHelper(index, 'the helper process stopped unexpectedly'));
    api.onEngineCrashed(() => {
      const old = this.client;
      this.client = this.newClient();
      this.readyPromise = new Promise((resolve) => (this.readyResolve = resolve));
      old.transportClosed('the engine process stopped unexpectedly');
    });
    void api.requestEnginePort({});
  }

  private newClient(): EngineClient {
    const client = new EngineClient((message, transfer) => {
      if (!this.port) throw new Error('The engine is not connected yet');
      this.port.postMessage(message, transfer ?? []);
    });
    client.onCrash((info) => {
      for (const listener of this.restartListeners) listener(info);
    });
    return client;
  }

  private attach(port: MessagePort): void {
    this.port?.close();
    this.port = port;
    const client = this.client;
    port.onmessage = (event: MessageEvent<EngineEvent>) => {
      if (event.data?.type === 'ready') this.readyResolve();
      client.receive(event.data);
    };
    port.start();
  }

  /** Helpers by index: their client, and a promise that resolves once their port has come and they are ready. */
  private readonly helperEngines = new Map<number, { client: EngineClient; port: MessagePort | null; ready: Promise<void>; resolve: () => void; fail: (error: Error) => void }>();

  async helpers(): Promise<EngineClient[]> {
    const count = helperCount(navigator.hardwareConcurrency || 1);
    const started = Array.from({ length: count }, async (_, index) => {
      let helper = this.helperEngines.get(index);
      if (!helper) {
        let resolve!: () => void;
        let fail!: (error: Error) => void;
        const ready = new Promise<void>((r, f) => ((resolve = r), (fail = f)));
        const created = {
          client: new EngineClient((message, transfer) => {
            if (!created.port) throw new Error('The helper is not connected yet');
            created.port.postMessage(message, transfer ?? []);
          }),
          port: null as MessagePort | null,
          ready,
          resolve,
          fail,
        };
        helper = created;
        this.helperEngines.set(index, created);
        const reply = await this.api.requestHelperPort({ index }).catch(() => ({ helpers: 0, started: false }));
        if (!reply.started) {
          // Others waiting for this helper stop waiting too.
          this.helperEngines.delete(index);
          created.fail(new Error('The helper could not be started'));
          return null;
        }
      }
      // A helper that stopped before it was ready is left out; the experiment runs on the others.
      return helper.ready.then(() => helper.client, () => null);
    });
    return (await Promise.all(started)).filter((c): c is EngineClient => c !== null);
  }

  private attachHelper(index: number, port: MessagePort): void {
    const helper = this.helperEngines.get(index);
    if (!helper) {
      port.close();
      return;
    }
    helper.port?.close();
    helper.port = port;
    port.onmessage = (event: MessageEvent<EngineEvent>) => {
      if (event.data?.type === 'ready') helper.resolve();
      helper.client.receive(event.data);
    };
    port.start();
  }

  private dropHelper(index: number, reason: string): void {
    const helper = this.helperEngines.get(index);
    if (!helper) return;
    this.helperEngines.delete(index);
    helper.port?.close();
    helper.fail(new Error(reason));
    helper.client.transportClosed(reason);
  }

  get engine(): EngineClient {
    return this.client;
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  onEngineRestart(listener: (info: { lostRuns: string[]; reason: string }) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  openFile(kind: 'dataset' | 'session'): Promise<OpenedFile | null> {
    return this.api.openFile({ kind });
  }

  async saveFile(request: SaveRequest): Promise<{ path?: string } | null> {
    try {
      return await this.api.saveFile(request);
    } catch (error) {
      // ipcRenderer.invoke wraps main's message: "Error invoking remote method 'lab:saveFile': Error: …"
      throw new Error(String((error as Error).message).replace(/^Error invoking remote method '[^']+': (Error: )?/, ''));
    }
  }

  setTitle(filePath: string | null, dirty: boolean): void {
    void this.api.setTitle({ filePath, dirty });
  }

  onMenu(listener: (command: string) => void): () => void {
    return this.api.onMenu(listener);
  }

  async locale(): Promise<{ locale: string; language: string | null }> {
    const info = await this.api.appInfo({});
    return { locale: info.locale, language: info.language };
  }

  setLanguage(language: LanguageCode): void {
    void this.api.setLanguage({ language });
  }

  async copyImage(png: Uint8Array): Promise<void> {
    await this.api.copyImage({ png });
  }

  async readPath(path: string): Promise<OpenedFile | null> {
    try {
      return await this.api.readPath({ path });
    } catch {
      return null;
    }
  }

  onOpenPath(listener: (path: string) => void): () => void {
    return this.api.onOpenPath(listener);
  }

  confirmDiscard(action: 'close' | 'open' | 'new'): Promise<boolean> {
    return this.api.confirmDiscard({ action });
  }

  async autosave(text: string | null): Promise<void> {
    await this.api.autosave({ text });
  }

  recoverable(): Promise<{ text: string; savedAt: string } | null> {
    return this.api.recoverable({});
  }
}
