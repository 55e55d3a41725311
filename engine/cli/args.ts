/**
 * Command-line flags. Node's parseArgs refuses values that start with a dash,
 * and negative start points (`--start -1.5,2`) are common here, so flags are
 * read by this small spec-driven reader instead: `--name value`,
 * `--name=value`, and boolean `--name`.
 */
import { suggest } from '../formula/suggest';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `repeatable`: a string flag that may be given several times; all values are kept, in order, in `lists`. */
export type FlagKind = 'string' | 'boolean' | 'repeatable';
export type FlagSpec = Record<string, FlagKind>;

export interface ParsedArgs {
  flags: Map<string, string | true>;
  lists: Map<string, string[]>;
  positionals: string[];
}

export function readArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!Object.hasOwn(spec, name)) {
      const hint = suggest(name, Object.keys(spec));
      throw new UsageError(`Unknown option --${name}${hint ? ` — did you mean --${hint}?` : ''}`);
    }
    if (flags.has(name) && spec[name] !== 'repeatable') throw new UsageError(`--${name} is given twice`);
    if (spec[name] === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !/^--[a-z]/i.test(argv[i + 1])) value = argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
    if (spec[name] === 'repeatable') lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { flags, lists, positionals };
}

export function parseNumber(text: string, what: string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(value)) throw new UsageError(`${what}: "${text}" is not a number`);
  return value;
}

export function parseNumberList(text: string, what: string): number[] {
  return text.split(',').map((part, i) => parseNumber(part, `${what} (item ${i + 1})`));
}

export function parseInteger(text: string, what: string, min = 0): number {
  const value = parseNumber(text, what);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${what} must be a whole number ≥ ${min}, got ${text}`);
  return value;
}

export function parseNameList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

export function kebab(name: string): string {
  return name.replace(/_/g, '-');
}
