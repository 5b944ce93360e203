// The spec drives everything at run time: in a copy of the project, spec-only edits plus
// `npm run generate` and a build change what the client sends, what the emulator accepts and
// what the CLI offers, with no file in src/ touched.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject } from '../../scripts/copy-project.mjs';
import { createSwrClient, SwrValidationError } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'swr-spec-driven-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LIST_PATH = 'spec/paths/v2_{project_id}_instances_{instance_id}_registries.yaml';
const STATUS_PARAMETER = `name: status
in: query
required: false
description: Registry health, matched exactly.
schema:
  type: string
  enum:
    - healthy
    - unhealthy
x-filter:
  field: status
  match: equals
`;

/** A digest of every file under src/, to show that no edit reached it. */
function srcDigest(dir: string): string {
  const files = execFileSync('git', ['ls-files', 'src'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest('hex');
}

function edit(file: string, from: RegExp | string, to: string) {
  const path = join(work, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  expect(after, file).not.toBe(before);
  writeFileSync(path, after);
}

function run(command: string, args: string[]) {
  const r = spawnSync(process.execPath, [command, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// In the copy, after the build: the client, the emulator and the CLI of the edited spec.
const PROBE = `
import { createSwrClient } from './dist/index.js';
import { startEmulator } from './dist/emulator/index.js';
const emu = await startEmulator({ items: { registry: 700 } });
const sent = [];
const swr = createSwrClient({ endpoint: emu.url, projectId: emu.projectId, auth: { token: emu.token },
  logger: (e) => e.type === 'attempt' && sent.push(e.path) });
const page = await swr.listRegistries(emu.instanceId, { status: 'healthy', order_column: 'description', order_type: 'asc', offset: 0, limit: 500 });
const raw = await fetch(emu.url + '/v2/' + emu.projectId + '/instances/' + emu.instanceId + '/registries?limit=500&offset=0&status=unhealthy',
  { headers: { 'X-Auth-Token': emu.token } });
const all = await swr.listAllRegistries(emu.instanceId, { status: 'unhealthy' }, { pageSize: 500 });
const truth = emu.store.items(emu, 'registry');
console.log(JSON.stringify({
  sent,
  count: page.registries.length,
  healthy: truth.filter((r) => r.status === 'healthy').length,
  allHealthy: page.registries.every((r) => r.status === 'healthy'),
  byDescription: page.registries.map((r) => r.description ?? '').every((u, i, us) => i === 0 || us[i - 1] <= u),
  rawStatus: raw.status,
  rawCount: (await raw.json()).registries.length,
  unhealthy: truth.filter((r) => r.status === 'unhealthy').length,
  walked: all.registries.length,
  walkPages: all.pages,
}));
await emu.close();
`;

let before: string;
beforeAll(() => {
  copyProject(root, work);
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  before = srcDigest(work);

  // (a) a new query parameter; (b) a larger page; (c) a new sort field.
  writeFileSync(join(work, 'spec/components/parameters/status.yaml'), STATUS_PARAMETER);
  edit(
    LIST_PATH,
    '    - $ref: ../components/parameters/limit.yaml\n',
    '    - $ref: ../components/parameters/limit.yaml\n    - $ref: ../components/parameters/status.yaml\n',
  );
  edit('spec/components/parameters/limit.yaml', 'maximum: 100', 'maximum: 500');
  edit('spec/components/parameters/order_column.yaml', '    - name\n', '    - name\n    - description\n');

  for (const step of ['scripts/generate.mjs', 'scripts/build.mjs']) {
    const r = run(step, step.includes('generate') ? ['--skip-docs'] : []);
    expect(r.code, `${step}: ${r.stderr}`).toBe(0);
  }
}, 120_000);

describe('spec-only edits', () => {
  it('touch no file in src/', () => {
    expect(srcDigest(work)).toBe(before);
    expect(srcDigest(work)).toBe(srcDigest(root));
  });

  it('are refused by the unedited project, as a control', async () => {
    const swr = createSwrClient({ endpoint: 'http://127.0.0.1:9', projectId: 'p', auth: { token: 't' } });
    for (const query of [{ status: 'healthy' }, { limit: 500, offset: 0 }, { order_column: 'description' }]) {
      await expect(swr.listRegistries('i', query as never)).rejects.toBeInstanceOf(SwrValidationError);
    }
  });

  it('reach the client and the emulator: the new parameter is sent and filters, 500 a page, sorted by description', () => {
    writeFileSync(join(work, 'probe.mjs'), PROBE);
    const r = run('probe.mjs', []);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.sent[0]).toMatch(/[?&]status=healthy(&|$)/);
    expect(out.sent[0]).toMatch(/[?&]limit=500(&|$)/);
    expect(out.sent[0]).toMatch(/[?&]order_column=description(&|$)/);
    expect(out.count).toBe(Math.min(500, out.healthy));
    expect(out.count).toBeGreaterThan(100);
    expect(out.allHealthy).toBe(true);
    expect(out.byDescription).toBe(true);
    expect(out.rawStatus).toBe(200);
    expect(out.rawCount).toBe(Math.min(500, out.unhealthy));
    expect(out.walked).toBe(out.unhealthy);
    expect(out.walkPages).toBe(Math.max(1, Math.ceil(out.unhealthy / 500)));
  });

  it('reach the CLI: a --status flag, --limit up to 500, description among the --order-column choices in the help', async () => {
    const help = run('dist/cli/bin.js', ['list', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--status VALUE\s+Registry health, matched exactly: healthy \| unhealthy/);
    expect(help.stdout).toMatch(
      /--order-column VALUE\s+Sorting field: created_at \| updated_at \| name \| description/,
    );
    expect(help.stdout).toMatch(/--limit N\s+Number of returned records: 1\.\.500/);

    const { startEmulator } = await import(join(work, 'dist/emulator/index.js'));
    const emu = await startEmulator({ items: { registry: 600 } });
    try {
      // Asynchronous: the emulator serving the CLI lives in this very process.
      const cli = await promisify(execFile)(
        process.execPath,
        [
          'dist/cli/bin.js',
          'list',
          '--instance-id',
          emu.instanceId,
          '--status',
          'unhealthy',
          '--limit',
          '500',
          '--order-column',
          'description',
        ],
        {
          cwd: work,
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            SWR_ENDPOINT: emu.url,
            HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
            SWR_AUTH_TOKEN: emu.token,
          },
        },
      );
      const body = JSON.parse(cli.stdout);
      const unhealthy = emu.store.items(emu, 'registry').filter((r: { status: string }) => r.status === 'unhealthy');
      expect(body.registries.map((r: { id: number }) => r.id).sort()).toEqual(
        unhealthy.map((r: { id: number }) => r.id).sort(),
      );
      expect(body.registries.length).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  });
});
