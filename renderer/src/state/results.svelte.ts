/**
 * The runs' results: what the engine streams back for each run (its live
 * state, its history as a RunTrace outside reactivity, what the engine said of
 * it when it was created) and the key it was computed for (its problem, its
 * settings and changes: shape.ts's runKey). A result whose key is no longer
 * its run's is stale: the lab drops it. `frame` ticks, at most once per
 * animation frame, when rows arrive; `revision` counts changes that a saved
 * file would see (a run started, ended, dropped).
 */
import type { CreatedRun, EpochUpdate, RunStatus, RunUpdate, Words } from '../../../engine';
import { flushSync } from 'svelte';
import { RunTrace } from './trace';
import { afterDrawing } from '../lib/drawQueue';

export interface RunLive {
  status: RunStatus | 'none';
  step: number;
  value: number;
  gradNorm: number;
  lr: number;
  params: number[];
  message: string;
  /** A message the lab wrote (a key of the runs area), shown in the current language; `message` keeps its English for the file. */
  messageKey?: string;
  /** The engine's message as an id and values (`runs.outcome.<id>`), shown in the current language. */
  words?: Words;
  bracket?: [number, number];
  epochs: EpochUpdate[];
}

export type RunInfo = Pick<CreatedRun, 'paramNames' | 'paramLabels' | 'standardization' | 'features' | 'classification' | 'batchesPerEpoch' | 'rows'>;

const FINISHED: ReadonlyArray<RunStatus | 'none'> = ['max_steps', 'converged', 'diverged', 'undefined', 'unbounded', 'stopped', 'failed'];
export const isFinished = (status: RunStatus | 'none'): boolean => FINISHED.includes(status);

export class RunResults {
  live = $state<Record<string, RunLive>>({});
  info = $state<Record<string, RunInfo>>({});
  frame = $state(0);
  revision = $state(0);
  /** The key each result was computed for (read when results are checked, never shown). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly keys = new Map<string, string>();
  /** Histories, outside reactivity on purpose (large typed arrays): `frame` says when they changed. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly traces = new Map<string, RunTrace>();
  private framePending = false;
  /**
   * Each running run's latest state while it streams on: shown (written to `live`) with the next
   * frame, so that numbers and explanations change once a frame, not once a message. A change of
   * status or message is written at once, and a change of status ticks a frame at once.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- held back from reactivity on purpose
  private readonly held = new Map<string, RunLive>();

  constructor(private readonly nextFrame: (tick: () => void) => void = defaultFrame) {}

  /** The key run `id`'s result was computed for, or undefined without one. */
  keyOf(id: string): string | undefined {
    return this.keys.get(id);
  }

  has(id: string): boolean {
    return this.live[id] !== undefined && this.live[id].status !== 'none';
  }

  /**
   * Runs being created in the engine. A new life of a run id begins with an update that is its whole
   * history (`reset`); news without it before then is from an earlier life (a run reset and created
   * again on the same engine, whose news comes in order; another engine's is kept out by the router).
   */
  // Read only by onProgress, never drawn: a plain set, not a reactive one.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly creating = new Set<string>();

  /** A fresh result for run `id` (it is being created in the engine for `key`), starting at `start`. */
  begin(id: string, key: string, start: number[]): void {
    this.held.delete(id);
    this.creating.add(id);
    this.keys.set(id, key);
    this.traces.set(id, new RunTrace());
    delete this.info[id];
    this.live[id] = { status: 'idle', step: 0, value: NaN, gradNorm: NaN, lr: NaN, params: start, message: '', epochs: [] };
    this.revision++;
  }

  /** The result now answers `key` (a change the engine took while the run streamed). */
  rekey(id: string, key: string): void {
    if (this.keys.has(id)) this.keys.set(id, key);
    this.revision++;
  }

  created(id: string, info: RunInfo): void {
    this.creating.delete(id);
    this.info[id] = info;
  }

  failed(id: string, message: string): void {
    this.creating.delete(id);
    this.settle();
    if (this.live[id]) this.live[id] = { ...this.live[id], status: 'failed', message };
    this.revision++;
  }

  /** The engine restarted: runs it held are lost. */
  lose(ids: readonly string[], message: string, messageKey: string): void {
    this.settle();
    for (const id of ids) if (this.live[id]) this.live[id] = { ...this.live[id], status: 'failed', message, messageKey };
    if (ids.length) this.revision++;
  }

