// `npm start`: the quick start. Starts the emulator in this process with a seeded instance, lists
// every registry through the real client (AK/SK signing, concurrent pagination) and prints a table.
import { createSwrClient } from '../index.js';
import { startEmulator } from '../emulator/index.js';
import { DOCS_FILE } from './docs.js';
import { table } from './output.js';
import type { Io } from './usage.js';

/** Runs the demo; returns the exit code. */
export async function runDemo(io: Io): Promise<number> {
  const emu = await startEmulator({ seed: 240, latencyMs: { min: 5, max: 15 } });
  try {
    const swr = createSwrClient({
      endpoint: emu.url,
      projectId: emu.projectId,
      auth: { accessKey: emu.credentials!.accessKey, secretKey: emu.credentials!.secretKey },
    });
    io.stdout.write(`Emulator on ${emu.url} (project ${emu.projectId}, instance ${emu.instanceId}, 240 registries)\n`);
    io.stdout.write(
      'Listing every registry with AK/SK signing and concurrent pagination (page size 50, concurrency 4)...\n\n',
    );
    const t0 = performance.now();
    const all = await swr.listAllRegistries(
      emu.instanceId,
      { order_column: 'name', order_type: 'asc' },
      { pageSize: 50, concurrency: 4 },
    );
    const ms = performance.now() - t0;
    const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env);
    const shown = all.registries.slice(0, 15);
    io.stdout.write(table(shown, { color }));
    io.stdout.write(
      [
        `... ${all.registries.length - shown.length} more`,
        '',
        `${all.registries.length} of ${all.total} registries in ${all.pages} pages, ${ms.toFixed(0)} ms; ` +
          `duplicates dropped: ${all.duplicatesDropped}; ${emu.stats.requests} signed requests, at most ${emu.stats.maxInFlight} at once.`,
        '',
        `API docs (offline): ${DOCS_FILE}`,
        '  serve them with `npm run docs` (or `npx swr-registries docs`)',
        'Next: `npx swr-registries emulator` and `npx swr-registries list --help`.',
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await emu.close();
  }
}
