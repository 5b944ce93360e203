// `get`, `create`, `update` and `delete` from a shell, against the emulator over loopback: flags,
// files and piped secrets in; the same formats and exit codes as `list` out; no secret anywhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runMain } from '../helpers/cli.js';

const SK = 'cli-crud-secret-key-SENTINEL-2231';
const TOKEN = 'cli-crud-token-SENTINEL-8080';
const ACCESS_SECRET = 'registry-password-SENTINEL-5150';
let emu: Emulator;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({
    items: { registry: 5 },
    credentials: [{ accessKey: 'AKCRUD00000000000001', secretKey: SK }],
    tokens: [{ token: TOKEN }],
  });
  env = {
    SWR_ENDPOINT: emu.url,
    HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
    HUAWEICLOUD_SDK_AK: 'AKCRUD00000000000001',
    HUAWEICLOUD_SDK_SK: SK,
    SWR_REGISTRY_ACCESS_SECRET: ACCESS_SECRET,
  };
  dir = mkdtempSync(join(tmpdir(), 'swr-cli-crud-'));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) => {
  const merged = Object.fromEntries(Object.entries({ ...env, ...extra }).filter(([, v]) => v !== undefined));
  return runMain(
    [...args, '--instance-id', emu.instanceId],
    merged as Record<string, string>,
    input === undefined ? {} : { input },
  );
};
const clean = (r: { stdout: string; stderr: string }) => {
  for (const s of [SK, TOKEN, ACCESS_SECRET, 'piped-secret-SENTINEL', 'file-secret-SENTINEL'])
    expect(r.stdout + r.stderr).not.toContain(s);
};
const harbor = (name: string) => [
  'create',
  '--name',
  name,
  '--type',
  'swr-pro',
  '--url',
  `https://${name}.example.com`,
  '--credential-access-key',
  'robot$replicator',
  '--dns-conf-hosts',
  `${name}.example.com=192.0.2.10`,
  '--dns-conf-hosts',
  'mirror.example.com=192.0.2.11',
  '--insecure',
  'false',
];

describe.each([
  ['AK/SK signing', {}],
  ['an IAM token', { SWR_AUTH_TOKEN: TOKEN, HUAWEICLOUD_SDK_AK: undefined, HUAWEICLOUD_SDK_SK: undefined }],
])('create, get, update, delete with %s', (label, auth) => {
  const name = `cli-${label.startsWith('AK') ? 'aksk' : 'token'}`;
  let id: number;

  it('create from flags prints the id; the same create again finds it (exit 0 both times)', async () => {
    const first = await cli(harbor(name), auth);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created).toMatchObject({ outcome: 'created' });
    id = created.id;
    const stored = emu.store.item(emu, 'registry', id)!;
    expect(stored).toMatchObject({ name, credential: { access_secret: ACCESS_SECRET } });
    expect(stored.dns_conf?.hosts).toEqual({
      [`${name}.example.com`]: '192.0.2.10',
      'mirror.example.com': '192.0.2.11',
    });
    const again = await cli([...harbor(name), '-o', 'table'], auth);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`registry ${id}: found (already there, same settings)\n`);
    clean(first);
    clean(again);
  });

  it('get prints the registry in each format, the secret never', async () => {
    const json = await cli(['get', String(id)], auth);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id,
      name,
      status: 'healthy',
      credential: { access_secret: '******' },
    });
    expect(JSON.parse(json.stdout)).not.toHaveProperty('requestId');
    // The table format of one item: every field as a key/value view, nested ones indented.
    const table = await cli(['get', String(id), '-o', 'table'], auth);
    expect(table.stdout).toMatch(new RegExp(`^id: +${id}\\nname: +${name}\\n`));
    expect(table.stdout).toMatch(
      /\ncredential:\n  type: +basic\n  access_key: +robot\$replicator\n  access_secret: +\*{6}\n/,
    );
    expect(table.stdout).toMatch(/\ndns_conf:\n  hosts:\n    [\w.-]+: 192\.0\.2\.10\n/);
    const csv = await cli(['get', String(id), '-o', 'csv'], auth);
    expect(csv.stdout.split('\r\n')[1]).toMatch(new RegExp(`^${id},${name},`));
    for (const r of [json, table, csv]) clean(r);
  });

  it('update changes only what its flags say; the secret comes again from the environment', async () => {
    const r = await cli(['update', String(id), '--url', 'https://retired.invalid', '--description', 'retired'], auth);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id, outcome: 'updated' });
    expect(emu.store.item(emu, 'registry', id)).toMatchObject({
      name,
      url: 'https://retired.invalid',
      description: 'retired',
      status: 'unhealthy',
      insecure: false,
      dns_conf: { hosts: { 'mirror.example.com': '192.0.2.11' } },
    });
    clean(r);
  });

  it('delete needs --yes without a terminal, then deletes; get is a 404 (exit 1)', async () => {
    const refused = await cli(['delete', String(id)], auth);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(emu.store.item(emu, 'registry', id)).toBeDefined();
    const r = await cli(['delete', String(id), '--yes'], auth);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id, outcome: 'deleted' });
    const gone = await cli(['get', String(id)], auth);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/404 .*Registry \d+ not found/);
    for (const x of [refused, r, gone]) clean(x);
  });
});

