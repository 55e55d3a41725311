// Random and mutated files: the dataset loader either loads or refuses with a DatasetError, and the
// session opener either opens or refuses with a SessionError; neither touches global state.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadDatasetBytes } from '../../engine/data/load';
import { DatasetError } from '../../engine/data/table';
import { parseSession, SessionError } from '../../engine/session/open';

/** Cases per property: 14,000 files in all, about 5 s here. */
export const FILE_RUNS = { csvBytes: 2000, csvMutations: 3000, sessionJson: 2000, sessionBytes: 2000, sessionStructure: 5000 };

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const corpus = readdirSync(join(fixtures, 'csv')).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(fixtures, 'csv', name))) }));
const sessions = ['v1-function.gdlab', 'v1-data.gdlab'].map((name) => readFileSync(join(fixtures, 'sessions', name), 'utf8'));

function mutateBytes(bytes: Uint8Array, edits: Array<{ at: number; kind: number; byte: number }>): Uint8Array {
  let out = Array.from(bytes);
  for (const { at, kind, byte } of edits) {
    const i = out.length ? at % out.length : 0;
    if (kind === 0) out.splice(i, 0, byte);
    else if (kind === 1) out.splice(i, 1);
    else if (kind === 2) out[i] = byte;
    else out = out.slice(0, i);
  }
  return Uint8Array.from(out);
}

const edits = fc.array(fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 3 }), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x2c, 0x22, 0x0a, 0x0d, 0x3b, 0x09, 0x2d, 0x2e, 0x65)) }), { minLength: 1, maxLength: 8 });

async function loadOrRefuse(name: string, bytes: Uint8Array): Promise<'loaded' | 'refused'> {
  try {
    const d = await loadDatasetBytes(bytes, name);
    expect(d.rowCount).toBeGreaterThanOrEqual(0);
    for (const c of d.columns) expect(c.values.length).toBe(d.rowCount);
    return 'loaded';
  } catch (error) {
    if (!(error instanceof DatasetError)) throw new Error(`${name} threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    expect(error.message.length).toBeGreaterThan(10);
    return 'refused';
  }
}

function openOrRefuse(input: string | Uint8Array): 'opened' | 'refused' {
  const before = Object.getOwnPropertyNames(Object.prototype).join();
  try {
    parseSession(input, 'fuzz.gdlab');
    return 'opened';
  } catch (error) {
    if (!(error instanceof SessionError)) throw new Error(`threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    expect(error.message).toMatch(/^fuzz\.gdlab/);
    return 'refused';
  } finally {
    expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }
}

describe('dataset files', () => {
  it(`loads or refuses ${FILE_RUNS.csvBytes} random byte strings`, async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('data.csv', 'data.tsv', 'data.json', 'data.txt'), async (bytes, name) => void (await loadOrRefuse(name, bytes))), { numRuns: FILE_RUNS.csvBytes });
  });

  it(`loads or refuses ${FILE_RUNS.csvMutations} mutations of the malformed-file corpus`, async () => {
    const seen = { loaded: 0, refused: 0 };
    await fc.assert(fc.asyncProperty(fc.constantFrom(...corpus), edits, async (file, e) => void seen[await loadOrRefuse(file.name, mutateBytes(file.bytes, e))]++), { numRuns: FILE_RUNS.csvMutations });
    expect(seen.loaded).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });
});

/** A random path into a JSON document and a random value to put there. */
function mutateJson(doc: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return value;
  const keys = Object.keys(doc);
  if (keys.length === 0) return value;
  const key = keys[path[0] % keys.length];
  const copy: Record<string, unknown> = Array.isArray(doc) ? ([...doc] as unknown as Record<string, unknown>) : { ...(doc as Record<string, unknown>) };
  copy[key] = mutateJson((doc as Record<string, unknown>)[key], path.slice(1), value);
  return copy;
}

describe('session files', () => {
  it(`opens or refuses ${FILE_RUNS.sessionJson} random JSON documents`, () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void openOrRefuse(JSON.stringify(value) ?? '')), { numRuns: FILE_RUNS.sessionJson });
  });

  it(`opens or refuses ${FILE_RUNS.sessionBytes} byte mutations of saved sessions`, () => {
    const seen = { opened: 0, refused: 0 };
    fc.assert(fc.property(fc.constantFrom(...sessions), edits, (text, e) => void seen[openOrRefuse(mutateBytes(new TextEncoder().encode(text), e))]++), { numRuns: FILE_RUNS.sessionBytes });
    expect(seen.refused).toBeGreaterThan(100);
  });

  it(`opens or refuses ${FILE_RUNS.sessionStructure} structural mutations (a value anywhere replaced, hostile keys included)`, () => {
    const hostile = fc.constantFrom({ __proto__: { polluted: true } }, JSON.parse('{"__proto__": {"polluted": true}}'), { constructor: { prototype: { polluted: true } } }, 'NaN', -1, 1e308, '', 'x'.repeat(300), [], {}, null, true);
    const seen = { opened: 0, refused: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...sessions), fc.array(fc.nat(), { minLength: 1, maxLength: 7 }), fc.oneof(fc.jsonValue(), hostile), (text, path, value) => {
        seen[openOrRefuse(JSON.stringify(mutateJson(JSON.parse(text), path, value)))]++;
      }),
      { numRuns: FILE_RUNS.sessionStructure },
    );
    expect(seen.opened).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(200);
  });
});
