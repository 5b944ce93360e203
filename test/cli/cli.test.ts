import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { spawn } from 'node:child_process';
import { CLI, runCli, runMain, startCli } from '../helpers/cli.js';

const SECRET = 'cli-secret-key-SENTINEL-4411';
let emu: Emulator;
let env: Record<string, string>;
beforeAll(async () => {
  emu = await startEmulator({
    items: { registry: 120 },
    credentials: [{ accessKey: 'AKCLI000000000000001', secretKey: SECRET }],
    tokens: [{ token: 'cli-token-SENTINEL-77' }],
  });
  emu.add('registry', {
    name: 'with-secret',
    credential: { type: 'basic', access_key: 'robot', access_secret: 'stored-secret' },
  });
  env = {
    SWR_ENDPOINT: emu.url,
    HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
    HUAWEICLOUD_SDK_AK: 'AKCLI000000000000001',
    HUAWEICLOUD_SDK_SK: SECRET,
  };
});
afterAll(() => emu.close());

const list = (args: string[], extra: Record<string, string> = {}) =>
  runMain(['list', '--instance-id', emu.instanceId, ...args], { ...env, ...extra });
const noSecrets = (r: { stdout: string; stderr: string }) => {
  for (const s of [SECRET, 'cli-token-SENTINEL-77', 'stored-secret']) expect(r.stdout + r.stderr).not.toContain(s);
};

