/**
 * The lab as a document: its session file (name, path, unsaved changes), Save,
 * Open and New, autosave with recovery after a crash, and the exports. What the
 * lab holds becomes a session (engine/session/format.ts) and back; reopening
 * shows the saved histories at once, then rebuilds each run in the engine at
 * its saved step so that it can be resumed or re-run exactly.
 */
import type { Lab, RunConfig, HyperValue } from './lab.svelte';
import { RunTrace } from './trace';
import { newSession } from '../../../engine/session/create';
import { parseSession, serializeSession } from '../../../engine/session/open';
import { decodeEpoch, decodeHistory, encodeEpoch, encodeHistory, thinEpochs, base64ToBytes, sha256Hex } from '../../../engine/session/codec';
import type { Session, SessionResult, SessionRun } from '../../../engine/session/format';
import { historyCsv } from '../../../engine/session/export/csv';
import type { RunStatus } from '../../../engine/host/protocol';
import { canvasPng } from './chartExport';

/** Seconds between autosaves while there are unsaved changes. */
export const AUTOSAVE_SECONDS = 30;

const FINISHED: ReadonlyArray<RunStatus | 'none'> = ['max_steps', 'converged', 'diverged', 'undefined', 'unbounded', 'stopped', 'failed'];

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

  constructor(readonly lab: Lab) {}

  /** What "unsaved changes" compares: every edit, the notes, and the runs' results. */
  private mark(): string {
    return `${this.lab.runsVersion}|${this.lab.editable()}`;
  }

  /** False until the lab has started: its start-up is not an edit. */
  private tracking = $state(false);

  get dirty(): boolean {
    return this.tracking && this.mark() !== this.savedMark;
  }

  get title(): string {
    return this.fileName ?? 'Untitled';
  }

  markSaved(): void {
    this.savedMark = this.mark();
    this.tracking = true;
  }

  // ---- lab → session ----

  toSession(): Session {
    const lab = this.lab;
    const problem: Session['problem'] = lab.mode === 'function'
      ? { kind: 'function', expr: lab.formula }
      : {
          kind: 'data',
          dataset: lab.datasetSource ?? (() => { throw new Error('Load or generate a dataset before saving a data session'); })(),
          target: lab.target,
          features: lab.modelKind === 'custom' ? [] : [...lab.features],
          model: lab.modelKind === 'poly' ? { kind: 'poly', degree: lab.degree } : lab.modelKind === 'custom' ? { kind: 'custom', expr: lab.customExpr } : { kind: lab.modelKind },
          loss: { name: lab.loss },
          reg: { l1: 0, l2: lab.l2 },
          valSplit: lab.valSplit,
          standardize: lab.standardize,
          missing: lab.missing,
          splitSeed: 0,
        };
    const runs = lab.runs.map((run) => this.sessionRun(run));
    const view = { xRange: [...lab.xRange] as [number, number], yRange: [...lab.yRange] as [number, number], axes: [...lab.axes] as [number, number], logScale: lab.logScale, replayStep: lab.replayStep, selectedRun: lab.selectedRun, speed: lab.speed };
    return newSession(problem, runs, view, lab.notes);
  }

  private sessionRun(run: RunConfig): SessionRun {
    const lab = this.lab;
    const trace = lab.traces.get(run.id);
    const live = lab.live[run.id];
    const hasResult = trace !== undefined && trace.count > 0 && live !== undefined && live.status !== 'none';
    const initial = hasResult ? lab.startedWith.get(run.id) ?? run.hyper : run.hyper;
    const result: SessionResult | null = hasResult
      ? {
          status: live.status === 'none' ? 'idle' : live.status,
          message: live.message.slice(0, 2000),
          step: live.step,
          ...(live.bracket ? { bracket: live.bracket } : {}),
          history: encodeHistory(trace.packed(), trace.width),
          epochs: thinEpochs(live.epochs).map(encodeEpoch),
        }
      : null;
    const schedule = lab.scheduleOf(run);
    const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));
    return {
      id: run.id,
      name: run.name,
      color: run.color,
      optimizer: { name: run.optimizer, ...plain(initial) },
      schedule: schedule ? plain(schedule) : null,
      warmup: null,
      clipNorm: run.clipNorm,
      start: lab.mode === 'function' ? [...run.start] : [],
      stop: lab.mode === 'function' ? { maxSteps: run.maxSteps, gradTol: run.gradTol } : {},
      batchSize: run.batchSize,
      epochs: run.epochs,
      shuffle: run.batchSize !== 'full',
      seed: run.seed,
      changes: hasResult ? plain(lab.runChanges.get(run.id) ?? []) : [],
      result,
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
    if (p.kind === 'data' && !(await this.loadDataset(p.dataset, reopen, located))) return false;
    lab.resetRuns();
    lab.mode = session.problem.kind;
    if (p.kind === 'function') {
      lab.formula = p.expr;
      await lab.analyzeNow();
    } else {
      Object.assign(lab, {
        target: p.target,
        features: [...p.features],
        modelKind: p.model.kind,
        ...(p.model.kind === 'poly' ? { degree: p.model.degree } : {}),
        ...(p.model.kind === 'custom' ? { customExpr: p.model.expr } : {}),
        loss: p.loss.name,
        l2: p.reg.l2,
        valSplit: p.valSplit,
        standardize: p.standardize,
        missing: p.missing,
      });
    }
    lab.runs = session.runs.map((r): RunConfig => {
      const { name: optimizer, ...initial } = r.optimizer;
      const current: Record<string, HyperValue> = { ...(initial as Record<string, HyperValue>) };
      for (const c of r.changes) Object.assign(current, c.changes);
      return {
        id: r.id, name: r.name, color: r.color, optimizer, hyper: current, start: r.start.length ? [...r.start] : lab.defaultStart(),
        schedule: r.schedule?.type ?? 'constant', clipNorm: r.clipNorm, maxSteps: r.stop.maxSteps ?? 2000, gradTol: r.stop.gradTol ?? 0,
        batchSize: r.batchSize, epochs: r.epochs, seed: r.seed,
      };
    });
    lab.syncRunCounter();
    const v = session.view;
    Object.assign(lab, { xRange: [...v.xRange], yRange: [...v.yRange], axes: [...v.axes], logScale: v.logScale, selectedRun: v.selectedRun ?? lab.runs[0]?.id ?? null, speed: v.speed, notes: session.notes });
    // The saved histories, shown at once…
    for (const r of session.runs) {
      if (!r.result) continue;
      const trace = new RunTrace();
      trace.append(decodeHistory(r.result.history), r.result.history.width, true, 0);
      lab.traces.set(r.id, trace);
      const last = trace.count - 1;
      lab.live[r.id] = {
        status: r.result.status, step: r.result.step, value: trace.values[last], gradNorm: trace.gradNorms[last], lr: trace.lrs[last],
        params: trace.params.map((c) => c[last]), message: r.result.message, ...(r.result.bracket ? { bracket: r.result.bracket } : {}),
        epochs: r.result.epochs.map(decodeEpoch),
      };
    }
    lab.replayStep = v.replayStep;
    lab.bumpFrame();
    // …then each run rebuilt in the engine at its saved step; its first update replaces the trace with the same rows.
    const failures: string[] = [];
    for (const r of session.runs) {
      if (!r.result) continue;
      const config = lab.runs.find((c) => c.id === r.id) as RunConfig;
      const { name: _name, ...initial } = r.optimizer;
      try {
        await lab.replayRun(config, initial as Record<string, HyperValue>, r.changes as Array<{ step: number; changes: Record<string, HyperValue> }>, r.result.step);
        if (!FINISHED.includes(r.result.status)) lab.live[r.id] = { ...lab.live[r.id], status: 'paused' };
      } catch (error) {
        failures.push(`${r.name}: ${(error as Error).message}`);
      }
    }
    lab.runsVersion++;
    if (failures.length) lab.banner = { kind: 'error', message: `Some runs could not be rebuilt and are shown as saved: ${failures.join('; ')}` };
    return true;
  }

  /** Loads the session's dataset; a referenced file that moved or changed is offered to be located, and nothing else changes. */
  private async loadDataset(source: Extract<Session['problem'], { kind: 'data' }>['dataset'], reopen: (located: Uint8Array) => Promise<boolean>, located?: Uint8Array): Promise<boolean> {
    const lab = this.lab;
    if (source.kind === 'generated') return lab.generateFrom(source.spec);
    if (source.kind === 'embedded') return lab.loadDataset(source.name, base64ToBytes(source.data), source.path);
    if (located) return lab.loadDataset(source.name, located, source.path);
    const file = await lab.bridge.readPath(source.path);
    if (file && sha256Hex(file.bytes) === source.sha256) return lab.loadDataset(source.name, file.bytes, source.path);
    const why = file ? 'has changed since the session was saved (its content differs)' : `is no longer at ${source.path}`;
    lab.banner = {
      kind: 'error',
      message: `The session's dataset ${source.name} ${why}. Locate the original file to open the session; the open session is unchanged.`,
      action: { label: 'Locate…', run: () => void this.locate(source, reopen) },
    };
    return false;
  }

  /** Asks for the moved dataset, checks it is the same file (SHA-256), and opens the session with it. */
  private async locate(source: { name: string; sha256: string }, reopen: (located: Uint8Array) => Promise<boolean>): Promise<void> {
    const file = await this.lab.bridge.openFile('dataset');
    if (!file) return;
    if (sha256Hex(file.bytes) !== source.sha256) {
      this.lab.banner = { kind: 'error', message: `${file.name} is not the session's dataset ${source.name} (its content differs). Choose the original file.`, action: { label: 'Locate…', run: () => void this.locate(source, reopen) } };
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
      lab.banner = { kind: 'error', message: `Cannot save: ${(error as Error).message}` };
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
      lab.banner = { kind: 'info', message: `Saved ${this.fileName}` };
      return true;
    } catch (error) {
      // The session in memory is untouched; the file on disk is the previous one (saves are atomic).
      lab.banner = { kind: 'error', message: `${(error as Error).message}. Nothing was lost: the session is still open, and the previous file is unchanged.`, action: { label: 'Save As…', run: () => void this.save(true) } };
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
      this.lab.banner = { kind: 'error', message: `${baseName(path)} cannot be opened: it is no longer at ${path}.` };
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
    this.markSaved();
    this.lab.banner = { kind: 'info', message: `Opened ${name}` };
    return true;
  }

  async newSession(): Promise<void> {
    if (!(await this.mayDiscard('new'))) return;
    const lab = this.lab;
    lab.resetRuns();
    lab.runs = [];
    lab.selectedRun = null;
    lab.replayStep = null;
    lab.notes = '';
    lab.mode = 'function';
    lab.datasetSource = null;
    lab.dataset = null;
    lab.applyPreset('rosenbrock');
    lab.addRun('adam', { lr: 0.05 });
    lab.addRun('sgd', { lr: 0.001 });
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
    if (!this.dirty || this.lab.anyRunning) return;
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
    const when = new Date(copy.savedAt).toLocaleString();
    this.lab.banner = {
      kind: 'info',
      message: `Unsaved work from ${when} was recovered after the lab last closed unexpectedly.`,
      action: {
        label: 'Restore it',
        run: () => void this.openBytes('Recovered.gdlab', new TextEncoder().encode(copy.text), null).then((ok) => {
          if (ok) {
            this.fileName = null;
            this.savedMark = '';
          }
        }),
      },
    };
  }

  // ---- exports ----

  private stem(): string {
    return (this.fileName ?? 'experiment').replace(/\.gdlab$/i, '');
  }

  private async export(kind: 'csv' | 'python' | 'png' | 'svg', name: string, data: string | Uint8Array, what: string): Promise<void> {
    try {
      const result = await this.lab.bridge.saveFile({ kind, suggestedName: name, data, path: null });
      if (result) this.lab.banner = { kind: 'info', message: `Exported ${what}` };
    } catch (error) {
      this.lab.banner = { kind: 'error', message: `Export failed: ${(error as Error).message}` };
    }
  }

  async exportHistoryCsv(): Promise<void> {
    const lab = this.lab;
    const names = lab.mode === 'function' ? lab.analysis?.vars ?? [] : lab.runInfo[lab.runs[0]?.id]?.paramNames ?? [];
    await this.export('csv', `${this.stem()}-history.csv`, historyCsv(this.toSession(), names), 'the run histories as CSV');
  }

  async exportPredictionsCsv(): Promise<void> {
    const run = (this.lab.runs.find((r) => r.id === this.lab.selectedRun) ?? this.lab.runs[0])?.id;
    if (this.lab.mode !== 'data' || !run) {
      this.lab.banner = { kind: 'error', message: 'Predictions are exported from a data run: open a dataset, run, and select the run.' };
      return;
    }
    try {
      const csv = (await this.lab.bridge.engine.request('predictionsCsv', { runId: run })) as string;
      await this.export('csv', `${this.stem()}-predictions.csv`, csv, 'the data with predictions as CSV');
    } catch (error) {
      this.lab.banner = { kind: 'error', message: `Export failed: ${(error as Error).message}` };
    }
  }

  async exportPytorch(): Promise<void> {
    try {
      const script = (await this.lab.bridge.engine.request('exportScript', { session: JSON.parse(serializeSession(this.toSession())) })) as string;
      await this.export('python', `${this.stem()}.py`, script, 'a PyTorch script');
    } catch (error) {
      this.lab.banner = { kind: 'error', message: `Export failed: ${(error as Error).message}` };
    }
  }

  /** A chart as PNG: its canvas with the title and legend drawn above it. */
  async exportChartPng(container: HTMLElement, title: string): Promise<void> {
    const canvas = container.querySelector('canvas');
    if (!canvas) return;
    const legend = [...container.querySelectorAll('.u-legend .u-series')]
      .map((row) => ({ label: row.querySelector('.u-label')?.textContent?.trim() ?? '', color: (row.querySelector('.u-marker') as HTMLElement | null)?.style.borderColor || '#555' }))
      .filter((e) => e.label);
    const style = getComputedStyle(container);
    await this.exportChart('png', title, await canvasPng(canvas, title, legend, style.getPropertyValue('--bg').trim() || '#ffffff', style.color || '#111111'));
  }

  /** A line chart as PNG or SVG, named after the session and the chart. */
  async exportChart(kind: 'png' | 'svg', title: string, data: Uint8Array | string): Promise<void> {
    await this.export(kind, `${this.stem()}-${title.replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '')}.${kind}`, data, `${title} as ${kind.toUpperCase()}`);
  }
}
