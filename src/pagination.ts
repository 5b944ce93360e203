// Walks every page of a listing. The first page tells `total`, so every other offset is known at
// once: up to `concurrency` pages are fetched at a time and handed out strictly in order, holding
// at most about `concurrency` pages in memory. A service that leaves `total` out is walked page
// after page until a short one. The names of the paging parameters and fields, the page size
// bounds and the orders all come from the spec's `x-pagination`.
//
// Offset paging is only as exact as the order beneath it: a database that orders ties differently
// from one request to the next can return a registry twice and skip another at a page boundary.
// When a walk ends with fewer registries than `total`, or saw one twice, it reads the listing once
// more in the spec's tie-free order and delivers what it missed (`verify`, on by default).
import type { components } from '../generated/schema.js';
import { SwrApiError, SwrValidationError } from './errors.js';
import { itemSchema, operations, parametersIn } from './operation.js';
import { check, numberBounds, resolve } from './validate.js';

type Registry = components['schemas']['Registry'];
type Query = Record<string, unknown>;

const LIST = operations.ListInstanceRegistries;
const PAGING = LIST.pagination;
const LIMIT = numberBounds(parametersIn(LIST, 'query').find((p) => p.name === PAGING.limit)!.schema);
const ID = resolve(itemSchema(LIST)).properties![PAGING.id]!;

/** One page of a listing as a walker yields it (registries already de-duplicated by id). */
export interface Page {
  /** 0-based position of the page in the walk. */
  index: number;
  offset: number;
  limit: number;
  /** `total` as this page reported it; undefined when the service left it out. */
  total: number | undefined;
  registries: Registry[];
  requestId: string | undefined;
  /** True for the last page of a walk that verified itself: registries the walk had missed. */
  recovered?: boolean;
}

export interface PageOptions {
  /** Registries per request, from 1 to the spec's largest `limit` (the default). */
  pageSize?: number;
  /** Requests in flight at most, 1..32 (default 8; 1 walks sequentially). */
  concurrency?: number;
  /** Stop after this many registries. */
  maxItems?: number;
  /** Hard cap on pages, so a server whose `total` never ends cannot loop the walk (default 10 000). */
  maxPages?: number;
  /** Re-read the listing in a tie-free order when the walk came up short or saw a registry twice (default true). */
  verify?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { fetched: number; total: number | undefined; pages: number }) => void;
}

/** What a walk observed besides the registries. */
export interface WalkSummary {
  /** `total` of the first page; undefined when the service left it out. */
  total: number | undefined;
  /** `total` of the last page that had one. */
  lastTotal: number | undefined;
  /** Whether `total` changed during the walk: registries were added or removed meanwhile. */
  totalChanged: boolean;
  /** Registries seen twice (shifted across a page boundary, or an unstable order) and dropped. */
  duplicatesDropped: number;
  /** Pages that came back shorter than asked although more were expected. */
  shortPages: number;
  pages: number;
  /** Registries yielded. */
  fetched: number;
  /** Whether the walk stopped early on purpose (`maxItems`). */
  truncated: boolean;
  /** Values that differed from the spec (a field missing, null, of another type...), over all pages. */
  differences: number;
  /** The verification pass, when the walk needed one: its requests and the registries it recovered. */
  verification: { requests: number; recovered: number } | undefined;
}

export interface ListAllResult extends WalkSummary {
  registries: Registry[];
}

/** What a walker needs of one page's answer. */
export interface PageAnswer {
  registries?: Registry[] | undefined;
  total?: number | undefined;
  requestId: string | undefined;
  differences: ReadonlyArray<{ count: number }>;
}

export type FetchPage = (instanceId: string, query: Query, signal: AbortSignal) => Promise<PageAnswer>;

export const DEFAULT_PAGE_SIZE = LIMIT.max ?? 100;
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;
export const DEFAULT_MAX_PAGES = 10_000;

type Settings = ReturnType<typeof checkOptions>;

