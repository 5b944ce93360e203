import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The built CLI; `npm test` builds before running the suite. */
export const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion with a clean environment plus `env`, and `input` piped to its stdin. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running CLI command and resolves once its stdout shows `ready`. */
export function startCli(args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const started = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (ready.test(stdout)) resolve(stdout);
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before ready: ${stdout}${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, started, exited, output: () => ({ stdout, stderr }) };
}

/** What a command in process needs to look like a terminal, or a pipe. */
export interface InProcess {
  /** Text piped to standard input. */
  input?: string;
  /** Whether stdout, stderr and stdin are terminals (default: pipes). */
  tty?: boolean;
  signal?: AbortSignal;
}

/**
 * Runs the CLI's main() in this process, as the binary would with a clean environment plus
 * `env`: no build, no process per test. Resolves to the exit code and what it wrote.
 */
export async function runMain(
  args: string[],
  env: Record<string, string> = {},
  options: InProcess = {},
): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const tty = options.tty === true;
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]) as Readable & {
    isTTY?: boolean;
  };
  stdin.isTTY = tty;
  const code = await main(args, {
    stdout: { write: (text: string | Uint8Array) => ((stdout += String(text)), true), isTTY: tty },
    stderr: { write: (text: string | Uint8Array) => ((stderr += String(text)), true), isTTY: tty },
    env: { PATH: process.env.PATH ?? '', ...env },
    stdin,
    ...(options.signal && { signal: options.signal }),
  });
  return { code, stdout, stderr };
}
