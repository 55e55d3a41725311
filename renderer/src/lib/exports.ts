/**
 * File › Export: the run histories and the data with predictions as CSV, the
 * session as a PyTorch script, and charts as PNG or SVG, each named after the
 * document.
 */
import type { Lab } from '../state/lab.svelte';
import { historyCsv, serializeSession, sweepCsv } from '../../../engine';
import { canvasPng, inkOf } from '../charts/chartExport';
import { t } from '../i18n/i18n.svelte';
import { notebookTexts } from './notebookTexts';

export class Exports {
  constructor(private readonly lab: Lab) {}

  private stem(): string {
    return (this.lab.files.fileName ?? 'experiment').replace(/\.gdlab$/i, '');
  }

  /** Saves `data` as `name`; `done` is the news once it is saved. */
  private async save(kind: 'csv' | 'python' | 'notebook' | 'png' | 'svg', name: string, data: string | Uint8Array | (() => Promise<string | Uint8Array>), done: () => string): Promise<void> {
    try {
      const content = typeof data === 'function' ? await data() : data;
      const result = await this.lab.bridge.saveFile({ kind, suggestedName: name, data: content, path: null });
      if (result) this.lab.report('info', done());
    } catch (error) {
      this.lab.report('error', t('session.exportFailed', { message: (error as Error).message }));
    }
  }

  /** The sweep on view, one row per point. */
  async sweepCsv(): Promise<void> {
    const sweep = this.lab.experiments.sweep;
    if (!sweep) return;
    await this.save('csv', `${this.stem()}-sweep.csv`, sweepCsv(sweep), () => t('session.exportedSweep'));
  }

  async historyCsv(): Promise<void> {
    const { lab } = this;
    const first = lab.doc.runs[0]?.id;
    const names = lab.doc.mode === 'function' ? lab.vars : (first ? lab.results.info[first]?.paramNames : undefined) ?? [];
    await this.save('csv', `${this.stem()}-history.csv`, () => Promise.resolve(historyCsv(lab.files.toSession(), names)), () => t('session.exportedHistory'));
  }

  async predictionsCsv(): Promise<void> {
    const run = this.lab.runs.selected?.id;
    const runName = this.lab.runs.selected?.name;
    if (this.lab.doc.mode !== 'data' || !run || !this.lab.results.info[run]) {
      this.lab.report('error', t('session.predictionsNeedRun'));
      return;
    }
    await this.save('csv', `${this.stem()}-predictions.csv`, () => this.lab.router.request('predictionsCsv', { runId: run, runName }), () => t('session.exportedPredictions'));
  }

  async pytorch(): Promise<void> {
    await this.save('python', `${this.stem()}.py`, () => this.lab.bridge.engine.request('exportScript', { session: JSON.parse(serializeSession(this.lab.files.toSession())) }), () => t('session.exportedScript'));
  }

  /** The session as a Jupyter notebook in the lab's language; its figures are named after the document. */
  async notebook(): Promise<void> {
    const stem = this.stem() || 'session';
    const session = JSON.parse(serializeSession(this.lab.files.toSession()));
    await this.save('notebook', `${stem}.ipynb`, () => this.lab.bridge.engine.request('exportNotebook', { session, stem, texts: notebookTexts(this.lab) }), () => t('session.exportedNotebook'));
  }

  /** A chart as PNG: its canvas with the title and legend drawn above it. */
  async chartPng(container: HTMLElement, title: string): Promise<void> {
    const canvas = container.querySelector('canvas');
    if (!canvas) return;
    const legend = [...container.querySelectorAll('.u-legend .u-series')]
      .map((row) => ({ label: row.querySelector('.u-label')?.textContent?.trim() ?? '', color: (row.querySelector('.u-marker') as HTMLElement | null)?.style.borderColor || '#555' }))
      .filter((e) => e.label);
    await this.chart('png', title, await canvasPng(canvas, title, legend, inkOf(container)));
  }

  /** A chart as PNG or SVG, named after the document and the chart. */
  async chart(kind: 'png' | 'svg', title: string, data: Uint8Array | string): Promise<void> {
    // Letters of any script are kept (a chart titled in Chinese keeps its name); other signs become dashes.
    // At most 120 characters of it, so that the whole name stays within what file systems take.
    const name = [...title.replace(/[^\p{L}\p{M}\p{Nd}_-]+/gu, '-').replace(/^-|-$/g, '')].slice(0, 120).join('').replace(/-$/, '');
    await this.save(kind, `${this.stem()}-${name}.${kind}`, data, () => t('session.exportedChart', { title, kind: kind.toUpperCase() }));
  }
}
