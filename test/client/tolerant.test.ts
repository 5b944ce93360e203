// A tolerant reader: answers that differ from the spec are delivered as received, each difference
// reported once per field, and `strict: true` turns them into errors. Served over loopback by a
// fake SWR that mutates one field of every registry it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwrApiError, type SwrDifferenceEvent, type SwrLogEvent } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientAt, clientFor, startServer } from '../helpers/clients.js';
import { spec } from '../helpers/spec.js';

const REGISTRY = spec.components.schemas.Registry;
const FIELDS: string[] = Object.keys(REGISTRY.properties);
// What strict mode insists on (the spec's x-strict-required): missing from an answer, reported.
const REQUIRED = new Set<string>(REGISTRY['x-strict-required']);
const OPEN_ENUMS = new Set(['type', 'status']);
const TOTAL = 23;
const PAGE = 10;

function record(id: number): Record<string, unknown> {
  return {
    id,
    name: `registry-${id}`,
    description: 'd',
    project_id: 'p',
    region_id: 'cn-north-4',
    instance_id: 'i',
    type: 'swr-pro',
    url: `https://harbor-${id}.example.com`,
    credential: { type: 'basic', access_key: 'robot', access_secret: '' },
    dns_conf: { hosts: { 'harbor.example.com': '192.0.2.10' } },
    insecure: false,
    status: 'healthy',
    created_at: '2021-02-05T09:31:00.298426Z',
    updated_at: '2021-02-19T12:19:51.912632Z',
  };
}

/** A value of another JSON type than the field's. */
function otherType(field: string): unknown {
  const value = record(1)[field];
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return 'forty-two';
  if (typeof value === 'boolean') return 'no';
  return 'not-an-object';
}

type Variant = 'missing' | 'null' | 'other type' | 'unknown value';
const cases: Array<[string, Variant]> = FIELDS.flatMap((field) => [
  [field, 'missing'] as [string, Variant],
  [field, 'null'] as [string, Variant],
  [field, 'other type'] as [string, Variant],
  ...(OPEN_ENUMS.has(field) ? [[field, 'unknown value'] as [string, Variant]] : []),
]);

function mutate(r: Record<string, unknown>, field: string, variant: Variant): Record<string, unknown> {
  const out = { ...r };
  if (variant === 'missing') delete out[field];
  else if (variant === 'null') out[field] = null;
  else if (variant === 'other type') out[field] = otherType(field);
  else out[field] = `never-seen-${field}`;
  return out;
}

/** Whether the spec calls this variant a difference (an optional field may be missing). */
const differs = (field: string, variant: Variant) => variant !== 'missing' || REQUIRED.has(field);

let server: Awaited<ReturnType<typeof startServer>>;
let current: { field: string; variant: Variant; withTotal: boolean };

beforeAll(async () => {
  server = await startServer((req, res) => {
    const query = new URL(req.url!, 'http://x').searchParams;
    const offset = Number(query.get('offset') ?? 0);
    const limit = Number(query.get('limit') ?? 10);
    const ids = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => offset + i + 1);
    const registries = ids.map((id) => mutate(record(id), current.field, current.variant));
    const body = current.withTotal ? { total: TOTAL, registries } : { registries };
    res
      .writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': `req-${offset}` })
      .end(JSON.stringify(body));
  });
});
afterAll(() => server.close());

describe('a record that differs from the spec', () => {
  it.each(cases)('%s %s: delivered as received, reported once, the walk complete', async (field, variant) => {
    for (const withTotal of [true, false]) {
      current = { field, variant, withTotal };
      const events: SwrLogEvent[] = [];
      const swr = clientAt(server.url, { logger: (e) => events.push(e) });
      const result = await swr.listAllRegistries('i', {}, { pageSize: PAGE, concurrency: 4 });
      expect(result.registries).toHaveLength(TOTAL);
      expect(result.registries[4]).toEqual(mutate(record(5), field, variant));
      expect(result.total).toBe(withTotal ? TOTAL : undefined);
      expect(result.pages).toBe(Math.ceil(TOTAL / PAGE));
      const reported = events.filter((e): e is SwrDifferenceEvent => e.type === 'difference');
      if (differs(field, variant)) {
        expect(reported, `${field} ${variant}`).toHaveLength(1);
        expect(reported[0]).toMatchObject({ operationId: 'ListInstanceRegistries', field: `registries[].${field}` });
        expect(result.differences).toBe(TOTAL);
      } else {
        expect(reported).toEqual([]);
        expect(result.differences).toBe(0);
      }
    }
  });

  it.each(cases.filter(([field, variant]) => differs(field, variant)))(
    '%s %s: an error with strict: true',
    async (field, variant) => {
      current = { field, variant, withTotal: true };
      const error = await clientAt(server.url, { strict: true })
        .listRegistries('i')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwrApiError);
      expect(error).toMatchObject({ kind: 'invalid_response', status: 200, retryable: false, requestId: 'req-0' });
      expect((error as SwrApiError).message).toContain(`registries[].${field}`);
    },
  );

  it('a page without total is walked page after page until a short one', async () => {
    current = { field: 'description', variant: 'missing', withTotal: false };
    const swr = clientAt(server.url);
    const offsets: number[] = [];
    for await (const page of swr.pages('i', {}, { pageSize: PAGE, concurrency: 8 })) offsets.push(page.offset);
    expect(offsets).toEqual([0, 10, 20]);
    expect(server.requests).toBeGreaterThan(0);
  });

  it('a difference never carries the value that arrived, only its JSON type', async () => {
    current = { field: 'credential', variant: 'other type', withTotal: true };
    const events: SwrLogEvent[] = [];
    await clientAt(server.url, { logger: (e) => events.push(e) }).listRegistries('i');
    const difference = events.find((e) => e.type === 'difference');
    expect(difference).toMatchObject({ field: 'registries[].credential', kind: 'type', received: 'string', count: 10 });
    expect(JSON.stringify(difference)).not.toContain('not-an-object');
  });
});

describe('Harbor-style answers from the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ items: { registry: 120 }, harborStyle: true });
  });
  afterAll(() => emu.close());

  it('leave out false, empty and nil fields, and the client reads them without a single difference', async () => {
    const events: SwrLogEvent[] = [];
    const all = await clientFor(emu, { logger: (e) => events.push(e), strict: true }).listAllRegistries(emu.instanceId);
    expect(all.registries).toHaveLength(120);
    expect(all.differences).toBe(0);
    expect(events.filter((e) => e.type === 'difference')).toEqual([]);
    expect(all.registries.some((r) => !('insecure' in r))).toBe(true);
    expect(all.registries.some((r) => !('description' in r))).toBe(true);
    expect(all.registries.every((r) => r.insecure !== false && r.description !== '')).toBe(true);
    expect(all.registries.every((r) => r.credential?.access_secret === '*****')).toBe(true);
  });
});
