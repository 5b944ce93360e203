// The replication workflow from a shell: a policy from a YAML file, run and followed to its end,
// its executions, tasks and sub-tasks listed, a run stopped, everything deleted; `policy run
// --wait` exits 0 on Succeed, 1 on Failed or Stopped, 130 when interrupted. main() runs in process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runMain } from '../helpers/cli.js';

const TOKEN = 'replication-cli-token-0001';
const dir = mkdtempSync(join(tmpdir(), 'swr-cli-replication-'));
let emu: Emulator;
let env: Record<string, string>;
let target: number;
beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 3 }, tokens: [{ token: TOKEN }], replication: { durationMs: 600 } });
  env = {
    SWR_ENDPOINT: emu.url,
    HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
    SWR_AUTH_TOKEN: TOKEN,
    SWR_INSTANCE_ID: emu.instanceId,
  };
  target = emu.add('registry', { name: 'cli-target', type: 'swr-pro', url: 'https://cli-target.example.com' }).id;
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], options: Parameters<typeof runMain>[2] = {}) => runMain(args, env, options);

/** A policy file as a user writes it: YAML, the push side given, the pull side left out. */
function policyFile(name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
description: From the CLI test
dest_registry:
  id: ${target}
filters:
  - type: name
    value: library/**
repo_scope_mode: regular
trigger:
  type: manual
enabled: true
${extra}`,
  );
  return file;
}

async function createPolicy(name: string): Promise<number> {
  const made = await cli(['policy', 'create', '--from-file', policyFile(name), '-o', 'json']);
  expect(made.code, made.stderr).toBe(0);
  return JSON.parse(made.stdout).id as number;
}

describe('the workflow from a YAML file', () => {
  it('create --from-file, run --wait (exit 0), list its executions, tasks and sub-tasks, delete --yes', async () => {
    const id = await createPolicy('from-yaml');
    const shown = JSON.parse((await cli(['policy', 'get', String(id), '-o', 'json'])).stdout);
    expect(shown).toMatchObject({ id, name: 'from-yaml', dest_registry: { id: target }, src_registry: { id: 0 } });

    const run = await cli(['policy', 'run', String(id), '--wait', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const execution = JSON.parse(run.stdout);
    expect(execution).toMatchObject({ policy_id: id, status: 'Succeed' });
    expect(execution.total).toBe(execution.succeed + execution.failed + execution.stopped + execution.in_progress);
    expect(execution.total).toBeGreaterThan(0);

    const executions = JSON.parse((await cli(['execution', 'list', '--policy-id', String(id), '-o', 'json'])).stdout);
    expect(executions.executions.map((e: { id: number }) => e.id)).toEqual([execution.id]);
    const tasks = JSON.parse((await cli(['execution', 'tasks', String(execution.id), '-o', 'json'])).stdout);
    expect(tasks.tasks).toHaveLength(execution.total);
    expect(tasks.tasks.every((t: { status: string }) => t.status === 'Succeed')).toBe(true);
    const first = tasks.tasks[0].id as number;
    const subtasks = await cli(['execution', 'subtasks', String(execution.id), String(first), '-o', 'json']);
    expect(subtasks.code, subtasks.stderr).toBe(0);
    expect(JSON.parse(subtasks.stdout).sub_tasks.length).toBeGreaterThan(0);

    const deleted = await cli(['policy', 'delete', String(id), '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(emu.store.item(emu, 'policy', id)).toBeUndefined();
  });

  it('flags build the same body: --dest-registry-id, --filter repeated, --trigger', async () => {
    const made = await cli([
      'policy',
      'create',
      '--name',
      'from-flags',
      '--dest-registry-id',
      String(target),
      '--filter',
      'name=library/**',
      '--filter',
      'tag=v*',
      '--repo-scope-mode',
      'regular',
      '--trigger',
      'manual',
      '--enabled',
      'true',
      '-o',
      'json',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const stored = emu.store.item(emu, 'policy', JSON.parse(made.stdout).id);
    expect(stored).toMatchObject({
      dest_registry: { id: target },
      filters: [
        { type: 'name', value: 'library/**' },
        { type: 'tag', value: 'v*' },
      ],
      trigger: { type: 'manual' },
    });
  });

  it('every problem of a bad file at once, each named by its key', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: "has space"\nfilters:\n  - type: label\n    value: x\nrepo_scope_mode: all\n');
    const r = await cli(['policy', 'create', '--from-file', file, '--dest-registry-id', String(target)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "filters\[0\]\.type" of .*bad\.yaml: must be one of name, tag/);
    expect(r.stderr).toMatch(/repo_scope_mode.*must be one of regular, selection/);
    expect(r.stderr).toMatch(/--trigger.*is required|trigger.*is required/);
    expect(r.stderr).toMatch(/--enabled.*is required|enabled.*is required/);
  });
});

describe('policy run --wait: the exit code says how the run ended', () => {
  it('1 when the run failed, with the failed count on stdout', async () => {
    const failing = await startEmulator({
      items: { registry: 1, policy: 1 },
      tokens: [{ token: TOKEN }],
      replication: { durationMs: 300, failureRate: 1 },
    });
    try {
      const [policy] = failing.store.items(failing, 'policy')!;
      const r = await runMain(['policy', 'run', String(policy!.id), '--wait', '-o', 'json'], {
        ...env,
        SWR_ENDPOINT: failing.url,
        HUAWEICLOUD_SDK_PROJECT_ID: failing.projectId,
        SWR_INSTANCE_ID: failing.instanceId,
      });
      expect(r.code).toBe(1);
      const execution = JSON.parse(r.stdout);
      expect(execution.status).toBe('Failed');
      expect(execution.failed).toBe(execution.total);
    } finally {
      await failing.close();
    }
  });

  it('on a terminal, progress on stderr and the final execution as a table', async () => {
    const id = await createPolicy('on-a-terminal');
    const r = await cli(['policy', 'run', String(id), '--wait'], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/InProgress/);
    expect(r.stdout).toMatch(/Succeed/);
  });

  it('130 when interrupted, saying how to stop the run that goes on', async () => {
    const id = await createPolicy('interrupted');
    const control = new AbortController();
    setTimeout(() => control.abort(), 100);
    const r = await cli(['policy', 'run', String(id), '--wait'], { signal: control.signal });
    expect(r.code).toBe(130);
    const [execution] = emu.store.items(emu, 'execution')!.filter((e) => e.policy_id === id);
    expect(r.stderr).toContain(`execution stop ${String(execution!.id)}`);
  });

  it('--stop-on-abort stops the run too: it ends Stopped', async () => {
    const id = await createPolicy('stopped-on-abort');
    const control = new AbortController();
    setTimeout(() => control.abort(), 100);
    const r = await cli(['policy', 'run', String(id), '--wait', '--stop-on-abort'], { signal: control.signal });
    expect(r.code).toBe(130);
    const listed = JSON.parse((await cli(['execution', 'list', '--policy-id', String(id), '-o', 'json'])).stdout);
    expect(listed.executions[0].status).toBe('Stopped');
  });

  it('execution stop ends a running execution Stopped', async () => {
    const id = await createPolicy('stopped-by-hand');
    const started = JSON.parse((await cli(['policy', 'run', String(id), '-o', 'json'])).stdout);
    const stop = await cli(['execution', 'stop', String(started.id)]);
    expect(stop.code, stop.stderr).toBe(0);
    const listed = JSON.parse((await cli(['execution', 'list', '--policy-id', String(id), '-o', 'json'])).stdout);
    expect(listed.executions[0]).toMatchObject({ id: started.id, status: 'Stopped' });
  });

  it('a disabled policy is refused (412), and so is deleting a registry a policy uses', async () => {
    const id = await createPolicy('disabled');
    const off = await cli(['policy', 'update', String(id), '--enabled', 'false']);
    expect(off.code, off.stderr).toBe(0);
    const refused = await cli(['policy', 'run', String(id)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/412/);
    const inUse = await cli(['registry', 'delete', String(target), '--yes']);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/412/);
  });
});
