// How a command is called: its flags parsed with node:util's parseArgs, and every mistake in one
// UsageError (exit code 2) that lists each problem, naming its flag, its file key or its variable,
// with a "did you mean" where a known word is near.
import { parseArgs } from 'node:util';
import { didYouMean } from './suggest.js';

/** A mistake in how the command was called: exit code 2, every problem named. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Every problem, one line each; the message is the first. */
  readonly problems: readonly string[];
  /** Whose `--help` to suggest: a command and a space, or '' for the top-level help (default: the command's own). */
  readonly help: string | undefined;

  constructor(problems: string | readonly string[], options: { help?: string } = {}) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list[0] ?? 'usage error');
    this.problems = list;
    this.help = options.help;
  }
}

/** What a command needs of the process, so tests and the demo run commands in process. */
export interface Io {
  stdout: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };
  stderr: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** For a secret piped in, or a question on a terminal. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Aborted on Ctrl-C (bin.ts): long commands stop and exit 130. */
  signal?: AbortSignal;
}

/** A flag: a string, a boolean, or a string given again and again. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Accepted but not listed (an old spelling kept for a release): its value goes to `canonical`. */
  alias?: string;
}

export type Flags = Record<string, FlagSpec>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses the arguments against the flags. Every unknown flag, flag without its value and boolean
 * given a value is a problem: they are thrown together, or added to `collect` for the caller to
 * report with its own. Hidden aliases land under their flag.
 */
export function parse(args: string[], flags: Flags, collect?: string[]): { values: Values; positionals: string[] } {
  const options: Flags = { ...flags, help: { type: 'boolean', short: 'h' } };
  const { values, positionals, tokens } = parseArgs({
    args,
    options: Object.fromEntries(
      Object.entries(options).map(([name, f]) => [
        name,
        { type: f.type, ...(f.short && { short: f.short }), ...(f.multiple && { multiple: true }) },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const problems: string[] = [];
  // A word after an unknown flag was probably its value, not an argument of the command.
  const orphaned = new Set<number>();
  const known = Object.entries(options)
    .filter(([, f]) => !('alias' in f && f.alias))
    .map(([name]) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = options[token.name];
    const written = token.rawName;
    if (!flag) {
      problems.push(`unknown flag ${written}${didYouMean(`--${token.name}`, known, (w) => w)}`);
      if (!token.inlineValue) orphaned.add(token.index + 1);
      continue;
    }
    // Without strict parsing, `--name --all` makes `--all` the name: a value that looks like a flag was not meant as one.
    const swallowed = typeof token.value === 'string' && !token.inlineValue && token.value.startsWith('-');
    if (flag.type === 'string' && (token.value === undefined || swallowed))
      problems.push(`${written} needs a value (for one that starts with "-", write ${written}=-value)`);
    if (flag.type === 'boolean' && token.inlineValue) problems.push(`${written} takes no value`);
  }
  if (problems.length > 0 && !collect) throw new UsageError(problems);
  collect?.push(...problems);
  const out: Values = {};
  for (const [name, value] of Object.entries(values as Record<string, Values[string]>)) {
    const target = options[name]?.alias ?? name;
    const current = out[target];
    out[target] = Array.isArray(current) && Array.isArray(value) ? [...current, ...value] : (value as Values[string]);
  }
  const kept = tokens
    .filter((t) => t.kind === 'positional' && !orphaned.has(t.index))
    .map((t) => (t as { value: string }).value);
  return { values: out, positionals: kept };
}

/** A whole number from a flag, or a problem naming the flag. */
export function integerFlag(
  name: string,
  value: unknown,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.push(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return Number(value);
}

/** One of a few words, or a problem naming the flag, the choices and the nearest. */
export function choiceFlag<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
  problems: string[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    problems.push(
      `--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})${didYouMean(String(value), choices)}`,
    );
    return undefined;
  }
  return value as T;
}
