/**
 * The engine's time-keeper: advances running runs and jobs (sweeps, basin
 * maps) in slices of about 12 ms, round robin, so that none blocks another or
 * the requests in between, and posts what changed: runs' new history rows
 * (batched, at most every 16 ms) and jobs' progress.
 */
import type { Run } from '../run/run';
import type { FitRun } from '../run/fit';
import type { CompiledFormula } from '../formula/compile';
import type { BuiltRun } from '../run/build';
import type { Job } from '../experiments/job';
import type { EngineProblem } from '../spec/problem';
import type { RunSettings } from '../spec/run';
import { PROTOCOL_VERSION, type EngineEvent, type RunSnapshot, type RunStatus, type RunUpdate } from './protocol';

export type Post = (event: EngineEvent, transfer?: Transferable[]) => void;

export interface HostedRun {
  id: string;
  /** What the run was built from, so that it can be rebuilt (to explain a step). */
  problem: EngineProblem;
  settings: RunSettings;
  run: Run;
  fit: FitRun | null;
  formula: CompiledFormula | null;
  paramNames: string[];
  datasetId: string | null;
  state: 'idle' | 'running' | 'paused';
  /** Updates per second, 0 for as fast as possible. */
  speed: number;
  speedClock: number;
  speedDone: number;
  sentRows: number;
  sentGeneration: number;
  sentEpochs: number;
  sentFinal: boolean;
  dirty: boolean;
  /** Updates per call, tuned to about a millisecond. */
  chunk: number;
}

interface HostedJob {
  job: Job<unknown>;
  resolve(result: unknown): void;
  reject(error: Error): void;
  sentProgress: number;
}

