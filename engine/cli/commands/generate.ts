/** `gdlab generate`: write one of the classic 2-D classification sets as a CSV file. */
import { CLASSIFICATION_SETS, datasetToCsv, GENERATOR_DEFAULTS, generateDataset, type GeneratorSpec } from '../../data/generators';
import { parseInteger, parseNumber, readArgs, UsageError } from '../args';
import type { CommandResult } from '../main';

export async function generateCommand(argv: readonly string[]): Promise<CommandResult> {
  const args = readArgs(argv, { n: 'string', classes: 'string', noise: 'string', seed: 'string', out: 'string', json: 'boolean' });
  const [kind, ...extra] = args.positionals;
  if (!kind || !(CLASSIFICATION_SETS as readonly string[]).includes(kind)) {
    throw new UsageError(`generate needs a set: ${CLASSIFICATION_SETS.join(', ')}${kind ? `; got "${kind}"` : ''}`);
  }
  if (extra.length > 0) throw new UsageError(`generate takes one set, got also ${extra.join(' ')}`);
  const out = args.flags.get('out');
  if (typeof out !== 'string') throw new UsageError('generate needs --out FILE.csv');
  const defaults = GENERATOR_DEFAULTS[kind as (typeof CLASSIFICATION_SETS)[number]] as Extract<GeneratorSpec, { noise: number; seed: number }>;
  const n = args.flags.has('n') ? parseInteger(args.flags.get('n') as string, '--n', 1) : defaults.n;
  const noise = args.flags.has('noise') ? parseNumber(args.flags.get('noise') as string, '--noise') : defaults.noise;
  const seed = args.flags.has('seed') ? parseInteger(args.flags.get('seed') as string, '--seed', -(2 ** 31)) : defaults.seed;
  if (args.flags.has('classes') && kind !== 'spiral') throw new UsageError(`--classes applies to spiral; ${kind} has two classes`);
  const classes = args.flags.has('classes') ? parseInteger(args.flags.get('classes') as string, '--classes', 2) : 3;
  const spec = (kind === 'spiral' ? { kind, n, classes, noise, seed } : { kind, n, noise, seed }) as GeneratorSpec;
  const dataset = generateDataset(spec);
  const { atomicWrite } = await import('../../session/file');
  await atomicWrite(out, datasetToCsv(dataset));
  const K = kind === 'spiral' ? classes : 2;
  return {
    json: { set: kind, rows: n, classes: K, noise, seed, columns: ['x1', 'x2', 'label'], out, name: dataset.name },
    text: `wrote ${dataset.name} to ${out}: columns x1, x2, label (${K} classes, 0…${K - 1})`,
  };
}
