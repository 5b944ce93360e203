// The compile-time tests (*.test-d.ts: expectTypeOf assertions on the generated types), checked
// by tsc itself. A deliberately wrong assertion must fail, or the check proves nothing.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Inside the project (its node_modules), so that `vitest` and @types/node resolve as they do here.
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(cache, 'swr-types-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const check = (project: string) =>
  promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: root, encoding: 'utf8' }).then(
    () => ({ code: 0, out: '' }),
    (error: { code: number; stdout: string }) => ({ code: error.code, out: error.stdout }),
  );

describe('the type tests', () => {
  it('hold', async () => {
    const r = await check('test/types/tsconfig.json');
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('would fail on a wrong expectation', async () => {
    writeFileSync(
      join(work, 'wrong.test-d.ts'),
      `import { expectTypeOf } from 'vitest';\nimport type { Registry } from '../../../generated/schema.js';\n` +
        `expectTypeOf<Registry['id']>().toEqualTypeOf<string>();\n`,
    );
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { noEmit: true },
        include: ['wrong.test-d.ts'],
      }),
    );
    const r = await check(join(work, 'tsconfig.json'));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/wrong\.test-d\.ts\(3,/);
  });
});
