#!/usr/bin/env node
// The spec-change guard: compares the bundled spec with the last released one, lists every
// change, and fails unless the version went up as far as the biggest change needs (semver: a
// breaking change the major, an addition the minor, any other change the patch), in info.version
// and package.json alike.
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

// Annotations that change no rule on the wire: a subschema that differs only in these is the same
// subschema. The `x-` ones say how a client treats a rule (a guess that only warns, the words of
// its error, a CLI flag's name), not what the service accepts.
const PROSE = new Set([
  'title',
  'description',
  'summary',
  'example',
  'examples',
  'externalDocs',
  '$comment',
  'x-guess',
  'x-guess-keywords',
  'x-rule',
  'x-cli-flag',
  'x-cli-env',
]);

const parts = (version) => String(version).split(/[.+-]/).slice(0, 3).map(Number);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { base: { type: 'string' }, revision: { type: 'string' }, 'package-version': { type: 'string' } },
});
const revision = resolve(values.revision ?? join(root, 'generated', 'openapi.yaml'));
const packageVersion =
  values['package-version'] ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'swr-spec-diff-'));
// On every way out, process.exit() included (a finally block would not run then).
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

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
  const { base: baseVersion, revision: revisionVersion } = report.infoVersions;
  const changes = withEquivalentsMarked(report.changes ?? []);
  const counted = changes.filter((c) => !c.equivalent);
  const count = (impact) => counted.filter((c) => c.impact === impact).length;
  const bump = ['major', 'minor', 'patch'].find((impact) => count(impact) > 0) ?? 'none';
  process.stdout.write(
    `spec:diff ${baseName} (${baseVersion}) -> ${revision.replace(`${root}/`, '')} (${revisionVersion})\n`,
  );
  process.stdout.write(`changes: ${count('major')} major, ${count('minor')} minor, ${count('patch')} patch\n`);
  for (const change of changes) process.stdout.write(`${describe(change)}\n`);
  if (revisionVersion !== packageVersion) {
    process.stderr.write(
      `✖ info.version ${revisionVersion} and package.json ${packageVersion} differ: keep them equal\n`,
    );
    process.exit(1);
  }
  const needed = requiredVersion(baseVersion, bump);
  if (compareVersions(revisionVersion, needed) < 0) {
    process.stderr.write(
      bump === 'major'
        ? `✖ breaking change: bump the major version (info.version in spec/openapi.yaml and package.json) to ${needed} or above, or make the change compatible\n`
        : `✖ ${bump} change: bump the version (info.version in spec/openapi.yaml and package.json) to ${needed} or above\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    bump === 'major'
      ? '✔ breaking change, with a major version bump\n'
      : `✔ no breaking change (${bump === 'none' ? 'nothing changed' : `a ${bump} change, version ${revisionVersion}`})\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

function rulesOf(node) {
  if (Array.isArray(node)) return node.map(rulesOf);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.keys(node)
      .filter((key) => !PROSE.has(key))
      .sort()
      .map((key) => [
        key,
        key === 'properties'
          ? Object.fromEntries(Object.entries(node[key]).map(([k, v]) => [k, rulesOf(v)]))
          : rulesOf(node[key]),
      ]),
  );
}

/**
 * redocly diff compares subschemas of anyOf/oneOf/allOf by position, and calls an inline
 * subschema replaced by a `$ref` to the same rules one removed and one added, each major. Such a
 * pair, at one place and with the same rules once prose is set aside, is marked `equivalent`.
 */
function withEquivalentsMarked(changes) {
  const removed = new Map(changes.filter((c) => c.kind === 'removed').map((c) => [c.path, c]));
  const same = new Set();
  for (const added of changes.filter((c) => c.kind === 'added')) {
    const gone = removed.get(added.path);
    if (gone && JSON.stringify(rulesOf(gone.base?.value)) === JSON.stringify(rulesOf(added.revision?.value))) {
      same.add(gone);
      same.add(added);
    }
  }
  return changes.map((c) => ({ ...c, equivalent: same.has(c) }));
}

/** One line per change: its impact, what changed and where, and the rules that judged it. */
function describe(change) {
  const where = change.revision?.pointer ?? change.base?.pointer ?? change.path;
  const impact = change.equivalent ? 'same' : change.impact;
  const rules = change.verdicts?.map((v) => `${v.ruleId}: ${v.message}`).join('; ');
  const note = change.equivalent ? 'the same rules: only prose, a $ref or annotations differ' : rules;
  return `  ${impact.padEnd(5)} ${change.kind.padEnd(8)} ${where}${note ? ` (${note})` : ''}`;
}

/** -1, 0 or 1 as `a` is below, equal to or above `b` (major.minor.patch). */
function compareVersions(a, b) {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** The lowest version a change of this impact needs after `base`. */
function requiredVersion(base, bump) {
  const [major, minor, patch] = parts(base);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
  return base;
}
