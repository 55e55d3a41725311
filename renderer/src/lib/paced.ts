/**
 * Asks the engine for a view's data at a pace the engine can afford while runs stream: one question
 * in flight at a time, and after each answer a pause of at least `minMs` and at least `share`⁻¹ − 1
 * times the time the answer took, so that such questions take at most about `share` of the engine's
 * time (the rest is the runs'; `share` is asked after each answer, so it can be larger while no run
 * streams). A call while one is in flight or pausing is kept, once, for after.
 */
export function paced(ask: () => Promise<void>, minMs: number, share: () => number = () => 0.2): () => void {
  let busy = false;
  let again = false;
  const go = async (): Promise<void> => {
    busy = true;
    again = false;
    const t0 = performance.now();
    try {
      await ask();
    } finally {
      const took = performance.now() - t0;
      setTimeout(() => {
        busy = false;
        if (again) void go();
      }, Math.max(minMs, took * (1 / share() - 1)));
    }
  };
  return () => {
    if (busy) again = true;
    else void go();
  };
}
