// Loading a file into the engine can also hash it, where the bytes are parsed and off the page's
// thread; a session's source made with that hash equals the one the session layer makes itself, and
// encodes its embedded copy only when read.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { host } from './request';
import { fileSource } from '../../../engine/session/runs';

const CSV = 'x,y\n1,2\n2,4.5\n3,5.9\n';

describe('loadDataset', () => {
  it('hashes the file when asked, as the session layer does', async () => {
    const request = host();
    const bytes = new TextEncoder().encode(CSV);
    const reply = await request('loadDataset', { datasetId: 'd', name: 'points.csv', bytes: bytes.slice(), hash: true });
    expect(reply.rowCount).toBe(3);
    expect(reply.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const source = fileSource('points.csv', bytes, null, reply.sha256);
    expect(JSON.parse(JSON.stringify(source))).toEqual(JSON.parse(JSON.stringify(fileSource('points.csv', bytes, null))));
    expect(Buffer.from((source as { data: string }).data, 'base64').toString()).toBe(CSV);
    // Without `hash` the reply is the summary alone.
    expect((await request('loadDataset', { datasetId: 'e', name: 'points.csv', bytes: bytes.slice() })).sha256).toBeUndefined();
  });
});
