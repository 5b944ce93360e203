// Following a run (src/workflows/follow.ts) on a fake clock: one small page a poll, the backoff,
// progress only on change, the deadline, the caller's abort and the stop it may send.
import { describe, expect, it } from 'vitest';
import { settle, useFakeClock } from '../helpers/fake-clock.js';
import type { FollowInfo } from '../../generated/operations.js';
import { SwrApiError, SwrValidationError } from '../../src/errors.js';
import { follow, type FollowCalls } from '../../src/workflows/follow.js';

const INFO: FollowInfo = {
  method: 'runPolicy',
  list: 'ListInstanceReplicationPolicyExecutions',
  by: { policy_id: 'policy_id' },
  status: 'status',
  running: ['InProgress'],
  succeeded: ['Succeed'],
  progress: ['succeed', 'failed'],
  stop: 'StopInstanceReplicationPolicyExecution',
};
const PAGING = { offset: 'offset', limit: 'limit', id: 'id' };

/** A run whose states the list shows one poll after another (the last one stays). */
function scripted(states: Array<Record<string, unknown>>, options: { before?: number; id?: number } = {}) {
  const id = options.id ?? 42;
  const queries: Array<Record<string, unknown>> = [];
  const stops: unknown[] = [];
  let poll = -1;
  const calls: FollowCalls = {
    start: async () => ({ id }),
    page: async (query) => {
      queries.push(query);
      // Every poll starts at the first page.
      if (query.offset === 0) poll += 1;
      const state = states[Math.min(poll, states.length - 1)]!;
      // Newest first: the run, then `before` older ones; a page of `limit` rows at `offset`.
      const rows = [{ id, ...state }, ...Array.from({ length: options.before ?? 0 }, (_, i) => ({ id: i + 1 }))];
      const offset = query.offset as number;
      return { items: rows.slice(offset, offset + (query.limit as number)), total: rows.length };
    },
    stop: async (stopped) => void stops.push(stopped),
    paging: PAGING,
  };
  return { calls, queries, stops };
}

useFakeClock();

