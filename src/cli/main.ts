#!/usr/bin/env node
// The `swr-registries` command: list, emulator, docs (and demo, which `npm start` runs).
import { readFileSync } from 'node:fs';
import { SwrApiError } from '../errors.js';
import { DOCS_HELP, serveDocs } from './docs.js';
import { runDemo } from './demo.js';
import { startEmulatorCommand } from './emulator.js';
import { runList } from './list.js';
import { integerFlag, parse, UsageError, type Io } from './usage.js';

const HELP = `Usage: swr-registries <command> [options]

A client for Huawei Cloud SWR Enterprise Edition's image-replication registries.

Commands:
  list        list an instance's replication target registries (AK/SK or token auth)
  emulator    serve a local emulator of the API, with ready-to-paste credentials
  docs        serve the offline API docs on 127.0.0.1
  demo        start the emulator, list its registries through the client, exit

Run \`swr-registries <command> --help\` for a command's options.
Options: -h, --help; -v, --version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Keeps a server command alive until Ctrl-C or SIGTERM, then closes it. */
function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => void close().then(() => resolve(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'list':
        return await runList(rest, io);
      case 'emulator': {
        const emu = await startEmulatorCommand(rest, io);
        return emu ? await untilSignal(() => emu.close()) : 0;
      }
      case 'docs': {
        const { values } = parse(rest, { port: { type: 'string' }, host: { type: 'string' } });
        if (values.help) {
          io.stdout.write(DOCS_HELP);
          return 0;
        }
        const docs = await serveDocs({
          port: integerFlag('port', values.port, 0, 65535) ?? 8081,
          host: values.host ?? '127.0.0.1',
        });
        io.stdout.write(`API docs on ${docs.url} (Ctrl-C stops)\n`);
        return await untilSignal(() => docs.close());
      }
      case 'demo':
        return await runDemo(io);
      case '-v':
      case '--version':
        io.stdout.write(`${version()}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (commands: list, emulator, docs, demo)`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `error: ${error.message}\nRun \`swr-registries ${command && !command.startsWith('-') ? `${command} ` : ''}--help\` for usage.\n`,
      );
      return 2;
    }
    if (error instanceof SwrApiError) {
      io.stderr.write(`error: ${error.message}\n`);
      if (debug) io.stderr.write(`${error.stack}\n`);
      return 1;
    }
    const err = error as NodeJS.ErrnoException;
    io.stderr.write(
      `error: ${err?.code === 'EADDRINUSE' ? `address in use: ${err.message}` : (err?.message ?? String(error))}\n`,
    );
    if (debug) io.stderr.write(`${err?.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