describe('where a body comes from', () => {
  it('--from-file YAML, the secret piped to --access-secret-stdin', async () => {
    const file = join(dir, 'ee.yaml');
    writeFileSync(
      file,
      'name: from-yaml\ntype: swr-pro-internal\nurl: https://ee.example.com\nproject_id: p2\nregion_id: eu-west-0\ninstance_id: target-1\ncredential:\n  access_key: eu-west-0@AK\ninsecure: true\n',
    );
    const r = await cli(['create', '--from-file', file, '--access-secret-stdin'], {}, 'piped-secret-SENTINEL\n');
    expect(r.code, r.stderr).toBe(0);
    const stored = emu.store.item(emu, 'registry', JSON.parse(r.stdout).id)!;
    expect(stored).toMatchObject({
      instance_id: 'target-1',
      project_id: 'p2',
      credential: { type: 'basic', access_secret: 'piped-secret-SENTINEL' },
    });
    clean(r);
  });

  it('--from-file JSON with flags on top, the secret from --access-secret-file', async () => {
    const file = join(dir, 'basic.json');
    const secret = join(dir, 'secret.txt');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'from-json',
        type: 'huawei-SWR',
        url: 'https://a.example.com',
        credential: { access_key: 'k' },
        insecure: true,
      }),
    );
    writeFileSync(secret, 'file-secret-SENTINEL\n');
    const r = await cli([
      'create',
      '--from-file',
      file,
      '--url',
      'https://b.example.com',
      '--access-secret-file',
      secret,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(emu.store.item(emu, 'registry', JSON.parse(r.stdout).id)).toMatchObject({
      url: 'https://b.example.com',
      credential: { access_secret: 'file-secret-SENTINEL' },
    });
    clean(r);
  });

  it('a field without a flag, wrong in the file, is named with the file as its source', async () => {
    const file = join(dir, 'oauth.json');
    writeFileSync(file, JSON.stringify({ credential: { type: 'oauth' } }));
    const r = await cli([...harbor('oauth'), '--from-file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "credential\.type" of .*oauth\.json: must be one of basic \(got "oauth"\)/);
  });

  it('a secret is never a flag value', async () => {
    const r = await cli([...harbor('argv'), '--access-secret', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --access-secret/);
  });

  const usage: Array<[string, string[], Record<string, string | undefined>, RegExp]> = [
    [
      'an EE target without its project',
      [
        'create',
        '--name',
        'u2',
        '--type',
        'swr-pro-internal',
        '--url',
        'https://x.example.com',
        '--credential-access-key',
        'k',
        '--insecure',
        'true',
      ],
      {},
      /--target-project-id: is required when type is swr-pro-internal/,
    ],
    [
      'no secret anywhere',
      harbor('u3'),
      { SWR_REGISTRY_ACCESS_SECRET: undefined },
      /credential\.access_secret \(\$SWR_REGISTRY_ACCESS_SECRET, --access-secret-file or --access-secret-stdin\): is required/,
    ],
    ['a name too long', [...harbor('u4'), '--name', 'n'.repeat(65)], {}, /--name: must be 1 to 64 letters/],
    ['a bad boolean', [...harbor('u5'), '--insecure', 'maybe'], {}, /--insecure: must be true or false/],
    ['a host without =', [...harbor('u6'), '--dns-conf-hosts', 'nohost'], {}, /--dns-conf-hosts takes KEY=VALUE/],
    ['a file that is not there', ['create', '--from-file', '/nonexistent/x.yaml'], {}, /--from-file: cannot read/],
    ['a registry ID that is not a number', ['get', 'abc'], {}, /ID: must be an integer from 1/],
    ['no registry ID', ['delete', '--yes'], {}, /give REGISTRY_ID \(e\.g\. `registry delete 24`\)/],
  ];
  it.each(usage)(
    '%s is a usage error (exit 2) naming where to fix it, before any request',
    async (_what, args, extra, message) => {
      emu.resetStats();
      const r = await cli(args, extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(emu.stats.requests).toBe(0);
      clean(r);
    },
  );

  it('a rule we only guessed warns and sends: no dns_conf for Harbor, a name with a space', async () => {
    emu.resetStats();
    const r = await cli(harbor('u1 spaced').slice(0, -6).concat('--insecure', 'false'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: dns_conf is required when type is swr-pro \(a rule we only guessed: Sources conflict/,
    );
    expect(r.stderr).toMatch(/warning: name must be 1 to 64 letters.* \(a rule we only guessed/);
    expect(emu.stats.requests).toBeGreaterThan(0);
    clean(r);
  });

  it('a conflict with other settings is exit 1, named, with --debug too showing no secret', async () => {
    expect((await cli(harbor('clash'))).code).toBe(0);
    const r = await cli([...harbor('clash'), '--url', 'https://other.example.com', '--debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists \(id \d+\) with other settings: url/);
    clean(r);
  });
});

describe('delete on a terminal', () => {
  /** Runs `delete` in this process with a terminal on stdin that answers `reply`. */
  async function deleteAnswering(id: number, reply: string) {
    const { PassThrough } = await import('node:stream');
    const { main } = await import('../../src/cli/main.js');
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let said = '';
    let out = '';
    const stderr = {
      isTTY: true,
      write: (d: string) => {
        said += d;
        if (said.includes('[y/N]')) stdin.write(`${reply}\n`);
        return true;
      },
    };
    const stdout = { isTTY: true, write: (d: string) => ((out += d), true) };
    const code = await main(['delete', String(id), '--instance-id', emu.instanceId, '-o', 'table'], {
      stdin,
      stdout,
      stderr,
      env,
    });
    return { code, said, out };
  }

  it('asks, naming the registry; anything but yes keeps it, yes deletes it', async () => {
    const id = emu.add('registry', { name: 'ask-me' }).id;
    const kept = await deleteAnswering(id, 'n');
    expect(kept.said).toMatch(new RegExp(`Delete registry ${id} \\(ask-me\\)\\? \\[y/N\\]`));
    expect(kept.code).toBe(1);
    expect(emu.store.item(emu, 'registry', id)).toBeDefined();
    const gone = await deleteAnswering(id, 'yes');
    expect(gone.code).toBe(0);
    expect(gone.out).toBe(`registry ${id}: deleted\n`);
    expect(emu.store.item(emu, 'registry', id)).toBeUndefined();
  });
});
