/**
 * The lab as a document: its session file (name, path, unsaved changes), Save,
 * Open and New, autosave with recovery after a crash. The lab keeps the
 * session's own shapes (the problem and run specs of engine/spec), so saving
 * adds each run's result to its spec, and reopening shows the saved histories
 * at once, then rebuilds each run in the engine at its saved step, so that it
 * can be resumed or re-run exactly.
 */
import { tick } from 'svelte';
import type { Lab } from './lab.svelte';
import { i18n, t } from './i18n.svelte';
import { RunTrace } from './trace';
import { isFinished } from './model/runs.svelte';
import { DATASET_ID } from './model/data.svelte';
import type { DataProblem, Session, SessionResult, SessionRun } from '../../../engine';
import { DatasetSourceError, sha256Hex, decodeEpoch, decodeHistory, encodeEpoch, encodeHistory, engineProblem, newSession, parseSession, serializeSession, sourceBytes, thinEpochs } from '../../../engine';

/** Seconds between autosaves while there are unsaved changes. */
export const AUTOSAVE_SECONDS = 30;

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export class SessionDocument {
  /** Where the session was last opened from or saved to (desktop), or null. */
  filePath = $state<string | null>(null);
  /** The file's name (the browser build knows no paths). */
  fileName = $state<string | null>(null);
  private savedMark = $state('');
  private autosaveTimer: ReturnType<typeof setInterval> | null = null;
  /** False until the lab has started: its start-up is not an edit. */
  private tracking = $state(false);

  constructor(readonly lab: Lab) {}

  /** What "unsaved changes" compares: every edit, the notes, and the runs' results. */
  private mark(): string {
    return `${this.lab.runs.version}|${this.lab.editable()}`;
  }

  get dirty(): boolean {
    return this.tracking && this.mark() !== this.savedMark;
  }

  get title(): string {
    return this.fileName ?? t('session.untitled');
  }

  markSaved(): void {
    this.savedMark = this.mark();
    this.tracking = true;
  }

  // ---- lab → session ----

  toSession(): Session {
    const lab = this.lab;
    const problem = lab.problem();
    if (!problem) throw new Error(t('session.needDatasetToSave'));
    const runs = lab.runs.specs.map((run): SessionRun => ({ ...($state.snapshot(run) as typeof run), result: this.resultOf(run.id) }));
    const f = lab.formula;
    const r = lab.runs;
    const view = { xRange: [...f.xRange] as [number, number], yRange: [...f.yRange] as [number, number], axes: [...f.axes] as [number, number], logScale: true, replayStep: r.replayStep, selectedRun: r.selected, speed: r.speed };
    return newSession(problem, runs, view, lab.notes);
  }

  private resultOf(id: string): SessionResult | null {
    const trace = this.lab.runs.traces.get(id);
    const live = this.lab.runs.live[id];
    if (!trace || trace.count === 0 || !live || live.status === 'none') return null;
    return {
      status: live.status,
      message: live.message.slice(0, 2000),
      step: live.step,
      ...(live.bracket ? { bracket: live.bracket } : {}),
      history: encodeHistory(trace.packed(), trace.width),
      epochs: thinEpochs(live.epochs).map(encodeEpoch),
    };
  }

  // ---- session → lab ----

  /**
   * Shows a session as it was saved; returns false (with a banner) when it cannot be shown.
   * `located` holds the bytes of a referenced dataset the user located after it moved.
   */
  async apply(session: Session, reopen: (located: Uint8Array) => Promise<boolean>, located?: Uint8Array): Promise<boolean> {
    const lab = this.lab;
    const p = session.problem;
    if (p.kind === 'data' && !(await this.loadDataset(p, reopen, located))) return false;
    const runs = lab.runs;
    runs.reset();
    lab.mode = p.kind;
    if (p.kind === 'function') {
      lab.formula.text = p.expr;
      await lab.formula.analyze();
    } else {
      lab.data.setProblem(p);
    }
    runs.specs = session.runs.map(({ result: _result, ...spec }) => spec);
    runs.syncCounter();
    const v = session.view;
    Object.assign(lab.formula, { xRange: [...v.xRange], yRange: [...v.yRange], axes: [...v.axes] });
    runs.selected = v.selectedRun ?? runs.specs[0]?.id ?? null;
    runs.speed = v.speed;
    lab.notes = session.notes;
    // Let the problem's change reset what the previous session showed, then show this one's results.
    await tick();
    runs.problemKey = lab.problemKey;
    for (const r of session.runs) {
      if (!r.result) continue;
      const trace = new RunTrace();
      trace.append(decodeHistory(r.result.history), r.result.history.width, true, 0);
      runs.traces.set(r.id, trace);
      const last = trace.count - 1;
      runs.live[r.id] = {
        status: r.result.status, step: r.result.step, value: trace.values[last], gradNorm: trace.gradNorms[last], lr: trace.lrs[last],
        params: trace.params.map((c) => c[last]), message: r.result.message, ...(r.result.bracket ? { bracket: r.result.bracket } : {}),
        epochs: r.result.epochs.map(decodeEpoch),
      };
    }
    runs.replayStep = v.replayStep;
    runs.bumpFrame();
    // …then each run rebuilt in the engine at its saved step; its first update replaces the trace with the same rows.
    const failures: string[] = [];
    const problem = engineProblem(p, DATASET_ID);
    for (const r of session.runs) {
      if (!r.result) continue;
      const spec = runs.specs.find((s) => s.id === r.id)!;
      try {
        await runs.replay(spec, problem, r.result.step);
        if (!isFinished(r.result.status)) runs.live[r.id] = { ...runs.live[r.id], status: 'paused' };
      } catch (error) {
        failures.push(`${r.name}: ${(error as Error).message}`);
      }
    }
    runs.version++;
    if (failures.length) lab.banner = { kind: 'error', message: t('session.notRebuilt', { failures: failures.join('; ') }) };
    return true;
  }

  /** Loads the session's dataset; a referenced file that moved or changed is offered to be located, and nothing else changes. */
  private async loadDataset(p: DataProblem, reopen: (located: Uint8Array) => Promise<boolean>, located?: Uint8Array): Promise<boolean> {
    const lab = this.lab;
    const source = p.dataset;
    if (source.kind === 'generated') return (await lab.data.generateFrom(source.spec)) !== null;
    let bytes: Uint8Array;
    try {
      bytes = await sourceBytes(source, async (path) => (await lab.bridge.readPath(path))?.bytes ?? null, located);
    } catch (error) {
      const locate = error instanceof DatasetSourceError && error.reason !== 'damaged' && source.kind === 'reference';
      lab.banner = {
        kind: 'error',
        // The engine's message, as it comes; the lab's own words around it.
        message: t(locate ? 'session.datasetMissingKept' : 'session.datasetMissing', { message: (error as Error).message }),
        ...(locate ? { action: { label: t('session.locate'), run: () => void this.locate(source, reopen) } } : {}),
      };
      return false;
    }
    return (await lab.data.load(source.name, bytes, source.path)) !== null;
  }

  /** Asks for the moved dataset, checks it is the same file (SHA-256), and opens the session with it. */
  private async locate(source: { name: string; sha256: string }, reopen: (located: Uint8Array) => Promise<boolean>): Promise<void> {
    const file = await this.lab.bridge.openFile('dataset');
    if (!file) return;
    if (sha256Hex(file.bytes) !== source.sha256) {
      this.lab.banner = { kind: 'error', message: t('session.notSameDataset', { file: file.name, dataset: source.name }), action: { label: t('session.locate'), run: () => void this.locate(source, reopen) } };
      return;
    }
    await reopen(file.bytes);
  }

  // ---- commands ----

  async save(as = false): Promise<boolean> {
    const lab = this.lab;
    let text: string;
    try {
      text = serializeSession(this.toSession());
    } catch (error) {
      lab.banner = { kind: 'error', message: t('session.cannotSave', { message: (error as Error).message }) };
      return false;
    }
    try {
      const suggested = this.fileName ?? 'experiment.gdlab';
      const result = await lab.bridge.saveFile({ kind: 'session', suggestedName: suggested, data: text, path: as ? null : this.filePath });
      if (!result) return false;
      if (result.path) this.filePath = result.path;
      this.fileName = result.path ? baseName(result.path) : suggested;
      this.markSaved();
      await lab.bridge.autosave(null);
      lab.banner = { kind: 'info', message: t('session.saved', { name: this.fileName }) };
      return true;
    } catch (error) {
      // The session in memory is untouched; the file on disk is the previous one (saves are atomic).
      lab.banner = { kind: 'error', message: t('session.saveFailed', { message: (error as Error).message }), action: { label: t('session.saveAs'), run: () => void this.save(true) } };
      return false;
    }
  }

  private async mayDiscard(action: 'open' | 'new'): Promise<boolean> {
    return !this.dirty || this.lab.bridge.confirmDiscard(action);
  }

  async open(): Promise<void> {
    if (!(await this.mayDiscard('open'))) return;
    const file = await this.lab.bridge.openFile('session');
    if (file) await this.openBytes(file.name, file.bytes, file.path ?? null);
  }

  async openPath(path: string): Promise<void> {
    if (!(await this.mayDiscard('open'))) return;
    const file = await this.lab.bridge.readPath(path);
    if (!file) {
      this.lab.banner = { kind: 'error', message: t('session.moved', { name: baseName(path), path }) };
      return;
    }
    await this.openBytes(file.name, file.bytes, file.path ?? path);
  }

  async openBytes(name: string, bytes: Uint8Array, path: string | null): Promise<boolean> {
    let session: Session;
    try {
      session = parseSession(bytes, name);
    } catch (error) {
      // Refused before anything changed: the current session stays as it is.
      this.lab.banner = { kind: 'error', message: (error as Error).message };
      return false;
    }
    return this.show(session, name, path);
  }

  private async show(session: Session, name: string, path: string | null, located?: Uint8Array): Promise<boolean> {
    if (!(await this.apply(session, (bytes) => this.show(session, name, path, bytes), located))) return false;
    this.filePath = path;
    this.fileName = name;
    this.lab.undo.clear();
    this.markSaved();
    this.lab.banner = { kind: 'info', message: t('session.opened', { name }) };
    return true;
  }

  async newSession(): Promise<void> {
    if (!(await this.mayDiscard('new'))) return;
    const lab = this.lab;
    lab.runs.reset();
    lab.runs.specs = [];
    lab.runs.selected = null;
    lab.notes = '';
    lab.data.clear();
    lab.undo.clear();
    lab.mode = 'function';
    lab.applyPreset('rosenbrock');
    lab.runs.add('adam', { lr: 0.05 });
    lab.runs.add('sgd', { lr: 0.001 });
    this.filePath = null;
    this.fileName = null;
    await lab.bridge.autosave(null);
    this.markSaved();
  }

  // ---- autosave and recovery ----

  startAutosave(seconds = AUTOSAVE_SECONDS): void {
    if (this.autosaveTimer) clearInterval(this.autosaveTimer);
    this.autosaveTimer = setInterval(() => void this.autosaveNow(), seconds * 1000);
  }

  async autosaveNow(): Promise<void> {
    // Not while runs stream: serializing every history would stall the page; the next tick after they stop saves.
    if (!this.dirty || this.lab.runs.anyRunning) return;
    try {
      await this.lab.bridge.autosave(serializeSession(this.toSession()));
    } catch {
      // A session that cannot be serialized yet (no dataset) has nothing to keep.
    }
  }

  /** After a crash: offers the autosaved session back. */
  async offerRecovery(): Promise<void> {
    const copy = await this.lab.bridge.recoverable();
    if (!copy) return;
    const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(copy.savedAt));
    this.lab.banner = {
      kind: 'info',
      message: t('session.recovered', { when }),
      action: {
        label: t('session.restore'),
        run: () => void this.openBytes('Recovered.gdlab', new TextEncoder().encode(copy.text), null).then((ok) => {
          if (ok) {
            this.fileName = null;
            this.savedMark = '';
          }
        }),
      },
    };
  }
}
