import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../generated/schema.js';
import { SwrApiError } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientAt, clientFor, startServer } from '../helpers/clients.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: Parameters<typeof startEmulator>[0]) => (emu = await startEmulator(options));

/** The emulator's data in the walk's default order: created_at ascending, id as tie-break. */
const oldestFirst = (rs: Registry[]) =>
  [...rs]
    .sort((a, b) => (a.created_at! < b.created_at! ? -1 : a.created_at! > b.created_at! ? 1 : a.id! - b.id!))
    .map((r) => r.id!);

const waitIdle = async (e: Emulator) => {
  for (let i = 0; i < 100 && e.stats.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
};

describe('listing everything', () => {
  it.each([
    [0, 100],
    [1, 100],
    [99, 100],
    [100, 100],
    [101, 100],
    [101, 10],
    [99, 1],
    [250, 7],
    [10_000, 100],
    [10_000, 37],
  ])('%i registries, page size %i: exactly the emulator data, in order', async (size, pageSize) => {
    const e = await start({ items: { registry: size } });
    const swr = clientFor(e);
    const result = await swr.listAllRegistries(e.instanceId, {}, { pageSize, concurrency: 8 });
    expect(result.registries.map((r) => r.id)).toEqual(oldestFirst(e.store.items(e, 'registry')!));
    expect(result).toMatchObject({
      total: size,
      fetched: size,
      duplicatesDropped: 0,
      totalChanged: false,
      truncated: false,
    });
    expect(result.pages).toBe(Math.max(1, Math.ceil(size / pageSize)));
    expect(e.stats.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('keeps any order the caller asks for, under concurrency', async () => {
    const e = await start({ items: { registry: 730 }, latencyMs: { min: 0, max: 15 } });
    const swr = clientFor(e);
    const ids: number[] = [];
    for await (const r of swr.registries(
      e.instanceId,
      { order_column: 'name', order_type: 'desc', type: 'swr-pro' },
      { pageSize: 20, concurrency: 6 },
    )) {
      ids.push(r.id!);
    }
    const expected = e.store
      .items(e, 'registry')!
      .filter((r) => r.type === 'swr-pro')
      .sort((a, b) => (a.name! < b.name! ? 1 : a.name! > b.name! ? -1 : b.id - a.id))
      .map((r) => r.id);
    expect(ids).toEqual(expected);
    expect(e.stats.maxInFlight).toBeGreaterThan(1);
    expect(e.stats.maxInFlight).toBeLessThanOrEqual(6);
  });

  it('pages() yields pages in order with their offsets; onProgress reports fetched/total', async () => {
    const e = await start({ items: { registry: 45 } });
    const progress: Array<[number, number]> = [];
    const offsets: number[] = [];
    for await (const page of clientFor(e).pages(
      e.instanceId,
      {},
      { pageSize: 10, onProgress: (p) => progress.push([p.fetched, p.total!]) },
    )) {
      offsets.push(page.offset);
      expect(page.limit).toBe(10);
    }
    expect(offsets).toEqual([0, 10, 20, 30, 40]);
    expect(progress).toEqual([
      [10, 45],
      [20, 45],
      [30, 45],
      [40, 45],
      [45, 45],
    ]);
  });

  it('concurrency 1 walks sequentially', async () => {
    const e = await start({ items: { registry: 300 }, latencyMs: 5 });
    await clientFor(e).listAllRegistries(e.instanceId, {}, { concurrency: 1 });
    expect(e.stats.maxInFlight).toBe(1);
  });
});

describe('change during a walk', () => {
  it('registries inserted at the head (newest-first order) shift pages: duplicates are dropped and reported', async () => {
    let inserted = 0;
    const e = await start({
      items: { registry: 500 },
      onList: ({ query }) => {
        if ((query.offset as number) > 0 && inserted < 30) {
          inserted += 3;
          for (let i = 0; i < 3; i++) e.add('registry');
        }
      },
    });
    const result = await clientFor(e).listAllRegistries(
      e.instanceId,
      { order_column: 'created_at', order_type: 'desc' },
      { pageSize: 50, concurrency: 1 },
    );
    const ids = result.registries.map((r) => r.id!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.duplicatesDropped).toBeGreaterThan(0);
    expect(result.totalChanged).toBe(true);
    expect(result.lastTotal).toBe(500 + inserted);
    // Nothing that was there from the start is missed: insertions only push items further.
    const original = new Set(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(ids.filter((id) => original.has(id)).length).toBe(500);
  });

  it('with the default order (oldest first) registries created meanwhile are appended and nothing shifts', async () => {
    let inserted = 0;
    const e = await start({
      items: { registry: 400 },
      onList: () => {
        if (inserted < 20) {
          inserted += 1;
          e.add('registry');
        }
      },
    });
    const result = await clientFor(e).listAllRegistries(e.instanceId, {}, { pageSize: 25, concurrency: 4 });
    const ids = result.registries.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.duplicatesDropped).toBe(0);
    for (let id = 1; id <= 400; id++) expect(ids).toContain(id);
  });

  it('deletions and insertions on every page never duplicate and always terminate', async () => {
    let step = 0;
    const e = await start({
      items: { registry: 1000 },
      onList: () => {
        step += 1;
        const current = e.store.items(e, 'registry')!;
        if (step % 2 === 0 && current.length > 0)
          e.store.remove(e, 'registry', current[(step * 7919) % current.length]!.id);
        else e.add('registry', { created_at: '2020-01-01T00:00:00.000000Z' });
      },
    });
    for (const [pageSize, concurrency] of [
      [10, 1],
      [10, 8],
      [100, 4],
    ] as const) {
      const result = await clientFor(e).listAllRegistries(e.instanceId, {}, { pageSize, concurrency });
      const ids = result.registries.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(result.totalChanged).toBe(true);
      expect(ids.length).toBeGreaterThan(900);
    }
  });

  it('a total that shrinks mid-walk ends the walk without empty requests piling up', async () => {
    let removed = false;
    const e = await start({
      items: { registry: 300 },
      onList: ({ query }) => {
        if (query.offset === 100 && !removed) {
          removed = true;
          for (const r of e.store.items(e, 'registry')!.slice(0, 150)) e.store.remove(e, 'registry', r.id);
        }
      },
    });
    const result = await clientFor(e).listAllRegistries(e.instanceId, {}, { pageSize: 100, concurrency: 1 });
    expect(result.total).toBe(300);
    expect(result.lastTotal).toBe(150);
    expect(result.totalChanged).toBe(true);
    expect(e.stats.requests).toBeLessThanOrEqual(3);
  });
});

/**
 * A fetch that records, for each request it sends, whether the walk's signal had already fired,
 * and fires it itself once `abortAfter` requests went out: an abort in the middle of a walk,
 * whatever the load on the machine.
 */
function abortingFetch(controller: AbortController, abortAfter: number) {
  const sent: Array<{ afterAbort: boolean }> = [];
  const fetcher = ((input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ afterAbort: controller.signal.aborted });
    const response = fetch(input, init);
    if (sent.length === abortAfter) controller.abort();
    return response;
  }) as typeof fetch;
  return { sent, fetcher };
}

/** A fetch that records, for each request it sends, whether the caller had already stopped the walk. */
function sendingFetch() {
  const sent: Array<{ afterStop: boolean }> = [];
  let done = false;
  const fetcher = ((input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ afterStop: done });
    return fetch(input, init);
  }) as typeof fetch;
  return { sent, fetcher, stopped: () => (done = true) };
}

