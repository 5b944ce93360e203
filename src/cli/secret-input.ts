// What a user hands the CLI besides flags: a body file, and secrets from a file, standard input or
// a variable. Every read is capped (a FIFO or /dev/zero cannot grow the process), text is decoded
// as a stream (a character split across reads stays one character), and a secret typed on a
// terminal is asked for on stderr with echo off, as `ssh` and `docker login` do.
import { open, stat } from 'node:fs/promises';
import type { Io } from './usage.js';

/** The most a body file may hold. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** The most a secret may hold. */
export const MAX_SECRET_BYTES = 64 * 1024;

/** A stream's text, decoded as a stream, or `too_large` past `max` bytes. */
export async function readStream(stream: AsyncIterable<unknown>, max: number): Promise<string | 'too_large'> {
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > max) return 'too_large';
    text += decoder.decode(bytes, { stream: true });
  }
  return text + decoder.decode();
}

/** A file's text, read in pieces up to `max` bytes: a FIFO or a device is read the same way. */
export async function readFileCapped(path: string, max: number): Promise<string | 'too_large'> {
  const handle = await open(path, 'r');
  try {
    return await readStream(handle.createReadStream({ highWaterMark: 64 * 1024 }), max);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);
// A trailing newline is the file's or the terminal's, not the secret's.
const trim = (text: string) => text.replace(/\r?\n$/, '');

/** Asks for a secret on a terminal: the prompt on stderr, echo off, Enter to end, Ctrl-C to give up. */
function prompt(io: Io, question: string): Promise<string | undefined> {
  const stdin = io.stdin!;
  io.stderr.write(question);
  return new Promise((resolve) => {
    let text = '';
    stdin.setRawMode?.(true);
    const done = (value: string | undefined) => {
      stdin.setRawMode?.(false);
      stdin.removeListener('data', onData);
      (stdin as { pause?: () => void }).pause?.();
      io.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const c of String(chunk)) {
        if (c === '\r' || c === '\n') return done(text);
        if (c === '\u0003' || c === '\u0004') return done(undefined); // Ctrl-C, Ctrl-D
        if (c === '\u007f' || c === '\b') text = text.slice(0, -1);
        else if (text.length < MAX_SECRET_BYTES) text += c;
      }
    };
    stdin.on('data', onData);
    (stdin as { resume?: () => void }).resume?.();
  });
}

/** A secret from its file, standard input or variable, with its source; problems for a wrong one. */
export async function readSecret(
  flag: string,
  variable: string,
  values: Record<string, unknown>,
  io: Io,
  problems: string[],
): Promise<{ value: string; source: string } | undefined> {
  const file = values[`${flag}-file`] as string | undefined;
  const fromStdin = values[`${flag}-stdin`] === true;
  if (file !== undefined && fromStdin) {
    problems.push(`give --${flag}-file or --${flag}-stdin, not both`);
    return undefined;
  }
  if (file !== undefined) {
    try {
      const info = await stat(file);
      if (info.isFile() && (info.mode & 0o077) !== 0)
        io.stderr.write(
          `warning: ${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); ssh would refuse such a key file: chmod 600 ${file}\n`,
        );
      const text = await readFileCapped(file, MAX_SECRET_BYTES);
      if (text === 'too_large') {
        problems.push(`--${flag}-file: ${file} holds more than ${size(MAX_SECRET_BYTES)}, too much for a secret`);
        return undefined;
      }
      return { value: trim(text), source: `--${flag}-file` };
    } catch (error) {
      problems.push(`--${flag}-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }
  if (fromStdin) {
    const stdin = io.stdin ?? process.stdin;
    if (stdin.isTTY) {
      const typed = await prompt(io, `${flag.replace(/-/g, ' ')}: `);
      if (typed === undefined) {
        problems.push(`--${flag}-stdin: nothing was typed`);
        return undefined;
      }
      return { value: typed, source: `--${flag}-stdin` };
    }
    const text = await readStream(stdin as AsyncIterable<unknown>, MAX_SECRET_BYTES);
    if (text === 'too_large') {
      problems.push(`--${flag}-stdin: standard input holds more than ${size(MAX_SECRET_BYTES)}, too much for a secret`);
      return undefined;
    }
    return { value: trim(text), source: `--${flag}-stdin` };
  }
  const fromEnv = io.env[variable];
  return fromEnv ? { value: fromEnv, source: `$${variable}` } : undefined;
}
