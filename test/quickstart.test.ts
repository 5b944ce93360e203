// The README's first command, run as a newcomer would: in a fresh clone-like copy of the repo.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'swr-quickstart-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the quick start', () => {
  it('`npm ci && npm start` from the README exits 0 and lists registries', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = /```sh\n([^\n]+)\n/.exec(readme)?.[1];
    expect(command).toBe('npm ci && npm start');
    // What a clone holds: the tracked files plus untracked ones not ignored (work in progress).
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(work, file)), { recursive: true });
      cpSync(join(root, file), join(work, file));
    }
    const run = spawnSync('bash', ['-c', command!], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
      timeout: 300_000,
    });
    expect(run.stderr).not.toMatch(/ERR!/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ID\s+NAME\s+TYPE\s+URL\s+STATUS\s+INSECURE\s+CREATED_AT/);
    expect(run.stdout).toMatch(/240 of 240 registries in 5 pages/);
    expect(run.stdout).toMatch(/API docs \(offline\): .*generated\/docs\/index\.html/);
  }, 320_000);
});
