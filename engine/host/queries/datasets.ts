/** The datasets the engine holds, by id: loaded from bytes or generated, and read back by column. */
import { loadDatasetBytes } from '../../data/load';
import { generateDataset } from '../../data/generators';
import { DatasetError, type Dataset } from '../../data/table';
import { datasetSummary, type DatasetSummary } from '../summary';
import type { RequestData } from '../protocol';
import { sha256Hex } from '../../session/codec';

export class DatasetStore {
  private readonly datasets = new Map<string, Dataset>();

  get(id: string): Dataset | undefined {
    return this.datasets.get(id);
  }

  require(id: string): Dataset {
    const dataset = this.datasets.get(id);
    if (!dataset) throw new DatasetError(`No dataset "${id}" is loaded`);
    return dataset;
  }

  async load(req: RequestData<'loadDataset'>, onProgress: (fraction: number, rows: number) => void): Promise<DatasetSummary & { sha256?: string }> {
    const sha256 = req.hash ? sha256Hex(req.bytes) : undefined;
    const dataset = await loadDatasetBytes(req.bytes, req.name, { delimiter: req.delimiter, header: req.header, sheet: req.sheet, onProgress });
    this.datasets.set(req.datasetId, dataset);
    return { ...datasetSummary(dataset), ...(sha256 ? { sha256 } : {}) };
  }

  generate(req: RequestData<'generateDataset'>): DatasetSummary {
    const dataset = generateDataset(req.spec);
    this.datasets.set(req.datasetId, dataset);
    return datasetSummary(dataset);
  }

  /** Columns by name, every k-th row so that at most `maxRows` come back. */
  columns(req: RequestData<'datasetColumns'>): { columns: Float64Array[]; stride: number } {
    const dataset = this.require(req.datasetId);
    const stride = Math.max(1, Math.ceil(dataset.rowCount / req.maxRows));
    const columns = req.columns.map((name) => {
      const c = dataset.columns.find((col) => col.name === name);
      if (!c) throw new DatasetError(`No column "${name}"`);
      const out = new Float64Array(Math.ceil(dataset.rowCount / stride));
      for (let i = 0, k = 0; i < dataset.rowCount; i += stride, k++) out[k] = c.values[i];
      return out;
    });
    return { columns, stride };
  }
}
