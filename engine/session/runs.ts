/**
 * Sessions and runs: a finished run becomes a session result with its
 * history; a session's dataset source becomes a loaded dataset.
 */
import type { Dataset } from '../data/table';
import { DatasetError } from '../data/table';
import { generateDataset } from '../data/generators';
import { loadDatasetBytes } from '../data/load';
import type { BuiltRun } from '../run/build';
import { EMBED_LIMIT, type DatasetSource } from '../spec/problem';
import type { SessionResult } from '../spec/session';
import { base64ToBytes, bytesToBase64, encodeEpoch, encodeHistory, sha256Hex, thinEpochs } from './codec';

/** The engine's id for the dataset of the session being run. */
export const SESSION_DATASET_ID = 'current';

/** A run's state as a session stores it: status, message and its history (thinned beyond the row limit). */
export function resultOf(built: BuiltRun): SessionResult {
  const { run, fit } = built;
  const h = run.history;
  return {
    status: run.outcome?.status ?? 'paused',
    message: run.outcome?.message ?? '',
    step: run.step,
    ...(run.outcome?.bracket ? { bracket: run.outcome.bracket } : {}),
    // A session keeps step, value, gradNorm, lr and the parameters; a gradient column is recomputed when the run is.
    history: encodeHistory(h.rows(0, h.count, h.width - h.gradients), h.width - h.gradients),
    epochs: thinEpochs(fit?.epochs ?? []).map(encodeEpoch),
  };
}

/**
 * A dataset's bytes as a session embeds them. The base64 copy is made when first read (a session
 * being saved), not when the file is opened; `sha256` may be given when it is known already.
 */
export function embeddedSource(name: string, bytes: Uint8Array, path: string | null, sha256 = sha256Hex(bytes)): DatasetSource {
  let data: string | null = null;
  return {
    kind: 'embedded', name, path, sha256, size: bytes.byteLength,
    get data() {
      return (data ??= bytesToBase64(bytes));
    },
  };
}

/** Why a session's dataset cannot be used: gone, changed, or damaged. */
export class DatasetSourceError extends DatasetError {
  constructor(
    message: string,
    readonly reason: 'missing' | 'changed' | 'damaged',
  ) {
    super(message);
  }
}

/**
 * The original bytes of a file dataset, checked against the SHA-256 the session recorded.
 * `readReference` reads a referenced file (Node: from disk; the app: through main) and returns
 * null when it is gone; `located` is a copy the user picked after it moved.
 */
export async function sourceBytes(source: Exclude<DatasetSource, { kind: 'generated' }>, readReference?: (path: string) => Promise<Uint8Array | null>, located?: Uint8Array): Promise<Uint8Array> {
  if (source.kind === 'embedded') {
    const bytes = base64ToBytes(source.data);
    if (sha256Hex(bytes) !== source.sha256) throw new DatasetSourceError(`The dataset ${source.name} embedded in the session does not match its recorded SHA-256: the session file was damaged`, 'damaged');
    return bytes;
  }
  const found = located ?? (readReference ? await readReference(source.path) : null);
  if (!found) throw new DatasetSourceError(`The session's dataset ${source.name} was at ${source.path}, which cannot be read now (moved or deleted); put it back there or locate it`, 'missing');
  if (sha256Hex(found) !== source.sha256) {
    throw new DatasetSourceError(located
      ? `The file you chose is not the session's dataset ${source.name} (its content differs); choose the original file`
      : `The dataset at ${source.path} has changed since the session was saved (its SHA-256 differs); the runs would not be the same. Restore the original file or locate a copy`, 'changed');
  }
  return found;
}

/** The dataset a session's problem names, and its bytes (null for a generated one). */
export async function datasetFromSource(source: DatasetSource, readReference?: (path: string) => Promise<Uint8Array | null>): Promise<{ dataset: Dataset; bytes: Uint8Array | null }> {
  if (source.kind === 'generated') return { dataset: generateDataset(source.spec), bytes: null };
  const bytes = await sourceBytes(source, readReference);
  return { dataset: await loadDatasetBytes(bytes, source.name, source.sheet === undefined ? {} : { sheet: source.sheet }), bytes };
}

/** A file dataset as a session stores it: embedded up to EMBED_LIMIT bytes (or when there is no path), referenced by path and hash above. */
export function fileSource(name: string, bytes: Uint8Array, path: string | null, sha256 = sha256Hex(bytes), sheet?: string): DatasetSource {
  const chosen = sheet === undefined ? {} : { sheet };
  // Object.assign keeps the embedded data's lazy getter (a spread would encode the bytes now).
  if (bytes.byteLength <= EMBED_LIMIT || !path) return Object.assign(embeddedSource(name, bytes, path, sha256), chosen);
  return { kind: 'reference', name, path, sha256, size: bytes.byteLength, ...chosen };
}
