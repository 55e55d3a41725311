// Loading a file into the engine can also describe it as a session's dataset source: the hash and the
// embedded copy are computed where the bytes are parsed, off the page's thread, and equal what the
// session layer computes itself.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { host } from './request';
import { fileSource } from '../../../engine/session/runs';

const CSV = 'x,y\n1,2\n2,4.5\n3,5.9\n';

describe('loadDataset', () => {
  it('describes the file when asked: SHA-256 and embedded copy as the session layer makes them', async () => {
    const request = host();
    const bytes = new TextEncoder().encode(CSV);
    const reply = await request('loadDataset', { datasetId: 'd', name: 'points.csv', bytes: bytes.slice(), describe: { path: null } });
    expect(reply.rowCount).toBe(3);
    expect(reply.source).toEqual(fileSource('points.csv', bytes, null));
    expect(reply.source).toMatchObject({ kind: 'embedded', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength });
    expect(Buffer.from((reply.source as { data: string }).data, 'base64').toString()).toBe(CSV);
    // Without `describe` the reply is the summary alone.
    expect((await request('loadDataset', { datasetId: 'e', name: 'points.csv', bytes: bytes.slice() })).source).toBeUndefined();
  });
});
