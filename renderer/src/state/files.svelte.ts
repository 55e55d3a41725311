/**
 * The document as a file: its name and path, Save, Open and New, autosave with
 * recovery after a crash, and the lessons' own document. Opening a session
 * checks it: a formula that does not parse, or a saved run its settings do not
 * reproduce to the bit, opens with a notice naming the run and what differs,
 * and such runs are not shown as results. The lessons work in a document of
 * their own; leaving them brings back the one that was open, as it was.
 */
import type { DataProblem, Session } from '../../../engine';
import { DatasetSourceError, parseSession, serializeSession, sha256Hex, sourceBytes } from '../../../engine';
import { errorText } from '../i18n/engineText';
import { i18n, joinSentences, t } from '../i18n/i18n.svelte';
import type { Lab } from './lab.svelte';
import { fromSession, sessionResult, toSession } from './session';
import { emptyDoc, type LabDoc } from './shape';
import type { DocumentState } from './document.svelte';
import { noticeText } from './notices';

/** Seconds between autosaves while there are unsaved changes. */
export const AUTOSAVE_SECONDS = 30;

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The open document set aside while the lessons have theirs. */
interface Stashed {
  state: DocumentState;
  session: Session | null;
  filePath: string | null;
  fileName: string | null;
  resultsDirty: boolean;
}

export class SessionFiles {
  /** Where the document was last opened from or saved to (desktop), or null. */
  filePath = $state<string | null>(null);
  /** The file's name (the browser build knows no paths). */
  fileName = $state<string | null>(null);
  /** The lessons' document is open: its title names the lesson, and Save never writes another document's file. */
  /** The open lesson's title, in the current language (it follows a switch of language); null outside the lessons. */
  private lessonTitle = $state<(() => string) | null>(null);
  get lesson(): string | null {
    return this.lessonTitle?.() ?? null;
  }
  private savedResults = $state(0);
  private autosaveTimer: ReturnType<typeof setInterval> | null = null;
  private stashed: Stashed | null = null;

  constructor(private readonly lab: Lab) {}

  get dirty(): boolean {
    return this.lab.document.dirty || this.lab.results.revision !== this.savedResults;
  }

  get title(): string {
    return this.fileName ?? this.lesson ?? t('session.untitled');
  }

  markSaved(): void {
    this.lab.document.markSaved();
    this.savedResults = this.lab.results.revision;
  }

  // ---- document ↔ session ----

  toSession(): Session {
    const { lab } = this;
    lab.results.settle();
    try {
      return toSession(lab.doc, (ref) => lab.datasets.source(ref), (id) => sessionResult(lab.results.has(id) ? { live: lab.results.live[id], trace: lab.results.traces.get(id)! } : undefined));
    } catch {
      throw new Error(t('session.needDatasetToSave'));
    }
  }

  /** The document a new lab starts with: Rosenbrock, and Adam racing plain gradient descent. */
  private newDoc(): LabDoc {
    const lab = this.lab;
    lab.document.replace(emptyDoc());
    lab.formula.applyPreset('rosenbrock');
    lab.runs.add('adam', { lr: 0.05 });
    lab.runs.add('sgd', { lr: 0.001 });
    return lab.doc;
  }

  /** The first document of the window, saved as it is. */
  startNew(): void {
    this.lab.document.replace(this.newDoc());
    this.markSaved();
  }

  // ---- commands ----

  async save(as = false): Promise<boolean> {
    const lab = this.lab;
    let text: string;
    try {
      text = serializeSession(this.toSession());
    } catch (error) {
      lab.report('error', t('session.cannotSave', { message: (error as Error).message }));
      return false;
    }
    try {
      const suggested = this.fileName ?? (this.lesson ? `${this.lesson.replace(/[^\p{L}\p{Nd}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase()}.gdlab` : 'experiment.gdlab');
      // A document without a file (a new one, a lesson's) is always saved as a new file.
      const result = await lab.bridge.saveFile({ kind: 'session', suggestedName: suggested, data: text, path: as ? null : this.filePath });
      if (!result) return false;
      if (result.path) this.filePath = result.path;
      this.fileName = result.path ? baseName(result.path) : suggested;
      this.markSaved();
      if (!this.lesson) await lab.bridge.autosave(null);
      lab.report('info', t('session.saved', { name: this.fileName }));
      return true;
    } catch (error) {
      // The document in memory is untouched; the file on disk is the previous one (saves are atomic).
      lab.report('error', t('session.saveFailed', { message: (error as Error).message }), { action: { label: t('session.saveAs'), run: () => void this.save(true) } });
      return false;
    }
  }

