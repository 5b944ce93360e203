#!/usr/bin/env node
// The `swr-registries` executable: main() with this process's streams, environment and Ctrl-C.
// A reader that stops early (`| head`) closes the pipe: that is the end of the output, not an
// error. A second Ctrl-C ends the process at once.
import { main } from './main.js';

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    // A full disk or a closed terminal: say so in one line, never a stack trace.
    process.stderr.write(`error: cannot write the output (${error.code ?? error.message})\n`);
    process.exit(1);
  });
}

const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new DOMException('interrupted', 'AbortError'));
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
  signal: interrupt.signal,
});
