// A lab bridge for Node tests: the real engine host in this process, behind a channel that copies each
// message as a Worker's would (structured clone), with files in memory instead of dialogs.
import { EngineClient, type EngineEvent } from '../../../engine';
import { EngineHost } from '../../../engine/host/host';
import type { LabBridge, OpenedFile, SaveRequest } from '../../../renderer/src/bridge/types';

export class MemoryBridge implements LabBridge {
  readonly kind = 'web' as const;
  readonly engine: EngineClient;
  readonly host: EngineHost;
  /** Files the next Open dialogs return, in order. */
  readonly toOpen: OpenedFile[] = [];
  /** Every save, in order: what the lab asked to write. */
  readonly saved: SaveRequest[] = [];
  /** What the discard question answers. */
  discard = true;
  autosaved: string | null = null;
  private readonly ready_: Promise<void>;

  constructor() {
    let resolve!: () => void;
    this.ready_ = new Promise((r) => (resolve = r));
    this.host = new EngineHost((event: EngineEvent) => {
      const copy = structuredClone(event);
      setTimeout(() => {
        if (copy.type === 'ready') resolve();
        this.engine.receive(copy);
      }, 0);
    }, (fn) => setTimeout(fn, 0));
    this.engine = new EngineClient((message) => {
      const copy = structuredClone(message);
      setTimeout(() => void this.host.handle(copy), 0);
    });
    this.host.ready();
  }

  ready(): Promise<void> {
    return this.ready_;
  }

  async helpers(): Promise<EngineClient[]> {
    return [];
  }

  onEngineRestart(): () => void {
    return () => undefined;
  }

  async openFile(): Promise<OpenedFile | null> {
    return this.toOpen.shift() ?? null;
  }

  async saveFile(request: SaveRequest): Promise<{ path?: string } | null> {
    this.saved.push(request);
    return request.kind === 'session' ? { path: request.path ?? `/files/${request.suggestedName}` } : {};
  }

  setTitle(): void {}
  onMenu(): () => void {
    return () => undefined;
  }

  async readPath(): Promise<OpenedFile | null> {
    return null;
  }

  onOpenPath(): () => void {
    return () => undefined;
  }

  async confirmDiscard(): Promise<boolean> {
    return this.discard;
  }

  async autosave(text: string | null): Promise<void> {
    this.autosaved = text;
  }

  async copyImage(): Promise<void> {}

  async locale() {
    return { locale: 'en-US', language: null };
  }

  setLanguage(): void {}

  async recoverable() {
    return null;
  }
}

/** Resolves once `condition` holds, checking after each turn of the event loop; fails after `ms`. */
export async function until(condition: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
