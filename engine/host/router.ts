/**
 * Races on every core: the lab's runs placed on its engine and its helpers
 * (the same engines a pool spreads experiments over), each run on the engine
 * with the fewest runs, and every request about a run sent to the engine that
 * holds it. A request about several runs is split by engine and the replies
 * put back together; anything not about a run goes to the lab's own engine.
 * A run computes the same numbers on any engine: placing it changes only how
 * soon it ends. A lone run stays on the lab's engine without starting helpers,
 * and runs use one core fewer than experiments: the page draws them as they stream.
 */
import type { EngineClient } from './client';
import type { Replies, RequestInput, RequestType, RunUpdate } from './protocol';
import type { EngineProblem } from '../spec/problem';

/** What asks engines for things: an EngineClient, or a router over several. */
export interface Requester {
  request<K extends RequestType>(type: K, input: RequestInput<K>, transfer?: Transferable[]): Promise<Replies[K]>;
}

export interface RouterOptions {
  /** The lab's own engine now (a new one after a restart). */
  primary: () => EngineClient;
  /** The helpers, started on first use. */
  helpers: () => Promise<EngineClient[]>;
  /** Readies a helper for a run of this problem before the run is created there (a data problem's dataset). */
  prepare: (engine: EngineClient, problem: EngineProblem) => Promise<void>;
  /**
   * At most this many engines hold runs, the lab's own included. Runs stream to the page, whose own
   * thread needs a core to draw them: the lab gives cores − 1, so on 2 cores a race stays on one engine.
   */
  engines: () => number;
}

/** The requests about several runs (`runIds`). */
const MULTI_RUN_TYPES = ['start', 'pause', 'resume', 'stop', 'dispose', 'step', 'setSpeed'] as const;
type MultiRun = (typeof MULTI_RUN_TYPES)[number];
const MULTI_RUN = new Set<RequestType>(MULTI_RUN_TYPES);

export class RunRouter implements Requester {
  /** The engine holding each run. */
  private readonly home = new Map<string, EngineClient>();
  private readonly progressListeners = new Set<(updates: RunUpdate[]) => void>();
  private readonly lostListeners = new Set<(info: { lostRuns: string[]; reason: string }) => void>();
  private readonly heard = new WeakSet<EngineClient>();

  constructor(private readonly options: RouterOptions) {}

  request<K extends RequestType>(type: K, input: RequestInput<K>, transfer?: Transferable[]): Promise<Replies[K]> {
    if (type === 'createRun') return this.create(input as RequestInput<'createRun'>) as Promise<Replies[K]>;
    // A saved run is rebuilt on the lab's own engine.
    if (type === 'replayRun') this.home.set((input as RequestInput<'replayRun'>).runId, this.options.primary());
    if (MULTI_RUN.has(type)) return this.split(type as MultiRun, input as RequestInput<MultiRun>) as Promise<Replies[K]>;
    const runId = (input as { runId?: unknown }).runId;
    const engine = typeof runId === 'string' ? this.engineOf(runId) : this.options.primary();
    return engine.request(type, input, transfer);
  }

  /**
   * An engine's progress, kept for the runs it holds now: a run disposed there and created again on
   * another engine leaves its old life's news behind.
   */
  heldBy(engine: EngineClient, updates: RunUpdate[]): RunUpdate[] {
    return updates.filter((u) => (this.home.get(u.runId) ?? null) === engine);
  }

  /** Progress of runs on helpers, kept for the runs each holds (the lab's own engine reports to its listeners directly). */
  onHelperProgress(listener: (updates: RunUpdate[]) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Runs lost because the helper holding them stopped. */
  onHelperLost(listener: (info: { lostRuns: string[]; reason: string }) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** How many runs each engine holds, the lab's own first (for the tests and the status line). */
  async placement(): Promise<number[]> {
    const engines = [this.options.primary(), ...(await this.options.helpers())];
    return engines.map((engine) => this.runsOn(engine));
  }

  private runsOn(engine: EngineClient): number {
    let n = 0;
    for (const e of this.home.values()) if (e === engine) n++;
    return n;
  }

  private engineOf(runId: string): EngineClient {
    const engine = this.home.get(runId);
    return engine && !engine.closed ? engine : this.options.primary();
  }

  private async create(input: RequestInput<'createRun'>): Promise<Replies['createRun']> {
    const primary = this.options.primary();
    this.home.delete(input.runId);
    // Runs created together are placed one by one: each engine is chosen and taken with no await in between.
    let engine = primary;
    if (this.runsOn(primary) > 0 && this.options.engines() > 1) {
      // Helpers that fail to start are left out: the run goes where it can.
      const helpers = (await this.options.helpers().catch(() => [])).slice(0, Math.max(0, this.options.engines() - 1));
      for (const helper of helpers) if (!helper.closed && this.runsOn(helper) < this.runsOn(engine)) engine = helper;
    }
    this.home.set(input.runId, engine);
    try {
      if (engine !== primary) {
        this.listen(engine);
        await this.options.prepare(engine, input.problem);
      }
      const created = await engine.request('createRun', input);
      // Disposed while its helper was being readied: the dispose went nowhere, so it goes now.
      if (this.home.get(input.runId) !== engine) void engine.request('dispose', { runIds: [input.runId] }).catch(() => undefined);
      return created;
    } catch (error) {
      if (this.home.get(input.runId) === engine) this.home.delete(input.runId);
      throw error;
    }
  }

  private listen(helper: EngineClient): void {
    if (this.heard.has(helper)) return;
    this.heard.add(helper);
    helper.onProgress((updates) => {
      const held = this.heldBy(helper, updates);
      if (held.length) for (const listener of this.progressListeners) listener(held);
    });
    helper.onCrash((info) => {
      for (const runId of info.lostRuns) this.home.delete(runId);
      if (info.lostRuns.length) for (const listener of this.lostListeners) listener(info);
    });
  }

  /** A request about several runs, sent to each engine for its runs; replies merged in the order asked. */
  private async split(type: MultiRun, input: RequestInput<MultiRun>): Promise<Replies[MultiRun]> {
    const groups = new Map<EngineClient, string[]>();
    for (const runId of input.runIds) {
      const engine = this.engineOf(runId);
      groups.set(engine, [...(groups.get(engine) ?? []), runId]);
    }
    if (type === 'dispose') for (const runId of input.runIds) this.home.delete(runId);
    const replies = await Promise.all([...groups].map(([engine, runIds]) => engine.request(type, { ...input, runIds } as RequestInput<MultiRun>)));
    if (type !== 'step') return replies[0];
    const snapshots = (replies as Array<Replies['step']>).flat();
    return input.runIds.flatMap((runId) => snapshots.filter((s) => s.runId === runId));
  }
}
