/**
 * Data mode's problem: the dataset (where it came from, and the engine's
 * summary of it) and what is fitted to it: target, features, model, loss,
 * regularization, validation split, standardization and the policy for rows
 * with problems. `problem()` is the data problem spec the runs, the session
 * and the exports use.
 */
import type { Activation, Catalog, DataProblem, DatasetSource, DatasetSummary, EngineClient, GeneratorSpec, ModelSpec } from '../../../../engine';
import { fileSource } from '../../../../engine';
import { t } from '../i18n.svelte';
import { errorText } from '../engineText';

export type ModelKind = ModelSpec['kind'];
export type LossName = DataProblem['loss']['name'];

/**
 * A parameter's label for people: the bias, which the engine labels "intercept", in the current
 * language; the others (feature names, powers, a formula's own names) as the engine gives them.
 */
export function paramLabel(labels: readonly string[], names: readonly string[], i: number): string {
  return i === labels.length - 1 && labels[i] === 'intercept' && names[i] !== 'intercept' ? t('models.param.intercept') : labels[i];
}

/** Names joined for a message (a separator, not "and": the list reads as it does in the panel). */
const joinNames = (names: readonly string[]) => names.join(t('data.nameSeparator'));

/** The engine's id of the dataset being fitted. */
export const DATASET_ID = 'current';

export class DataModel {
  summary = $state.raw<DatasetSummary | null>(null);
  source = $state.raw<DatasetSource | null>(null);
  error = $state<string | null>(null);
  loadProgress = $state<number | null>(null);
  target = $state('');
  features = $state<string[]>([]);
  modelKind = $state<ModelKind>('linear');
  degree = $state(3);
  customExpr = $state('a*exp(b*x) + c');
  /** A network's hidden-layer sizes and activation. */
  hidden = $state<number[]>([8, 8]);
  activation = $state<Activation>('tanh');
  loss = $state<LossName>('mse');
  /** Huber's δ, where the loss turns from squared to absolute (undefined: the default, 1). */
  delta = $state<number | undefined>(undefined);
  l1 = $state(0);
  l2 = $state(0);
  /** Seed of the validation split. */
  splitSeed = $state(0);
  valSplit = $state(0);
  standardize = $state(true);
  missing = $state<'fail' | 'drop'>('fail');

  constructor(
    private readonly engine: () => EngineClient,
    private readonly catalog: () => Catalog | null,
  ) {}

  /** Columns a model can use: numbers and two-valued labels, not free text. */
  get usable(): DatasetSummary['columns'] {
    return this.summary?.columns.filter((c) => c.kind !== 'text') ?? [];
  }

  model(): ModelSpec {
    if (this.modelKind === 'poly') return { kind: 'poly', degree: this.degree };
    if (this.modelKind === 'custom') return { kind: 'custom', expr: this.customExpr };
    if (this.modelKind === 'mlp') return { kind: 'mlp', hidden: [...this.hidden], activation: this.activation };
    return { kind: this.modelKind };
  }

  /** The data problem as specs hold it, or null without a dataset and target. */
  problem(): DataProblem | null {
    if (!this.source || !this.summary || !this.target) return null;
    return {
      kind: 'data',
      dataset: this.source,
      target: this.target,
      features: this.modelKind === 'custom' ? [] : [...this.features],
      model: this.model(),
      loss: { name: this.loss, ...(this.loss === 'huber' && this.delta !== undefined ? { delta: this.delta } : {}) },
      reg: { l1: this.l1, l2: this.l2 },
      valSplit: this.valSplit,
      standardize: this.standardize,
      missing: this.missing,
      splitSeed: this.splitSeed,
    };
  }

  /** Columns of the dataset, every k-th row so that at most `maxRows` come back; null when it changed meanwhile. */
  async columns(names: string[], maxRows = 3000): Promise<Float64Array[] | null> {
    const summary = this.summary;
    try {
      const r = await this.engine().request('datasetColumns', { datasetId: DATASET_ID, columns: names, maxRows });
      return summary === this.summary ? r.columns : null;
    } catch {
      return null;
    }
  }