/** Waits until the emulator has nothing in flight and no request has arrived for 50 ms. */
async function settle(e: Emulator) {
  let last = -1;
  for (let i = 0; i < 100 && (e.stats.inFlight > 0 || e.stats.requests !== last); i++) {
    last = e.stats.requests;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Registries whose pages after the second are held back `ms` by the emulator. */
const slowAfterPage2 =
  (ms: number) =>
  async ({ query }: { query: Record<string, unknown> }) => {
    if ((query.offset as number) >= 200) await new Promise((r) => setTimeout(r, ms));
  };

describe('stopping early', () => {
  it('break out of for-await cancels requests in flight and starts no new ones', async () => {
    const e = await start({ items: { registry: 5000 }, onList: slowAfterPage2(5000) });
    const { sent, fetcher, stopped } = sendingFetch();
    let pages = 0;
    for await (const page of clientFor(e, { fetch: fetcher }).pages(e.instanceId, {}, { concurrency: 8 })) {
      pages += 1;
      expect(page.registries).toHaveLength(100);
      if (pages === 2) break;
    }
    stopped();
    // The pages in flight at the break are held back 5 s: only cancelling them ends them now.
    const t0 = performance.now();
    await settle(e);
    // Held back 5 s: ending well before that means they were cancelled (generous for a busy machine).
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(e.stats.inFlight).toBe(0);
    expect(sent.length).toBeLessThanOrEqual(1 + 8 + 1);
    expect(sent.filter((s) => s.afterStop)).toEqual([]);
  });

  it('break out of registries() cancels the page walk beneath it too', async () => {
    const e = await start({ items: { registry: 5000 }, onList: slowAfterPage2(5000) });
    const { sent, fetcher, stopped } = sendingFetch();
    let seen = 0;
    for await (const registry of clientFor(e, { fetch: fetcher }).registries(e.instanceId, {}, { concurrency: 8 })) {
      expect(registry.id).toBeGreaterThan(0);
      if (++seen === 150) break;
    }
    stopped();
    const t0 = performance.now();
    await settle(e);
    expect(e.stats.inFlight).toBe(0);
    // Held back 5 s: ending well before that means they were cancelled (generous for a busy machine).
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(sent.filter((s) => s.afterStop)).toEqual([]);
  });

  it('maxItems stops the walk and trims the last page', async () => {
    const e = await start({ items: { registry: 1000 }, latencyMs: 20 });
    const result = await clientFor(e).listAllRegistries(e.instanceId, {}, { maxItems: 150, concurrency: 4 });
    expect(result.registries).toHaveLength(150);
    expect(result.truncated).toBe(true);
    expect(result.registries.map((r) => r.id)).toEqual(oldestFirst(e.store.items(e, 'registry')!).slice(0, 150));
    await waitIdle(e);
    expect(e.stats.inFlight).toBe(0);
    expect(e.stats.requests).toBeLessThanOrEqual(1 + 4);
  });

  // Decided on the client's side: a request sent just before the abort may reach a busy server
  // just after it, so the server's counter cannot tell "sent after the abort" from "arrived late".
  it('an aborted signal rejects the walk, sends nothing after it and leaves nothing running', async () => {
    const e = await start({ items: { registry: 3000 }, latencyMs: 50 });
    const controller = new AbortController();
    const { sent, fetcher } = abortingFetch(controller, 4);
    const walk = clientFor(e, { fetch: fetcher }).listAllRegistries(
      e.instanceId,
      {},
      { signal: controller.signal, concurrency: 8 },
    );
    await expect(walk).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toHaveLength(4);
    expect(sent.filter((s) => s.afterAbort)).toEqual([]);
    await waitIdle(e);
    expect(e.stats.inFlight).toBe(0);
  });
});

describe('failures during a walk', () => {
  it('a mid-walk 503 is retried and the result is still exact', async () => {
    const e = await start({
      items: { registry: 700 },
      onList: ({ query }) => {
        if (query.offset === 300 && !injected) {
          injected = true;
          e.faults.add({ kind: 'status', status: 503, times: 2 });
        }
      },
    });
    let injected = false;
    const result = await clientFor(e).listAllRegistries(e.instanceId, {}, { concurrency: 1 });
    expect(result.registries.map((r) => r.id)).toEqual(oldestFirst(e.store.items(e, 'registry')!));
    expect(e.stats.statuses[503]).toBe(2);
  });

  it('a page that fails after its retries rejects the walk naming its offset; earlier pages stay yielded', async () => {
    const e = await start({ items: { registry: 500 } });
    const swr = clientFor(e, { retry: { maxAttempts: 2 } });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const page of swr.pages(
        e.instanceId,
        {},
        { concurrency: 1, onProgress: (p) => p.pages === 2 && e.faults.add({ kind: 'status', status: 500 }) },
      )) {
        seen.push(page.offset);
      }
    })().catch((err: SwrApiError) => err);
    expect(error).toBeInstanceOf(SwrApiError);
    expect((error as SwrApiError).offset).toBe(200);
    expect((error as SwrApiError).message).toMatch(/^page at offset 200 failed: SWR 500/);
    expect((error as SwrApiError).attempts).toBe(2);
    expect(seen).toEqual([0, 100]);
  });

  it('a server that lies about total cannot loop the walk forever', async () => {
    let next = 1;
    const liar = await startServer((_req, res) => {
      const registries = Array.from({ length: 10 }, () => ({
        id: next++,
        name: `r${next}`,
        type: 'swr-pro',
        url: 'https://x',
        insecure: false,
        status: 'healthy',
        created_at: '2021-01-01T00:00:00Z',
        updated_at: '2021-01-01T00:00:00Z',
        credential: { type: 'basic', access_key: 'a', access_secret: '' },
      }));
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ total: 2_000_000_000, registries }));
    });
    try {
      const swr = clientAt(liar.url);
      const error = await swr
        .listAllRegistries('i', {}, { pageSize: 10, maxPages: 25, concurrency: 4 })
        .catch((err) => err);
      expect(error).toBeInstanceOf(SwrApiError);
      expect(error.message).toMatch(/stopped after 25 pages/);
      expect(liar.requests).toBe(25);
    } finally {
      await liar.close();
    }
  });

  it('a server whose data ends before its total stops at the first empty page', async () => {
    const liar = await startServer((req, res) => {
      const offset = Number(new URL(req.url!, 'http://x').searchParams.get('offset'));
      const registries =
        offset >= 20
          ? []
          : Array.from({ length: 10 }, (_, i) => ({
              id: offset + i + 1,
              name: 'n',
              type: 't',
              url: 'u',
              insecure: false,
              status: 's',
              created_at: 'c',
              updated_at: 'u',
              credential: { type: 'basic', access_key: 'a' },
            }));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ total: 1_000_000, registries }));
    });
    try {
      const swr = clientAt(liar.url);
      const result = await swr.listAllRegistries('i', {}, { pageSize: 10, concurrency: 1 });
      expect(result.registries).toHaveLength(20);
      // Short of total: one verification read in the tie-free order, which finds nothing more.
      expect(result.verification).toEqual({ requests: 3, recovered: 0 });
      expect(liar.requests).toBe(6);
      const unverified = await swr.listAllRegistries('i', {}, { pageSize: 10, concurrency: 1, verify: false });
      expect(unverified.registries).toHaveLength(20);
      expect(liar.requests).toBe(9);
    } finally {
      await liar.close();
    }
  });
});
