/** Flags shared by the commands that run an optimizer: the optimizer, its hyperparameters, schedule, clipping, stopping rules. */
import { OPTIMIZERS, optimizerDefinition, resolveHyperparameters, type OptimizerSettings } from '../optim/registry';
import { SCHEDULE_DEFAULTS, scheduleProblem, type Schedule, type Warmup } from '../optim/schedule';
import type { Hyperparameters } from '../optim/types';
import { kebab, parseInteger, parseNumber, parseNumberList, UsageError, type FlagSpec, type ParsedArgs } from './args';

const hyperparameterKinds = new Map<string, 'number' | 'boolean' | 'pair'>();
for (const def of Object.values(OPTIMIZERS)) for (const spec of def.hyperparameters) hyperparameterKinds.set(spec.name, spec.kind);

export const RUN_FLAGS: FlagSpec = {
  optimizer: 'string',
  ...Object.fromEntries([...hyperparameterKinds].map(([name, kind]) => [kebab(name), kind === 'boolean' ? 'boolean' : 'string'])),
  schedule: 'string',
  'step-size': 'string',
  gamma: 'string',
  't-max': 'string',
  'eta-min': 'string',
  decay: 'string',
  'warmup-steps': 'string',
  'warmup-start-factor': 'string',
  'clip-norm': 'string',
  'grad-tol': 'string',
  'f-tol': 'string',
  'divergence-bound': 'string',
  seed: 'string',
  json: 'boolean',
};

export function optimizerFromFlags(args: ParsedArgs, fallback = 'sgd'): { settings: OptimizerSettings; resolved: Hyperparameters } {
  const name = (args.flags.get('optimizer') as string | undefined) ?? fallback;
  let def;
  try {
    def = optimizerDefinition(name.toLowerCase());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const given: Record<string, unknown> = {};
  for (const [hyper, kind] of hyperparameterKinds) {
    const value = args.flags.get(kebab(hyper));
    if (value === undefined) continue;
    if (!def.hyperparameters.some((s) => s.name === hyper)) {
      throw new UsageError(`${def.name} has no hyperparameter --${kebab(hyper)}; it takes ${def.hyperparameters.map((s) => `--${kebab(s.name)}`).join(', ')}`);
    }
    if (kind === 'boolean') given[hyper] = true;
    else if (kind === 'pair') {
      const pair = parseNumberList(value as string, `--${kebab(hyper)}`);
      if (pair.length !== 2) throw new UsageError(`--${kebab(hyper)} takes two numbers, e.g. 0.9,0.999`);
      given[hyper] = pair;
    } else given[hyper] = parseNumber(value as string, `--${kebab(hyper)}`);
  }
  let resolved: Hyperparameters;
  try {
    resolved = resolveHyperparameters(def.name, given);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { settings: { name: def.name, ...given } as OptimizerSettings, resolved };
}

export function scheduleFromFlags(args: ParsedArgs): { schedule?: Schedule; warmup?: Warmup } {
  const type = args.flags.get('schedule') as string | undefined;
  const out: { schedule?: Schedule; warmup?: Warmup } = {};
  if (type !== undefined) {
    if (!Object.hasOwn(SCHEDULE_DEFAULTS, type)) {
      throw new UsageError(`Unknown schedule "${type}"; choose one of ${Object.keys(SCHEDULE_DEFAULTS).join(', ')}`);
    }
    const candidate: Record<string, unknown> = { ...SCHEDULE_DEFAULTS[type as Schedule['type']] };
    const fields: Array<[string, string, boolean]> = [['step-size', 'step_size', true], ['gamma', 'gamma', false], ['t-max', 'T_max', true], ['eta-min', 'eta_min', false], ['decay', 'decay', false]];
    for (const [flag, key, integer] of fields) {
      const value = args.flags.get(flag);
      if (value === undefined) continue;
      if (!(key in candidate)) throw new UsageError(`--${flag} does not apply to the ${type} schedule`);
      candidate[key] = integer ? parseInteger(value as string, `--${flag}`, 1) : parseNumber(value as string, `--${flag}`);
    }
    const problem = scheduleProblem(candidate as Schedule);
    if (problem) throw new UsageError(`Schedule ${type}: ${problem}`);
    out.schedule = candidate as Schedule;
  }
  const warmupSteps = args.flags.get('warmup-steps');
  if (warmupSteps !== undefined) {
    const start = args.flags.get('warmup-start-factor');
    const startFactor = start === undefined ? 1 / 3 : parseNumber(start as string, '--warmup-start-factor');
    if (!(startFactor > 0 && startFactor <= 1)) throw new UsageError('--warmup-start-factor must be in (0, 1]');
    out.warmup = { warmup_steps: parseInteger(warmupSteps as string, '--warmup-steps', 1), start_factor: startFactor };
  }
  return out;
}

export function optionalNumber(args: ParsedArgs, flag: string): number | undefined {
  const value = args.flags.get(flag);
  return value === undefined ? undefined : parseNumber(value as string, `--${flag}`);
}

export function clipFromFlags(args: ParsedArgs): number | null {
  const clip = optionalNumber(args, 'clip-norm');
  if (clip !== undefined && !(clip > 0)) throw new UsageError('--clip-norm must be positive');
  return clip ?? null;
}

export function nonNegative(value: number | undefined, flag: string): number | undefined {
  if (value !== undefined && value < 0) throw new UsageError(`--${flag} must be ≥ 0`);
  return value;
}
