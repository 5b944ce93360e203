#!/usr/bin/env node
// Runs the Redocly CLI with the given arguments, without its framed "Node.js 20 support is ending"
// notice (printed on every run under Node 20, about Redocly's own future, not about our spec).
// Everything else it prints, and its exit code, pass through.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NOTICE = /^\s*[╔║╚][^\n]*\n?/gm;
const result = spawnSync(join(root, 'node_modules', '.bin', 'redocly'), process.argv.slice(2), {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
});
const clean = (text) => (text ?? '').replace(NOTICE, '').replace(/^\n+/, '');
process.stdout.write(clean(result.stdout));
process.stderr.write(clean(result.stderr));
process.exitCode = result.status ?? 1;