  private async mayDiscard(action: 'open' | 'new'): Promise<boolean> {
    return !this.dirty || this.lab.bridge.confirmDiscard(action);
  }

  async open(): Promise<void> {
    if (!(await this.leaveLessonsFor('open'))) return;
    const file = await this.lab.bridge.openFile('session');
    if (file) await this.openBytes(file.name, file.bytes, file.path ?? null);
  }

  async openPath(path: string): Promise<void> {
    if (!(await this.leaveLessonsFor('open'))) return;
    const file = await this.lab.bridge.readPath(path);
    if (!file) {
      this.lab.report('error', t('session.moved', { name: baseName(path), path }));
      return;
    }
    await this.openBytes(file.name, file.bytes, file.path ?? path);
  }

  /** Opens a file dropped on the window: as Open does, leaving the lessons and asking about unsaved changes first. */
  async openDropped(name: string, bytes: Uint8Array): Promise<void> {
    if (!(await this.leaveLessonsFor('open'))) return;
    await this.openBytes(name, bytes, null);
  }

  /** Opening a file or a new document while the lessons are open leaves them first (bringing the user's document back). */
  private async leaveLessonsFor(action: 'open' | 'new'): Promise<boolean> {
    if (this.lesson) await this.leaveLessons();
    return this.mayDiscard(action);
  }

  /** Opens a session's bytes; false (with a banner, nothing changed) when it cannot be opened. */
  async openBytes(name: string, bytes: Uint8Array, path: string | null): Promise<boolean> {
    let session: Session;
    try {
      session = parseSession(bytes, name);
    } catch (error) {
      // Refused before anything changed: the open document stays as it is.
      this.lab.report('error', (error as Error).message);
      return false;
    }
    return this.show(session, name, path);
  }

  /** Loads a data problem's dataset; false (said, with Locate… where it moved) when it cannot be read. */
  private async loadDataset(p: DataProblem, retry: (located: Uint8Array) => Promise<boolean>, located?: Uint8Array): Promise<boolean> {
    const source = p.dataset;
    try {
      if (source.kind === 'generated') {
        await this.lab.datasets.generate(source.spec);
        return true;
      }
      // The bytes are checked against the session's SHA-256 here, once; the engine need not hash them again.
      const bytes = await sourceBytes(source, async (at) => (await this.lab.bridge.readPath(at))?.bytes ?? null, located);
      await this.lab.datasets.loadFile(source.name, bytes, source.path, source.sha256);
      return true;
    } catch (error) {
      const locate = error instanceof DatasetSourceError && error.reason !== 'damaged' && source.kind === 'reference';
      this.lab.banner = {
        kind: 'error',
        message: t(locate ? 'session.datasetMissingKept' : 'session.datasetMissing', { message: errorText(error) }),
        ...(locate ? { action: { label: t('session.locate'), run: () => void this.locate(source, retry) } } : {}),
      };
      return false;
    }
  }

  /** Asks for the moved dataset, checks it is the same file (SHA-256), and opens the session with it. */
  private async locate(source: { name: string; sha256: string }, retry: (located: Uint8Array) => Promise<boolean>): Promise<void> {
    const file = await this.lab.bridge.openFile('dataset');
    if (!file) return;
    if (sha256Hex(file.bytes) !== source.sha256) {
      this.lab.report('error', t('session.notSameDataset', { file: file.name, dataset: source.name }), { action: { label: t('session.locate'), run: () => void this.locate(source, retry) } });
      return;
    }
    await retry(file.bytes);
  }

  /**
   * Shows a session as it was saved and checks it; false (with a banner) when its dataset cannot be
   * read, the open document then unchanged. `located` is a moved dataset the person picked.
   */
  private async show(session: Session, name: string, path: string | null, located?: Uint8Array): Promise<boolean> {
    const lab = this.lab;
    const data = [session.problem, session.other].find((p): p is DataProblem => p?.kind === 'data');
    if (data && !(await this.loadDataset(data, (bytes) => this.show(session, name, path, bytes), located))) return false;
    const { doc, results } = fromSession(session);
    const old = lab.results.drop(lab.results.ids);
    if (old.length) void lab.router.request('dispose', { runIds: old }).catch(() => undefined);
    lab.hoverStep = null;
    lab.document.replace(doc);
    this.filePath = path;
    this.fileName = name;
    const notices: string[] = [];
    const formula = await lab.views.analyzeNow(doc.expr);
    if (doc.mode === 'function' && 'error' in formula) {
      notices.push(t('session.formulaBroken', { message: formula.error }));
    } else {
      lab.runs.busy = true;
      try {
        for (const notice of await lab.runs.replaySaved(results)) notices.push(noticeText(notice));
      } finally {
        lab.runs.busy = false;
      }
    }
    this.markSaved();
    if (notices.length) lab.report('error', joinSentences([t('session.openedWithNotices', { name }), ...notices]), { sticky: true });
    else lab.report('info', t('session.opened', { name }));
    return true;
  }

