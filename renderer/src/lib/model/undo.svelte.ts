/**
 * Undo and redo of edits: snapshots of what the problem and run panels edit,
 * one per settled edit (the lab records them 400 ms after typing stops), up to
 * 200 back. `capture` and `restore` are the lab's: this model only keeps the
 * history.
 */
export class UndoModel {
  canUndo = $state(false);
  canRedo = $state(false);
  private past: string[] = [];
  private future: string[] = [];
  private current: string | null = null;
  private restoring = false;

  constructor(
    private readonly capture: () => string,
    private readonly restore: (snapshot: string) => void,
  ) {}

  /** The state to compare edits against: what `commit` would record now. */
  snapshot(): string {
    return this.capture();
  }

  /** Records the state as one undo step, unless nothing changed (or the change is an undo itself). */
  commit(snapshot: string): void {
    if (this.restoring) {
      this.restoring = false;
      this.current = snapshot;
      return;
    }
    if (snapshot === this.current) return;
    if (this.current !== null) this.past.push(this.current);
    if (this.past.length > 200) this.past.shift();
    this.current = snapshot;
    this.future = [];
    this.update();
  }

  undo(): void {
    const previous = this.past.pop();
    if (previous === undefined || this.current === null) return;
    this.future.push(this.current);
    this.apply(previous);
  }

  redo(): void {
    const next = this.future.pop();
    if (next === undefined || this.current === null) return;
    this.past.push(this.current);
    this.apply(next);
  }

  /** Forgets the history (a new or reopened document starts its own). */
  clear(): void {
    this.past = [];
    this.future = [];
    this.current = null;
    this.restoring = false;
    this.update();
  }

  private apply(snapshot: string): void {
    this.restoring = true;
    this.restore(snapshot);
    this.current = snapshot;
    this.update();
  }

  private update(): void {
    this.canUndo = this.past.length > 0;
    this.canRedo = this.future.length > 0;
  }
}
