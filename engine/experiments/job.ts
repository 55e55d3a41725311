/**
 * A long computation done in slices, so that it never blocks runs or other
 * requests: `work` advances it until the deadline and says whether it is done.
 * Sweeps and basin maps are jobs; the engine host interleaves them with runs,
 * reports their progress and cancels them on request.
 */
export interface Job<R> {
  /** The fraction done, 0 to 1. */
  readonly progress: number;
  /** Advances until `now()` passes `deadline` (or the job ends); true once finished. */
  work(deadline: number, now: () => number): boolean;
  /** The finished job's result. */
  result(): R;
}

/** Runs a job to its end in one go (the `gdlab` command, tests). */
export function complete<R>(job: Job<R>): R {
  while (!job.work(Infinity, () => 0));
  return job.result();
}
