/**
 * The datasets this window knows: their bytes (kept for undo, saving and the
 * helper engines), the engine's summary of each, and which one each engine
 * holds. The document names a dataset by its reference (shape.ts); this store
 * turns a reference into what the engine and a session need.
 */
import type { DatasetSource, DatasetSummary, EngineClient, GeneratorSpec } from '../../../engine';
import { fileSource } from '../../../engine';
import { DATASET_ID, datasetKey, type DatasetRef } from './shape';

interface Known {
  ref: DatasetRef;
  bytes: Uint8Array | null;
  summary: DatasetSummary;
}

export class Datasets {
  /** Summaries by dataset key: what the panels show of the document's dataset. */
  summaries = $state.raw<Record<string, DatasetSummary>>({});
  /** How far a file being read has come (0 to 1), or null. */
  progress = $state<number | null>(null);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bytes, never shown
  private readonly known = new Map<string, Known>();
  /** Which dataset each engine holds (or is loading), so that an engine loads a dataset once. */
  private readonly held = new WeakMap<EngineClient, { key: string; loaded: Promise<DatasetSummary> }>();

  constructor(private readonly primary: () => EngineClient) {}

  summary(ref: DatasetRef | null): DatasetSummary | null {
    const key = datasetKey(ref);
    return key ? (this.summaries[key] ?? null) : null;
  }

  /** Whether this window has the dataset's rows (a reopened session's must be read first). */
  knows(ref: DatasetRef | null): boolean {
    const key = datasetKey(ref);
    return key !== null && this.known.has(key);
  }

  private remember(ref: DatasetRef, bytes: Uint8Array | null, summary: DatasetSummary): void {
    const key = datasetKey(ref)!;
    this.known.set(key, { ref, bytes, summary });
    this.summaries = { ...this.summaries, [key]: summary };
  }

  /**
   * Reads a file into the lab's engine (which also hashes it, off the page's thread, unless `sha256`
   * is known): its reference and summary. A copy of the bytes is kept. A workbook is read from `sheet`
   * (by default its first sheet with a table); the reference names the sheet read.
   */
  async loadFile(name: string, bytes: Uint8Array, path: string | null, sha256?: string, sheet?: string): Promise<{ ref: DatasetRef; summary: DatasetSummary }> {
    const engine = this.primary();
    this.progress = 0;
    const stop = engine.onLoadProgress(({ fraction }) => (this.progress = fraction));
    const kept = bytes.slice();
    const loading = engine.request('loadDataset', { datasetId: DATASET_ID, name, bytes: bytes as Uint8Array<ArrayBuffer>, ...(sheet === undefined ? {} : { sheet }), ...(sha256 ? {} : { hash: true as const }) }, [bytes.buffer as ArrayBuffer]);
    try {
      const { sha256: hashed, ...summary } = await loading;
      const ref: DatasetRef = { kind: 'file', name, path, sha256: sha256 ?? hashed!, size: kept.byteLength, ...(summary.sheet === undefined ? {} : { sheet: summary.sheet }) };
      this.remember(ref, kept, summary);
      this.held.set(engine, { key: datasetKey(ref)!, loaded: Promise.resolve(summary) });
      return { ref, summary };
    } finally {
      stop();
      this.progress = null;
    }
  }

  /** Generates a sample dataset from its spec in the lab's engine. */
  async generate(spec: GeneratorSpec): Promise<{ ref: DatasetRef; summary: DatasetSummary }> {
    const engine = this.primary();
    const summary = await engine.request('generateDataset', { datasetId: DATASET_ID, spec });
    const ref: DatasetRef = { kind: 'generated', spec };
    this.remember(ref, null, summary);
    this.held.set(engine, { key: datasetKey(ref)!, loaded: Promise.resolve(summary) });
    return { ref, summary };
  }

  /** Makes `engine` (the lab's own unless given) hold the dataset `ref`, which this window knows. */
  ensure(ref: DatasetRef, engine: EngineClient = this.primary()): Promise<DatasetSummary> {
    const key = datasetKey(ref)!;
    const known = this.known.get(key);
    if (!known) return Promise.reject(new Error(`The dataset ${ref.kind === 'file' ? ref.name : ref.spec.kind} is not loaded`));
    const held = this.held.get(engine);
    if (held?.key === key) return held.loaded;
    const loaded = known.ref.kind === 'generated'
      ? engine.request('generateDataset', { datasetId: DATASET_ID, spec: known.ref.spec })
      : engine.request('loadDataset', { datasetId: DATASET_ID, name: known.ref.name, bytes: known.bytes!.slice() as Uint8Array<ArrayBuffer>, ...(known.ref.sheet === undefined ? {} : { sheet: known.ref.sheet }) }).then(({ sha256: _hash, ...summary }) => summary);
    this.held.set(engine, { key, loaded });
    // A load that failed is tried again next time.
    loaded.catch(() => {
      if (this.held.get(engine)?.loaded === loaded) this.held.delete(engine);
    });
    return loaded;
  }

  /** Forgets what an engine held (it restarted). */
  forget(engine: EngineClient): void {
    this.held.delete(engine);
  }

  /** The dataset as a session stores it: embedded (up to 16 MiB, or without a path), referenced above, or its generator. */
  source(ref: DatasetRef): DatasetSource {
    if (ref.kind === 'generated') return { kind: 'generated', spec: ref.spec };
    const known = this.known.get(datasetKey(ref)!);
    if (!known?.bytes) throw new Error(`The dataset ${ref.name} is not loaded`);
    return fileSource(ref.name, known.bytes, ref.path, ref.sha256, ref.sheet);
  }

  /** A copy of a known file's bytes (to read another sheet of it), or null. */
  bytesOf(ref: DatasetRef): Uint8Array | null {
    return this.known.get(datasetKey(ref)!)?.bytes?.slice() ?? null;
  }
}
