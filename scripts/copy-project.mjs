// Copies the project as a clone would hold it: the tracked files plus untracked ones git does not
// ignore (work in progress), and nothing else (no node_modules, dist or caches).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Copies the project at `root` into `destination`, as a fresh clone of the working tree. */
export function copyProject(root, destination) {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    cpSync(join(root, file), join(destination, file));
  }
}
