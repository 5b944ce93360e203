// `npm start`: the quick start. Starts the emulator in this process with a seeded instance, lists
// every registry through the real client (AK/SK signing, concurrent pagination) and prints a table,
// then creates, shows, updates and deletes one registry.
import { createSwrClient, SwrApiError, type CreateRegistryBody, type SwrClient } from '../index.js';
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
        await lifecycle(swr, emu.instanceId),
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

/** One registry's life: created (twice, to show a create is safe to repeat), shown, updated, deleted. */
async function lifecycle(swr: SwrClient, instanceId: string): Promise<string> {
  const body: CreateRegistryBody = {
    name: 'demo-harbor',
    type: 'swr-pro',
    url: 'https://harbor-demo.example.com',
    credential: { type: 'basic', access_key: 'robot$demo', access_secret: 'demo-secret-never-printed' },
    dns_conf: { hosts: { 'harbor-demo.example.com': '192.0.2.10' } },
    insecure: false,
  };
  const created = await swr.createRegistry(instanceId, body);
  const again = await swr.createRegistry(instanceId, body);
  const shown = await swr.getRegistry(instanceId, created.id);
  await swr.updateRegistry(instanceId, created.id, { ...body, url: 'https://harbor-demo.invalid' });
  const updated = await swr.getRegistry(instanceId, created.id);
  const deleted = await swr.deleteRegistry(instanceId, created.id);
  const gone = await swr.getRegistry(instanceId, created.id).catch((error: unknown) => error);
  return [
    'One registry, created, shown, updated and deleted through the client:',
    `  create ${body.name}: id ${created.id} (${created.outcome}); the same create again: id ${again.id} (${again.outcome})`,
    `  get ${created.id}: ${shown.url}, ${shown.status}, access_secret answered as ${JSON.stringify(shown.credential?.access_secret)}`,
    `  update ${created.id}: url ${updated.url} (a host under .invalid: the emulator calls it ${updated.status})`,
    `  delete ${created.id}: ${deleted.outcome}; get ${created.id} now: ${gone instanceof SwrApiError ? `${gone.status} ${gone.kind}` : 'still there?'}`,
    '',
  ].join('\n');
}
