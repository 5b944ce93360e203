import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: exit code 2, with the offending flag named. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Whose `--help` to suggest: a command and a space, or '' for the top-level help (default: the command's own). */
  readonly help: string | undefined;

  constructor(message: string, options: { help?: string } = {}) {
    super(message);
    this.help = options.help;
  }
}

/** What a command needs of the process, so tests and the demo can run commands in-process. */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** For a secret piped in, or a question on a terminal. */
  stdin?: NodeJS.ReadStream;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<T extends Options> = T & { help: { type: 'boolean'; short: 'h' } };
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<T>; strict: true; allowPositionals: false }>
>;

/** parseArgs, strict, with its errors turned into UsageErrors that name the flag. */
export function parse<T extends Options>(args: string[], options: T): Parsed<T>;
/** The same, with arguments that are not flags (a registry ID) returned as `positionals`. */
export function parse<T extends Options>(
  args: string[],
  options: T,
  positionals: true,
): Parsed<T> & { positionals: string[] };
export function parse<T extends Options>(args: string[], options: T, positionals = false): Parsed<T> {
  try {
    const config = {
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<T>,
      strict: true as const,
      allowPositionals: positionals as false,
    };
    return parseArgs(config);
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? /option '([^']+)'/.exec(message)?.[1];
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag ${flag ?? message}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`unexpected argument: ${message.replace(/^Unexpected argument '([^']+)'.*/s, '$1')}`);
    // parseArgs' own words name its internals ("argument is ambiguous"); say what to do instead.
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
      const bare = flag.replace(/^(-{1,2}[^ ]+?)(?: <value>)?$/, '$1');
      if (/ambiguous|argument missing/.test(message))
        throw new UsageError(`${bare} needs a value (for one that starts with "-", write ${bare}=-value)`);
      if (/does not take an argument/.test(message)) throw new UsageError(`${bare} takes no value`);
    }
    throw new UsageError(message.split('\n')[0]!.replace(/\.$/, ''));
  }
}

/** A whole number from a flag, or a UsageError naming the flag. */
export function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return Number(value);
}

/** One of a few words, or a UsageError naming the flag and the choices. */
export function choiceFlag<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}
