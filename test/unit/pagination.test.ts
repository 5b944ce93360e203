// The walker alone, over a scripted fetchPage: ordering, concurrency, ends, duplicates, caps,
// verification, cancellation. No HTTP.
import { describe, expect, it } from 'vitest';
import { SwrApiError, SwrValidationError } from '../../src/errors.js';
import { operations, type ListOperation } from '../../src/spec/table.js';
import { createPaginator, type FetchPage, type PageAnswer } from '../../src/workflows/pagination.js';

type Registry = { id: number; name: string; type: string; url: string };
const reg = (id: number): Registry => ({ id, name: `r${id}`, type: 'swr-pro', url: 'u' });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => reg(from + i));

interface Call {
  query: Record<string, unknown>;
  signal: AbortSignal;
  /** Whether its answer came back before anything aborted it. */
  done: boolean;
}

/** A fetchPage over `data` (or a function of the query), recording each call. */
function server(
  data:
    Registry[] | ((query: Record<string, unknown>, call: number) => Partial<PageAnswer> & { registries?: unknown[] }),
) {
  const calls: Call[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage: FetchPage = async (query, signal) => {
    const call = { query, signal, done: false };
    const n = calls.push(call);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight -= 1;
    if (signal.aborted) throw signal.reason;
    call.done = true;
    const { registries, ...answer } =
      typeof data === 'function'
        ? data(query, n)
        : {
            total: data.length,
            registries: data.slice(query.offset as number, (query.offset as number) + (query.limit as number)),
          };
    return {
      requestId: `req-${n}`,
      differences: [],
      ...answer,
      ...(registries && { items: registries }),
    } as PageAnswer;
  };
  return { fetchPage, calls, maxInFlight: () => maxInFlight };
}

const walk = (fetchPage: FetchPage) =>
  createPaginator<{ id: number }>(operations.ListInstanceRegistries as ListOperation, fetchPage);

describe('a walk', () => {
  it('reads the first page alone, then the rest concurrently, and hands pages out in order', async () => {
    const s = server(range(1, 96));
    const result = await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 4 });
    expect(result.items.map((r) => r.id)).toEqual(range(1, 96).map((r) => r.id));
    expect(result).toMatchObject({
      total: 95,
      lastTotal: 95,
      totalChanged: false,
      pages: 10,
      fetched: 95,
      duplicatesDropped: 0,
      shortPages: 0,
      truncated: false,
      differences: 0,
    });
    expect(s.calls.map((c) => c.query.offset)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(s.maxInFlight()).toBe(4);
    expect(result.verification).toBeUndefined();
  });

  it('asks for the spec walk order unless the caller chose one', async () => {
    const s = server(range(1, 5));
    await walk(s.fetchPage).all({ name: 'x' }, { pageSize: 10 });
    expect(s.calls[0]!.query).toEqual({
      name: 'x',
      order_column: 'created_at',
      order_type: 'asc',
      offset: 0,
      limit: 10,
    });
    await walk(s.fetchPage).all({ order_column: 'name' }, { pageSize: 10 });
    expect(s.calls[1]!.query).toEqual({ order_column: 'name', offset: 0, limit: 10 });
  });

  it('numbers the pages it yields, with their offsets, limit, total and request id', async () => {
    const pages = [];
    for await (const page of walk(server(range(1, 26)).fetchPage).pages({}, { pageSize: 10, concurrency: 3 })) {
      pages.push(page);
    }
    expect(pages.map((p) => [p.index, p.offset, p.limit, p.total, p.items.length, p.requestId])).toEqual([
      [0, 0, 10, 25, 10, 'req-1'],
      [1, 10, 10, 25, 10, 'req-2'],
      [2, 20, 10, 25, 5, 'req-3'],
    ]);
  });

  it('items() hands out registries one by one and returns the summary', async () => {
    const items = walk(server(range(1, 13)).fetchPage).items({}, { pageSize: 5 });
    const ids: number[] = [];
    let next = await items.next();
    while (!next.done) {
      ids.push(next.value.id);
      next = await items.next();
    }
    expect(ids).toEqual(range(1, 13).map((r) => r.id));
    expect(next.value).toMatchObject({ total: 12, fetched: 12, pages: 3 });
  });

  it('a total that is not a non-negative integer counts as missing', async () => {
    for (const total of ['25', -1, 2.5, null]) {
      const data = range(1, 26);
      const s = server((q) => ({
        total: total as never,
        registries: data.slice(q.offset as number, (q.offset as number) + 10),
      }));
      const result = await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 4 });
      expect(result.total, String(total)).toBeUndefined();
      expect(result.items).toHaveLength(25);
      expect(s.maxInFlight()).toBe(1);
    }
  });

  it('without total, reads page after page until a short one', async () => {
    const data = range(1, 26);
    const s = server((q) => ({ registries: data.slice(q.offset as number, (q.offset as number) + 10) }));
    const result = await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 8 });
    expect(result.items).toHaveLength(25);
    expect(result.total).toBeUndefined();
    expect(s.maxInFlight()).toBe(1);
    expect(s.calls).toHaveLength(3);
  });

  it('ends at the first empty page even when total promises more', async () => {
    const s = server((q) => ({
      total: 1000,
      registries: (q.offset as number) >= 30 ? [] : range((q.offset as number) + 1, (q.offset as number) + 11),
    }));
    const result = await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 1, verify: false });
    expect(result.items).toHaveLength(30);
    expect(s.calls.map((c) => c.query.offset)).toEqual([0, 10, 20, 30]);
  });

  it('ends at an empty page whatever total says, counts short pages, notices a changing total', async () => {
    const s = server((q, n) => ({
      total: n === 1 ? 50 : 40,
      registries:
        (q.offset as number) >= 30
          ? []
          : range((q.offset as number) + 1, (q.offset as number) + (q.offset === 10 ? 5 : 11)),
    }));
    const result = await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 1, verify: false });
    expect(result.items).toHaveLength(24);
    expect(result).toMatchObject({ total: 50, lastTotal: 40, totalChanged: true, shortPages: 1 });
  });

  it('drops duplicates across pages and within one; an id of the wrong type identifies nothing', async () => {
    const pages: Record<number, Registry[]> = {
      0: [reg(1), reg(2), reg(2)],
      3: [reg(2), reg(3), { ...reg(0), id: 'x' as never }],
      6: [{ ...reg(0), id: 'x' as never }, reg(4)],
    };
    const s = server((q) => ({ total: 8, registries: pages[q.offset as number] ?? [] }));
    const result = await walk(s.fetchPage).all({}, { pageSize: 3, concurrency: 1, verify: false });
    expect(result.items.map((r) => r.id)).toEqual([1, 2, 3, 'x', 'x', 4]);
    expect(result.duplicatesDropped).toBe(2);
  });

  it('counts the differences of every page', async () => {
    const s = server((q) => ({
      total: 4,
      registries: range((q.offset as number) + 1, (q.offset as number) + 3),
      differences: [{ count: 2 }, { count: 1 }],
    }));
    expect((await walk(s.fetchPage).all({}, { pageSize: 2 })).differences).toBe(6);
  });

  it('reports progress page by page', async () => {
    const seen: unknown[] = [];
    await walk(server(range(1, 26)).fetchPage).all({}, { pageSize: 10, onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([
      { fetched: 10, total: 25, pages: 1 },
      { fetched: 20, total: 25, pages: 2 },
      { fetched: 25, total: 25, pages: 3 },
    ]);
  });
});

