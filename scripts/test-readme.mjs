#!/usr/bin/env node
// The README's code blocks, run as written (`npm run test:readme`; CI runs it after `npm test`):
//
// - ```ts blocks are type-checked together against the built package, under the strict settings a
//   consumer may use, and then run, unless marked `needs-cloud` (```ts needs-cloud: checked only);
// - ```sh blocks run with bash from the project root, unless marked `needs-cloud`; the first block
//   (the quick start) runs in a fresh copy of the project, `npm test` aside, which CI runs itself.
//
// Everything happens in one temporary folder (also TMPDIR for the blocks), removed at the end.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { copyProject } from './copy-project.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i + 1,
  lang: m[1],
  cloud: /\bneeds-cloud\b/.test(m[2]),
  code: m[3],
  line: readme.slice(0, m.index).split('\n').length,
}));
const work = mkdtempSync(join(tmpdir(), 'swr-readme-'));
// The blocks see a user's shell: none of the npm_* variables that `npm run` (or an `npx -p node@X`
// around it) sets, which would change what a nested `npx` runs.
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
const env = { ...shellEnv, TMPDIR: work, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' };
const failures = [];
const say = (text) => process.stdout.write(`${text}\n`);

function run(label, command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', env, timeout: 300_000, ...options });
  const ok = r.status === 0;
  say(`${ok ? '✔' : '✖'} ${label}${ok ? '' : ` (exit ${r.status ?? r.signal})`}`);
  if (!ok) failures.push(`${label}\n${r.stdout}${r.stderr}`.trimEnd());
  return r;
}

try {
  // TypeScript: one project whose `swr-registries` is this package, built.
  const project = join(work, 'ts');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(root, join(project, 'node_modules', 'swr-registries'), 'dir');
  const ts = blocks.filter((b) => b.lang === 'ts');
  for (const b of ts) writeFileSync(join(project, `block-${b.index}.mts`), b.code);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2022',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['*.mts'],
    }),
  );
  run(`type-check ${ts.length} TypeScript blocks (lines ${ts.map((b) => b.line).join(', ')})`, process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    project,
  ]);
  for (const b of ts.filter((x) => !x.cloud)) {
    const js = transformSync(b.code, { loader: 'ts', format: 'esm', target: 'esnext' }).code;
    writeFileSync(join(project, `block-${b.index}.mjs`), js);
    run(`run the TypeScript block at line ${b.line}`, process.execPath, [`block-${b.index}.mjs`], { cwd: project });
  }

  // Shell: the quick start in a fresh copy (tracked files and untracked ones not ignored).
  const [quick, ...shell] = blocks.filter((b) => b.lang === 'sh' && !b.cloud);
  const copy = join(work, 'clone');
  copyProject(root, copy);
  const steps = quick.code.split('\n').filter((line) => line.trim() !== '' && line.trim() !== 'npm test');
  const started = run(
    `the quick start at line ${quick.line}, in a fresh copy: ${steps.join('; ')}`,
    'bash',
    ['-euo', 'pipefail', '-c', steps.join('\n')],
    { cwd: copy },
  );
  if (started.status === 0 && !/ID\s+NAME\s+TYPE\s+URL/.test(started.stdout))
    failures.push('the quick start printed no table');
  for (const b of shell) {
    // A server a block starts in the background stops with the block, whatever happens.
    const code = `trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${b.code}`;
    run(`the shell block at line ${b.line}`, 'bash', ['-euo', 'pipefail', '-c', code], { cwd: root });
  }
  const skipped = blocks.filter((b) => b.cloud).map((b) => b.line);
  say(
    `${blocks.length} blocks; ${skipped.length} need a cloud account and were checked only as above (lines ${skipped.join(', ')})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failures.length > 0) {
  process.stderr.write(`\n${failures.join('\n\n')}\n`);
  process.exit(1);
}