/** The state of one walk: what is in flight, what was seen, what it observed. */
interface Walk {
  fetchPage: FetchPage;
  instanceId: string;
  query: Query;
  settings: Settings;
  /** Ends every request of the walk: `break`, an error, the end, or the caller's signal. */
  stop: AbortController;
  /** One controller per request in flight, so no signal gathers a listener per page. */
  inflight: Set<AbortController>;
  seen: Set<unknown>;
  summary: WalkSummary;
  queue: Array<{ offset: number; result: Promise<PageAnswer> }>;
  nextOffset: number;
  /** Until a page says. */
  knownTotal: number;
  /** No `total`: one page at a time, until a short one. */
  sequential: boolean;
  ended: boolean;
}

function startWalk(fetchPage: FetchPage, instanceId: string, query: Query, options: PageOptions): Walk {
  const settings = checkOptions(options);
  // Without an order of the caller's, the spec's walk order: the most stable one for a walk.
  const ordered = query[PAGING.sort] !== undefined ? { ...query } : { ...query, ...PAGING.walkOrder };
  const stop = new AbortController();
  const inflight = new Set<AbortController>();
  // One listener on the caller's signal and one on the walk's, however many pages are in flight.
  stop.signal.addEventListener('abort', () => inflight.forEach((c) => c.abort(stop.signal.reason)), { once: true });
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else
    options.signal?.addEventListener('abort', () => stop.abort(options.signal!.reason), {
      once: true,
      signal: stop.signal,
    });
  return {
    inflight,
    fetchPage,
    instanceId,
    query: ordered,
    settings,
    stop,
    seen: new Set(),
    summary: {
      total: undefined,
      lastTotal: undefined,
      totalChanged: false,
      duplicatesDropped: 0,
      shortPages: 0,
      pages: 0,
      fetched: 0,
      truncated: false,
      differences: 0,
      verification: undefined,
    },
    queue: [],
    nextOffset: 0,
    knownTotal: Number.POSITIVE_INFINITY,
    sequential: false,
    ended: false,
  };
}

/** Fetches one page of a query; a failure surfaces when its turn comes, never as an unhandled rejection. */
function request(walk: Walk, query: Query, offset: number): Promise<PageAnswer> {
  const { pageSize } = walk.settings;
  const control = new AbortController();
  if (walk.stop.signal.aborted) control.abort(walk.stop.signal.reason);
  walk.inflight.add(control);
  const page = { ...query, [PAGING.offset]: offset, [PAGING.limit]: pageSize };
  const result = walk.fetchPage(walk.instanceId, page, control.signal);
  result.then(
    () => walk.inflight.delete(control),
    () => walk.inflight.delete(control),
  );
  return result;
}

/** Starts requests until `concurrency` are in flight (one before the first page, or without a total). */
function schedule(walk: Walk): void {
  const { concurrency, maxPages, pageSize } = walk.settings;
  const width = walk.summary.pages === 0 || walk.sequential ? 1 : concurrency;
  while (!walk.ended && walk.queue.length < width && walk.nextOffset < walk.knownTotal) {
    if (walk.summary.pages + walk.queue.length >= maxPages) break;
    const offset = walk.nextOffset;
    walk.nextOffset += pageSize;
    walk.queue.push({ offset, result: request(walk, walk.query, offset) });
  }
}

