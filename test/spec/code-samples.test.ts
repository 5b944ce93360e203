// The code samples the docs show beside every operation (x-codeSamples in generated/docs/openapi.json,
// made by scripts/code-samples.mjs from the spec's examples) run as written against the emulator:
// the TypeScript one with node, the CLI one and the curl one with bash. Only what a reader would
// set is set: the environment variables the samples name, and `npx swr-registries` pointed at the
// build. Each language gets an emulator of its own holding the IDs the examples use.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = JSON.parse(readFileSync(join(root, 'generated/docs/openapi.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'swr-code-samples-'));
const emulators: Emulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  rmSync(work, { recursive: true, force: true });
});

interface Sample {
  operationId: string;
  label: string;
  source: string;
}
const METHODS = ['get', 'post', 'put', 'delete'];
const operations = Object.values(docs.paths).flatMap((item: any) => METHODS.filter((m) => item[m]).map((m) => item[m]));
// Deletes last, the last made first, so that each sample finds what it names.
const ordered = [
  ...operations.filter((op: any) => !op.operationId.startsWith('Delete')),
  ...operations.filter((op: any) => op.operationId.startsWith('Delete')).reverse(),
];
const answersABody = (op: any) =>
  Object.entries(op.responses).some(([status, r]: [string, any]) => /^2/.test(status) && r.content);
const samplesOf = (label: string): Array<Sample & { body: boolean }> =>
  ordered.map((op: any) => ({
    operationId: op.operationId,
    label,
    source: op['x-codeSamples'].find((s: { label: string }) => s.label === label).source,
    // What it prints: the client and the CLI say something of every call; curl prints the answer's body.
    body: label !== 'curl' || answersABody(op),
  }));

/** An emulator holding what the examples name: registries 24 to 26, policy 7, its execution 131 with task 902. */
async function emulatorForSamples(): Promise<Emulator> {
  const emu = await startEmulator({ replication: { durationMs: 300 } });
  emulators.push(emu);
  for (const id of [24, 25, 26]) emu.add('registry', { id, name: `sample-${id}` });
  emu.add('policy', {
    id: 7,
    name: 'sample-policy',
    dest_registry: { id: 25 },
    src_registry: { id: 0 },
    enabled: true,
  });
  emu.add('execution', { id: 131, policy_id: 7, status: 'Succeed' });
  emu.add('task', { id: 902, execution_id: 131, status: 'Succeed' }, { ...emu, parents: { execution_id: 131 } });
  emu.add('subtask', { status: 'Succeed' }, { ...emu, parents: { execution_id: 131, task_id: 902 } });
  return emu;
}

/** The variables a reader of the samples sets, for this emulator. */
const environment = (emu: Emulator) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? work,
  SWR_ENDPOINT: emu.url,
  HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId,
  HUAWEICLOUD_SDK_AK: emu.credentials.accessKey,
  HUAWEICLOUD_SDK_SK: emu.credentials.secretKey,
  SWR_AUTH_TOKEN: emu.token!,
  SWR_INSTANCE_ID: emu.instanceId,
  SWR_REGISTRY_ACCESS_SECRET: 'sample-secret-0001',
});

function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs one sample as written; `npx swr-registries` and the `swr-registries` import point at this build. */
async function runSample(sample: Sample, emu: Emulator) {
  const dir = mkdtempSync(join(work, `${sample.operationId}-`));
  const env = environment(emu);
  if (sample.label.startsWith('TypeScript')) {
    const js = transformSync(sample.source, { loader: 'ts', format: 'esm' }).code.replace(
      /from ["']swr-registries["']/,
      `from '${pathToFileURL(join(root, 'dist/index.js')).href}'`,
    );
    writeFileSync(join(dir, 'sample.mjs'), js);
    return run(process.execPath, ['sample.mjs'], dir, env);
  }
  const cli = join(root, 'dist/cli/bin.js');
  const shim = `npx() { if [ "$1" = swr-registries ]; then shift; node '${cli}' "$@"; else command npx "$@"; fi; }\n`;
  writeFileSync(join(dir, 'sample.sh'), `set -euo pipefail\n${shim}${sample.source}`);
  return run('bash', ['sample.sh'], dir, env);
}

describe('every operation has its samples', () => {
  it('TypeScript, CLI and curl, for all fifteen operations', () => {
    expect(operations).toHaveLength(15);
    for (const op of operations)
      expect(
        op['x-codeSamples'].map((s: { label: string }) => s.label),
        op.operationId,
      ).toEqual(['TypeScript (swr-registries)', 'CLI', 'curl']);
  });

  it('no sample holds a secret: bodies read them from the environment', () => {
    for (const op of operations)
      for (const sample of op['x-codeSamples']) expect(sample.source).not.toMatch(/robot account secret|s3cret/);
  });
});

describe.each(['TypeScript (swr-registries)', 'CLI', 'curl'])('the %s samples, run as written', (label) => {
  it('each one succeeds against the emulator, in turn', async () => {
    const emu = await emulatorForSamples();
    for (const sample of samplesOf(label)) {
      const r = await runSample(sample, emu);
      expect(r.code, `${sample.operationId}:\n${sample.source}\n${r.stdout}${r.stderr}`).toBe(0);
      if (sample.body) expect(r.stdout.trim(), sample.operationId).not.toBe('');
      expect(r.stdout + r.stderr).not.toContain('sample-secret-0001');
    }
    // What the samples did, seen in the emulator: made, changed, run, stopped, deleted.
    const registries = emu.store.items(emu, 'registry')!;
    expect(registries.map((r) => r.name)).toContain('harbor-dr');
    expect(registries.map((r) => r.id)).not.toContain(24);
    expect(emu.store.items(emu, 'policy')!.map((p) => p.id)).not.toContain(7);
  }, 120_000);
});
