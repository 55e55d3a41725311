/** Node only (CLI, utility process): read a dataset file from disk. */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadDatasetBytes, MAX_DATASET_BYTES, type LoadOptions } from './load';
import { DatasetError, type Dataset } from './table';

export async function loadDatasetFile(path: string, options: LoadOptions = {}): Promise<Dataset> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new DatasetError(`${path} is not a file`, [], { id: 'notAFile', values: { path } });
    size = info.size;
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path}: ${(error as Error).message}`);
  }
  if (size > MAX_DATASET_BYTES) throw new DatasetError(`${name} is ${Math.round(size / 2 ** 20)} MiB; the lab loads files up to ${MAX_DATASET_BYTES / 2 ** 20} MiB`);
  const bytes = await readFile(path);
  return loadDatasetBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, options);
}
