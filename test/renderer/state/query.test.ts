// The query layer against a fake engine whose answers come when the test says: one question in flight,
// only the latest wish asked next, answers for other keys never shown, pacing by the answer's cost.
import { describe, expect, it } from 'vitest';
import { Query } from '../../../renderer/src/queries/query.svelte';

/** A fake engine: each question waits until the test answers it. */
function engine<T>() {
  const pending: Array<{ key: string; resolve: (v: T) => void; reject: (e: Error) => void }> = [];
  return {
    pending,
    ask: (key: string) => () => new Promise<T>((resolve, reject) => pending.push({ key, resolve, reject })),
    async answer(value: T) {
      pending.shift()!.resolve(value);
      await settle();
    },
    async fail(message: string) {
      pending.shift()!.reject(new Error(message));
      await settle();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a query', () => {
  it('shows an answer only for the key it was asked for', async () => {
    const e = engine<string>();
    const q = new Query<string>();
    q.want('a', e.ask('a'));
    expect(q.for('a')).toBeNull();
    await e.answer('answer for a');
    expect(q.for('a')).toBe('answer for a');
    expect(q.for('b')).toBeNull();
    q.want(null, e.ask('none'));
    expect(q.for('a')).toBeNull();
  });

  it('keeps one question in flight and asks only the latest wish next; a stale answer is dropped', async () => {
    const e = engine<string>();
    const q = new Query<string>();
    q.want('step 1', e.ask('step 1'));
    q.want('step 2', e.ask('step 2'));
    q.want('step 3', e.ask('step 3'));
    expect(e.pending.map((p) => p.key)).toEqual(['step 1']);
    await e.answer('for step 1');
    // step 1 is no longer wanted: its answer is not shown, and step 2 is never asked
    expect(q.answer).toBeNull();
    expect(e.pending.map((p) => p.key)).toEqual(['step 3']);
    await e.answer('for step 3');
    expect(q.for('step 3')).toBe('for step 3');
    expect(q.asked).toBe(2);
  });

  it('does not ask again for a key it has answered, and keeps a failure under its key', async () => {
    const e = engine<string>();
    const q = new Query<string>();
    q.want('a', e.ask('a'));
    await e.answer('A');
    q.want('a', e.ask('a'));
    expect(e.pending).toHaveLength(0);
    q.want('b', e.ask('b'));
    await e.fail('no such run');
    expect(q.failed('b')).toBe('no such run');
    expect(q.failed('a')).toBeNull();
    expect(q.for('b')).toBeNull();
  });

  it('shows the newest answer for a prefix while the one wanted is on its way', async () => {
    const e = engine<string>();
    const q = new Query<string>();
    q.want('run1|5', e.ask('run1|5'));
    await e.answer('step 5');
    q.want('run1|9', e.ask('run1|9'));
    expect(q.for('run1|9')).toBeNull();
    expect(q.latest('run1|')).toBe('step 5');
    expect(q.latest('run2|')).toBeNull();
  });

  it('paces questions: after an answer that took t, waits t·(1/share − 1), at least minMs', async () => {
    const e = engine<string>();
    let now = 0;
    const waits: number[] = [];
    const q = new Query<string>({ share: () => 0.2, minMs: 10, now: () => now, wait: async (ms) => void waits.push(ms) });
    q.want('a', e.ask('a'));
    now = 50;
    q.want('b', e.ask('b'));
    await e.answer('A');
    expect(waits).toEqual([200]);
    expect(e.pending.map((p) => p.key)).toEqual(['b']);
    await e.answer('B');
    // nothing else wanted: no pause
    expect(waits).toEqual([200]);
    q.want('c', e.ask('c'));
    q.want('d', e.ask('d'));
    await e.answer('C');
    expect(waits).toEqual([200, 10]);
  });
});