/** A job ended by a cancel request. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

const SLICE_MS = 12;
const PROGRESS_INTERVAL_MS = 16;

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class Scheduler {
  private readonly runs = new Map<string, HostedRun>();
  private readonly jobs = new Map<string, HostedJob>();
  private scheduled = false;
  private lastProgress = 0;

  constructor(
    private readonly post: Post,
    private readonly schedule: (fn: () => void) => void = defaultScheduler(),
  ) {}

  // ---- runs ----

  add(id: string, problem: EngineProblem, settings: RunSettings, built: BuiltRun, speed: number, state: 'idle' | 'paused' = 'idle'): HostedRun {
    if (this.runs.has(id)) throw new RangeError(`A run "${id}" exists already`);
    const hosted: HostedRun = {
      id, problem, settings, ...built, datasetId: problem.kind === 'data' ? problem.datasetId : null, state, speed, speedClock: now(), speedDone: 0,
      sentRows: 0, sentGeneration: 0, sentEpochs: 0, sentFinal: false, dirty: true, chunk: 256,
    };
    this.runs.set(id, hosted);
    this.flush(true);
    return hosted;
  }

  get(runId: string): HostedRun {
    const r = this.runs.get(runId);
    if (!r) throw new RangeError(`No run "${runId}"`);
    return r;
  }

  start(runIds: readonly string[]): void {
    for (const id of runIds) {
      const r = this.get(id);
      if (r.run.finished) continue;
      r.state = 'running';
      r.speedClock = now();
      r.speedDone = 0;
      r.dirty = true;
    }
    this.wake();
  }

  pause(runIds: readonly string[]): void {
    for (const id of runIds) {
      const r = this.get(id);
      if (r.state === 'running') r.state = 'paused';
      r.dirty = true;
    }
    this.flush(true);
  }

  /** Exactly `count` updates of each run (fewer where one finishes), pausing a running one first. */
  step(runIds: readonly string[], count: number): RunSnapshot[] {
    for (const id of runIds) {
      const r = this.get(id);
      if (r.state === 'running' || r.state === 'idle') r.state = 'paused';
      advance(r, count);
      r.dirty = true;
    }
    this.flush(true);
    return runIds.map((id) => {
      const r = this.get(id);
      return { runId: id, ...r.run.current(), status: status(r) };
    });
  }

  stop(runIds: readonly string[]): void {
    for (const id of runIds) {
      const r = this.get(id);
      r.run.halt();
      r.state = 'idle';
      r.dirty = true;
    }
    this.flush(true);
  }

  dispose(runIds: readonly string[]): void {
    for (const id of runIds) this.runs.delete(id);
  }

  /** Ends everything: every run dropped, every job cancelled (its page has gone). */
  close(): void {
    this.runs.clear();
    for (const jobId of [...this.jobs.keys()]) this.cancelJob(jobId);
  }

  setSpeed(runIds: readonly string[], speed: number): void {
    for (const id of runIds) {
      const r = this.get(id);
      r.speed = speed;
      r.speedClock = now();
      r.speedDone = 0;
    }
  }

  /** Changes hyperparameters between two updates, also while the run streams: the change applies from the next update. */
  setHyperparameters(runId: string, changes: Record<string, unknown>): { step: number; hyperparameters: Record<string, unknown> } {
    const r = this.get(runId);
    r.run.setHyperparameters(changes);
    r.dirty = true;
    return { step: r.run.step, hyperparameters: r.run.optimizer.hyper };
  }

  // ---- jobs ----

  /** Runs a job in slices beside the runs; resolves with its result, or rejects when it fails or is cancelled. */
  runJob<R>(jobId: string, job: Job<R>): Promise<R> {
    if (this.jobs.has(jobId)) return Promise.reject(new RangeError(`A job "${jobId}" is running already`));
    return new Promise<R>((resolve, reject) => {
      this.jobs.set(jobId, { job, resolve: resolve as (r: unknown) => void, reject, sentProgress: 0 });
      this.wake();
    });
  }

  cancelJob(jobId: string): boolean {
    const hosted = this.jobs.get(jobId);
    if (!hosted) return false;
    this.jobs.delete(jobId);
    hosted.reject(new CancelledError('Cancelled'));
    return true;
  }

  // ---- time slicing ----

  private wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.tick());
  }

  private busy(): boolean {
    return this.jobs.size > 0 || [...this.runs.values()].some((r) => r.state === 'running' && !r.run.finished);
  }

  /** One time slice: runs first, round robin, then the jobs share what is left of it; then progress if it is time. */
  private tick(): void {
    this.scheduled = false;
    const deadline = now() + SLICE_MS;
    const jobs = [...this.jobs.entries()];
    // Runs take the slice's first part, or all of it when no job waits.
    this.advanceRuns(jobs.length ? now() + SLICE_MS / 2 : deadline);
    for (const [k, [id, hosted]] of jobs.entries()) {
      const share = now() + (deadline - now()) / (jobs.length - k);
      try {
        if (hosted.job.work(Math.max(share, now() + 1), now)) {
          this.jobs.delete(id);
          this.post({ v: PROTOCOL_VERSION, type: 'jobProgress', jobId: id, fraction: 1 });
          hosted.resolve(hosted.job.result());
        } else if (hosted.job.progress - hosted.sentProgress >= 0.01) {
          hosted.sentProgress = hosted.job.progress;
          this.post({ v: PROTOCOL_VERSION, type: 'jobProgress', jobId: id, fraction: hosted.job.progress });
        }
      } catch (error) {
        this.jobs.delete(id);
        hosted.reject(error as Error);
      }
    }
    const more = this.busy();
    // The last news before going idle is always sent, whatever the rate limit.
    this.flush(!more);
    if (more) this.wake();
  }

  private advanceRuns(deadline: number): void {
    const running = [...this.runs.values()].filter((r) => r.state === 'running' && !r.run.finished);
    while (running.length && now() < deadline) {
      for (let k = running.length - 1; k >= 0; k--) {
        const r = running[k];
        let budget = r.chunk;
        if (r.speed > 0) {
          const allowed = Math.floor(((now() - r.speedClock) / 1000) * r.speed) - r.speedDone;
          budget = Math.min(budget, allowed);
          if (budget <= 0) {
            running.splice(k, 1);
            continue;
          }
        }
        const t0 = now();
        const done = advance(r, budget);
        r.speedDone += done;
        r.dirty = true;
        if (r.run.finished) {
          r.state = 'idle';
          running.splice(k, 1);
        }
        // Aim at about a millisecond per call so pauses and progress stay responsive.
        const took = now() - t0;
        if (took < 0.5) r.chunk = Math.min(r.chunk * 2, 1 << 20);
        else if (took > 2) r.chunk = Math.max(16, r.chunk >> 1);
      }
    }
  }

  /** Posts one progress event with every run that changed, at most every ~16 ms unless forced. */
  flush(force: boolean): void {
    const t = now();
    if (!force && t - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    const updates: RunUpdate[] = [];
    const transfer: Transferable[] = [];
    for (const r of this.runs.values()) {
      if (!r.dirty && !(r.run.finished && !r.sentFinal)) continue;
      r.dirty = false;
      const update = news(r);
      transfer.push(update.rows.buffer);
      updates.push(update);
    }
    if (updates.length === 0) return;
    this.lastProgress = t;
    this.post({ v: PROTOCOL_VERSION, type: 'progress', updates }, transfer);
  }
}

