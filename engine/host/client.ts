/**
 * The other end of the engine protocol: request/reply with ids, progress
 * subscriptions, and what happens when the transport dies (the engine process
 * crashed or was killed): every pending request is rejected and `onCrash`
 * hears which runs were lost. Used by the renderer's bridges, the Electron
 * main process's supervisor and the integration tests alike.
 */
import { PROTOCOL_VERSION, type EngineEvent, type ErrorInfo, type Replies, type RequestInput, type RequestType, type RunUpdate } from './protocol';

export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

export type Send = (message: unknown, transfer?: Transferable[]) => void;

type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void };

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly jobListeners = new Set<(progress: { jobId: string; fraction: number }) => void>();
  private readonly progressListeners = new Set<(updates: RunUpdate[]) => void>();
  private readonly loadListeners = new Set<(progress: { datasetId: string; fraction: number; rows: number }) => void>();
  private readonly crashListeners = new Set<(info: { lostRuns: string[]; reason: string }) => void>();
  /** Runs created through this client and not disposed: the ones a crash loses. */
  readonly liveRuns = new Set<string>();
  closed = false;

  constructor(private readonly send: Send) {}

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request; resolves with its reply's result, typed by the protocol's request map. */
  request<K extends RequestType>(type: K, input: RequestInput<K>, transfer?: Transferable[]): Promise<Replies[K]> {
    if (this.closed) return Promise.reject(new EngineRequestError({ message: 'The engine is not running', kind: 'internal' }));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.send({ v: PROTOCOL_VERSION, id, type, input }, transfer);
      } catch (error) {
        this.pending.delete(id);
        reject(error as Error);
      }
    }).then((result) => {
      if (type === 'createRun') this.liveRuns.add((input as RequestInput<'createRun'>).runId);
      if (type === 'dispose') for (const runId of (input as RequestInput<'dispose'>).runIds) this.liveRuns.delete(runId);
      return result as Replies[K];
    });
  }

  /** Feed one event from the transport. */
  receive(event: EngineEvent): void {
    if (!event || typeof event !== 'object') return;
    if (event.type === 'reply') {
      const p = this.pending.get(event.id);
      if (!p) return;
      this.pending.delete(event.id);
      if (event.ok) p.resolve(event.result);
      else p.reject(new EngineRequestError(event.error));
    } else if (event.type === 'progress') {
      for (const listener of this.progressListeners) listener(event.updates);
    } else if (event.type === 'loadProgress') {
      for (const listener of this.loadListeners) listener(event);
    } else if (event.type === 'jobProgress') {
      for (const listener of this.jobListeners) listener(event);
    }
  }

  onProgress(listener: (updates: RunUpdate[]) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** How far a dataset load has come (fraction of the file read, rows so far). */
  onLoadProgress(listener: (progress: { datasetId: string; fraction: number; rows: number }) => void): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }

  /** How far a sweep or basin map has come. */
  onJobProgress(listener: (progress: { jobId: string; fraction: number }) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  onCrash(listener: (info: { lostRuns: string[]; reason: string }) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** The transport is gone: reject what is pending and report the runs lost with it. */
  transportClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new EngineRequestError({ message: `The engine stopped: ${reason}`, kind: 'internal' }));
    this.pending.clear();
    const lostRuns = [...this.liveRuns];
    this.liveRuns.clear();
    for (const listener of this.crashListeners) listener({ lostRuns, reason });
  }
}