/** Waits for the next page in order and takes it in: totals, ends, duplicates, maxItems. */
async function nextPage(walk: Walk): Promise<Page> {
  const { offset, result } = walk.queue.shift()!;
  let page: PageAnswer;
  try {
    page = await result;
  } catch (error) {
    throw error instanceof SwrApiError
      ? error.with({ offset, message: `page at offset ${offset} failed: ${error.message}` })
      : error;
  }
  const items = itemsOf(page, offset, walk.settings.pageSize);
  const total = Number.isInteger(page.total) && page.total! >= 0 ? page.total : undefined;
  noteTotal(walk, total);
  walk.summary.differences += page.differences.reduce((n, d) => n + d.count, 0);
  const { pageSize, maxItems } = walk.settings;
  if (items.length === 0 || (walk.sequential && items.length < pageSize))
    walk.ended = true; // the data ends here
  else if (items.length < pageSize && offset + pageSize < walk.knownTotal) walk.summary.shortPages += 1;
  const fresh = dedupe(items, walk.seen);
  walk.summary.duplicatesDropped += items.length - fresh.length;
  let registries = fresh;
  if (walk.summary.fetched + registries.length >= maxItems) {
    registries = registries.slice(0, maxItems - walk.summary.fetched);
    walk.summary.truncated =
      walk.summary.fetched + fresh.length > maxItems || walk.queue.length > 0 || walk.nextOffset < walk.knownTotal;
    walk.ended = true;
  }
  walk.summary.fetched += registries.length;
  walk.summary.pages += 1;
  return { index: walk.summary.pages - 1, offset, limit: pageSize, total, registries, requestId: page.requestId };
}

function noteTotal(walk: Walk, total: number | undefined): void {
  const { summary } = walk;
  if (summary.pages === 0) {
    summary.total = total;
    walk.sequential = total === undefined;
  } else if (total !== undefined && summary.lastTotal !== undefined && total !== summary.lastTotal) {
    summary.totalChanged = true;
  }
  if (total !== undefined) {
    summary.lastTotal = total;
    walk.knownTotal = total;
  }
}

/** A page's items; more than were asked for is an answer the walk cannot use (memory stays bounded). */
function itemsOf(page: PageAnswer, offset: number, pageSize: number): Registry[] {
  const items = page.registries ?? [];
  if (items.length > pageSize) {
    throw new SwrApiError({
      kind: 'invalid_response',
      retryable: false,
      attempts: 1,
      offset,
      requestId: page.requestId,
      message: `page at offset ${offset} holds ${items.length} registries, more than the ${pageSize} asked for`,
    });
  }
  return items;
}

/** Whether the walk must read the listing again: it came up short of `total`, or saw a registry twice (which, without insertions, means it missed one). */
function needsVerification(walk: Walk): boolean {
  const { summary, settings } = walk;
  if (!settings.verify || summary.truncated) return false;
  const short = summary.lastTotal !== undefined && summary.fetched < summary.lastTotal;
  return short || summary.duplicatesDropped > 0;
}

/**
 * Reads the listing once more in the spec's tie-free order, page after page, and returns the
 * registries the walk had not delivered. Costs one more full read, only when needed.
 */
async function verify(walk: Walk): Promise<Page | undefined> {
  const query = { ...walk.query, ...PAGING.tieFreeOrder };
  const { pageSize } = walk.settings;
  const missed: Registry[] = [];
  let requests = 0;
  let requestId: string | undefined;
  for (let offset = 0; requests < walk.settings.maxPages; offset += pageSize) {
    const page = await request(walk, query, offset);
    requests += 1;
    requestId = page.requestId;
    const items = itemsOf(page, offset, pageSize);
    missed.push(...dedupe(items, walk.seen));
    if (items.length < pageSize || (page.total !== undefined && offset + pageSize >= page.total)) break;
  }
  walk.summary.verification = { requests, recovered: missed.length };
  if (missed.length === 0) return undefined;
  walk.summary.fetched += missed.length;
  walk.summary.pages += 1;
  const index = walk.summary.pages - 1;
  return {
    index,
    offset: 0,
    limit: pageSize,
    total: walk.summary.lastTotal,
    registries: missed,
    requestId,
    recovered: true,
  };
}

