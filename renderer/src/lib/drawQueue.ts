/**
 * Charts drawn in turn: when streamed rows arrive, each chart draws in a task of its own instead of
 * all of them in one, so that no single task holds the page for long (input, scrolling and the
 * replay slider answer between two charts). A chart asked to draw again before its turn draws once,
 * with what is current by then.
 */
const queue = new Map<object, () => void>();
let waiting: Array<() => void> = [];
let scheduled = false;

/** A new task soon: a message through a channel where there is one (no timer clamping), else a timer. */
const soon: (callback: () => void) => void = (() => {
  if (typeof MessageChannel === 'undefined') return (callback: () => void) => void setTimeout(callback, 0);
  const channel = new MessageChannel();
  const callbacks: Array<() => void> = [];
  channel.port1.onmessage = () => callbacks.shift()?.();
  // A channel's port keeps Node's event loop alive: let it go when nothing is queued.
  (channel.port1 as { unref?: () => void }).unref?.();
  return (callback: () => void) => {
    callbacks.push(callback);
    channel.port2.postMessage(null);
  };
})();

/** Draws `owner`'s chart in a task of its own, after the charts already waiting. */
export function drawInTurn(owner: object, draw: () => void): void {
  queue.delete(owner);
  queue.set(owner, draw);
  schedule();
}

/** Calls back once every chart waiting now (and any asked meanwhile) has drawn. */
export function afterDrawing(callback: () => void): void {
  waiting.push(callback);
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  soon(turn);
}

function turn(): void {
  scheduled = false;
  const first = queue.entries().next();
  if (!first.done) {
    const [owner, draw] = first.value;
    queue.delete(owner);
    try {
      draw();
    } finally {
      schedule();
    }
    return;
  }
  const done = waiting;
  waiting = [];
  for (const callback of done) callback();
}
