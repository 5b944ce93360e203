#!/usr/bin/env node
// The spec-change guard: compares the bundled spec with the last released one and fails on a
// breaking change unless the major version went up, in info.version and package.json alike.
//
//   node scripts/spec-diff.mjs [--base FILE] [--revision FILE] [--package-version V]
//
// The baseline is --base, else the newest `v*` git tag's generated/openapi.yaml, or else the
// committed .ci/released/openapi.yaml (the release flow in the README refreshes it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { base: { type: 'string' }, revision: { type: 'string' }, 'package-version': { type: 'string' } },
});
const revision = resolve(values.revision ?? join(root, 'generated', 'openapi.yaml'));
const packageVersion =
  values['package-version'] ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'swr-spec-diff-'));

const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
const tag = git('tag', '--list', 'v*', '--sort=-v:refname').stdout?.split('\n').find(Boolean);
let base = values.base ? resolve(values.base) : join(root, '.ci', 'released', 'openapi.yaml');
let baseName = values.base ?? '.ci/released/openapi.yaml';
if (tag && !values.base) {
  const shown = git('show', `${tag}:generated/openapi.yaml`);
  if (shown.status === 0) {
    base = join(work, 'base.yaml');
    writeFileSync(base, shown.stdout);
    baseName = `${tag}:generated/openapi.yaml`;
  }
}

try {
  const diff = spawnSync(
    join(root, 'node_modules', '.bin', 'redocly'),
    [
      'diff',
      base,
      revision,
      '--config',
      join(root, 'scripts', 'redocly-diff.yaml'),
      '--format',
      'json',
      '--fail-on',
      'none',
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
  );
  let report;
  try {
    report = JSON.parse(diff.stdout);
  } catch {
    process.stderr.write(`redocly diff failed:\n${diff.stdout}${diff.stderr}`);
    process.exit(1);
  }
  const major = (v) => Number(String(v).split('.')[0]);
  const { base: baseVersion, revision: revisionVersion } = report.infoVersions;
  process.stdout.write(
    `spec:diff ${baseName} (${baseVersion}) -> ${revision.replace(`${root}/`, '')} (${revisionVersion})\n`,
  );
  process.stdout.write(
    `changes: ${report.summary.major} major, ${report.summary.minor} minor, ${report.summary.patch} patch\n`,
  );
  for (const change of report.changes ?? []) {
    for (const verdict of change.verdicts ?? []) {
      process.stdout.write(
        `  ${verdict.impact.padEnd(5)} ${verdict.ruleId}: ${verdict.message} (${verdict.location?.pointer ?? change.path})\n`,
      );
    }
  }
  if (revisionVersion !== packageVersion) {
    process.stderr.write(
      `✖ info.version ${revisionVersion} and package.json ${packageVersion} differ: keep them equal\n`,
    );
    process.exit(1);
  }
  if (report.bump === 'major' && !(major(revisionVersion) > major(baseVersion))) {
    process.stderr.write(
      `✖ breaking change: bump the major version (info.version in spec/openapi.yaml and package.json) above ${major(baseVersion)}, or make the change compatible\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    report.bump === 'major' ? '✔ breaking change, with a major version bump\n' : '✔ no breaking change\n',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