  /** Drops results (their runs were reset, removed or changed); returns the ids that had one. */
  drop(ids: readonly string[]): string[] {
    const had = ids.filter((id) => this.keys.has(id) || this.live[id]);
    for (const id of had) {
      this.creating.delete(id);
      this.held.delete(id);
      this.keys.delete(id);
      this.traces.delete(id);
      delete this.live[id];
      delete this.info[id];
    }
    if (had.length) {
      this.revision++;
      this.bumpFrame();
    }
    return had;
  }

  /** Ids holding a result. */
  get ids(): string[] {
    return [...this.keys.keys()];
  }

  onProgress(updates: RunUpdate[]): void {
    let turned = false;
    for (const u of updates) {
      // News of a run that was reset or removed meanwhile is dropped.
      const prev = this.held.get(u.runId) ?? this.live[u.runId];
      if (!prev || !this.keys.has(u.runId)) continue;
      if (this.creating.has(u.runId)) {
        if (!u.reset) continue;
        this.creating.delete(u.runId);
      }
      let trace = this.traces.get(u.runId);
      if (!trace) this.traces.set(u.runId, (trace = new RunTrace()));
      trace.append(u.rows, u.width, u.gradients, u.reset, u.generation, u.thinned);
      if (prev.status !== u.status) this.revision++;
      const next: RunLive = {
        status: u.status,
        step: u.step,
        value: u.value,
        gradNorm: u.gradNorm,
        lr: u.lr,
        params: u.params,
        message: u.message ?? '',
        words: u.words,
        bracket: u.bracket,
        // A run's first update is its whole history, epochs included.
        epochs: u.reset ? u.epochs : u.epochs.length ? [...prev.epochs, ...u.epochs] : prev.epochs,
      };
      if (u.reset || prev.status !== u.status || prev.message !== next.message) {
        this.held.delete(u.runId);
        this.live[u.runId] = next;
        turned ||= prev.status !== u.status;
      } else this.held.set(u.runId, next);
    }
    if (turned) {
      // A run started, paused or ended: everything it recorded shows with its status, at once.
      this.settle();
      this.frame++;
    } else this.bumpFrame();
  }

  bumpFrame(): void {
    if (this.framePending) return;
    this.framePending = true;
    this.nextFrame(() => {
      this.framePending = false;
      this.settle();
      this.frame++;
    });
  }

  /** Whether streamed rows or numbers wait for a frame to show them. */
  get pending(): boolean {
    return this.framePending || this.held.size > 0;
  }

  /** Writes the runs' held states to `live` now (a frame, or a reader that needs them all current, as a save does). */
  settle(): void {
    for (const [id, state] of this.held) if (this.live[id]) this.live[id] = state;
    this.held.clear();
  }

  get anyRunning(): boolean {
    return Object.values(this.live).some((l) => l.status === 'running');
  }

  get maxStep(): number {
    let max = 0;
    for (const t of this.traces.values()) max = Math.max(max, t.lastStep);
    return max;
  }

  /** A run's recorded state at `step` (null: its latest). */
  stateAt(runId: string, step: number | null): { step: number; value: number; gradNorm: number; lr: number; params: number[]; gradient: number[] | null } | null {
    const t = this.traces.get(runId);
    const i = t ? t.rowAt(step) : -1;
    if (!t || i < 0) return null;
    return { step: t.steps[i], value: t.values[i], gradNorm: t.gradNorms[i], lr: t.lrs[i], params: t.params.map((p) => p[i]), gradient: t.gradients.length ? t.gradients.map((g) => g[i]) : null };
  }
}

/**
 * Frames for streamed rows, paced by what they cost: each tick's work (every chart and view drawn
 * again, measured as it runs) is followed by at least as long again without one, so that
 * while runs stream the page keeps at least half its time for the person (scrolling, the replay slider,
 * the 3-D view) on a slow machine, and draws every frame on a fast one.
 */
export function pacedFrames(frame: (callback: () => void) => void = animationFrame, now: () => number = () => performance.now(), after: (callback: () => void) => void = afterDrawing): (tick: () => void) => void {
  let next = 0;
  const run = (tick: () => void) => {
    const start = now();
    if (start < next) {
      frame(() => run(tick));
      return;
    }
    // Until every chart has drawn, each in its task (drawQueue), with the page's rendering between them.
    next = Infinity;
    try {
      flushSync(tick);
    } finally {
      after(() => {
        next = start + Math.min(MAX_PAUSE, (1 + PAUSE_PER_WORK) * (now() - start));
      });
    }
  };
  return (tick) => frame(() => run(tick));
}

/** Time without a tick for each unit of a tick's work, and the longest wait between ticks (ms). */
const PAUSE_PER_WORK = 1;
const MAX_PAUSE = 250;

function animationFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(callback);
  else setTimeout(callback, 16);
}

const defaultFrame = pacedFrames();
