// The page's script: the real client, bundled by esbuild for the browser, rendering a table.
import { createSwrClient, type SwrClientOptions } from '../../src/index.js';

declare global {
  interface Window {
    listRegistries(
      options: SwrClientOptions,
      instanceId: string,
    ): Promise<{ count: number; total: number | undefined; signed: boolean }>;
  }
}

window.listRegistries = async (options, instanceId) => {
  const swr = createSwrClient(options);
  const all = await swr.listAllRegistries(
    instanceId,
    { order_column: 'name', order_type: 'asc' },
    { pageSize: 20, concurrency: 4 },
  );
  const tbody = document.querySelector('#registries tbody')!;
  tbody.replaceChildren(
    ...all.registries.map((r) => {
      const row = document.createElement('tr');
      for (const value of [r.id, r.name, r.type, r.status]) {
        const cell = document.createElement('td');
        cell.textContent = String(value);
        row.append(cell);
      }
      return row;
    }),
  );
  return { count: all.registries.length, total: all.total, signed: 'accessKey' in options.auth };
};
