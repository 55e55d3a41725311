/**
 * Data mode's edits: a dataset read or generated, a target, a model, features
 * and the problem's other settings, each applied to the document through the
 * rules (./rules.ts), which say what else they changed; the lab says it.
 */
import type { Draft } from 'immer';
import type { DatasetSummary, GeneratorSpec } from '../../../engine';
import { errorText } from '../i18n/engineText';
import { joinSentences, t } from '../i18n/i18n.svelte';
import type { Lab } from './lab.svelte';
import { applyDataEdit, invalidData, type DataChange, type DataEdit } from './rules';
import type { DataDoc, DatasetRef } from './shape';

/** The classic 2-D class sets, learned by a network (the spirals' arms need a wider one). */
export const CLASS_SETS: ReadonlyArray<GeneratorSpec['kind']> = ['circle', 'xor', 'gauss', 'spiral'];

/** A change the rules made, in the current language. */
export function changeText(c: DataChange): string {
  switch (c.id) {
    case 'target':
      return t('data.change.target', { from: c.from, to: c.to || t('data.none') });
    case 'features':
      return t('data.change.features', { features: c.features.join(t('data.nameSeparator')) || t('data.none') });
    case 'featureBack':
      return t('data.change.featureBack', { name: c.name });
    case 'polyFeature':
      return t('data.change.polyFeature', { feature: c.feature });
    case 'toLogistic':
    case 'toLinear':
      return t(`data.change.${c.id}`, { target: c.target });
    case 'networkLoss':
      return t('data.change.networkLoss', { target: c.target, loss: c.loss });
    case 'standardize':
      return t(c.on ? 'data.change.standardizeOn' : 'data.change.standardizeOff');
  }
}

export class DataControl {
  /** Why the last dataset could not be read or generated, or null. */
  error = $state<string | null>(null);
  /** Counts dataset requests: an answer to one that a later one overtook is dropped. */
  private generation = 0;

  constructor(private readonly lab: Lab) {}

  get doc(): DataDoc {
    return this.lab.doc.data;
  }

  /** The engine's summary of the document's dataset, or null. */
  get summary(): DatasetSummary | null {
    return this.lab.datasets.summary(this.doc.dataset);
  }

  /** Why the data problem cannot be fitted as set, in the current language, or null. */
  get invalid(): string | null {
    const why = invalidData(this.doc, this.summary);
    return why ? t(`data.invalid.${why.id}`, { ...why.values, features: why.values.features || t('data.none') }) : null;
  }

  /** Applies an edit through the rules, and says what else it changed. */
  edit(e: DataEdit, summary = this.summary): DataChange[] {
    const { data, changes } = applyDataEdit(this.doc, summary, e);
    this.lab.edit((d) => {
      d.data = data as Draft<DataDoc>;
    });
    if (e.kind !== 'dataset' && changes.length) this.lab.report('info', t('data.changed', { changes: changes.map(changeText).join(t('data.changeSeparator')) }));
    return changes;
  }

  /** Sets one of the problem's other settings (loss, regularization, split, scaling, a model's shape). */
  set(change: (d: Draft<DataDoc>) => void, group?: string): void {
    this.lab.edit((d) => change(d.data), { group });
  }

  private loaded(name: string, changes: DataChange[]): void {
    const changed = changes.length ? t('app.changed', { list: changes.map(changeText).join(t('data.changeSeparator')) }) : '';
    this.lab.report('info', joinSentences([t('app.loaded', { name }), changed, t('app.runSettingsKept')]));
  }

  /** Reads a file's bytes as the dataset; false when it could not be read (the error says why). */
  async loadFile(name: string, bytes: Uint8Array, path: string | null = null, sheet?: string, sha256?: string): Promise<boolean> {
    const mine = ++this.generation;
    this.error = null;
    try {
      const { ref, summary } = await this.lab.datasets.loadFile(name, bytes, path, sha256, sheet);
      if (mine !== this.generation) return false;
      this.loaded(name, this.edit({ kind: 'dataset', dataset: ref, summary }, summary));
      return true;
    } catch (error) {
      if (mine === this.generation) this.error = errorText(error);
      return false;
    }
  }

  /** Reads another sheet of the workbook the document's dataset comes from, as a new dataset (one undo step). */
  async chooseSheet(sheet: string): Promise<boolean> {
    const ref = this.doc.dataset;
    const bytes = ref?.kind === 'file' ? this.lab.datasets.bytesOf(ref) : null;
    if (ref?.kind !== 'file' || !bytes || ref.sheet === sheet) return false;
    return this.loadFile(ref.name, bytes, ref.path, sheet, ref.sha256);
  }

  /** Generates a dataset from its spec; `model` is what the sample is learned by. */
  async generateFrom(spec: GeneratorSpec, model?: DataEdit): Promise<boolean> {
    const mine = ++this.generation;
    this.error = null;
    try {
      const { ref, summary } = await this.lab.datasets.generate(spec);
      if (mine !== this.generation) return false;
      const changes = this.applyDataset(ref, summary, model);
      this.loaded(t(`models.generators.${spec.kind}.title`), changes);
      return true;
    } catch (error) {
      if (mine === this.generation) this.error = errorText(error);
      return false;
    }
  }

  /** A new dataset and the model it comes with, as one edit (one undo step). */
  private applyDataset(ref: DatasetRef, summary: DatasetSummary, model?: DataEdit): DataChange[] {
    const first = applyDataEdit(this.doc, summary, { kind: 'dataset', dataset: ref, summary });
    const second = model ? applyDataEdit(first.data, summary, model) : { data: first.data, changes: [] };
    this.lab.edit((d) => {
      d.data = second.data as Draft<DataDoc>;
    });
    return [...first.changes, ...second.changes];
  }

  /** A sample dataset with the model that learns it: a network for the class sets, logistic for blobs, a polynomial for curves. */
  async generate(kind: GeneratorSpec['kind']): Promise<boolean> {
    const spec = this.lab.catalog.generators[kind];
    if (!spec) return false;
    const model: DataEdit | undefined = CLASS_SETS.includes(kind)
      ? { kind: 'model', model: { kind: 'mlp', hidden: kind === 'spiral' ? [32, 32] : [8, 8], activation: kind === 'spiral' ? 'relu' : 'tanh' } }
      : kind === 'blobs' ? { kind: 'model', model: 'logistic' }
      : kind === 'poly' || kind === 'sine' ? { kind: 'model', model: { kind: 'poly', degree: kind === 'poly' ? 3 : 5 } }
      : undefined;
    return this.generateFrom(structuredClone(spec), model);
  }

  /** Generates the class set again with one of its settings changed; the model's settings stay. */
  async regenerate(change: Record<string, number>): Promise<void> {
    const ref = this.doc.dataset;
    if (ref?.kind !== 'generated') return;
    await this.generateFrom({ ...ref.spec, ...change } as GeneratorSpec);
  }
}
