/**
 * The engine's answer for what is on view now. While a run streams, what is
 * on view changes faster than the engine answers; asking once per change would
 * queue stale questions. `Latest` keeps one question in flight, asks again for
 * whatever is wanted when an answer arrives, and exposes an answer only with
 * the key it was asked for, so a panel never shows an answer for another
 * run, step or problem.
 */
export class Latest<T> {
  answer = $state<{ key: string; value: T } | null>(null);
  failed = $state<string | null>(null);
  private wanted = '';
  private inFlight = false;

  constructor(private readonly fetch: (key: string) => Promise<T | null>) {}

  /** Wants the answer for `key` (empty: nothing; clears the answer). */
  want(key: string): void {
    this.wanted = key;
    if (!key) {
      this.answer = null;
      this.failed = null;
      return;
    }
    void this.pump();
  }

  /** The answer if it is for `key`. */
  for(key: string): T | null {
    return this.answer && this.answer.key === key ? this.answer.value : null;
  }

  private async pump(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      while (this.wanted && this.wanted !== this.answer?.key && this.wanted !== this.failed) {
        const key = this.wanted;
        const value = await this.fetch(key);
        if (value === null) {
          if (key === this.wanted) this.failed = key;
          continue;
        }
        this.answer = { key, value };
        this.failed = null;
      }
    } finally {
      this.inFlight = false;
    }
  }
}
