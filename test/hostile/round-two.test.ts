// Issue 23, hostile input round two: each finding, numbered as the issue numbers it, pinned by
// a test against a loopback server, the emulator or the CLI (main() in process, with its io).
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createSwrClient, SwrApiError, SwrValidationError } from '../../src/index.js';
import { CLI, runMain } from '../helpers/cli.js';
import { clientAt, clientFor, harbor, startServer } from '../helpers/clients.js';

const TOKEN = 'round-two-TOKEN-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'swr-round-two-'));
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function server(handler: Parameters<typeof startServer>[0]) {
  const s = await startServer(handler);
  closers.push(() => s.close());
  return s;
}
async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const emu = await startEmulator({ tokens: [{ token: TOKEN }], ...options });
  closers.push(() => emu.close());
  return emu;
}
/** The CLI against an endpoint, with the round's token. */
const cli = (url: string, args: string[], extra: Record<string, string> = {}, options = {}) =>
  runMain(
    args,
    { SWR_ENDPOINT: url, HUAWEICLOUD_SDK_PROJECT_ID: 'p1', SWR_AUTH_TOKEN: TOKEN, SWR_INSTANCE_ID: 'i1', ...extra },
    options,
  );
/** The environment that points the CLI at an emulator of this round. */
const envOf = (emu: Emulator) => ({
  SWR_ENDPOINT: emu.url,
  HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
  SWR_AUTH_TOKEN: TOKEN,
  SWR_INSTANCE_ID: emu.instanceId,
});
/** `registry create` of a target whose secret comes from standard input. */
const createFromStdin = (name: string) => [
  ...['registry', 'create', '--name', name, '--type', 'huawei-SWR', '--url', `https://${name}.example.com`],
  ...['--credential-access-key', 'k', '--access-secret-stdin', '--insecure', 'true', '-o', 'json'],
];
const registry = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `r${id}`,
  type: 'swr-pro',
  url: 'https://r.example.com',
  ...extra,
});

describe('1. a secret in a long error body is blanked before the body is cut or collapsed', () => {
  it('neither a token crossing the cut nor a spaced secret leaks, not even in part', async () => {
    const spaced = 'pa  ss  word-0001';
    const s = await server((_req, res) => {
      // Plain text, not JSON: whitespace collapsed and cut to 200 characters for the message.
      const text = `${'x'.repeat(190)} ${TOKEN} then ${spaced} and more ${'y'.repeat(300)}`;
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(text);
    });
    const swr = clientAt(s.url, { auth: { token: TOKEN }, retry: false });
    const body = { ...harbor('leaky'), credential: { type: 'basic' as const, access_key: 'k', access_secret: spaced } };
    const error = (await swr.createRegistry('i', body).catch((e: unknown) => e)) as SwrApiError;
    expect(error).toBeInstanceOf(SwrApiError);
    const shown = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
    for (const prefix of [TOKEN.slice(0, 10), 'pa ss word', 'pa  ss  word']) expect(shown).not.toContain(prefix);
  });
});

describe('2. every command writes every format through the same writers', () => {
  it('create -o csv neutralises a formula and escapes control bytes in its result line', async () => {
    const emu = await emulator();
    const r = await runMain(
      [
        'registry',
        'create',
        '--name',
        '=HYPERLINK("x")\u0007',
        '--type',
        'swr-pro',
        '--url',
        'https://f.example.com',
        '--credential-access-key',
        'k',
        '--insecure',
        'false',
        '--dns-conf-hosts',
        'f.example.com=192.0.2.1',
        '-o',
        'csv',
      ],
      { ...envOf(emu), SWR_REGISTRY_ACCESS_SECRET: 's3cret-0001' },
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\r\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((line) => !/^[=+\-@]/.test(line) && !/,[=+\-@]/.test(line))).toBe(true);
    expect(r.stdout).not.toContain('\u0007');
  });
});