  /** No dataset, and the settings a new lab starts with. */
  clear(): void {
    Object.assign(this, { summary: null, source: null, error: null, target: '', features: [], modelKind: 'linear', degree: 3, hidden: [8, 8], activation: 'tanh', loss: 'mse', delta: undefined, l1: 0, l2: 0, splitSeed: 0, valSplit: 0, standardize: true, missing: 'fail' });
  }

  /** Shows a data problem's settings (a reopened session); its dataset must be loaded already. */
  setProblem(p: DataProblem): void {
    this.target = p.target;
    this.features = [...p.features];
    this.modelKind = p.model.kind;
    if (p.model.kind === 'poly') this.degree = p.model.degree;
    if (p.model.kind === 'custom') this.customExpr = p.model.expr;
    if (p.model.kind === 'mlp') {
      this.hidden = [...p.model.hidden];
      this.activation = p.model.activation;
    }
    this.loss = p.loss.name;
    this.delta = p.loss.delta;
    this.l1 = p.reg.l1;
    this.l2 = p.reg.l2;
    this.splitSeed = p.splitSeed;
    this.valSplit = p.valSplit;
    this.standardize = p.standardize;
    this.missing = p.missing;
  }

  /** Datasets this window has loaded or generated, by key, so that undo and redo can bring one back. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache read by undo, never shown
  private readonly known = new Map<string, { source: DatasetSource; bytes: Uint8Array | null }>();
  /** Counts dataset requests: an answer to one that a later one overtook is dropped. */
  private generation = 0;

  /** Identifies a dataset: its generator's spec, or its bytes' hash. */
  static key(source: DatasetSource | null): string | null {
    if (!source) return null;
    return source.kind === 'generated' ? `generated:${JSON.stringify(source.spec)}` : `file:${source.sha256}`;
  }

  /** Which dataset each helper engine holds (or is loading), so that a helper loads a dataset once, not per run or sweep. */
  private readonly inHelpers = new WeakMap<EngineClient, { key: string; loaded: Promise<void> }>();

  /** Loads the dataset the lab's engine fits into another engine (an experiment helper), unless it has it already. */
  loadInto(engine: EngineClient): Promise<void> {
    const key = DataModel.key(this.source);
    const known = key ? this.known.get(key) : undefined;
    if (!key || !known) return Promise.reject(new Error(t('data.loadFirst')));
    const held = this.inHelpers.get(engine);
    if (held?.key === key) return held.loaded;
    const { source, bytes } = known;
    const loaded = DataModel.send(engine, source, bytes).then(() => undefined);
    this.inHelpers.set(engine, { key, loaded });
    // A load that failed is tried again next time.
    loaded.catch(() => {
      if (this.inHelpers.get(engine)?.loaded === loaded) this.inHelpers.delete(engine);
    });
    return loaded;
  }

  /** Gives an engine a dataset this window knows: generated again from its spec, or a copy of its bytes. */
  private static send(engine: EngineClient, source: DatasetSource, bytes: Uint8Array | null): Promise<DatasetSummary> {
    return source.kind === 'generated'
      ? engine.request('generateDataset', { datasetId: DATASET_ID, spec: source.spec })
      : engine.request('loadDataset', { datasetId: DATASET_ID, name: source.name, bytes: bytes!.slice() as Uint8Array<ArrayBuffer> });
  }

  private remember(source: DatasetSource, bytes: Uint8Array | null): void {
    this.known.set(DataModel.key(source)!, { source, bytes });
  }

  /**
   * Brings back a dataset this window had (undo and redo), leaving the problem's settings as they
   * are: the engine fits the dataset the panel shows.
   */
  async bringBack(key: string | null): Promise<void> {
    if (key === DataModel.key(this.source)) return;
    const known = key ? this.known.get(key) : undefined;
    if (!known) return;
    const { source, bytes } = known;
    const mine = ++this.generation;
    try {
      const summary = await DataModel.send(this.engine(), source, bytes);
      if (mine !== this.generation) return;
      this.source = source;
      this.summary = summary;
      this.error = null;
    } catch (error) {
      if (mine === this.generation) this.error = errorText(error);
    }
  }

