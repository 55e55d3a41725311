/**
 * Undo and redo as snapshots: each entry is a whole state (immutable, so an
 * entry costs what the edit changed) with the revision it had. Edits of one
 * group that follow each other within `groupMs` (typing in a field, dragging
 * the camera) make one step; an edit may also be merged into the step before
 * it whatever the time (what an edit brings with it, such as a new formula's
 * plot range), which then undoes both; merged into a history with no step, it
 * is part of the document as it started.
 */
export interface Entry<T> {
  state: T;
  revision: number;
}

export class UndoHistory<T> {
  private past: Entry<T>[] = [];
  private future: Entry<T>[] = [];
  private lastGroup: string | null = null;
  private lastAt = -Infinity;

  constructor(
    private readonly limit = 200,
    private readonly groupMs = 1000,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /**
   * Records `before`, the state an edit left, as the step to undo to; `group` and `merge` decide
   * whether the edit joins the step before it instead.
   */
  record(before: Entry<T>, options: { group?: string; merge?: boolean } = {}): void {
    const now = this.clock();
    const joins = options.merge || (options.group !== undefined && options.group === this.lastGroup && now - this.lastAt <= this.groupMs);
    if (!options.merge) {
      this.lastGroup = options.group ?? null;
      this.lastAt = now;
    }
    this.future = [];
    if (joins) return;
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
  }

  /** The state to go back to from `current`, which redo then returns to; null with nothing to undo. */
  undo(current: Entry<T>): Entry<T> | null {
    const entry = this.past.pop();
    if (!entry) return null;
    this.future.push(current);
    this.lastGroup = null;
    return entry;
  }

  redo(current: Entry<T>): Entry<T> | null {
    const entry = this.future.pop();
    if (!entry) return null;
    this.past.push(current);
    this.lastGroup = null;
    return entry;
  }

  /** Ends the group in progress: the next edit is a step of its own (after a save, say). */
  seal(): void {
    this.lastGroup = null;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.lastGroup = null;
  }
}
