/**
 * Charts drawn in turn: when streamed rows arrive, each chart draws in a task of its own instead of
 * all of them in one, so that no single task holds the page for long (input, scrolling and the
 * replay slider answer between two charts). A chart asked to draw again before its turn draws once,
 * with what is current by then.
 */
const queue = new Map<object, () => void>();
let waiting: Array<{ callback: () => void; owners: Set<object> }> = [];
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

/**
 * Draws `owner`'s chart in a task of its own. A chart already waiting keeps its place (and draws
 * what is current when its turn comes); another joins the end, so that every chart waiting is drawn
 * in turn however often they are all asked again.
 */
export function drawInTurn(owner: object, draw: () => void): void {
  queue.set(owner, draw);
  schedule();
}

/** Calls back once every chart waiting now has drawn (charts asked later do not hold it back). */
export function afterDrawing(callback: () => void): void {
  waiting.push({ callback, owners: new Set(queue.keys()) });
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  soon(turn);
}

/** One chart's drawing, then the callers whose charts have all drawn by now. */
function turn(): void {
  scheduled = false;
  const first = queue.entries().next();
  try {
    if (!first.done) {
      const [owner, draw] = first.value;
      queue.delete(owner);
      for (const wait of waiting) wait.owners.delete(owner);
      draw();
    }
  } finally {
    const ready = waiting.filter((wait) => wait.owners.size === 0);
    waiting = waiting.filter((wait) => wait.owners.size > 0);
    if (queue.size || waiting.length) schedule();
    for (const { callback } of ready) callback();
  }
}
