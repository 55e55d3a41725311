/**
 * One way to ask the engine. A Query holds the answer to one kind of question
 * (contours, a run's predictions, an explained step…) under the key it was
 * asked for: the key names everything the answer depends on (the formula and
 * range, the run and the result it was computed for, the step). A view shows
 * an answer only while its key is still the one wanted, so nothing computed
 * for another formula, run, step or revision stays on screen.
 *
 * One question is in flight at a time; while one is, only the latest wish is
 * kept and asked next (a streaming run's steps are not queued). A paced query
 * waits after each answer, in proportion to how long it took, so that such
 * questions take at most `share` of the engine's time while runs stream.
 */
export interface QueryOptions {
  /** The share of the engine's time this query may take (asked after each answer); 1 is unpaced. */
  share?: () => number;
  /** The least pause between two questions, in ms, when paced. */
  minMs?: number;
  /** Schedules the pause (tests pass a fake clock's). */
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
}

type Fetch<T> = () => Promise<T>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Query<T> {
  /** The newest answer and the key it was asked for. */
  answer = $state.raw<{ key: string; value: T } | null>(null);
  /** The key whose question failed last, and why. */
  failure = $state.raw<{ key: string; message: string } | null>(null);
  private wanted: { key: string; fetch: Fetch<T> } | null = null;
  private busy = false;
  /** Who waits for the answer to a key (bookkeeping, never shown). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly waiting = new Map<string, Array<() => void>>();
  /** Questions asked, for tests and benches. */
  asked = 0;
  /**
   * What the view is of now, as the start every key about it has (and the key with nothing more):
   * `shown` gives the newest answer within it.
   */
  private scope = $state.raw<{ prefix: string; exact: string } | null>(null);

  constructor(private readonly options: QueryOptions = {}) {}

  /**
   * Wants the answer for `key` (null: none; the answer shown is then dropped). `scope` is what the
   * view is of: the part of the key that an answer must share to be shown meanwhile.
   */
  want(key: string | null, fetch: Fetch<T>, scope?: { prefix: string; exact: string }): void {
    this.scope = key === null ? null : (scope ?? { prefix: key, exact: key });
    if (key === null) {
      this.wanted = null;
      this.answer = null;
      this.failure = null;
      this.release();
      return;
    }
    this.wanted = { key, fetch };
    this.release();
    void this.pump();
  }

  /** Nothing is being asked or waited for: the answer shown is the one wanted (or its question failed). */
  get idle(): boolean {
    return !this.busy && (this.wanted === null || this.settled(this.wanted.key));
  }

  /** The answer for `key`, or null while there is none (or only one for another key). */
  for(key: string | null): T | null {
    const a = this.answer;
    return key !== null && a !== null && a.key === key ? a.value : null;
  }

  /** Why the question for `key` failed, or null. */
  failed(key: string | null): string | null {
    const f = this.failure;
    return key !== null && f !== null && f.key === key ? f.message : null;
  }

  /** The newest answer for what the view is of now (the one wanted, or while it is on its way, an earlier one of the same). */
  get shown(): T | null {
    return this.shownKey === null ? null : this.answer!.value;
  }

  /** The key of the answer `shown`, or null: what it answers, where it stands included. */
  get shownKey(): string | null {
    const scope = this.scope;
    const a = this.answer;
    if (!scope || !a) return null;
    return a.key.startsWith(scope.prefix) || a.key === scope.exact ? a.key : null;
  }

  /** The newest answer whose key starts with `prefix` (a run's latest step explained while it catches up). */
  latest(prefix: string): T | null {
    const a = this.answer;
    return a !== null && a.key.startsWith(prefix) ? a.value : null;
  }

  private settled(key: string): boolean {
    return this.answer?.key === key || this.failure?.key === key;
  }

  /** Resolves once the question for `key` has been answered (or has failed), or is no longer wanted. */
  settle(key: string): Promise<void> {
    if (this.settled(key) || this.wanted?.key !== key) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(key, [...(this.waiting.get(key) ?? []), resolve]));
  }

  /** Releases those waiting for answers that came, or for questions no longer wanted. */
  private release(): void {
    for (const [key, resolvers] of this.waiting) {
      if (!this.settled(key) && this.wanted?.key === key) continue;
      this.waiting.delete(key);
      for (const resolve of resolvers) resolve();
    }
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const now = this.options.now ?? (() => performance.now());
    try {
      while (this.wanted && !this.settled(this.wanted.key)) {
        const { key, fetch } = this.wanted;
        const started = now();
        this.asked++;
        try {
          const value = await fetch();
          // An answer to a question no longer wanted is dropped, not shown.
          if (this.wanted?.key === key) {
            this.answer = { key, value };
            this.failure = null;
          }
        } catch (error) {
          if (this.wanted?.key === key) this.failure = { key, message: error instanceof Error ? error.message : String(error) };
        }
        this.release();
        const share = this.options.share?.() ?? 1;
        if (share < 1 && this.wanted && !this.settled(this.wanted.key)) {
          const took = now() - started;
          await (this.options.wait ?? sleep)(Math.max(this.options.minMs ?? 0, took * (1 / share - 1)));
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