describe('limits', () => {
  it('maxItems trims the last page, marks the walk truncated and stops the rest', async () => {
    const s = server(range(1, 101));
    const result = await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 2, maxItems: 25 });
    expect(result.items.map((r) => r.id)).toEqual(range(1, 26).map((r) => r.id));
    expect(result).toMatchObject({ truncated: true, fetched: 25 });
    expect(s.calls.every((c, i) => i < 3 || c.signal.aborted)).toBe(true);
    const exact = await walk(server(range(1, 21)).fetchPage).all({}, { pageSize: 10, maxItems: 20 });
    expect(exact.truncated).toBe(false);
    const atEdge = server(range(1, 101));
    const edge = await walk(atEdge.fetchPage).all({}, { pageSize: 10, concurrency: 1, maxItems: 20 });
    expect(edge).toMatchObject({ truncated: true, fetched: 20, pages: 2 });
    expect(atEdge.calls).toHaveLength(2);
    const lastPage = await walk(server(range(1, 26)).fetchPage).all({}, { pageSize: 10, concurrency: 1, maxItems: 25 });
    expect(lastPage).toMatchObject({ truncated: false, fetched: 25 });
  });

  it('takes each option at its bounds and refuses it past them, naming it and its rule', async () => {
    const one = await walk(server(range(1, 4)).fetchPage).all(
      {},
      { pageSize: 1, concurrency: 1, maxItems: 1, maxPages: 1 },
    );
    expect(one).toMatchObject({ fetched: 1, truncated: true });
    await expect(walk(server(range(1, 4)).fetchPage).all({}, { pageSize: 100 })).resolves.toMatchObject({ fetched: 3 });
    const refused = async (options: Record<string, unknown>) =>
      walk(server(range(1, 4)).fetchPage)
        .all({}, options)
        .then(
          () => 'walked',
          (e: SwrValidationError) => `${e.field} ${e.rule}`,
        );
    expect(await refused({ pageSize: 0 })).toBe('pageSize must be an integer from 1 to 100');
    expect(await refused({ pageSize: 101 })).toBe('pageSize must be an integer from 1 to 100');
    expect(await refused({ concurrency: 0 })).toMatch(/^concurrency must be an integer from 1 to \d+$/);
    expect(await refused({ maxItems: 0 })).toBe('maxItems must be a positive integer');
    expect(await refused({ maxPages: 0 })).toBe('maxPages must be a positive integer');
    expect(await refused({ verify: 'yes' })).toBe('verify must be true or false');
  });

  it('maxPages stops a server whose total never ends', async () => {
    const s = server((q) => ({ total: 1e9, registries: range((q.offset as number) + 1, (q.offset as number) + 11) }));
    const error = await walk(s.fetchPage)
      .all({}, { pageSize: 10, maxPages: 7, concurrency: 3 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error.message).toMatch(/stopped after 7 pages \(maxPages\)/);
    expect(error.offset).toBe(70);
    expect(s.calls).toHaveLength(7);
  });

  it('a page longer than asked is an invalid response: memory stays bounded', async () => {
    const s = server(() => ({ total: 100, registries: range(1, 12) }));
    const error = await walk(s.fetchPage)
      .all({}, { pageSize: 10 })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false, offset: 0 });
    expect(error.message).toMatch(/holds 11 registries, more than the 10 asked for/);
  });

  it('a failed page rejects the walk, naming its offset; earlier pages stay yielded', async () => {
    const s = server((q) => {
      if (q.offset === 20)
        throw new SwrApiError({
          kind: 'server',
          message: 'SWR 500',
          attempts: 3,
          retryable: true,
          mayHaveReachedService: true,
        });
      return { total: 50, registries: range((q.offset as number) + 1, (q.offset as number) + 11) };
    });
    const offsets: number[] = [];
    const error = await (async () => {
      for await (const page of walk(s.fetchPage).pages({}, { pageSize: 10, concurrency: 2 })) offsets.push(page.offset);
    })().catch((e) => e);
    expect(offsets).toEqual([0, 10]);
    expect(error).toMatchObject({ offset: 20, attempts: 3, kind: 'server' });
    expect(error.message).toBe('page at offset 20 failed: SWR 500');
  });

  it.each([
    [{ pageSize: 0 }, 'pageSize'],
    [{ pageSize: 101 }, 'pageSize'],
    [{ pageSize: 1.5 }, 'pageSize'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 33 }, 'concurrency'],
    [{ maxItems: 0 }, 'maxItems'],
    [{ maxPages: 0 }, 'maxPages'],
    [{ verify: 'yes' }, 'verify'],
  ])('refuses %j', async (options, field) => {
    const s = server(range(1, 5));
    await expect(walk(s.fetchPage).all({}, options as never)).rejects.toMatchObject({ field });
    await expect(walk(s.fetchPage).all({}, options as never)).rejects.toBeInstanceOf(SwrValidationError);
    expect(s.calls).toHaveLength(0);
  });
});

