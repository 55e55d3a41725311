/**
 * The `gdlab` command. Every command prints exactly one JSON object on stdout
 * with --json (numbers that are not finite as the strings "NaN", "Infinity",
 * "-Infinity"); errors go to stderr as one line, with exit code 2 for bad
 * input and 1 for anything unexpected.
 */
import { FormulaError } from '../formula/parse';
import { UsageError } from './args';
import { GRADIENT_HELP, gradientCommand } from './commands/gradient';
import { MINIMIZE_HELP, minimizeCommand } from './commands/minimize';
import { FIT_HELP, fitCommand } from './commands/fit';
import { DatasetError } from '../data/table';
import { EXPORT_HELP, RUN_HELP, exportCommand, runCommand } from './commands/session';
import { SessionError } from '../session/open';

export interface CommandResult {
  json: unknown;
  text: string;
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Command = (argv: readonly string[]) => CommandResult | Promise<CommandResult>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  gradient: { run: gradientCommand, help: GRADIENT_HELP },
  minimize: { run: minimizeCommand, help: MINIMIZE_HELP },
  fit: { run: fitCommand, help: FIT_HELP },
  run: { run: runCommand, help: RUN_HELP },
  export: { run: exportCommand, help: EXPORT_HELP },
};

const USAGE = `Gradient Descent Lab, headless.

${Object.values(COMMANDS).map((c) => c.help).join('\n\n')}

Run "gdlab COMMAND --help" for one command.`;

/** JSON in which NaN, Infinity and −Infinity are the strings "NaN", "Infinity" and "-Infinity" (JSON.stringify would write null). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

function isInputError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof FormulaError || error instanceof RangeError || error instanceof DatasetError || error instanceof SessionError;
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
    const result = await command.run(rest);
    io.stdout(rest.includes('--json') ? `${toJson(result.json)}\n` : `${result.text}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`gdlab ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return isInputError(error) ? 2 : 1;
  }
}
