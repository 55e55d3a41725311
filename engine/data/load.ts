/** From a file's bytes (or text) to a Dataset, whatever the environment read it with. */
import { loadDelimited, type DelimitedOptions } from './delimited';
import { loadJson } from './json';
import { loadParquet, loadXlsx } from './spreadsheet';
import { DatasetError, type Dataset } from './table';

export const MAX_DATASET_BYTES = 512 * 1024 * 1024;

/** Strict UTF-8 (with or without BOM): a file in another encoding is refused with where and how to fix it. */
export function decodeText(bytes: Uint8Array, name: string): string {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw new DatasetError(`${name} is UTF-16 text; save it as UTF-8 (most spreadsheet programs offer "CSV UTF-8")`, [], { id: 'utf16', values: { name } });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    const offset = firstInvalidUtf8(bytes, start);
    throw new DatasetError(`${name} is not UTF-8 text (the byte at offset ${offset} is not valid UTF-8); save it as UTF-8, e.g. "CSV UTF-8" in a spreadsheet program`, [], { id: 'notUtf8', values: { name, offset } });
  }
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
function firstInvalidUtf8(bytes: Uint8Array, start: number): number {
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

export type DatasetFormat = 'csv' | 'json';

export function formatOf(name: string, text: string): DatasetFormat {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.(csv|tsv|tab|txt)$/i.test(name)) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

export type LoadOptions = Omit<DelimitedOptions, 'name'> & {
  /** The sheet of a workbook to read (by default the first with cells). */
  sheet?: string;
};

/** A binary table format, told by its first bytes (a .xlsx is a zip; Parquet starts with PAR1), or by its name. */
function binaryFormat(bytes: Uint8Array, name: string): 'xlsx' | 'parquet' | 'xls' | null {
  const starts = (...b: number[]) => b.every((v, i) => bytes[i] === v);
  if (starts(0x50, 0x41, 0x52, 0x31) || /\.parquet$/i.test(name)) return 'parquet';
  if (starts(0x50, 0x4b, 0x03, 0x04) || /\.xlsx$/i.test(name)) return 'xlsx';
  if (starts(0xd0, 0xcf, 0x11, 0xe0) || /\.xls$/i.test(name)) return 'xls';
  return null;
}

export async function loadDatasetText(text: string, name: string, options: LoadOptions = {}): Promise<Dataset> {
  return formatOf(name, text) === 'json' ? loadJson(text, name) : loadDelimited(text, { ...options, name });
}

export async function loadDatasetBytes(bytes: Uint8Array, name: string, options: LoadOptions = {}): Promise<Dataset> {
  if (bytes.length === 0) throw new DatasetError(`${name} is empty`, [], { id: 'empty', values: { name } });
  if (bytes.length > MAX_DATASET_BYTES) {
    const values = { name, size: Math.round(bytes.length / 2 ** 20), max: MAX_DATASET_BYTES / 2 ** 20 };
    throw new DatasetError(`${name} is ${values.size} MiB; the lab loads files up to ${values.max} MiB`, [], { id: 'tooLarge', values });
  }
  const binary = binaryFormat(bytes, name);
  if (binary === 'xlsx') return loadXlsx(bytes, name, { sheet: options.sheet });
  if (binary === 'parquet') return loadParquet(bytes, name);
  if (binary === 'xls') throw new DatasetError(`${name} is an Excel 97–2003 workbook (.xls), which the lab does not read; save it as .xlsx or as CSV`, [], { id: 'xlsOld', values: { name } });
  if (bytes.indexOf(0) >= 0 && !(bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new DatasetError(`${name} looks like a binary file (it contains zero bytes), not CSV, JSON, Excel (.xlsx) or Parquet`, [], { id: 'binary', values: { name } });
  }
  return loadDatasetText(decodeText(bytes, name), name, options);
}