describe('verification', () => {
  it('a walk that saw a registry twice and missed another recovers it in the tie-free order', async () => {
    const data = range(1, 31);
    const s = server((q) => {
      if (q.order_column === 'name')
        return { total: 30, registries: data.slice(q.offset as number, (q.offset as number) + 10) };
      // An unstable order: page 2 repeats registry 10 instead of giving 11.
      const page = data.slice(q.offset as number, (q.offset as number) + 10);
      return { total: 30, registries: q.offset === 10 ? [reg(10), ...page.slice(1)] : page };
    });
    const pages = [];
    for await (const page of walk(s.fetchPage).pages({}, { pageSize: 10, concurrency: 3 })) pages.push(page);
    const ids = pages.flatMap((p) => p.items.map((r) => r.id));
    expect(ids.sort((a, b) => a - b)).toEqual(data.map((r) => r.id));
    expect(pages.at(-1)).toMatchObject({ recovered: true, registries: [reg(11)] });
    const calls = s.calls.filter((c) => c.query.order_column === 'name');
    expect(calls.map((c) => [c.query.order_type, c.query.offset])).toEqual([
      ['asc', 0],
      ['asc', 10],
      ['asc', 20],
    ]);
    const summary = await walk(s.fetchPage).all({}, { pageSize: 10 });
    expect(summary.verification).toEqual({ requests: 3, recovered: 1 });
    expect(summary.fetched).toBe(30);
  });

  it('runs after duplicates even when the count matches (a registry added meanwhile hid a miss), and without total', async () => {
    const data = range(1, 31);
    const grow = server((q, n) => {
      if (q.order_column === 'name')
        return { total: 31, registries: [...data, reg(31)].slice(q.offset as number, (q.offset as number) + 10) };
      const page = data.slice(q.offset as number, (q.offset as number) + 10);
      // Registry 31 arrives mid-walk and pushes 10 onto the second page: 10 twice, 11 missed.
      return n === 1
        ? { total: 30, registries: page }
        : { total: 31, registries: q.offset === 10 ? [reg(10), ...page.slice(0, 9)] : [...page, reg(31)].slice(0, 10) };
    });
    const grown = await walk(grow.fetchPage).all({}, { pageSize: 10, concurrency: 1 });
    expect(grown.duplicatesDropped).toBe(1);
    expect(grown.verification?.recovered).toBeGreaterThan(0);
    expect(grown.items.map((r) => r.id).sort((a, b) => a - b)).toEqual(range(1, 32).map((r) => r.id));
    const noTotal = server((q) => ({
      registries:
        q.order_column === 'name'
          ? data.slice(q.offset as number, (q.offset as number) + 10)
          : q.offset === 0
            ? data.slice(0, 10)
            : q.offset === 10
              ? [reg(10), ...data.slice(11, 20)]
              : data.slice(20, 25),
    }));
    const result = await walk(noTotal.fetchPage).all({}, { pageSize: 10 });
    expect(result.verification).toEqual({ requests: 4, recovered: 6 });
  });

  it('does not run when the walk is whole, truncated, or told not to', async () => {
    expect((await walk(server(range(1, 31)).fetchPage).all({}, { pageSize: 10 })).verification).toBeUndefined();
    const short = (q: Record<string, unknown>) => ({
      total: 40,
      registries: range((q.offset as number) + 1, (q.offset as number) + 11).filter((r) => r.id <= 30),
    });
    expect((await walk(server(short).fetchPage).all({}, { pageSize: 10, verify: false })).verification).toBeUndefined();
    expect((await walk(server(short).fetchPage).all({}, { pageSize: 10, maxItems: 5 })).verification).toBeUndefined();
    expect((await walk(server(short).fetchPage).all({}, { pageSize: 10 })).verification).toEqual({
      requests: 4,
      recovered: 0,
    });
  });
});

