// npm run spec:diff: a breaking change fails unless the major version went up in both places.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const current = readFileSync(join(root, 'generated', 'openapi.yaml'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'swr-spec-diff-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const nextMajor = `${Number(version.split('.')[0]) + 1}.0.0`;

function diff(yaml: string, packageVersion = version) {
  const file = join(work, `rev-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const r = spawnSync(
    process.execPath,
    [
      'scripts/spec-diff.mjs',
      '--base',
      'generated/openapi.yaml',
      '--revision',
      file,
      '--package-version',
      packageVersion,
    ],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return { code: r.status, out: r.stdout + r.stderr };
}

const withoutName = current.replace(
  /(order_column:[\s\S]*?enum:\n(\s+)- created_at\n\s+- updated_at)\n\s+- name\n/,
  '$1\n',
);

describe('spec:diff', () => {
  it('passes the committed spec against the released one', () => {
    const r = spawnSync(process.execPath, ['scripts/spec-diff.mjs'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toMatch(/✔/);
    expect(r.status).toBe(0);
  });

  it('fails on a removed enum value without a major bump', () => {
    expect(withoutName).not.toBe(current);
    const r = diff(withoutName);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/enum-values-removed/);
    expect(r.out).toMatch(/breaking change: bump the major version/);
  });

  it('passes the same change once info.version and package.json go to the next major', () => {
    const r = diff(withoutName.replace(/^ {2}version: .*$/m, `  version: ${nextMajor}`), nextMajor);
    expect(r.out).toMatch(/breaking change, with a major version bump/);
    expect(r.code).toBe(0);
  });

  it('fails when info.version and package.json disagree', () => {
    const r = diff(current, '0.0.1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/differ: keep them equal/);
  });

  it('lets an added optional field through', () => {
    const added = current.replace(
      /(\n {4}Registry:\n[\s\S]*?properties:\n)/,
      '$1        ca_certificate:\n          type: string\n',
    );
    expect(added).not.toBe(current);
    const r = diff(added);
    expect(r.code).toBe(0);
  });
});
