/**
 * One update, explained with its numbers: the run is rebuilt from its spec
 * and replayed (with its recorded hyperparameter changes) to the step before,
 * where everything the update reads is captured (the parameters, the
 * gradient, its clipping, the learning rate after the schedule, the
 * optimizer's state), then the update is taken and its results captured too.
 * Runs are deterministic, so the replay is the run, bit for bit, whatever the
 * history kept.
 */
import type { BuiltRun } from './build';
import type { Change } from '../spec/run';

export interface StepExplanation {
  /** The update explained: from step − 1 to step. */
  step: number;
  optimizer: string;
  /** The hyperparameters in force for this update. */
  hyperparameters: Record<string, unknown>;
  /** The optimizer's update count after this update (PyTorch's state['step']). */
  t: number;
  before: number[];
  after: number[];
  /** f (for data: the loss of the batch the update uses, with regularization) before and after the update. */
  value: number;
  valueAfter: number;
  /** The gradient the update starts from (for data: the mini-batch gradient). */
  gradient: number[];
  gradNorm: number;
  /** Clipping: the norm limit and the factor the gradient was scaled by (1: not clipped). */
  clip: { maxNorm: number; coef: number } | null;
  /** The learning rate this update used, after schedule and warm-up, and the base rate. */
  lr: number;
  baseLr: number;
  /** The optimizer's state buffers (exp_avg, momentum_buffer, …) before and after. */
  stateBefore: Record<string, number[]>;
  stateAfter: Record<string, number[]>;
  /** For data runs: the epoch and the batch within it. */
  batch: { epoch: number; index: number; size: number; batches: number; rows: number } | null;
}

function buffers(built: BuiltRun): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, b] of Object.entries(built.run.optimizer.state.buffers)) out[name] = Array.from(b);
  return out;
}

/** Advances a built run to `step`, applying each recorded change at its step (before the update that follows it). */
export function replayTo(built: BuiltRun, changes: readonly Change[], step: number): void {
  const advance = (count: number) => (built.fit ? built.fit.advance(count) : built.run.advance(count));
  const pending = [...changes].sort((a, b) => a.step - b.step).filter((c) => c.step >= built.run.step);
  for (const change of pending) {
    if (change.step > step) break;
    if (change.step > built.run.step) advance(change.step - built.run.step);
    if (built.run.step !== change.step) break;
    built.run.setHyperparameters(change.changes);
  }
  if (step > built.run.step) advance(step - built.run.step);
}

/** Explains update `step` of a run; `built` must stand at step − 1 (see replayTo), and is left at `step`. */
export function explainNext(built: BuiltRun, clipNorm: number | null): StepExplanation {
  const { run, fit } = built;
  if (run.finished) throw new RangeError(`The run ended at step ${run.step}: there is no update after it`);
  const before = Array.from(run.p);
  const gradient = Array.from(run.g);
  const gradNorm = run.gradNorm;
  const value = run.value;
  const lr = run.learningRate;
  const stateBefore = buffers(built);
  const hyperparameters = { ...run.optimizer.hyper };
  const clip = clipNorm ? { maxNorm: clipNorm, coef: Math.min(1, (1 / (gradNorm + 1e-6)) * clipNorm) } : null;
  // The batch this update uses, to measure its loss again after the update (the run's own value
  // afterwards is on the batch the next update uses).
  const rows = fit ? fit.objective.currentBatch().slice() : null;
  const batch = fit && rows ? { epoch: Math.floor(run.step / fit.batchesPerEpoch) + 1, index: (run.step % fit.batchesPerEpoch) + 1, size: rows.length, batches: fit.batchesPerEpoch, rows: fit.data.n } : null;
  if (fit) fit.advance(1);
  else run.advance(1);
  const valueAfter = fit && rows ? fit.objective.lossOver(run.p, fit.data.X, fit.data.y, rows, rows.length, null) : run.value;
  return {
    step: run.step,
    optimizer: run.optimizer.definition.name,
    hyperparameters,
    t: run.optimizer.state.t,
    before,
    after: Array.from(run.p),
    value,
    valueAfter,
    gradient,
    gradNorm,
    clip,
    lr,
    baseLr: hyperparameters.lr as number,
    stateBefore,
    stateAfter: buffers(built),
    batch,
  };
}
