/** Calls fn at most every `ms`, and always once more after the last call, so the final state is never skipped. */
export function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    const now = performance.now();
    if (timer) return;
    const wait = last + ms - now;
    if (wait <= 0) {
      last = now;
      fn();
    } else {
      timer = setTimeout(() => {
        timer = null;
        last = performance.now();
        fn();
      }, wait);
    }
  };
}
