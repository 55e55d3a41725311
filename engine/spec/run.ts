/**
 * A run: its settings (the optimizer with the hyperparameters it starts with,
 * schedule, warm-up, clipping, start point, stopping rules and, for data, the
 * batch size, epochs and shuffle seed) and the hyperparameter changes made
 * while it ran, at the steps they took effect. One shape from the lab's run
 * card to the engine, the session file and the PyTorch export: settings plus
 * changes rebuild the run bit for bit.
 */
import { z } from 'zod';
import { ScheduleSchema, WarmupSchema } from './schedule';
import { finite, HyperValueSchema, id, text, type HyperValue } from './common';

export const OptimizerSettingsSchema = z
  .object({ name: z.string().min(1).max(40) })
  .catchall(z.union([finite, z.boolean(), z.tuple([finite, finite]), z.string().max(40)]));

export const StopSchema = z
  .strictObject({
    maxSteps: z.number().int().min(0).max(1e9),
    gradTol: z.number().min(0),
    fTol: z.number().min(0),
    signChange: z.boolean(),
    divergenceBound: z.number().positive(),
  })
  .partial();

export const RunSettingsSchema = z.strictObject({
  optimizer: OptimizerSettingsSchema,
  schedule: ScheduleSchema.nullable(),
  warmup: WarmupSchema.nullable(),
  clipNorm: z.number().positive().nullable(),
  /** The start point; empty for a data run that starts from its model's initial parameters. */
  start: z.array(finite).max(10_000),
  stop: StopSchema,
  batchSize: z.union([z.number().int().min(1), z.literal('full')]),
  epochs: z.number().int().min(1).max(1_000_000),
  shuffle: z.boolean(),
  seed: z.number().int(),
});

export const ChangeSchema = z.strictObject({ step: z.number().int().min(0), changes: z.record(z.string().max(40), HyperValueSchema) });

export const RunSpecSchema = RunSettingsSchema.extend({
  id,
  name: text(200),
  /** The run's colour on charts; null lets the lab choose by the run's place. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #2563eb').nullable(),
  /** Hyperparameters changed during the run, at the step they took effect. */
  changes: z.array(ChangeSchema).max(1000),
});

export type OptimizerSettings = z.infer<typeof OptimizerSettingsSchema>;
export type Stop = z.infer<typeof StopSchema>;
export type RunSettings = z.infer<typeof RunSettingsSchema>;
export type Change = z.infer<typeof ChangeSchema>;
export type RunSpec = z.infer<typeof RunSpecSchema>;

/** Settings not given: no schedule, warm-up or clipping, the problem's default start, full batches. */
export const DEFAULT_SETTINGS: Omit<RunSettings, 'optimizer'> = { schedule: null, warmup: null, clipNorm: null, start: [], stop: {}, batchSize: 'full', epochs: 100, shuffle: false, seed: 0 };

/** Run settings from the ones given and the defaults. */
export function runSettings(given: Partial<RunSettings> & Pick<RunSettings, 'optimizer'>): RunSettings {
  return { ...DEFAULT_SETTINGS, ...given };
}

/** The settings of a run spec (what the engine builds a run from). */
export function settingsOf(run: RunSettings): RunSettings {
  const { optimizer, schedule, warmup, clipNorm, start, stop, batchSize, epochs, shuffle, seed } = run;
  return { optimizer, schedule, warmup, clipNorm, start, stop, batchSize, epochs, shuffle, seed };
}

/** The hyperparameters in force after every recorded change. */
export function currentHyperparameters(run: Pick<RunSpec, 'optimizer' | 'changes'>): Record<string, HyperValue> {
  const { name: _name, ...initial } = run.optimizer;
  const current = { ...initial } as Record<string, HyperValue>;
  for (const change of run.changes) Object.assign(current, change.changes);
  return current;
}