describe('stopping', () => {
  it("the caller's abort rejects the walk and aborts every request in flight", async () => {
    const s = server((q) => ({ total: 1000, registries: range((q.offset as number) + 1, (q.offset as number) + 11) }));
    const control = new AbortController();
    const pending = walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 6, signal: control.signal });
    await new Promise((r) => setTimeout(r, 5));
    control.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const unfinished = s.calls.filter((c) => !c.done);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(unfinished.every((c) => c.signal.aborted)).toBe(true);
    const before = s.calls.length;
    await new Promise((r) => setTimeout(r, 10));
    expect(s.calls.length).toBe(before);
  });

  it('an already aborted signal sends nothing', async () => {
    const s = server(range(1, 5));
    await expect(walk(s.fetchPage).all({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(s.calls.every((c) => c.signal.aborted)).toBe(true);
  });

  it('a break out of registries() ends the walk beneath it and aborts what is in flight', async () => {
    const s = server((q) => ({ total: 1000, registries: range((q.offset as number) + 1, (q.offset as number) + 11) }));
    let seen = 0;
    for await (const r of walk(s.fetchPage).items({}, { pageSize: 10, concurrency: 4 })) {
      expect(r.id).toBe(seen + 1);
      if (++seen === 15) break;
    }
    expect(s.calls.slice(2).every((c) => c.signal.aborted)).toBe(true);
  });

  it('each request has its own signal, so the caller signal gathers one listener, whatever the concurrency', async () => {
    const s = server((q) => ({ total: 320, registries: range((q.offset as number) + 1, (q.offset as number) + 11) }));
    const control = new AbortController();
    let listeners = 0;
    const add = control.signal.addEventListener.bind(control.signal);
    control.signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
    await walk(s.fetchPage).all({}, { pageSize: 10, concurrency: 32, signal: control.signal });
    expect(listeners).toBe(1);
    expect(new Set(s.calls.map((c) => c.signal)).size).toBe(s.calls.length);
  });
});
