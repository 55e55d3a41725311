/**
 * The experiment helpers: engines in utility processes of their own, one per
 * core beside the lab's engine, started when the page first asks for one
 * (a sweep or basin map) and kept for the next. A helper that dies is
 * forgotten and reported; the next request starts a new one. Electron-free:
 * main.ts passes in how to spawn and how to hand over a port.
 */
import type { EngineProcessLike } from './supervisor';

export interface HelperOptions<P extends EngineProcessLike> {
  count: number;
  spawn: () => P;
  /** Hands a port of helper `index` to the page (called for every request, new or kept process). */
  connect: (process: P, index: number) => void;
  /** Called when helper `index` died while the app was running. */
  onStopped: (index: number) => void;
}

export class HelperProcesses<P extends EngineProcessLike> {
  private readonly processes = new Map<number, P>();
  private stopping = false;

  constructor(private readonly options: HelperOptions<P>) {}

  get count(): number {
    return this.options.count;
  }

  /** Connects the page to helper `index`, starting it if need be; false when there is no such helper. */
  request(index: number): boolean {
    if (this.stopping || !Number.isInteger(index) || index < 0 || index >= this.options.count) return false;
    let p = this.processes.get(index);
    if (!p) {
      const started = this.options.spawn();
      p = started;
      this.processes.set(index, started);
      started.onExit(() => {
        if (this.processes.get(index) !== started) return;
        this.processes.delete(index);
        if (!this.stopping) this.options.onStopped(index);
      });
    }
    this.options.connect(p, index);
    return true;
  }

  /** Running helpers. */
  get running(): number {
    return this.processes.size;
  }

  stop(): void {
    this.stopping = true;
    for (const p of this.processes.values()) p.kill();
    this.processes.clear();
  }
}
