/** Timing helpers for `npm run bench`: rates, not timed assertions. */

export interface Rate {
  perSecond: number;
  seconds: number;
}

/** Calls `work(n)` (which performs n units) in growing batches until `minSeconds` pass; best of `repeats`. */
export function measure(work: (n: number) => void, minSeconds = 0.5, repeats = 3): Rate {
  let best: Rate = { perSecond: 0, seconds: 0 };
  for (let r = 0; r < repeats; r++) {
    let n = 1000;
    for (;;) {
      const t0 = performance.now();
      work(n);
      const seconds = (performance.now() - t0) / 1000;
      if (seconds >= minSeconds) {
        const rate = { perSecond: n / seconds, seconds };
        if (rate.perSecond > best.perSecond) best = rate;
        break;
      }
      n = Math.ceil(n * Math.min(10, Math.max(2, (1.2 * minSeconds) / Math.max(seconds, 1e-4))));
    }
  }
  return best;
}

export function si(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

export function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(44)} ${value}`);
}

export function ratio(label: string, value: number, target: string): void {
  line(label, `${value.toFixed(2)}×  (target ${target})`);
}