describe('3. "found" only when every setting sent is what the service holds', () => {
  it('a Harbor-style answer that leaves zero values out is compared as zero: a conflict, named', async () => {
    const emu = await emulator({ harborStyle: true });
    // There before: insecure false, no DNS pin; the answers leave both out.
    emu.add('registry', {
      name: 'pinned',
      type: 'swr-pro',
      url: 'https://pinned.example.com',
      insecure: false,
      dns_conf: undefined,
    });
    const swr = clientFor(emu, { auth: { token: TOKEN } });
    const wanted = { ...harbor('pinned'), url: 'https://pinned.example.com', insecure: true };
    const error = await swr.createRegistry(emu.instanceId, wanted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error).toMatchObject({ kind: 'conflict' });
    expect((error as Error).message).toMatch(/already exists \(id \d+\) with other settings: .*insecure/);
    expect((error as Error).message).toMatch(/dns_conf/);
  });
});

describe('4. deep nesting', () => {
  const deep = (levels: number) => {
    let value: unknown = '192.0.2.1';
    for (let i = 0; i < levels; i++) value = { a: value };
    return value;
  };
  it('a 6 000-level body is refused by the emulator with 400, and its lists go on answering', async () => {
    const emu = await emulator({ items: { registry: 2 } });
    const base = `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`;
    // Written out by hand: JSON.stringify itself runs out of stack on it.
    const nested = `${'{"a":'.repeat(6000)}"192.0.2.1"${'}'.repeat(6000)}`;
    const body = JSON.stringify({ ...harbor('deep'), dns_conf: { hosts: '@' } }).replace('"@"', nested);
    const created = await fetch(base, {
      method: 'POST',
      headers: { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' },
      body,
    });
    expect(created.status).toBe(400);
    expect((await created.json()).error_msg).toMatch(/must not nest deeper than 32 levels/);
    const list = await fetch(`${base}?limit=10&offset=0`, { headers: { 'X-Auth-Token': TOKEN } });
    expect(list.status).toBe(200);
  });

  it('the client refuses it before sending', async () => {
    const s = await server((_req, res) => res.writeHead(201).end('{"id":1}'));
    const error = await clientAt(s.url)
      .createRegistry('i', { ...harbor('deep'), dns_conf: { hosts: deep(6000) } } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwrValidationError);
    expect(s.requests).toBe(0);
  });
});

describe('5. a secret is masked whatever value it holds', () => {
  it.each([
    ['an array', ['pw-array-0001']],
    ['an object', { value: 'pw-object-0001' }],
    ['a number', 424242424242],
  ])('get -o json and list -o ndjson never print a secret answered as %s', async (_what, secret) => {
    const answer = registry(1, { credential: { type: 'basic', access_key: 'k', access_secret: secret } });
    const s = await server((req, res) => {
      const body = req.url!.includes('/registries/') ? answer : { total: 1, registries: [answer] };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    for (const args of [
      ['registry', 'get', '1', '-o', 'json'],
      ['registry', 'list', '-o', 'ndjson'],
    ]) {
      const r = await cli(s.url, args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(
        String(Array.isArray(secret) ? secret[0] : typeof secret === 'object' ? secret.value : secret),
      );
    }
  });
});

describe('6. a request signature echoed by the server is blanked', () => {
  it("in the error message and on the CLI's stderr", async () => {
    const s = await server((req, res) => {
      res
        .writeHead(400, { 'Content-Type': 'application/json' })
        .end(
          JSON.stringify({ error_code: 'SVCSTG.SWR.4000014', error_msg: `bad request: ${req.headers.authorization}` }),
        );
    });
    const swr = createSwrClient({
      endpoint: s.url,
      projectId: 'p1',
      auth: { accessKey: 'AKROUNDTWO0000000001', secretKey: 'round-two-secret-key-0001' },
      retry: false,
    });
    const error = (await swr.listRegistries('i').catch((e: unknown) => e)) as SwrApiError;
    expect(error.message).toMatch(/Signature=/);
    expect(error.message).not.toMatch(/Signature=[0-9a-f]{16}/);
    const r = await runMain(['registry', 'list'], {
      SWR_ENDPOINT: s.url,
      HUAWEICLOUD_SDK_PROJECT_ID: 'p1',
      HUAWEICLOUD_SDK_AK: 'AKROUNDTWO0000000001',
      HUAWEICLOUD_SDK_SK: 'round-two-secret-key-0001',
      SWR_INSTANCE_ID: 'i1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/Signature=[0-9a-f]{16}/);
  });
});

describe('7. maxItems holds through the verification pass', () => {
  it('a walk that ends short of total and is read again delivers no more than maxItems', async () => {
    const s = await server((req, res) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      const offset = Number(q.get('offset'));
      const limit = Number(q.get('limit'));
      // Claims 1 000, but the pages after 200 come back empty: the walk ends short and verifies.
      const ids = offset >= 200 ? [] : Array.from({ length: limit }, (_, i) => offset + i + 1);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ total: 1000, registries: ids.map((id) => registry(id)) }));
    });
    const result = await clientAt(s.url).listAllRegistries('i', {}, { pageSize: 100, maxItems: 150 });
    expect(result.registries.length).toBeLessThanOrEqual(150);
  });
});

describe('9. CLI input is capped', () => {
  it('--from-file stops reading past 4 MiB with a clear error', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `name: x\ndescription: ${'a'.repeat(5 * 1024 * 1024)}\n`);
    const r = await cli('http://127.0.0.1:9', ['registry', 'create', '--from-file', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from-file: .*larger than 4 MiB/);
  });

  it('--access-secret-stdin stops reading past 64 KiB, and nothing is sent', async () => {
    const s = await server((_req, res) => res.writeHead(201).end('{"id":1}'));
    const input = 'x'.repeat(1024 * 1024);
    const r = await cli(
      s.url,
      [
        'registry',
        'create',
        '--name',
        'capped',
        '--type',
        'huawei-SWR',
        '--url',
        'https://c.example.com',
        '--credential-access-key',
        'k',
        '--access-secret-stdin',
        '--insecure',
        'true',
      ],
      {},
      { input },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--access-secret-stdin: standard input holds more than 64 KiB/);
    expect(s.requests).toBe(0);
  });
});

describe('10. a secret from standard input is decoded as a stream', () => {
  it('a UTF-8 character split across two reads arrives whole', async () => {
    const emu = await emulator();
    const secret = 'päss-wörd-€-0001';
    const bytes = Buffer.from(secret);
    const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of €
    const stdin = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
    const { main } = await import('../../src/cli/main.js');
    let stderr = '';
    const code = await main(createFromStdin('streamed'), {
      stdout: { write: () => true },
      stderr: { write: (t: string) => ((stderr += t), true) },
      env: envOf(emu),
      stdin,
    });
    expect(code, stderr).toBe(0);
    const stored = emu.store.items(emu, 'registry')!.find((r) => r.name === 'streamed')!;
    expect((stored.credential as { access_secret: string }).access_secret).toBe(secret);
  });
});

describe('11. a secret typed on a terminal', () => {
  it('is asked for on stderr with echo off, and never shown', async () => {
    const emu = await emulator();
    const stdin = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[] });
    (stdin as unknown as { setRawMode: (raw: boolean) => void }).setRawMode = (raw: boolean) => stdin.modes.push(raw);
    let stderr = '';
    let stdout = '';
    const { main } = await import('../../src/cli/main.js');
    const running = main(createFromStdin('typed'), {
      stdout: { write: (t: string) => ((stdout += t), true), isTTY: true },
      stderr: {
        write: (t: string) => {
          stderr += t;
          if (t.includes('access secret:')) stdin.write('typed-secret-0001\r');
          return true;
        },
        isTTY: true,
      },
      env: envOf(emu),
      stdin,
    });
    expect(await running).toBe(0);
    expect(stderr).toContain('access secret: ');
    expect(stdin.modes).toEqual([true, false]);
    expect(stdout + stderr).not.toContain('typed-secret-0001');
    const stored = emu.store.items(emu, 'registry')!.find((r) => r.name === 'typed')!;
    expect((stored.credential as { access_secret: string }).access_secret).toBe('typed-secret-0001');
  });
});