describe('following a run', () => {
  it('polls the list filtered by the body field the spec names, one small page a poll, however many earlier runs', async () => {
    const s = scripted(
      [
        { status: 'InProgress', succeed: 0 },
        { status: 'Succeed', succeed: 3 },
      ],
      { before: 10_000 },
    );
    const result = await settle(follow(INFO, s.calls, { policy_id: 7 }, { pageSize: 5 }));
    expect(result).toEqual({ row: { id: 42, status: 'Succeed', succeed: 3 }, succeeded: true, polls: 2, pages: 2 });
    expect(s.queries).toEqual([
      { policy_id: 7, offset: 0, limit: 5 },
      { policy_id: 7, offset: 0, limit: 5 },
    ]);
  });

  it('reports progress only when the status or a count changes, and backs off while nothing does', async () => {
    const seen: unknown[] = [];
    const states = [
      { status: 'InProgress', succeed: 0 },
      { status: 'InProgress', succeed: 0 },
      { status: 'InProgress', succeed: 0 },
      { status: 'InProgress', succeed: 1 },
      { status: 'Failed', succeed: 1, failed: 1 },
    ];
    const s = scripted(states);
    const started = Date.now();
    const waits: number[] = [];
    let last = started;
    const calls = {
      ...s.calls,
      page: async (query: Record<string, unknown>, signal: AbortSignal | undefined) => {
        waits.push(Date.now() - last);
        last = Date.now();
        return s.calls.page(query, signal);
      },
    };
    const result = (await settle(
      follow(
        INFO,
        calls,
        { policy_id: 7 },
        { intervalMs: 100, maxIntervalMs: 300, onProgress: (row) => seen.push(row.succeed) },
      ),
    )) as { succeeded: boolean; polls: number };
    expect(result).toMatchObject({ succeeded: false, polls: 5 });
    expect(seen).toEqual([0, 1, 1]);
    // 100 after a change, then doubled while nothing changes, up to the ceiling; back to 100 after a change.
    expect(waits).toEqual([0, 100, 200, 300, 100]);
  });

  it('scans further pages when many runs started after this one', async () => {
    const s = scripted([{ status: 'Succeed' }], { before: 0 });
    const calls: FollowCalls = {
      ...s.calls,
      page: async (query) => {
        s.queries.push(query);
        const rows = [...Array.from({ length: 12 }, (_, i) => ({ id: 100 + i })), { id: 42, status: 'Succeed' }];
        const offset = query.offset as number;
        return { items: rows.slice(offset, offset + (query.limit as number)), total: rows.length };
      },
    };
    const result = await settle(follow(INFO, calls, { policy_id: 7 }, { pageSize: 5 }));
    expect(result).toMatchObject({ succeeded: true, polls: 1, pages: 3 });
  });

  it('gives up waiting at its timeout with a timeout error; the run goes on (no stop)', async () => {
    const s = scripted([{ status: 'InProgress' }]);
    const error = await settle(follow(INFO, s.calls, { policy_id: 7 }, { intervalMs: 100, timeoutMs: 1000 }));
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toMatch(/42 is still InProgress after 1000 ms; it goes on/);
    expect(s.stops).toEqual([]);
  });

  it("the caller's abort ends the wait at once; the run is stopped only with stopOnAbort", async () => {
    for (const stopOnAbort of [false, true]) {
      const s = scripted([{ status: 'InProgress' }]);
      const began = Date.now();
      const control = new AbortController();
      const following = follow(
        INFO,
        s.calls,
        { policy_id: 7 },
        { intervalMs: 10_000, signal: control.signal, stopOnAbort },
      );
      setTimeout(() => control.abort(new DOMException('stop', 'AbortError')), 50);
      const error = await settle(following);
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(s.stops).toEqual(stopOnAbort ? [42] : []);
      expect(Date.now() - began).toBe(50);
    }
  });

  it('says when the run started, with what the start answered', async () => {
    const s = scripted([{ status: 'Succeed' }]);
    const started: unknown[] = [];
    await settle(follow(INFO, s.calls, { policy_id: 7 }, { onStart: (row) => started.push(row) }));
    expect(started).toEqual([{ id: 42 }]);
  });

  it('waits 500 ms at first, doubling up to 5 s, and gives up after an hour, by default', async () => {
    const s = scripted([{ status: 'InProgress' }]);
    const began = Date.now();
    const times: number[] = [];
    const calls: FollowCalls = {
      ...s.calls,
      page: (query, signal) => (times.push(Date.now() - began), s.calls.page(query, signal)),
    };
    const error = await settle(follow(INFO, calls, { policy_id: 7 }));
    expect(times.slice(0, 6)).toEqual([0, 500, 1500, 3500, 7500, 12_500]);
    expect((error as Error).message).toMatch(/42 is still InProgress after 3600000 ms; it goes on/);
    // The last poll is the one after which another wait would pass the hour.
    expect(times.at(-1)).toBe(3_597_500);
    expect(Date.now() - began).toBe(3_597_500);
  });

  it('gives up at the last poll before its deadline, not one poll early or late', async () => {
    const s = scripted([{ status: 'InProgress' }]);
    const began = Date.now();
    const error = await settle(follow(INFO, s.calls, { policy_id: 7 }, { intervalMs: 100, timeoutMs: 100 }));
    expect(error).toMatchObject({ kind: 'timeout' });
    // Polled at 0 and at 100 ms; the next wait (200 ms) would pass the deadline.
    expect(s.queries).toHaveLength(2);
    expect(Date.now() - began).toBe(100);
  });

  it('stops scanning a poll at a short page, or at the total, without reading past it', async () => {
    const pagesOf = async (total: number | undefined, rows: number) => {
      const queries: Array<Record<string, unknown>> = [];
      const calls: FollowCalls = {
        start: async () => ({ id: 42 }),
        page: async (query) => {
          queries.push(query);
          const offset = query.offset as number;
          const items = Array.from({ length: Math.max(0, Math.min(5, rows - offset)) }, (_, i) => ({ id: offset + i }));
          return { items, total };
        },
        paging: PAGING,
      };
      await settle(follow(INFO, calls, { policy_id: 7 }, { pageSize: 5, intervalMs: 100, timeoutMs: 50 }));
      return queries.map((q) => q.offset);
    };
    expect(await pagesOf(undefined, 7)).toEqual([0, 5]); // the second page is short
    expect(await pagesOf(10, 10)).toEqual([0, 5]); // the total is reached with a full page
    expect(await pagesOf(undefined, 10)).toEqual([0, 5, 10]); // no total: a full page may have more after it
  });

  it('reads at most 100 pages a poll for a run it cannot find, and says it is not listed', async () => {
    const offsets: number[] = [];
    const calls: FollowCalls = {
      start: async () => ({ id: 42 }),
      page: async (query) => {
        offsets.push(query.offset as number);
        return {
          items: [{ id: 1000 + (query.offset as number) }, { id: 2000 + (query.offset as number) }],
          total: undefined,
        };
      },
      paging: PAGING,
    };
    const error = await settle(follow(INFO, calls, { policy_id: 7 }, { pageSize: 2, intervalMs: 100, timeoutMs: 150 }));
    expect((error as Error).message).toMatch(/42 is still not listed after 150 ms; it goes on/);
    expect(offsets).toHaveLength(200);
    expect(offsets.slice(98, 102)).toEqual([196, 198, 0, 2]);
  });

  it('ends at once, with no wait, when the signal aborts while a page is read', async () => {
    const s = scripted([{ status: 'InProgress' }]);
    const control = new AbortController();
    const calls: FollowCalls = {
      ...s.calls,
      page: async (query, signal) => {
        const page = await s.calls.page(query, signal);
        control.abort(new DOMException('stop', 'AbortError'));
        return page;
      },
    };
    const began = Date.now();
    const error = await settle(follow(INFO, calls, { policy_id: 7 }, { intervalMs: 10_000, signal: control.signal }));
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(Date.now() - began).toBe(0);
    expect(s.queries).toHaveLength(1);
  });

  it('takes every option at its least value, and names the option and its rule below it', async () => {
    const s = scripted([{ status: 'Succeed' }]);
    const least = { intervalMs: 1, maxIntervalMs: 1, timeoutMs: 1, pageSize: 1 };
    expect(await settle(follow(INFO, s.calls, { policy_id: 7 }, least))).toMatchObject({ succeeded: true });
    for (const name of Object.keys(least)) {
      await expect(follow(INFO, s.calls, { policy_id: 7 }, { [name]: 0.5 })).rejects.toMatchObject({
        field: name,
        rule: 'must be a number of at least 1',
      });
    }
  });

  it('checks its options before starting anything', async () => {
    const s = scripted([{ status: 'Succeed' }]);
    for (const [name, value] of [
      ['intervalMs', 0],
      ['maxIntervalMs', -1],
      ['timeoutMs', Number.NaN],
      ['pageSize', '5'],
    ] as const) {
      await expect(follow(INFO, s.calls, { policy_id: 7 }, { [name]: value })).rejects.toThrow(SwrValidationError);
    }
    expect(s.queries).toEqual([]);
  });
});