  /** Loads a file; returns what changed in the problem's settings, or null when it could not be loaded. */
  async load(name: string, bytes: Uint8Array, path: string | null = null): Promise<string[] | null> {
    this.error = null;
    this.loadProgress = 0;
    const engine = this.engine();
    const stop = engine.onLoadProgress(({ fraction }) => (this.loadProgress = fraction));
    // The bytes go to the engine (transferred, not copied); a copy is kept for undo.
    const kept = bytes.slice();
    try {
      const mine = ++this.generation;
      // The engine also hashes the file, off this thread (the copy a session embeds is encoded when it is saved).
      const { sha256, ...summary } = await engine.request('loadDataset', { datasetId: DATASET_ID, name, bytes: bytes as Uint8Array<ArrayBuffer>, hash: true }, [bytes.buffer as ArrayBuffer]);
      if (mine !== this.generation) return null;
      const source = fileSource(name, kept, path, sha256);
      this.source = source;
      this.remember(source, kept);
      return this.use(summary);
    } catch (error) {
      this.error = errorText(error);
      return null;
    } finally {
      stop();
      this.loadProgress = null;
    }
  }

  /** Generates a sample dataset from its spec. */
  async generateFrom(spec: GeneratorSpec): Promise<string[] | null> {
    this.error = null;
    try {
      const mine = ++this.generation;
      const summary = await this.engine().request('generateDataset', { datasetId: DATASET_ID, spec });
      if (mine !== this.generation) return null;
      this.source = { kind: 'generated', spec };
      this.remember(this.source, null);
      return this.use(summary);
    } catch (error) {
      this.error = errorText(error);
      return null;
    }
  }

  async generate(kind: GeneratorSpec['kind']): Promise<string[] | null> {
    // Right after the page opens the lab may not have the engine's catalog yet: ask for it rather than drop the click.
    let catalog = this.catalog();
    if (!catalog) {
      try {
        catalog = await this.engine().request('catalog', {});
      } catch (error) {
        this.error = errorText(error);
        return null;
      }
    }
    const spec = catalog.generators[kind];
    if (!spec) return null;
    const network = kind === 'circle' || kind === 'xor' || kind === 'gauss' || kind === 'spiral';
    const before = { modelKind: this.modelKind, hidden: this.hidden, activation: this.activation };
    if (network) {
      // The classic sets are learned by a network (the spirals' arms need a wider one), whose loss follows the new target.
      Object.assign(this, { modelKind: 'mlp', hidden: kind === 'spiral' ? [32, 32] : [8, 8], activation: kind === 'spiral' ? 'relu' : 'tanh' });
    }
    const changed = await this.generateFrom($state.snapshot(spec) as GeneratorSpec);
    if (!changed) {
      // Refused: the model as it was. (Overtaken by another sample: that one's settings stand.)
      if (network && this.error) Object.assign(this, before);
      return null;
    }
    if (kind === 'blobs') this.setModelKind('logistic');
    else if (kind === 'poly' || kind === 'sine') {
      this.modelKind = 'poly';
      this.degree = kind === 'poly' ? 3 : 5;
    }
    return changed;
  }

  /**
   * A logistic model fits with binary cross-entropy; a network fits classes with binary or softmax
   * cross-entropy, other targets with squared error; leaving them, squared error.
   */
  setModelKind(kind: ModelKind): string[] {
    this.modelKind = kind;
    const changed: string[] = [];
    // Text classes are a network's target only: another model takes the last usable column.
    if (kind !== 'mlp' && this.summary?.columns.find((c) => c.name === this.target)?.kind === 'text') {
      const target = this.usable.at(-1)?.name ?? '';
      changed.push(t('data.change.target', { from: this.target, to: target || t('data.none') }));
      this.target = target;
      this.features = this.features.filter((f) => f !== target);
      if (this.features.length === 0) this.features = this.usable.map((c) => c.name).filter((c) => c !== target);
    }
    if (kind === 'logistic') this.loss = 'bce';
    else if (kind === 'mlp') this.loss = this.networkLoss();
    else if (this.loss === 'bce' || this.loss === 'cross_entropy') this.loss = 'mse';
    // A polynomial fits one feature: the one its Feature choice shows.
    if (kind === 'poly' && this.features.length > 1) this.features = this.features.slice(0, 1);
    return changed;
  }