function advance(r: HostedRun, count: number): number {
  return r.fit ? r.fit.advance(count) : r.run.advance(count);
}

function status(r: HostedRun): RunStatus {
  return r.run.outcome ? r.run.outcome.status : r.state;
}

/** A run's news since its last update, and the bookkeeping of what was sent. */
function news(r: HostedRun): RunUpdate {
  const h = r.run.history;
  // When the history thinned since the last update, the client thins its copy the same way
  // (keeps every other row, as many times) instead of receiving it all again.
  const thinned = h.generation - r.sentGeneration;
  let from = r.sentRows;
  for (let k = 0; k < thinned; k++) from = Math.ceil(from / 2);
  // A run's first update is its whole history: a receiver holding an older copy drops it.
  const first = r.sentRows === 0;
  const epochs = r.fit ? r.fit.epochs.slice(r.sentEpochs) : [];
  const update = updateOf(r, from, first, first ? 0 : thinned, epochs);
  r.sentRows = h.count;
  r.sentGeneration = h.generation;
  r.sentEpochs += epochs.length;
  if (r.run.outcome) r.sentFinal = true;
  return update;
}

/** A run's whole history and state as one update that replaces what a receiver holds. */
export function wholeUpdate(r: HostedRun): RunUpdate {
  return updateOf(r, 0, true, 0, r.fit ? [...r.fit.epochs] : []);
}

function updateOf(r: HostedRun, from: number, reset: boolean, thinned: number, epochs: RunUpdate['epochs']): RunUpdate {
  const h = r.run.history;
  const outcome = r.run.outcome;
  return {
    runId: r.id,
    status: status(r),
    step: r.run.step,
    value: r.run.value,
    gradNorm: r.run.gradNorm,
    lr: r.run.learningRate,
    params: Array.from(r.run.p),
    generation: h.generation,
    reset,
    thinned,
    width: h.width,
    gradients: h.gradients,
    rows: h.rows(from, h.count),
    epochs,
    ...(outcome ? { message: outcome.message } : {}),
    ...(outcome?.words ? { words: outcome.words } : {}),
    ...(outcome?.bracket ? { bracket: outcome.bracket } : {}),
  };
}

/** setImmediate in Node; a MessageChannel elsewhere (setTimeout is clamped to 4 ms in browsers). */
function defaultScheduler(): (fn: () => void) => void {
  const g = globalThis as { setImmediate?: (fn: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return (fn) => g.setImmediate!(fn);
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: Array<() => void> = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (fn) => {
      queue.push(fn);
      channel.port2.postMessage(null);
    };
  }
  return (fn) => setTimeout(fn, 0);
}
