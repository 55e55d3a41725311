/** Building session documents: what `gdlab minimize/fit --save` write and the lab opens. */
import { optimizerDefinition } from '../optim/registry';
import type { BuiltRun } from '../run/build';
import { DEFAULT_EXPERIMENTS, DEFAULT_VIEW, SESSION_FORMAT, SESSION_VERSION, type Session, type SessionRun } from '../spec/session';
import type { Problem } from '../spec/problem';
import type { RunSettings } from '../spec/run';
import { resultOf } from './runs';

export const APP_NAME = 'Gradient Descent Lab';
/** Kept equal to package.json's version by a test. */
export const APP_VERSION = '0.1.0';

/** A session of a problem and its runs; what is not given (the view, the experiments, the other mode's problem) takes the defaults. */
export function newSession(problem: Problem, runs: SessionRun[], view: Partial<Session['view']> = {}, notes = '', more: Partial<Pick<Session, 'other' | 'experiments'>> = {}): Session {
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: new Date().toISOString(),
    app: `${APP_NAME} ${APP_VERSION}`,
    notes,
    problem,
    other: more.other ?? null,
    runs,
    view: { ...DEFAULT_VIEW, selectedRun: runs[0]?.id ?? null, ...view },
    experiments: more.experiments ?? DEFAULT_EXPERIMENTS,
  };
}

/** A session run from its settings and, when it has run, its result; the lab colours it by its place. */
export function sessionRun(index: number, settings: RunSettings, built: BuiltRun | null): SessionRun {
  const title = optimizerDefinition(settings.optimizer.name).title;
  return {
    id: `run${index + 1}`,
    name: `${title} ${index + 1}`,
    color: null,
    ...settings,
    changes: built ? built.run.changes.map((c) => ({ step: c.step, changes: c.changes as SessionRun['changes'][number]['changes'] })) : [],
    result: built ? resultOf(built) : null,
  };
}
