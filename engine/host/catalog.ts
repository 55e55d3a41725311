/** What the UI offers: optimizers with their hyperparameters and docs, schedules, test functions, generators. */
import { OPTIMIZERS } from '../optim/registry';
import { SCHEDULE_DEFAULTS } from '../optim/schedule';
import { TEST_FUNCTIONS } from '../problems/testFunctions';
import { GENERATOR_DEFAULTS } from '../data/generators';

export function catalog() {
  return {
    optimizers: Object.values(OPTIMIZERS).map((d) => ({
      name: d.name,
      title: d.title,
      summary: d.summary,
      rule: d.rule,
      needs: d.needs ?? null,
      hyperparameters: d.hyperparameters,
      defaults: d.defaults,
    })),
    schedules: SCHEDULE_DEFAULTS,
    testFunctions: TEST_FUNCTIONS,
    generators: GENERATOR_DEFAULTS,
  };
}

export type Catalog = ReturnType<typeof catalog>;
