// An engine host in the test's own process, and a typed request function that returns its reply's
// result or throws its error, as the client does over a real channel.
import { EngineHost } from '../../../engine/host/host';
import type { EngineEvent, Replies, RequestInput, RequestType } from '../../../engine/host/protocol';

export function host() {
  const replies = new Map<number, EngineEvent>();
  const h = new EngineHost((e) => { if (e.type === 'reply') replies.set(e.id, e); }, (fn) => setTimeout(fn, 0));
  let id = 0;
  return async <K extends RequestType>(type: K, input: RequestInput<K>): Promise<Replies[K]> => {
    const mine = ++id;
    await h.handle({ v: 2, id: mine, type, input });
    const r = replies.get(mine) as { ok: boolean; result: unknown; error?: { message: string } };
    if (!r.ok) throw new Error(r.error?.message);
    return r.result as Replies[K];
  };
}
