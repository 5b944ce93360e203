// Issue #12, findings 8 and 9 (and the CLI side of 3 and 4): the CLI against hostile data and
// hostile pipes. The data comes from the emulator or a fake server on loopback.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { CLI, runCli, runMain } from '../helpers/cli.js';
import { startServer } from '../helpers/clients.js';

const ESC = '\x1b';
const EVIL_NAME = `evil${ESC}]0;pwned\x07${ESC}[2J\rfake row`;
const FORMULA = `=HYPERLINK("http://attacker.example","click")`;
let emu: Emulator;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 300 }, latencyMs: 2 });
  emu.add('registry', { name: EVIL_NAME, description: FORMULA, url: `@SUM(1+1)\u202egnp.exe` });
  env = { SWR_ENDPOINT: emu.url, HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId, SWR_AUTH_TOKEN: emu.token };
});
afterAll(() => emu.close());

const list = (args: string[], extra: Record<string, string> = {}) =>
  runMain(['list', '--instance-id', emu.instanceId, ...args], { ...env, NO_COLOR: '1', ...extra });

describe('8. terminal injection', () => {
  it('a table shows control and direction characters as visible escapes', async () => {
    const r = await list(['--all', '-o', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J\\rfake row');
    expect(r.stdout).toContain('\\u202egnp.exe');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(302);
  });

  it('csv escapes them too, and neutralises cells that a spreadsheet would run as formulas', async () => {
    const r = await list(['--all', '-o', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
    const row = r.stdout.split('\r\n').find((line) => line.includes('evil'))!;
    expect(row).toContain(`"'=HYPERLINK(""http://attacker.example"",""click"")"`);
    expect(row).toContain("'@SUM(1+1)\\u202egnp.exe");
    expect(r.stdout.split('\r\n').every((line) => !/^[=+\-@]/.test(line))).toBe(true);
  });

  it('json keeps the data exact (JSON escapes control characters itself)', async () => {
    const r = await list(['--all', '-o', 'json']);
    const evil = JSON.parse(r.stdout).registries.find((x: { name: string }) => x.name.startsWith('evil'));
    expect(evil.name).toBe(EVIL_NAME);
    expect(r.stdout).not.toContain(ESC);
  });

  it('an error message from the server cannot forge a line or drive the terminal, even with --debug', async () => {
    const server = await startServer((_req, res) =>
      res
        .writeHead(400, { 'Content-Type': 'application/json', 'X-Request-Id': 'req-9' })
        .end(JSON.stringify({ error_code: `SVC${ESC}]0;x\x07`, error_msg: `bad\nerror: forged line${ESC}[2K` })),
    );
    try {
      for (const extra of [[], ['--debug']]) {
        const r = await runMain(['list', '--instance-id', 'i', ...extra], { ...env, SWR_ENDPOINT: server.url });
        expect(r.code).toBe(1);
        expect(r.stderr).not.toContain(ESC);
        expect(r.stderr).not.toContain('\x07');
        expect(r.stderr.split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
        expect(r.stderr).toContain('bad\\nerror: forged line\\x1b[2K');
      }
    } finally {
      await server.close();
    }
  });
});

describe('9. a pipe closed early', () => {
  it.each(['ndjson', 'csv', 'json'])('`list --all -o %s | head -1` ends quietly with status 0', async (format) => {
    const child = spawn(
      process.execPath,
      [CLI, 'list', '--instance-id', emu.instanceId, '--all', '-o', format, '--concurrency', '1'],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like `head -1`: read the first chunk, then close the reading end.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('3 and 4 in the CLI', () => {
  it('a token with a carriage return (a CRLF .env file) is refused naming the variable, never the value', async () => {
    const r = await list(['--limit', '1'], { SWR_AUTH_TOKEN: 'MII-CRLF-SECRET\r' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SWR_AUTH_TOKEN: must hold only visible ASCII/);
    expect(r.stderr).not.toContain('MII-CRLF-SECRET');
  });

  it('a secret echoed by the server never reaches stderr, with or without --debug', async () => {
    const SECRET = 'MII-ECHO-CLI-SECRET';
    const server = await startServer((_req, res) =>
      res
        .writeHead(401, { 'Content-Type': 'application/json', 'X-Request-Id': SECRET })
        .end(JSON.stringify({ error_code: 'APIGW.0301', error_msg: `token ${SECRET} expired`, request_id: SECRET })),
    );
    try {
      for (const extra of [[], ['--debug']]) {
        const r = await runMain(['list', '--instance-id', 'i', ...extra], {
          ...env,
          SWR_ENDPOINT: server.url,
          SWR_AUTH_TOKEN: SECRET,
        });
        expect(r.code).toBe(1);
        expect(r.stderr + r.stdout).not.toContain(SECRET);
      }
    } finally {
      await server.close();
    }
  });
});
