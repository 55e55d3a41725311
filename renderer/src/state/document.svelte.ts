/**
 * The one document of the lab (its shape in ./shape.ts), with a revision that
 * every edit moves to a new number. Undo and redo are snapshots of it (each
 * with its revision, so undoing back to what was saved is "saved" again);
 * "unsaved" is the revision differing from the saved one; save, autosave and
 * open (de)serialize it; the engine's problem is derived from it.
 *
 * Every change goes through `edit`, which applies a recipe to a draft (immer):
 * the document is immutable, so a snapshot costs only what changed, and a
 * view that reads a part the edit left alone sees the same object. An edit
 * that changes the problem drops the experiments' results with it: results
 * belong to the problem they were computed for.
 */
import { produce, type Draft } from 'immer';
import { UndoHistory, type Entry } from './undo';
import { emptyDoc, problemKey, type LabDoc } from './shape';

export interface EditOptions {
  /** Consecutive edits of one group (a field being typed in, the camera being turned) make one undo step. */
  group?: string;
  /** Joins the undo step before it: what an edit brings with it a moment later (a new formula's range). */
  merge?: boolean;
}

/** A document as it stands, to set aside and bring back (the lessons' own document takes its place meanwhile). */
export interface DocumentState {
  doc: LabDoc;
  revision: number;
  savedRevision: number;
  history: UndoHistory<LabDoc>;
}

let revisions = 0;
/** A revision no other state of any document has had. */
const nextRevision = () => ++revisions;

export class LabDocument {
  private state = $state.raw<LabDoc>(emptyDoc());
  revision = $state(nextRevision());
  private savedRevision = $state(-1);
  private history: UndoHistory<LabDoc>;
  /** Bumped when undo or redo become possible or not (the history itself is not reactive). */
  private historyTick = $state(0);
  /** Counts the documents this one has been (new, opened, set aside and back): the page builds its fields anew for each. */
  generation = $state(0);

  constructor(private readonly clock?: () => number) {
    this.history = new UndoHistory<LabDoc>(200, 1000, clock);
  }

  get doc(): LabDoc {
    return this.state;
  }

  /** Applies `recipe` to the document; returns whether it changed anything. */
  edit(recipe: (draft: Draft<LabDoc>) => void, options: EditOptions = {}): boolean {
    const before = this.state;
    let next = produce(before, recipe);
    // A value set to what it was (a new array of the same numbers) is no change.
    if (next === before || same(next, before)) return false;
    if (problemKey(next) !== problemKey(before)) next = dropExperimentResults(next);
    this.history.record({ state: before, revision: this.revision }, options);
    this.set(next, nextRevision());
    return true;
  }

  get canUndo(): boolean {
    void this.historyTick;
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    void this.historyTick;
    return this.history.canRedo;
  }

  undo(): boolean {
    return this.restore(this.history.undo(this.current()));
  }

  redo(): boolean {
    return this.restore(this.history.redo(this.current()));
  }

  /** A new or reopened document: its own history, and saved as it is unless `saved` is false (a recovered copy). */
  replace(doc: LabDoc, saved = true): void {
    this.generation++;
    this.history.clear();
    this.set(doc, nextRevision());
    if (saved) this.markSaved();
    else this.savedRevision = -1;
  }

  /** The document as it stands, with its history; a new history starts for what replaces it. */
  detach(): DocumentState {
    const state = { doc: this.state, revision: this.revision, savedRevision: this.savedRevision, history: this.history };
    this.history = new UndoHistory<LabDoc>(200, 1000, this.clock);
    return state;
  }

  /** Brings back a document set aside, exactly as it was: unsaved or not, with its undo and redo. */
  attach(s: DocumentState): void {
    this.generation++;
    this.history = s.history;
    this.set(s.doc, s.revision);
    this.savedRevision = s.savedRevision;
  }

  get dirty(): boolean {
    return this.revision !== this.savedRevision;
  }

  /** What is saved now: the revision, and the end of any edit group (undo goes back to the saved state). */
  markSaved(): void {
    this.savedRevision = this.revision;
    this.history.seal();
  }

  private current(): Entry<LabDoc> {
    return { state: this.state, revision: this.revision };
  }

  private restore(entry: Entry<LabDoc> | null): boolean {
    if (!entry) return false;
    this.set(entry.state, entry.revision);
    return true;
  }

  private set(doc: LabDoc, revision: number): void {
    this.state = doc;
    this.revision = revision;
    this.historyTick++;
  }
}

/**
 * Whether two documents hold the same values. Parts an edit left alone are the same objects (immer
 * shares them), so only the paths it touched are compared.
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The document without the experiments' results (its problem changed). */
function dropExperimentResults(doc: LabDoc): LabDoc {
  const x = doc.experiments;
  if (!x.sweep.result && !x.map.result && !x.gap.result) return doc;
  return produce(doc, (d) => {
    d.experiments.sweep.result = null;
    d.experiments.map.result = null;
    d.experiments.gap.result = null;
  });
}
