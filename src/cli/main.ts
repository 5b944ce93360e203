#!/usr/bin/env node
// The `swr-registries` command: one table of commands, one way of ending (exit codes 0, 1, 2),
// and every message from a server escaped before it reaches the terminal.
import { readFileSync } from 'node:fs';
import { SwrApiError } from '../errors.js';
import { runDemo } from './demo.js';
import { runDocs } from './docs.js';
import { runEmulator } from './emulator.js';
import { runList } from './list.js';
import { runCreate, runDelete, runGet, runUpdate } from './registry.js';
import { visible } from './terminal.js';
import { UsageError, type Io } from './usage.js';

interface Command {
  summary: string;
  run: (args: string[], io: Io) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  list: { summary: "list an instance's replication target registries (AK/SK or token auth)", run: runList },
  get: { summary: 'show one registry by ID', run: runGet },
  create: { summary: 'create a registry from flags or a JSON/YAML file (safe to repeat)', run: runCreate },
  update: { summary: "change a registry's settings (the secret is sent again)", run: runUpdate },
  delete: { summary: 'delete a registry (asks on a terminal, --yes otherwise)', run: runDelete },
  emulator: { summary: 'serve a local emulator of the API, with ready-to-paste credentials', run: runEmulator },
  docs: { summary: 'serve the offline API docs on 127.0.0.1', run: runDocs },
  demo: {
    summary: 'start the emulator, list its registries through the client, exit',
    run: (_args, io) => runDemo(io),
  },
};

const HELP = `Usage: swr-registries <command> [options]

A client for Huawei Cloud SWR Enterprise Edition's image-replication registries.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}  ${c.summary}`)
  .join('\n')}

Run \`swr-registries <command> --help\` for a command's options.
Options: -h, --help; -v, --version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** An unknown command, with the nearest known one offered. */
function unknownCommand(command: string): UsageError {
  const names = Object.keys(COMMANDS);
  // Two edits for a word of four letters or more; one for a shorter one, or `lst` would offer `get`.
  const most = command.length <= 3 ? 1 : 2;
  const near = names.filter((name) => distance(command, name) <= most || name.startsWith(command));
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
  return new UsageError(`unknown command ${JSON.stringify(command)}${hint} (commands: ${names.join(', ')})`, {
    help: '',
  });
}

/** Writes how the command ended to stderr; returns the exit code. */
function report(error: unknown, command: string | undefined, io: Io, debug: boolean): number {
  if (error instanceof UsageError) {
    const help = error.help ?? (command && COMMANDS[command] ? `${command} ` : '');
    io.stderr.write(`error: ${visible(error.message)}\nRun \`swr-registries ${help}--help\` for usage.\n`);
    return 2;
  }
  const err = error as NodeJS.ErrnoException & { port?: number };
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
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const found = COMMANDS[command];
    if (!found) throw unknownCommand(command);
    return await found.run(rest, io);
  } catch (error) {
    return report(error, command, io, argv.includes('--debug'));
  }
}

// A reader that stops early (`| head`) closes the pipe: that is the end of the output, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
});
