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
const nextMinor = `${version.split('.')[0]}.${Number(version.split('.')[1]) + 1}.0`;

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

  it('calls an added optional field a minor change: refused without a minor bump, let through with one', () => {
    const added = current.replace(
      /(\n {4}Registry:\n[\s\S]*?properties:\n)/,
      '$1        ca_certificate:\n          type: string\n',
    );
    expect(added).not.toBe(current);
    const refused = diff(added);
    expect(refused.out).toMatch(/changes: 0 major, 1 minor/);
    expect(refused.out).toMatch(/minor change: bump the version .* to \d+\.\d+\.0 or above/);
    expect(refused.code).toBe(1);
    const bumped = diff(added.replace(/^ {2}version: .*$/m, `  version: ${nextMinor}`), nextMinor);
    expect(bumped.out).toMatch(/a minor change, version/);
    expect(bumped.code).toBe(0);
  });

  it('lists every change, patch ones included', () => {
    const reworded = current.replace(/(\n {2}summary: )(.*)\n/, '$1$2 Reworded.\n');
    expect(reworded).not.toBe(current);
    const r = diff(reworded, version);
    expect(r.out).toMatch(/patch modified #\/info\/summary/);
    expect(r.out).toMatch(/patch change: bump the version/);
  });

  it('calls the four registry operations a minor change against the list-only spec', () => {
    const base = listOnly(JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8')));
    const baseFile = join(work, 'list-only.json');
    writeFileSync(baseFile, JSON.stringify(base));
    const revision = join(work, 'crud.yaml');
    writeFileSync(revision, current.replace(/^ {2}version: .*$/m, `  version: ${nextMinor}`));
    const r = spawnSync(
      process.execPath,
      ['scripts/spec-diff.mjs', '--base', baseFile, '--revision', revision, '--package-version', nextMinor],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stdout).toMatch(/changes: 0 major, \d+ minor/);
    expect(r.stdout).toMatch(
      /minor added +#\/paths\/~1v2~1\{project_id\}~1instances~1\{instance_id\}~1registries\/post/,
    );
    // RegistryType's enum, now behind a $ref to KnownRegistryType: the same rules, not a change.
    expect(r.stdout).toMatch(
      /same +removed .*RegistryType\/anyOf\/0 \(the same rules: only prose, a \$ref or annotations differ\)/,
    );
    expect(r.status).toBe(0);
  });
});

/** The bundled spec as it was before create, show, update and delete: list only. */
function listOnly(spec: any) {
  const LIST = '/v2/{project_id}/instances/{instance_id}/registries';
  const { schemas, parameters, responses, examples } = spec.components;
  delete spec.paths[`${LIST}/{registry_id}`];
  delete spec.paths[LIST].post;
  schemas.RegistryType.anyOf[0] = { type: 'string', enum: schemas.KnownRegistryType.enum };
  for (const name of [
    'KnownRegistryType',
    'Credential',
    'DnsConf',
    'CreateRegistryRequestBody',
    'UpdateRegistryRequestBody',
    'CreateInstanceRegistryResponse',
  ])
    delete schemas[name];
  delete schemas.Registry.properties.project_id;
  delete schemas.Registry.properties.dns_conf;
  delete parameters.registry_id;
  delete responses.Conflict;
  delete responses.NotFound.content['application/json'].examples.unknown_registry;
  for (const name of Object.keys(examples))
    if (/Create|Show|Conflict|RegistryNotFound/.test(name)) delete examples[name];
  spec.info.version = version;
  return spec;
}
