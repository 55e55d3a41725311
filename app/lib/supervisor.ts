/**
 * Keeps the engine process alive for the window: starts it, and when it dies
 * starts a new one and tells the window (which knows its runs and reports the
 * lost ones). Restarts are rate-limited so a process that dies at once does not
 * spin. Electron-free: main.ts passes in how to spawn and how to notify.
 */

export interface EngineProcessLike {
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface SupervisorOptions<P extends EngineProcessLike> {
  spawn: () => P;
  /** Called with each new process (hand it its port here). */
  onStarted: (process: P, restart: boolean) => void;
  /** Called when a process died unexpectedly, before the restart. */
  onCrashed: (info: { code: number | null; restarts: number; willRestart: boolean }) => void;
  maxRestarts?: number;
  windowMs?: number;
  now?: () => number;
}

export class EngineSupervisor<P extends EngineProcessLike> {
  private current: P | null = null;
  private stopping = false;
  private readonly restartTimes: number[] = [];

  constructor(private readonly options: SupervisorOptions<P>) {}

  get process(): P | null {
    return this.current;
  }

  start(restart = false): P {
    const p = this.options.spawn();
    this.current = p;
    p.onExit((code) => this.exited(p, code));
    this.options.onStarted(p, restart);
    return p;
  }

  private exited(p: P, code: number | null): void {
    if (p !== this.current || this.stopping) return;
    this.current = null;
    const now = (this.options.now ?? Date.now)();
    const windowMs = this.options.windowMs ?? 60_000;
    while (this.restartTimes.length && now - this.restartTimes[0] > windowMs) this.restartTimes.shift();
    const willRestart = this.restartTimes.length < (this.options.maxRestarts ?? 5);
    this.options.onCrashed({ code, restarts: this.restartTimes.length, willRestart });
    if (willRestart) {
      this.restartTimes.push(now);
      this.start(true);
    }
  }

  stop(): void {
    this.stopping = true;
    this.current?.kill();
    this.current = null;
  }
}
