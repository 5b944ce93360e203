// Run by emulator.test.ts with --expose-gc: the emulator's retained heap after 8, then after 48,
// distinct list queries over 20 000 registries. Prints JSON.
import { startEmulator } from '../../dist/emulator/index.js';

const emu = await startEmulator({ items: { registry: 20_000 } });
const base = `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`;
const heap = async () => {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 20));
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const columns = ['created_at', 'updated_at', 'name'];
const orders = ['asc', 'desc'];
let n = 0;
const query = async () => {
  const i = n++;
  const search = new URLSearchParams({
    order_column: columns[i % 3],
    order_type: orders[Math.floor(i / 3) % 2],
    name: `-${i % 8}`,
    limit: '100',
    offset: '0',
  });
  const response = await fetch(`${base}?${search}`, { headers: { 'X-Auth-Token': emu.token } });
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  await response.arrayBuffer();
};
const start = await heap();
for (let i = 0; i < 8; i++) await query();
const after8 = await heap();
for (let i = 0; i < 40; i++) await query();
const after48 = await heap();
const data = JSON.stringify(emu.store.items(emu, 'registry')).length;
await emu.close();
process.stdout.write(JSON.stringify({ start, after8, after48, data }));
