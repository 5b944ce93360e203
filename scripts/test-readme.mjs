#!/usr/bin/env node
// The README's code blocks, run the way the README tells a reader to (`npm run test:readme`; CI
// runs it after `npm test`):
//
// - ```ts blocks: in a folder made as the Install section makes it (`npm pack`, `npm init -y`,
//   `npm install` the tarball), each block saved as `example.mts` and put through the ```sh recipe
//   block's commands (TypeScript and @types/node installed, `tsc` with its flags, `node`), with the
//   pinned TypeScript and the newest one, then run on Node 20, 22 and 24; a block marked
//   `needs-cloud` is type-checked only;
// - ```sh blocks run with bash from the project root, unless marked `needs-cloud` or `recipe`; the
//   first one (the quick start) runs in a fresh copy of the project, `npm test` aside, which CI
//   runs itself.
//
// Everything happens in one temporary folder (also TMPDIR for the blocks), removed at the end.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyProject } from './copy-project.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  index: i + 1,
  lang: m[1],
  cloud: /\bneeds-cloud\b/.test(m[2]),
  recipe: /\brecipe\b/.test(m[2]),
  code: m[3],
  line: readme.slice(0, m.index).split('\n').length,
}));
// The Node lines the README promises, and the TypeScript versions it names.
const NODES = (process.env.README_NODES ?? '20.19,22,24').split(',');
const TYPESCRIPTS = ['pinned', 'latest'];
const work = mkdtempSync(join(tmpdir(), 'swr-readme-'));
// The blocks see a user's shell: none of the npm_* variables that `npm run` (or an `npx -p node@X`
// around it) sets, which would change what a nested `npx` runs.
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
const env = { ...shellEnv, TMPDIR: work, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' };
const failures = [];
const say = (text) => process.stdout.write(`${text}\n`);

function run(label, command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', env, timeout: 300_000, ...options });
  const ok = r.status === 0;
  say(`${ok ? '✔' : '✖'} ${label}${ok ? '' : ` (exit ${r.status ?? r.signal})`}`);
  if (!ok) failures.push(`${label}\n${r.stdout}${r.stderr}`.trimEnd());
  return r;
}

/** The folder the Install section makes: `npm init -y`, then the packed tarball installed. */
function installFolder(name, tarball) {
  const dir = join(work, name);
  mkdirSync(dir);
  run(`${name}: npm init -y`, 'npm', ['init', '-y'], { cwd: dir });
  run(`${name}: npm install the tarball`, 'npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: dir });
  return dir;
}

/** The recipe's commands, split: the install line, the tsc line, the run line. */
function recipeOf() {
  const recipe = blocks.find((b) => b.recipe);
  if (!recipe) throw new Error('the README has no ```sh recipe block');
  const lines = recipe.code
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
  const find = (re) => lines.find((line) => re.test(line)) ?? '';
  return { install: find(/^npm install/), tsc: find(/^npx tsc/), node: find(/^node /), line: recipe.line };
}

try {
  // TypeScript, as the README says: an Install folder per TypeScript version, the recipe in it.
  const packed = run('npm pack (as the Install section does)', 'npm', ['pack', '--pack-destination', work], {
    cwd: root,
  });
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) ?? 'missing.tgz');
  const recipe = recipeOf();
  const ts = blocks.filter((b) => b.lang === 'ts');
  if (packed.status === 0) {
    for (const version of TYPESCRIPTS) {
      const dir = installFolder(`consumer-ts-${version}`, tarball);
      const install = recipe.install.split(/\s+/).slice(1);
      // The recipe installs the newest; the pinned run installs the project's own version.
      const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.typescript;
      const args =
        version === 'pinned' ? install.map((a) => (a === 'typescript' ? `typescript@${pinned}` : a)) : install;
      run(`TypeScript ${version}: ${['npm', ...args].join(' ')} (recipe, line ${recipe.line})`, 'npm', args, {
        cwd: dir,
      });
      const tscVersion = spawnSync('npx', ['tsc', '--version'], { cwd: dir, encoding: 'utf8', env }).stdout.trim();
      for (const b of ts) {
        const blockDir = join(dir, `block-${b.index}`);
        mkdirSync(blockDir);
        writeFileSync(join(blockDir, 'example.mts'), b.code);
        const tscArgs = recipe.tsc.split(/\s+/).slice(1);
        // The block's folder sits inside the consumer's, so `swr-registries` and typescript resolve from there.
        const compiled = run(`${tscVersion}: ${recipe.tsc}, the block at line ${b.line}`, 'npx', tscArgs, {
          cwd: blockDir,
        });
        if (b.cloud || compiled.status !== 0) continue;
        for (const node of NODES) {
          const args = recipe.node.split(/\s+/).slice(1);
          run(
            `${tscVersion}, Node ${node}: ${recipe.node}, the block at line ${b.line}`,
            'npx',
            ['-y', '-p', `node@${node}`, 'node', ...args],
            {
              cwd: blockDir,
            },
          );
        }
      }
    }
  }

  // Shell: the quick start in a fresh copy (tracked files and untracked ones not ignored).
  const [quick, ...shell] = blocks.filter((b) => b.lang === 'sh' && !b.cloud && !b.recipe);
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