/** Every page of a listing, in order; concurrent after the first. Returns what the walk observed. */
async function* walkPages(
  fetchPage: FetchPage,
  instanceId: string,
  query: Query,
  options: PageOptions = {},
): AsyncGenerator<Page, WalkSummary> {
  const walk = startWalk(fetchPage, instanceId, query, options);
  const progress = () =>
    options.onProgress?.({ fetched: walk.summary.fetched, total: walk.summary.lastTotal, pages: walk.summary.pages });
  try {
    schedule(walk);
    while (walk.queue.length > 0) {
      const page = await nextPage(walk);
      if (walk.ended) walk.queue.length = 0;
      else schedule(walk);
      progress();
      yield page;
      if (walk.queue.length === 0 && !walk.ended && walk.nextOffset < walk.knownTotal) throw tooManyPages(walk);
    }
    const recovered = needsVerification(walk) ? await verify(walk) : undefined;
    if (recovered) {
      progress();
      yield recovered;
    }
    return walk.summary;
  } finally {
    // `break`, an error or the end: nothing keeps running behind the caller's back.
    if (!walk.stop.signal.aborted) walk.stop.abort(new DOMException('walk stopped', 'AbortError'));
  }
}

function tooManyPages(walk: Walk): SwrApiError {
  const total = Number.isFinite(walk.knownTotal) ? walk.knownTotal : 'not given';
  return new SwrApiError({
    kind: 'invalid_response',
    retryable: false,
    attempts: 1,
    offset: walk.nextOffset,
    message: `stopped after ${walk.settings.maxPages} pages (maxPages): the server still reports more registries than it returns (total ${total})`,
  });
}

/** Builds the three walkers over a function that fetches one page. */
export function createPaginator(fetchPage: FetchPage) {
  const pages = (instanceId: string, query: Query, options?: PageOptions) =>
    walkPages(fetchPage, instanceId, query, options);

  async function* items(
    instanceId: string,
    query: Query,
    options?: PageOptions,
  ): AsyncGenerator<Registry, WalkSummary> {
    const walk = pages(instanceId, query, options);
    try {
      for (;;) {
        const next = await walk.next();
        if (next.done) return next.value;
        yield* next.value.registries;
      }
    } finally {
      // A `break` out of the caller's loop ends the page walk too, cancelling what is in flight.
      await walk.return(undefined as never);
    }
  }

  async function all(instanceId: string, query: Query, options?: PageOptions): Promise<ListAllResult> {
    const registries: Registry[] = [];
    const walk = pages(instanceId, query, options);
    for (;;) {
      const next = await walk.next();
      if (next.done) return { ...next.value, registries };
      for (const r of next.value.registries) registries.push(r);
    }
  }

  return { pages, items, all };
}

/**
 * The records not seen before, by id, across pages and within this one. A record whose id is
 * missing or not of the spec's type identifies nothing, so it is kept.
 */
function dedupe(items: readonly Registry[], seen: Set<unknown>): Registry[] {
  const fresh: Registry[] = [];
  for (const item of items) {
    const id = (item as Record<string, unknown> | null)?.[PAGING.id];
    if (id !== undefined && check(ID, id, 'response').length === 0) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    fresh.push(item);
  }
  return fresh;
}

function checkOptions(options: PageOptions) {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const [min, max] = [LIMIT.min ?? 1, LIMIT.max ?? DEFAULT_PAGE_SIZE];
  if (!Number.isInteger(pageSize) || pageSize < min || pageSize > max)
    throw new SwrValidationError('pageSize', `must be an integer from ${min} to ${max}`, pageSize);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new SwrValidationError('concurrency', `must be an integer from 1 to ${MAX_CONCURRENCY}`, concurrency);
  }
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (options.maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 1)) {
    throw new SwrValidationError('maxItems', 'must be a positive integer', options.maxItems);
  }
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(maxPages) || maxPages < 1)
    throw new SwrValidationError('maxPages', 'must be a positive integer', maxPages);
  if (options.verify !== undefined && typeof options.verify !== 'boolean')
    throw new SwrValidationError('verify', 'must be true or false', options.verify);
  return { pageSize, concurrency, maxItems, maxPages, verify: options.verify ?? true };
}
