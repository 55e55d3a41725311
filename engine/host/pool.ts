/**
 * Experiments on every core: a sweep or basin map cut into shares of its
 * points, handed out to a pool of engines (the lab's own engine and its
 * helpers: Web Workers in the browser, utility processes on the desktop,
 * child processes in Node) over the same protocol, and put back together in
 * order. Each point is computed exactly as one engine would compute it, and a
 * basin map is labelled after all its runs have ended, in cell order, so the
 * result is bit for bit the one-engine result whatever the pool's size.
 * Progress is the pool's total; cancelling cancels every share in flight.
 */
import { labelBasins, END_WIDTH, type BasinMap, type BasinSpec } from '../experiments/basinLabels';
import { assembleSweep, sweepSize, type SweepPoint, type SweepResult, type SweepSpec } from '../experiments/sweepPoints';
import { EngineRequestError, type EngineClient } from './client';
import type { RequestInput } from './protocol';

/** Shares per engine: enough that an engine finishing early takes over work the others have not begun. */
const SHARES_PER_ENGINE = 8;

export interface PoolJobOptions {
  /** Called as the pool's shares progress, with the fraction of all points done (0 to 1). */
  onProgress?: (fraction: number) => void;
  /** Readies an engine before its first share (a data sweep's dataset is loaded into helpers this way). */
  prepare?: (engine: EngineClient, index: number) => Promise<void>;
  /** Called once the engines are known, with how many share the job. */
  onStart?: (engines: number) => void;
}

interface Running {
  cancelled: boolean;
  inFlight: Map<EngineClient, string>;
}

/** Splits `total` items into at most `count` contiguous ranges of near-equal size. */
export function shares(total: number, count: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(total, count));
  return Array.from({ length: n }, (_, k) => [Math.floor((k * total) / n), Math.floor(((k + 1) * total) / n)] as [number, number]);
}

/** Cancels the job's shares in flight, on every engine but `except` (the one whose share failed). */
function cancelInFlight(job: Running, except?: EngineClient): void {
  for (const [engine, partId] of job.inFlight) if (engine !== except) void engine.request('cancelJob', { jobId: partId }).catch(() => undefined);
}

export class EnginePool {
  private readonly running = new Map<string, Running>();

  /** `engines` gives the engines to use now (the first is the lab's own); a crashed one is replaced by its owner. */
  constructor(private readonly engines: () => EngineClient[] | Promise<EngineClient[]>) {}

  async basinMap(jobId: string, spec: BasinSpec, options: PoolJobOptions = {}): Promise<BasinMap> {
    const cells = spec.nx * spec.ny;
    const ends = new Float64Array(cells * END_WIDTH);
    await this.distribute(jobId, cells, options, async (engine, partId, [from, to]) => {
      const reply = await engine.request('basinEnds', { ...spec, jobId: partId, from, to } as RequestInput<'basinEnds'>);
      ends.set(reply.ends, from * END_WIDTH);
    });
    return labelBasins(spec, ends);
  }

  async sweep(jobId: string, spec: SweepSpec, options: PoolJobOptions = {}): Promise<SweepResult> {
    const points: SweepPoint[] = new Array(sweepSize(spec));
    await this.distribute(jobId, points.length, options, async (engine, partId, [from, to]) => {
      const reply = await engine.request('sweepPoints', { ...spec, jobId: partId, from, to } as RequestInput<'sweepPoints'>);
      reply.points.forEach((point, k) => (points[from + k] = point));
    });
    return assembleSweep(spec, points);
  }

  /** Cancels a pooled job: its request is refused with kind 'cancelled'. False when no such job runs. */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job || job.cancelled) return false;
    job.cancelled = true;
    cancelInFlight(job);
    return true;
  }

  private async distribute(jobId: string, total: number, options: PoolJobOptions, run: (engine: EngineClient, partId: string, range: [number, number]) => Promise<void>): Promise<void> {
    if (this.running.has(jobId)) throw new EngineRequestError({ message: `A job "${jobId}" is running already`, kind: 'settings' });
    const job: Running = { cancelled: false, inFlight: new Map() };
    // Registered before the engines are ready, so that a cancel while helpers start is not lost.
    this.running.set(jobId, job);
    let engines: EngineClient[];
    try {
      engines = await this.engines();
    } catch (error) {
      this.running.delete(jobId);
      throw error;
    }
    if (job.cancelled || engines.length === 0) {
      this.running.delete(jobId);
      throw new EngineRequestError(job.cancelled ? { message: 'Cancelled', kind: 'cancelled' } : { message: 'No engine is running', kind: 'internal' });
    }
    options.onStart?.(engines.length);
    const queue = shares(total, engines.length * SHARES_PER_ENGINE);
    // Points done in finished shares, and the fraction of the share each engine is on.
    let done = 0;
    const current = new Map<string, { size: number; fraction: number }>();
    const report = () => {
      if (job.cancelled) return;
      let sum = done;
      for (const part of current.values()) sum += part.size * part.fraction;
      options.onProgress?.(sum / total);
    };
    const unsubscribe = engines.map((engine) =>
      engine.onJobProgress(({ jobId: partId, fraction }) => {
        const part = current.get(partId);
        if (!part) return;
        part.fraction = fraction;
        report();
      }),
    );
    let next = 0;
    let failure: Error | null = null;
    const worker = async (engine: EngineClient, index: number) => {
      if (index > 0 && options.prepare) await options.prepare(engine, index);
      while (next < queue.length && !job.cancelled && !failure) {
        const k = next++;
        const range = queue[k];
        const partId = `${jobId}.${k}`;
        current.set(partId, { size: range[1] - range[0], fraction: 0 });
        job.inFlight.set(engine, partId);
        try {
          await run(engine, partId, range);
        } finally {
          job.inFlight.delete(engine);
          current.delete(partId);
        }
        done += range[1] - range[0];
        report();
      }
    };
    try {
      // The first failure stops the others: its shares in flight are cancelled and the job fails with it.
      await Promise.all(
        engines.map((engine, index) =>
          worker(engine, index).catch((error: Error) => {
            if (!failure && !job.cancelled) {
              failure = error;
              cancelInFlight(job, engine);
            }
          }),
        ),
      );
      if (job.cancelled) throw new EngineRequestError({ message: 'Cancelled', kind: 'cancelled' });
      if (failure) throw failure;
    } finally {
      for (const stop of unsubscribe) stop();
      this.running.delete(jobId);
    }
  }
}
