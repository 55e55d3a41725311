/**
 * Compact, exact encodings for what a session stores: history rows as
 * little-endian float64 in base64 (every bit kept, NaN and ±Infinity too),
 * numbers JSON cannot hold as the strings "NaN", "Infinity", "-Infinity",
 * and dataset bytes with their SHA-256.
 */
import { base64 } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { HISTORY_ROW_LIMIT, type SessionEpoch } from '../spec/session';
import type { EpochRecord } from '../run/fit';

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

export function bytesToBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

export function base64ToBytes(text: string): Uint8Array {
  return base64.decode(text);
}

export function encodeFloat64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return base64.encode(bytes);
}

export function decodeFloat64(text: string): Float64Array {
  const bytes = base64.decode(text);
  if (bytes.length % 8 !== 0) throw new RangeError(`float64 data of ${bytes.length} bytes is not a whole number of values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/**
 * Rows of `width` numbers, thinned to at most `limit` rows when longer: every
 * k-th row with k the smallest stride that fits, plus the last row, so the
 * final state is always kept.
 */
export function thinRows(rows: Float64Array, width: number, limit = HISTORY_ROW_LIMIT): Float64Array {
  const count = rows.length / width;
  if (count <= limit) return rows;
  const stride = Math.ceil((count - 1) / (limit - 1));
  const kept: number[] = [];
  for (let i = 0; i < count - 1; i += stride) kept.push(i);
  kept.push(count - 1);
  const out = new Float64Array(kept.length * width);
  kept.forEach((row, k) => out.set(rows.subarray(row * width, row * width + width), k * width));
  return out;
}

export function encodeHistory(rows: Float64Array, width: number) {
  const kept = thinRows(rows, width);
  return { encoding: 'f64le-base64' as const, width, rows: kept.length / width, data: encodeFloat64(kept) };
}

export function decodeHistory(history: { width: number; rows: number; data: string }): Float64Array {
  const values = decodeFloat64(history.data);
  if (values.length !== history.width * history.rows) {
    throw new RangeError(`the history holds ${values.length} numbers, not ${history.rows} rows of ${history.width}`);
  }
  return values;
}

export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export function toJsonNumber(x: number): JsonNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

export function fromJsonNumber(x: JsonNumber): number {
  return typeof x === 'number' ? x : Number(x);
}

export type EpochValues = EpochRecord;

export function encodeEpoch(e: EpochValues): SessionEpoch {
  return { epoch: e.epoch, step: e.step, loss: toJsonNumber(e.loss), valLoss: toJsonNumber(e.valLoss), metric: toJsonNumber(e.metric), valMetric: toJsonNumber(e.valMetric), params: e.params.map(toJsonNumber) };
}

export function decodeEpoch(e: SessionEpoch): EpochValues {
  return { epoch: e.epoch, step: e.step, loss: fromJsonNumber(e.loss), valLoss: fromJsonNumber(e.valLoss), metric: fromJsonNumber(e.metric), valMetric: fromJsonNumber(e.valMetric), params: e.params.map(fromJsonNumber) };
}

/** Epoch records beyond the limit are thinned like history rows (first and last kept). */
export function thinEpochs<T>(epochs: readonly T[], limit = HISTORY_ROW_LIMIT): T[] {
  if (epochs.length <= limit) return [...epochs];
  const stride = Math.ceil((epochs.length - 1) / (limit - 1));
  const out: T[] = [];
  for (let i = 0; i < epochs.length - 1; i += stride) out.push(epochs[i]);
  out.push(epochs[epochs.length - 1]);
  return out;
}