  /**
   * Takes a new dataset's summary. Target and features that the new columns still have are kept;
   * otherwise the last usable column becomes the target and the others the features. Returns what
   * changed, in words, for the lab to say.
   */
  private use(summary: DatasetSummary): string[] {
    const changed: string[] = [];
    const previous = this.summary;
    this.summary = summary;
    const usable = this.usable.map((c) => c.name);
    if (!usable.includes(this.target)) {
      const target = usable[usable.length - 1] ?? '';
      if (previous && this.target) changed.push(t('data.change.target', { from: this.target, to: target || t('data.none') }));
      this.target = target;
    }
    const kept = this.features.filter((f) => usable.includes(f) && f !== this.target);
    const features = kept.length && previous ? kept : usable.filter((c) => c !== this.target);
    if (previous && features.join() !== this.features.join()) changed.push(t('data.change.features', { features: joinNames(features) || t('data.none') }));
    this.features = features;
    if (this.modelKind === 'poly' && this.features.length > 1) {
      this.features = this.features.slice(0, 1);
      changed.push(t('data.change.polyFeature', { feature: this.features[0] }));
    }
    changed.push(...this.fitTarget());
    return changed;
  }

  /** Why the problem cannot be fitted as set, or null. */
  get invalid(): string | null {
    if (this.modelKind === 'poly' && this.features.length !== 1) return t('data.invalid.polyOneFeature', { features: this.features.length ? joinNames(this.features) : t('data.none') });
    if (this.modelKind !== 'custom' && this.features.length === 0) return t('data.invalid.noFeature');
    if (this.loss === 'cross_entropy' && this.modelKind !== 'mlp') return t('data.invalid.crossEntropyNetwork');
    if (this.loss === 'cross_entropy' && this.classCount(this.target) < 2) return t('data.invalid.notClasses', { target: this.target });
    return null;
  }

  /** The loss a network fits the target with: bce for two classes, cross-entropy for classes named by text or for a classification set, else the current one (squared error for classes). */
  private networkLoss(): LossName {
    const column = this.summary?.columns.find((c) => c.name === this.target);
    if (this.isClasses(this.target)) return 'bce';
    // Text labels, and whole numbers of up to ten values (as a generated spiral writes), are classes; more, when chosen.
    if (column?.classes && (column.kind === 'text' || column.classes <= 10 || this.loss === 'cross_entropy')) return 'cross_entropy';
    return this.loss === 'bce' || this.loss === 'cross_entropy' ? 'mse' : this.loss;
  }

  /** Columns a target can be: the usable ones, and for a network also text naming up to 100 classes. */
  get targets(): DatasetSummary['columns'] {
    return this.summary?.columns.filter((c) => c.kind !== 'text' || (this.modelKind === 'mlp' && c.classes)) ?? [];
  }

  /** How many classes a column names (see the engine's summary), or 0. */
  classCount(name: string): number {
    return this.summary?.columns.find((c) => c.name === name)?.classes ?? 0;
  }

  /** Whether a column holds two classes: two text labels, or numbers that are all 0 or 1. */
  isClasses(name: string): boolean {
    const column = this.summary?.columns.find((c) => c.name === name);
    return column !== undefined && (column.kind === 'label' || column.binary === true);
  }

  /** Chooses the target; returns what that changed in the model, in words. */
  setTarget(name: string): string[] {
    this.target = name;
    this.features = this.features.filter((f) => f !== name);
    if (this.features.length === 0) this.features = this.usable.map((c) => c.name).filter((c) => c !== name);
    return this.fitTarget();
  }

  /** Classes are fitted with a logistic model (and bce); other targets by a regression. */
  private fitTarget(): string[] {
    if (!this.target) return [];
    if (this.modelKind === 'mlp') {
      const loss = this.networkLoss();
      if (loss === this.loss) return [];
      this.loss = loss;
      return [t('data.change.networkLoss', { target: this.target, loss })];
    }
    if (this.isClasses(this.target) && this.modelKind !== 'logistic') {
      this.setModelKind('logistic');
      return [t('data.change.toLogistic', { target: this.target })];
    }
    if (!this.isClasses(this.target) && this.modelKind === 'logistic') {
      this.setModelKind('linear');
      return [t('data.change.toLinear', { target: this.target })];
    }
    return [];
  }
}
