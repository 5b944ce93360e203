// The temp guard (test/helpers/temp-guard.ts) fails a run that leaves a folder behind, and counts
// only the run's own: a folder another process makes beside it does not count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runVitest(outer: string) {
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  const config = 'test/helpers/fixtures/vitest.guard.config.ts';
  const r = spawnSync(process.execPath, [vitest, 'run', '--config', config], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: outer, TEMP: outer, TMP: outer },
  });
  return { code: r.status, output: r.stdout + r.stderr };
}

it('fails a run whose test leaves a folder, naming it, and counts only its own folders', () => {
  const outer = mkdtempSync(join(tmpdir(), 'swr-guard-'));
  try {
    // Made beside the run, by "another process": never counted.
    mkdtempSync(join(outer, 'swr-someone-else-'));
    const leaking = runVitest(outer);
    expect(leaking.output).toMatch(/1 passed/);
    expect(leaking.output).toMatch(/the suite left 1 item\(s\) in its temp directory .*: swr-left-/);
    expect(leaking.output).not.toMatch(/swr-someone-else/);
    expect(leaking.code).toBe(1);
  } finally {
    rmSync(outer, { recursive: true, force: true });
  }
}, 60_000);
