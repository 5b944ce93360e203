// The package as another repo meets it: packed, installed from the tarball into throwaway projects.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let work: string;
let consumer: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'swr-consumers-'));
  // dist/ is built by `npm test`; --ignore-scripts packs exactly what is there.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: root, stdio: 'pipe' });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  consumer = join(work, 'consumer');
  cpSync(fixtures, consumer, { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'swr-registries': `file:../${tarball}` },
    }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], {
    cwd: consumer,
    stdio: 'pipe',
  });
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a TypeScript consumer (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)', () => {
  // One program per resolution mode: ok.ts must compile clean, bad.ts must fail on its one line.
  it.each(['nodenext', 'bundler'])('compiles under moduleResolution %s, and rejects a wrong order_column', (mode) => {
    writeFileSync(
      join(consumer, `tsconfig.both-${mode}.json`),
      JSON.stringify({ extends: `./tsconfig.${mode}.json`, files: ['ok.ts', 'bad.ts'] }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', `tsconfig.both-${mode}.json`], {
      cwd: consumer,
      encoding: 'utf8',
    });
    const errors = result.stdout.split('\n').filter((line) => /error TS/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(\d+,\d+\): error TS2322: Type '"size"' is not assignable to type/);
    for (const known of ['"created_at"', '"updated_at"', '"name"']) expect(result.stdout).toContain(known);
    expect(result.stdout).not.toMatch(/ok\.ts|node_modules/);
  });
});

describe('a JavaScript consumer against the packaged emulator', () => {
  it('works with import', () => {
    const out = execFileSync(process.execPath, ['consumer.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ esm: 30, operation: 'ListInstanceRegistries' });
  });

  it('works with require', () => {
    const out = execFileSync(process.execPath, ['consumer.cjs'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ cjs: 5, total: 12 });
  });

  it('ships only what consumers need', () => {
    const listed = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
    });
    const files: string[] = JSON.parse(listed)[0].files.map((f: { path: string }) => f.path);
    expect(files.every((f) => /^(dist\/|generated\/|README\.md$|package\.json$|LICENSE)/.test(f))).toBe(true);
    expect(files).toContain('generated/schema.d.ts');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });
});
