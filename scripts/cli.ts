import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/**
 * The command line of every command of this project (npm run lrs, report, conformance, bench:*),
 * read one way: `--help` (or `-h`) prints the usage and exits 0 before anything starts; an
 * unknown option, a missing value or a stray argument prints one line naming it and exits 2,
 * never a stack trace. Options are read by node:util parseArgs in strict mode.
 */

/** A command's name as typed (e.g. "npm run report") and its usage text, printed for --help. */
export interface CommandInfo {
  /** How the command is run, e.g. "npm run report"; starts each error line. */
  name: string;
  /** The whole usage text: synopsis, options, what the command does. */
  usage: string;
}

/** What parseArgs returns for a config T, read strictly from an argument list. */
type Parsed<T extends Omit<ParseArgsConfig, 'args' | 'strict'>> = ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>>;

/** A command-line mistake: one line naming the option or value at fault. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Whether the arguments ask for help: `--help` or `-h` before any `--` terminator.
 * @param args the arguments after the script, e.g. process.argv.slice(2)
 */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Parse arguments strictly, turning parseArgs's errors into a UsageError of one line.
 * @param args the arguments, e.g. process.argv.slice(2)
 * @param config parseArgs's options (and allowPositionals); `strict` is always true
 * @returns parseArgs's result
 * @throws UsageError for an unknown option (ERR_PARSE_ARGS_UNKNOWN_OPTION), an option without its
 *   value or with one it takes none of (ERR_PARSE_ARGS_INVALID_OPTION_VALUE), a positional
 *   argument the command takes none of (ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL)
 * Source: Node.js documentation of util.parseArgs (strict mode and its error codes).
 */
export function parseCommandArgs<const T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(args: readonly string[], config: T): Parsed<T> {
  try {
    return parseArgs({ ...config, args: [...args], strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(describeParseError(code, (error as Error).message));
    }
    throw error;
  }
}

/**
 * Read a command's arguments: print the usage and exit 0 on --help; print one line and exit 2 on
 * a usage error. Call it first thing, before the command starts anything.
 * @param info the command's name and usage
 * @param config parseArgs's options (and allowPositionals); `strict` is always true
 * @param args the arguments (default process.argv.slice(2))
 * @returns parseArgs's result
 */
export function readCommandLine<const T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  info: CommandInfo,
  config: T,
  args: readonly string[] = process.argv.slice(2),
): Parsed<T> {
  if (wantsHelp(args)) {
    console.log(info.usage);
    process.exit(0);
  }
  try {
    return parseCommandArgs(args, config);
  } catch (error) {
    if (error instanceof UsageError) {
      usageError(info, error.message);
    }
    throw error;
  }
}

/**
 * End the command for a bad value: one line on stderr naming it, exit code 2.
 * @param info the command's name and usage
 * @param message what is wrong and what is accepted, e.g. `--format must be csv or json, not "xml"`
 */
export function usageError(info: CommandInfo, message: string): never {
  console.error(`${info.name}: ${message} (${info.name} -- --help shows the usage)`);
  process.exit(2);
}

/** parseArgs's message, cut to its first sentence (the rest suggests a `--` that rarely helps). */
function describeParseError(code: string, message: string): string {
  const first = message.split(/\.\s/)[0] ?? message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(first)?.[1];
    return option === undefined ? first : `unknown option ${option}`;
  }
  return first.replace(/\.$/, '');
}
