// Global setup: the suite must leave nothing in the temp directory. The run gets a temp
// directory of its own (TMPDIR, which os.tmpdir(), the workers and every spawned process
// inherit), so that what another process makes beside it is never counted; anything still in it
// at the end fails the run, by its exit code.
import { mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NODE_CACHE = 'node-compile-cache';

export default function setup() {
  const outer = tmpdir();
  const own = mkdtempSync(join(outer, 'swr-test-run-'));
  process.env.TMPDIR = own;
  process.env.TEMP = own;
  process.env.TMP = own;
  return () => {
    // Node's own module compile cache (Node 22 and later, in os.tmpdir()) is Node's, not a test's.
    rmSync(join(own, NODE_CACHE), { recursive: true, force: true });
    const left = readdirSync(own);
    if (left.length === 0) {
      rmdirSync(own);
      return;
    }
    process.stderr.write(`\nthe suite left ${left.length} item(s) in its temp directory ${own}: ${left.join(', ')}\n`);
    // Vitest reports a teardown error without failing the run: the exit code says it.
    process.exitCode = 1;
    process.once('exit', () => {
      process.exitCode = 1;
    });
  };
}
