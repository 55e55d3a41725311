/**
 * The `gdlab` command. Every command prints exactly one JSON object on stdout
 * with --json (numbers that are not finite as the strings "NaN", "Infinity",
 * "-Infinity"); errors go to stderr as one line, with exit code 2 for bad
 * input and 1 for anything unexpected.
 */
import { EXPORT_HELP, FIT_HELP, GENERATE_HELP, GRADIENT_HELP, MINIMIZE_HELP, RUN_HELP } from './help';

export interface CommandResult {
  json: unknown;
  text: string;
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Command = (argv: readonly string[]) => CommandResult | Promise<CommandResult>;

// Each command's code is loaded when it runs: help and usage load nothing, and a command loads only
// what it uses (gradient needs no data or session code, for instance).
const COMMANDS: Record<string, { load: () => Promise<Command>; help: string }> = {
  gradient: { load: async () => (await import('./commands/gradient')).gradientCommand, help: GRADIENT_HELP },
  minimize: { load: async () => (await import('./commands/minimize')).minimizeCommand, help: MINIMIZE_HELP },
  fit: { load: async () => (await import('./commands/fit')).fitCommand, help: FIT_HELP },
  generate: { load: async () => (await import('./commands/generate')).generateCommand, help: GENERATE_HELP },
  run: { load: async () => (await import('./commands/session')).runCommand, help: RUN_HELP },
  export: { load: async () => (await import('./commands/session')).exportCommand, help: EXPORT_HELP },
};

const USAGE = `Gradient Descent Lab, headless.

${Object.values(COMMANDS).map((c) => c.help).join('\n\n')}

Run "gdlab COMMAND --help" for one command.`;

/** JSON in which NaN, Infinity and −Infinity are the strings "NaN", "Infinity" and "-Infinity" (JSON.stringify would write null). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** Errors in what the user gave (exit code 2), by name, so that checking one loads no module. */
const INPUT_ERRORS = new Set(['UsageError', 'FormulaError', 'RangeError', 'DatasetError', 'SessionError']);

function isInputError(error: unknown): boolean {
  return error instanceof Error && INPUT_ERRORS.has(error.name);
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`gdlab: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.help}\n`);
    return 0;
  }
  try {
    const result = await (await command.load())(rest);
    io.stdout(rest.includes('--json') ? `${toJson(result.json)}\n` : `${result.text}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`gdlab ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return isInputError(error) ? 2 : 1;
  }
}