describe('12. an endpoint with user info', () => {
  it('is refused, quoted without its password, by the client and the CLI', async () => {
    let error: unknown;
    try {
      createSwrClient({ endpoint: 'https://robot:hunter2-pw@swr.example.com', projectId: 'p', auth: { token: 't' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SwrValidationError);
    expect((error as Error).message).toMatch(/user info/);
    expect((error as Error).message).not.toMatch(/hunter2|robot/);
    const r = await cli('https://robot:hunter2-pw@swr.example.com', ['registry', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/hunter2|robot:/);
  });
});

describe('13. invisible characters are shown, not printed raw', () => {
  it.each(['\u200b', '\u200f', '\u061c', '\u2060', '\ufeff', '\u2028', '\u2029'])(
    'U+%s in a table and a CSV',
    async (char) => {
      const s = await server((_req, res) =>
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ total: 1, registries: [registry(1, { name: `prod${char}-db` })] })),
      );
      for (const format of ['table', 'csv']) {
        const r = await cli(s.url, ['registry', 'list', '-o', format]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).not.toContain(char);
        expect(r.stdout).toContain(`\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    },
  );
});

describe('the smaller ones', () => {
  it.runIf(existsSync('/dev/full'))('a full disk ends in one line and exit 1, not a stack trace', async () => {
    // A real process: the write error happens on the process's own stdout.
    const { spawnSync } = await import('node:child_process');
    const { openSync, closeSync } = await import('node:fs');
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, '--help'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe('error: cannot write the output (ENOSPC)');
    } finally {
      closeSync(full);
    }
  });

  it('a __proto__ key in --from-file is refused, named by its path', async () => {
    const file = join(dir, 'proto.json');
    writeFileSync(file, '{"name":"x","dns_conf":{"hosts":{"__proto__":{"polluted":1}}}}');
    const r = await cli('http://127.0.0.1:9', ['registry', 'create', '--from-file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dns_conf\.hosts\.__proto__/);
    expect(r.stderr).not.toContain('[object Object]');
  });

  it('--dns-conf-hosts __proto__=IP is refused, not dropped in silence', async () => {
    const r = await cli('http://127.0.0.1:9', ['registry', 'create', '--dns-conf-hosts', '__proto__=192.0.2.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/__proto__/);
  });

  it.each(['5.0', '05', '5e0', '+5'])('the emulator refuses the registry id %s with 400', async (id) => {
    const emu = await emulator({ items: { registry: 6 } });
    const r = await fetch(`${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries/${id}`, {
      headers: { 'X-Auth-Token': TOKEN },
    });
    expect(r.status).toBe(400);
  });

  it('a world-readable --access-secret-file gets a warning, as ssh refuses such key files', async () => {
    const file = join(dir, 'secret.txt');
    writeFileSync(file, 'file-secret-0001\n');
    chmodSync(file, 0o644);
    const s = await server((_req, res) => res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id":1}'));
    const r = await cli(s.url, [
      'registry',
      'create',
      '--name',
      'fromfile',
      '--type',
      'huawei-SWR',
      '--url',
      'https://ff.example.com',
      '--credential-access-key',
      'k',
      '--access-secret-file',
      file,
      '--insecure',
      'true',
    ]);
    expect(r.stderr).toMatch(/can be read by other users \(mode 644\).*chmod 600/);
    expect(r.stdout + r.stderr).not.toContain('file-secret-0001');
  });
});
