/** The shapes the runs model shares with the rest of the lab. */
import type { Catalog, CreatedRun, EngineProblem, EpochUpdate, RunStatus, Words } from '../../../../engine';
import type { Requester } from '../../../../engine/host/router';

export interface RunLive {
  status: RunStatus | 'none';
  step: number;
  value: number;
  gradNorm: number;
  lr: number;
  params: number[];
  message: string;
  /** A message the lab wrote (a key of the runs area), shown in the current language; `message` keeps its English for the session file. */
  messageKey?: string;
  /** The engine's message as an id and values (`runs.outcome.<id>`), shown in the current language. */
  words?: Words;
  bracket?: [number, number];
  epochs: EpochUpdate[];
}

export type RunInfo = Pick<CreatedRun, 'paramNames' | 'paramLabels' | 'standardization' | 'features' | 'classification' | 'batchesPerEpoch' | 'rows'>;

/** What the runs need from the rest of the lab. */
export interface RunsEnvironment {
  /** The engines the runs are on: requests about a run reach the engine that holds it. */
  engine(): Requester;
  catalog(): Catalog | null;
  /** The problem to run, or null with the reason it cannot run now. */
  problem(): { problem: EngineProblem; key: string } | { reason: string };
  mode(): 'function' | 'data';
  defaultStart(): number[];
  report(kind: 'error' | 'info', message: string, action?: { label: string; run: () => void }): void;
}

const FINISHED: ReadonlyArray<RunStatus | 'none'> = ['max_steps', 'converged', 'diverged', 'undefined', 'unbounded', 'stopped', 'failed'];

export const isFinished = (status: RunStatus | 'none'): boolean => FINISHED.includes(status);


/** "Adam 3", or the next number up that no run has: names stay unique after removals and reopening. */
export function freeName(title: string, from: number, taken: readonly string[]): string {
  let k = from;
  while (taken.includes(`${title} ${k}`)) k++;
  return `${title} ${k}`;
}
