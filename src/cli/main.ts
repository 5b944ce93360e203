// The `swr-registries` command as a function: `main(argv, io)` runs one command and resolves to
// its exit code (0 success, 1 an API or network failure, 2 a usage error, 130 interrupted), with
// every message from a server escaped before it reaches the terminal. The commands are the spec's
// operations (`registry list`, `policy run`...), grouped by noun, plus `emulator`, `docs` and
// `demo`. Importing this module runs nothing: bin.ts is the executable.
import { readFileSync } from 'node:fs';
import { SwrApiError } from '../errors.js';
import { runDemo } from './demo.js';
import { runDocs } from './docs.js';
import { runEmulator } from './emulator.js';
import { operationCommands, type Command } from './operation-command.js';
import { flagName } from './flags.js';
import { OPERATIONS } from '../spec/table.js';
import { didYouMean } from './suggest.js';
import { visible } from './terminal.js';
import { UsageError, type Io } from './usage.js';

export type { Io } from './usage.js';

const BUILT_IN: Command[] = [
  { name: 'emulator', summary: 'serve a local emulator of the API, with ready-to-paste credentials', run: runEmulator },
  { name: 'docs', summary: 'serve the offline API docs on 127.0.0.1', run: runDocs },
  {
    name: 'demo',
    summary: 'start the emulator, use every part of the API through the client, exit',
    run: (_a, io) => runDemo(io),
  },
];

let table: { commands: Command[]; byName: Map<string, Command>; nouns: string[] } | undefined;
/** The commands, built on first use from the spec. */
function commands() {
  if (table) return table;
  const all = [...operationCommands(), ...BUILT_IN];
  const byName = new Map<string, Command>();
  for (const c of all) {
    byName.set(c.name, c);
    if (c.alias) byName.set(c.alias, c);
  }
  const nouns = [...new Set(all.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];
  return (table = { commands: all, byName, nouns });
}

function helpText(): string {
  const { commands: all, nouns } = commands();
  const line = (c: Command) => `  ${c.name.padEnd(22)}  ${c.summary}`;
  const groups = nouns.map((noun) =>
    all
      .filter((c) => c.name.startsWith(`${noun} `))
      .map(line)
      .join('\n'),
  );
  const shortcuts = all
    .filter((c) => c.alias)
    .map((c) => `${c.alias} = ${c.name}`)
    .join(', ');
  // Parameters a variable may give (`x-cli-env`): set once, not on every command.
  const fromEnv = [
    ...new Map(
      OPERATIONS.flatMap((op) => op.parameters)
        .filter((p) => p.env)
        .map((p) => [p.env!, p]),
    ).values(),
  ]
    .map((p) => `$${p.env} gives ${flagName(p.name)} (the flag beats it)`)
    .join('; ');
  return `Usage: swr-registries <noun> <verb> [arguments] [options]

A client for Huawei Cloud SWR Enterprise Edition's image replication: target registries,
replication policies and their executions.

Commands:
${groups.join('\n\n')}

${BUILT_IN.map(line).join('\n')}

Shortcuts kept for scripts: ${shortcuts}.
Variables: ${fromEnv}; credentials and endpoint as each command's --help says.
Run \`swr-registries <noun> <verb> --help\` for a command's options.
Options: -h, --help; -v, --version
`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command that the arguments name, and the arguments left for it. */
function find(argv: string[]): { command: Command; rest: string[] } {
  const { byName, nouns, commands: all } = commands();
  const [first = '', second, ...rest] = argv;
  const two = second !== undefined ? byName.get(`${first} ${second}`) : undefined;
  if (two) return { command: two, rest };
  const one = byName.get(first);
  if (one && !nouns.includes(first)) return { command: one, rest: argv.slice(1) };
  if (nouns.includes(first)) {
    const verbs = all.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.split(' ')[1]!);
    const what =
      second === undefined || second.startsWith('-')
        ? 'give a verb'
        : `unknown command "${first} ${visible(second)}"${didYouMean(second, verbs)}`;
    throw new UsageError(`${what} (${first}: ${verbs.join(', ')})`, { help: '' });
  }
  const names = [...new Set([...nouns, ...byName.keys()].filter((n) => !n.includes(' ')))];
  throw new UsageError(
    `unknown command ${JSON.stringify(visible(first))}${didYouMean(first, names, (n) => `\`${n}\``)} (commands: ${names.join(', ')})`,
    {
      help: '',
    },
  );
}

/** Writes how the command ended to stderr; returns the exit code. */
function report(error: unknown, command: Command | undefined, io: Io, debug: boolean): number {
  if (error instanceof UsageError) {
    for (const problem of error.problems) io.stderr.write(`error: ${visible(problem)}\n`);
    const help = error.help ?? (command ? `${command.name} ` : '');
    io.stderr.write(`Run \`swr-registries ${help}--help\` for usage.\n`);
    return 2;
  }
  const err = error as NodeJS.ErrnoException;
  const message =
    error instanceof SwrApiError
      ? error.message
      : err?.code === 'EADDRINUSE'
        ? `address in use: ${err.message}; choose another with --port, or --port 0 for any free one`
        : (err?.message ?? String(error));
  io.stderr.write(`error: ${visible(message)}\n`);
  if (debug && err?.stack) {
    // The frames alone, line by line: the message (the server's words) is escaped above.
    const header = `${err.name}: ${err.message}`;
    const frames = err.stack.startsWith(header) ? err.stack.slice(header.length) : err.stack;
    io.stderr.write(`${frames.split('\n').map(visible).join('\n').replace(/^\n/, '')}\n`);
  }
  return 1;
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let command: Command | undefined;
  try {
    const [first] = argv;
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.stdout.write(helpText());
      return 0;
    }
    if (first === '-v' || first === '--version') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const found = find(argv);
    command = found.command;
    return await found.command.run(found.rest, io);
  } catch (error) {
    return report(error, command, io, argv.includes('--debug'));
  }
}