  async newSession(): Promise<void> {
    if (!(await this.leaveLessonsFor('new'))) return;
    const old = this.lab.results.drop(this.lab.results.ids);
    if (old.length) void this.lab.router.request('dispose', { runIds: old }).catch(() => undefined);
    this.startNew();
    this.filePath = null;
    this.fileName = null;
    await this.lab.bridge.autosave(null);
  }

  // ---- the lessons' own document ----

  /**
   * Sets the open document aside (keeping its undo history and results) for the lessons' own, titled
   * `title`. Moving on to another lesson keeps the one set aside; the lesson's document has no file
   * until it is saved (a lesson saved before is not written over by the next).
   */
  async enterLessons(title: () => string): Promise<void> {
    if (!this.stashed) {
      const session = (() => {
        try {
          return this.toSession();
        } catch {
          return null;
        }
      })();
      if (this.dirty && session) await this.lab.bridge.autosave(serializeSession(session)).catch(() => undefined);
      this.stashed = { state: this.lab.document.detach(), session, filePath: this.filePath, fileName: this.fileName, resultsDirty: this.lab.results.revision !== this.savedResults };
      const old = this.lab.results.drop(this.lab.results.ids);
      if (old.length) void this.lab.router.request('dispose', { runIds: old }).catch(() => undefined);
      this.lab.document.replace(emptyDoc());
      this.markSaved();
    }
    this.filePath = null;
    this.fileName = null;
    this.lessonTitle = title;
  }

  /** Told when the lessons are left, by whatever leaves them (Leave lessons, Open, New, a dropped file). */
  onLeftLessons: (() => void) | null = null;

  /** Brings back the document the lessons set aside, as it was: its settings, undo history, results and file. */
  async leaveLessons(): Promise<void> {
    const stashed = this.stashed;
    const was = this.lesson;
    this.lessonTitle = null;
    if (was !== null) this.onLeftLessons?.();
    if (!stashed) return;
    this.stashed = null;
    const lab = this.lab;
    const old = lab.results.drop(lab.results.ids);
    if (old.length) void lab.router.request('dispose', { runIds: old }).catch(() => undefined);
    lab.hoverStep = null;
    lab.document.attach(stashed.state);
    this.filePath = stashed.filePath;
    this.fileName = stashed.fileName;
    if (stashed.session) {
      lab.runs.busy = true;
      try {
        await lab.runs.replaySaved(fromSession(stashed.session).results);
      } finally {
        lab.runs.busy = false;
      }
    }
    this.savedResults = stashed.resultsDirty ? -1 : lab.results.revision;
  }

  // ---- autosave and recovery ----

  startAutosave(seconds = AUTOSAVE_SECONDS): void {
    this.stopAutosave();
    this.autosaveTimer = setInterval(() => void this.autosaveNow(), seconds * 1000);
  }

  stopAutosave(): void {
    if (this.autosaveTimer) clearInterval(this.autosaveTimer);
    this.autosaveTimer = null;
  }

  async autosaveNow(): Promise<void> {
    // Not while runs stream (serializing every history would stall the page), nor in the lessons' document.
    if (!this.dirty || this.lesson || this.lab.runs.anyRunning) return;
    try {
      await this.lab.bridge.autosave(serializeSession(this.toSession()));
    } catch {
      // A document that cannot be a session yet (no dataset) has nothing to keep.
    }
  }

  /** After a crash: offers the autosaved session back. */
  async offerRecovery(): Promise<void> {
    const copy = await this.lab.bridge.recoverable();
    if (!copy) return;
    const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(copy.savedAt));
    this.lab.report('info', t('session.recovered', { when }), {
      action: {
        label: t('session.restore'),
        run: () => void this.leaveLessonsFor('open').then((go) => (go ? this.openBytes('Recovered.gdlab', new TextEncoder().encode(copy.text), null) : false)).then((ok) => {
          if (!ok) return;
          // A recovered copy is not a file: saving it asks where.
          this.fileName = null;
          this.filePath = null;
          this.savedResults = -1;
        }),
      },
    });
  }
}
