#!/usr/bin/env node
// Fails when anything committed under generated/ is not what the spec produces today.
// Regenerates into a temporary folder and compares every file byte for byte, both ways.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(root, 'generated');
const fresh = mkdtempSync(join(tmpdir(), 'swr-generate-check-'));
// On every way out, process.exit() included (a finally block would not run then).
process.on('exit', () => rmSync(fresh, { recursive: true, force: true }));

/** Lists the files below a folder, as paths relative to it. */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

try {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'generate.mjs'), '--out', fresh], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  const stale = [];
  for (const file of new Set([...files(fresh), ...files(committed)])) {
    const a = join(committed, file);
    const b = join(fresh, file);
    if (!existsSync(a)) stale.push(`generated/${file} (missing: not committed)`);
    else if (!existsSync(b)) stale.push(`generated/${file} (not produced by the spec any more)`);
    else if (!readFileSync(a).equals(readFileSync(b))) stale.push(`generated/${file} (differs from the spec)`);
  }
  if (stale.length > 0) {
    process.stderr.write(
      `\n✖ generated/ is stale:\n${stale.map((s) => `  - ${s}`).join('\n')}\nRun \`npm run generate\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stderr.write('✔ generated/ matches spec/ byte for byte\n');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