describe('swr-registries list', () => {
  it('json by default on a pipe: the API shape, secrets masked', async () => {
    const r = await list(['--limit', '5']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.total).toBe(121);
    expect(body.registries).toHaveLength(5);
    expect(r.stderr).toBe('');
    noSecrets(r);
  });

  it('--all as json: every registry, nothing on stderr in a pipe (no progress bar)', async () => {
    const r = await list(['--all', '--concurrency', '4']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.registries).toHaveLength(121);
    expect(new Set(body.registries.map((x: { id: number }) => x.id)).size).toBe(121);
    expect(r.stderr).toBe('');
    noSecrets(r);
  });

  it('ndjson streams one registry per line', async () => {
    const r = await list(['--all', '--output', 'ndjson']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(121);
    expect(lines.map((l) => JSON.parse(l).id)).toHaveLength(121);
    // The emulator answers a mask, as the service does; the CLI masks whatever a secret holds.
    expect(JSON.parse(lines.find((l) => l.includes('with-secret'))!).credential.access_secret).toBe('******');
  });

  it('csv has one header and a row per registry', async () => {
    // An anonymous Harbor registry (Harbor answers no credential at all), for this test only.
    const { credential: _c, ...anonymous } = emu.add('registry', { name: 'harbor-anonymous', type: 'swr-pro' });
    emu.store.replace(emu, 'registry', anonymous);
    const r = await list(['--all', '-o', 'csv', '--name', 'harbor']);
    const expected = emu.store.items(emu, 'registry')!.filter((x) => String(x.name).includes('harbor')).length;
    emu.store.remove(emu, 'registry', anonymous.id as number);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'id,name,description,project_id,region_id,instance_id,type,url,credential.type,credential.access_key,dns_conf.hosts,insecure,status,created_at,updated_at',
    );
    expect(rows).toHaveLength(expected + 1);
    expect(rows.slice(1).every((row) => row.includes(',swr-pro,https://harbor-'))).toBe(true);
    // An anonymous Harbor registry has no credential: empty cells, not a crash.
    expect(rows.some((row) => row.includes('harbor-anonymous') && /,swr-pro,https:[^,]*,,,/.test(row))).toBe(true);
  });

  it('table: aligned columns, no colour when NO_COLOR or not a terminal, count on stderr', async () => {
    const r = await list(
      ['-o', 'table', '--order-column', 'name', '--order-type', 'asc', '--limit', '10', '--offset', '10'],
      { NO_COLOR: '1' },
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+TYPE\s+URL\s+STATUS\s+INSECURE\s+CREATED_AT$/);
    expect(lines).toHaveLength(11);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const column = lines[0]!.indexOf('TYPE');
    expect(lines.slice(1).every((l) => /\S/.test(l[column]!) && l[column - 1] === ' ')).toBe(true);
    expect(r.stderr).toBe('10 of 121 registries\n');
  });

  it('a token from SWR_AUTH_TOKEN works too', async () => {
    const r = await list(['--limit', '1'], {
      HUAWEICLOUD_SDK_AK: '',
      HUAWEICLOUD_SDK_SK: '',
      SWR_AUTH_TOKEN: 'cli-token-SENTINEL-77',
    });
    expect(r.code).toBe(0);
    noSecrets(r);
  });

  it('--region on the command line beats SWR_ENDPOINT in the environment', async () => {
    const r = await list(['--limit', '1', '--region', 'mars-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--region: must be one of the 35 SWR regions \(got "mars-1"\)/);
  });

  it('CLOUD_SDK_AK / CLOUD_SDK_SK, as in the reference page samples', async () => {
    const r = await list(['--limit', '1'], {
      HUAWEICLOUD_SDK_AK: '',
      HUAWEICLOUD_SDK_SK: '',
      CLOUD_SDK_AK: 'AKCLI000000000000001',
      CLOUD_SDK_SK: SECRET,
    });
    expect(r.code).toBe(0);
  });
});

describe('flags from the spec', () => {
  it('--order-type alone takes the default order column, and --limit alone offset 0', async () => {
    const r = await list(['--order-type', 'asc', '--limit', '3']);
    expect(r.code).toBe(0);
    const stamps = JSON.parse(r.stdout).registries.map((x: { created_at: string }) => x.created_at);
    const oldest = emu.store
      .items(emu, 'registry')!
      .map((x) => x.created_at as string)
      .sort()
      .slice(0, 3);
    expect(stamps).toEqual(oldest);
  });

  it('--help lists each query parameter with its choices, range and default', async () => {
    const r = await runMain(['list', '--help']);
    expect(r.stdout).toMatch(
      /--order-column VALUE\s+Sorting field: created_at \| updated_at \| name \(default created_at\)/,
    );
    expect(r.stdout).toMatch(/--limit N\s+Number of returned records: 1\.\.100 \(default 10; with --offset\)/);
    expect(r.stdout).toMatch(
      /--type VALUE\s+Registry type, matched exactly: swr-pro \| swr-pro-internal \| huawei-SWR \| \.\.\./,
    );
  });
});

describe('Harbor-style answers', () => {
  let harbor: Emulator;
  beforeAll(async () => {
    harbor = await startEmulator({ items: { registry: 40 }, harborStyle: true, tokens: [{ token: 'harbor-token' }] });
  });
  afterAll(() => harbor.close());
  const harborList = (args: string[]) =>
    runMain(['list', '--instance-id', harbor.instanceId, '--all', ...args], {
      SWR_ENDPOINT: harbor.url,
      HUAWEICLOUD_SDK_PROJECT_ID: harbor.projectId,
      SWR_AUTH_TOKEN: 'harbor-token',
    });

  it('json: delivered as received, fields left out stay out', async () => {
    const r = await harborList(['-o', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.registries).toHaveLength(40);
    expect(body.registries.some((x: object) => !('insecure' in x) && !('description' in x))).toBe(true);
  });

  it('table and csv: a missing field is an empty cell', async () => {
    const table = await harborList(['-o', 'table']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(41);
    expect(table.stdout).not.toMatch(/undefined|null|\[object/);
    const csv = await harborList(['-o', 'csv']);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows).toHaveLength(41);
    const insecure = rows[0]!.split(',').indexOf('insecure');
    expect(rows.slice(1).map((row) => row.split(',')[insecure])).toContain('');
    expect(rows.slice(1).map((row) => row.split(',')[insecure])).toContain('true');
  });
});

describe('on a terminal', () => {
  // `script` (util-linux) runs the CLI on a pseudo-terminal, as a person at a shell would.
  // Asynchronous: the emulator serving it lives in this very process.
  const onTty = (args: string[], extra: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(
        'script',
        ['-qec', [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'],
        {
          env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env, ...extra },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout }));
    });

  it('defaults to a coloured table and draws a progress bar for --all', async () => {
    const r = await onTty(['list', '--instance-id', emu.instanceId, '--all']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\r\[#{30}\] 121\/121 registries/);
    expect(r.stdout).toContain('\x1b[1mID');
    expect(r.stdout).toMatch(/\x1b\[3[12]m(un)?healthy/);
    expect(r.stdout).toMatch(/121 of 121 registries/);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('honours NO_COLOR', async () => {
    const r = await onTty(['list', '--instance-id', emu.instanceId, '--limit', '5'], { NO_COLOR: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ID\s+NAME\s+TYPE/);
    expect(r.stdout).not.toMatch(/\x1b\[(1|3\d)m/);
  });
});

describe('exit codes and errors', () => {
  it('1 for an API error, with status, code, message and request id on stderr', async () => {
    const r = await runMain(['list', '--instance-id', 'no-such-instance'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: SWR 404 Not Found: SVCSTG\.SWR\.4040002 Instance no-such-instance not found \(request id [0-9a-f]{32}, 1 attempt\)\n$/,
    );
  });

  it('1 for a server error after retries, one readable line, no stack unless --debug', async () => {
    emu.faults.add({ kind: 'status', status: 503, times: 3 });
    const r = await list(['--limit', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/SWR 503 Service Unavailable.*3 attempts/);
    emu.faults.add({ kind: 'status', status: 500, times: 3 });
    const debug = await list(['--limit', '1', '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('1 for bad credentials, never echoing the secret', async () => {
    const r = await list(['--limit', '1'], { HUAWEICLOUD_SDK_SK: `${SECRET}-wrong` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SWR 401 Unauthorized: APIGW\.0301/);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('1 for a network failure', async () => {
    const closed = await startEmulator();
    await closed.close();
    const r = await list(['--limit', '1', '--timeout', '2000'], { SWR_ENDPOINT: closed.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/network error.*ECONNREFUSED/);
  });

  it('2 for a missing credential, naming the variables to set', async () => {
    const r = await runMain(['list', '--instance-id', 'i'], { SWR_ENDPOINT: emu.url, HUAWEICLOUD_SDK_PROJECT_ID: 'p' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK .* or SWR_AUTH_TOKEN/);
  });

  it.each([
    [['--bogus'], /unknown flag --bogus/],
    [['--limit', '500'], /--limit: must be an integer from 1 to 100 \(got 500\)/],
    [['--limit', 'ten'], /--limit: must be an integer from 1 to 100 \(got "ten"\)/],
    [['--offset', '5'], /--offset: must be 0 or a multiple of limit \(10\)/],
    [['--limit', '10', '--offset', '5'], /--offset: must be 0 or a multiple of limit/],
    [['--order-column', 'size'], /--order-column: must be one of created_at, updated_at, name/],
    [['--output', 'xml'], /--output must be one of table, json, ndjson, csv/],
    [['--all', '--limit', '10'], /--all fetches every page/],
  ])('2 for a usage error: %j', async (args, message) => {
    const r = await list(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('2 without --instance-id, and for an unknown command', async () => {
    expect((await runMain(['list'], env)).stderr).toMatch(/--instance-id \(or \$SWR_INSTANCE_ID\): is required/);
    const r = await runMain(['lsit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "lsit"/);
  });

  it('warns when a secret is passed as a flag, and still never prints it', async () => {
    const r = await list(['--limit', '1', '--sk', SECRET], { HUAWEICLOUD_SDK_SK: '' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --sk leaves a secret in your shell history/);
    noSecrets(r);
  });
});

describe("a newcomer's mistakes, each answered with what to do", () => {
  it('a misspelt command: did you mean, and the top-level help to run', async () => {
    const r = await runMain(['lst'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "lst"; did you mean `list`\?/);
    expect(r.stderr).toMatch(/Run `swr-registries --help` for usage/);
  });
  it('no arguments: the help, exit 0', async () => {
    const r = await runMain([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: swr-registries <noun> <verb>/);
  });
  it('a network error names the host it tried', async () => {
    const r = await list(['--limit', '1', '--timeout', '2000'], { SWR_ENDPOINT: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
  });
  it('an AK without its SK is named as such, not as "no credentials"', async () => {
    const r = await list(['--limit', '1'], { HUAWEICLOUD_SDK_SK: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not/);
  });
  it('a bad region from the environment names the variable', async () => {
    const r = await list(['--limit', '1'], { SWR_ENDPOINT: '', HUAWEICLOUD_SDK_REGION: 'mars-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: HUAWEICLOUD_SDK_REGION: /m);
  });
  it('plain http to another host: the flag and the rule, no library option', async () => {
    const r = await list(['--endpoint', 'http://example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--endpoint: must use https/);
    expect(r.stderr).not.toMatch(/dangerouslyAllowInsecureHttp/);
  });
  it('a flag without its value says so, not "ambiguous"', async () => {
    const r = await list(['--name', '--all']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--name needs a value \(for one that starts with "-", write --name=-value\)/);
    expect(r.stderr).not.toMatch(/ambiguous/);
  });
  it('one page and --all list in the same order', async () => {
    const page = JSON.parse((await list(['--limit', '5'])).stdout).registries.map((x: { id: number }) => x.id);
    const all = JSON.parse((await list(['--all'])).stdout).registries.map((x: { id: number }) => x.id);
    expect(page).toEqual(all.slice(0, 5));
  });
  it('on a terminal, one page hints at --all when there are more', async () => {
    const r = await runMain(
      ['list', '--instance-id', emu.instanceId, '--limit', '5'],
      { ...env, NO_COLOR: '1' },
      { tty: true },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/more: --all lists every item; --limit and --offset choose another page/);
  });
  it('a busy port suggests --port 0', async () => {
    const r = await runMain(['emulator', '--port', String(emu.port)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/address in use.*--port 0 for any free one/);
  });
});

describe('help and version', () => {
  it('importing the CLI module runs nothing: no output, no exit, nothing left running', async () => {
    const { execFile } = await import('node:child_process');
    const main = new URL('../../dist/cli/main.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(main)}); console.log(typeof m.main, Object.keys(m).join(','))`;
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );
    expect(r).toEqual({ code: 0, stdout: 'function main\n', stderr: '' });
  });
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
  it.each(['list', 'get', 'create', 'update', 'delete', 'emulator', 'docs'])('%s --help', async (command) => {
    const r = await runMain([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: swr-registries (registry )?${command}`));
  });
  it('--help lists the commands', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/registry list\s+List target registries/);
    expect(r.stdout).toMatch(/policy run\s+Run a replication policy/);
    expect(r.stdout).toMatch(/execution subtasks\s+List the sub-tasks of a task/);
    expect(r.stdout).toMatch(/Shortcuts kept for scripts: list = registry list/);
  });
});

describe('long-running commands', () => {
  it('emulator prints its URL and ready-to-paste credentials that the CLI then uses', async () => {
    const server = startCli(['emulator', '--port', '0', '--items', 'registry=12'], /Ctrl-C stops it/);
    try {
      const out = await server.started;
      const exported = Object.fromEntries([...out.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(exported)).toEqual([
        'SWR_ENDPOINT',
        'HUAWEICLOUD_SDK_PROJECT_ID',
        'HUAWEICLOUD_SDK_AK',
        'HUAWEICLOUD_SDK_SK',
        'SWR_INSTANCE_ID',
        'SWR_AUTH_TOKEN',
      ]);
      expect(out).toMatch(/^ {2}npx swr-registries registry list --all$/m);
      const { SWR_AUTH_TOKEN: _token, ...aksk } = exported;
      const r = await runMain(['registry', 'list', '--all'], aksk);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).registries).toHaveLength(12);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('docs serves the generated docs on 127.0.0.1', async () => {
    const server = startCli(['docs', '--port', '0'], /API docs on (http:\/\/127\.0\.0\.1:\d+\/)/);
    try {
      const url = /API docs on (\S+)/.exec(await server.started)![1]!;
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('List target registries for image replication');
      expect((await fetch(`${url}openapi.json`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });
});
