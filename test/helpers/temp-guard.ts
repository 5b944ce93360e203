// Global setup: the suite must leave nothing of its own in the temp directory. Every test and
// script names its temporary folders `swr-…`; any new one still there at the end fails the run.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ours = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('swr-')));

export default function setup() {
  const before = ours();
  return () => {
    const left = [...ours()].filter((name) => !before.has(name));
    if (left.length > 0) throw new Error(`the suite left ${left.length} folder(s) in ${tmpdir()}: ${left.join(', ')}`);
  };
}
