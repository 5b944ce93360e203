// Walks every page of a list operation. The first page tells `total`, so every other offset is
// known at once: up to `concurrency` pages are fetched at a time and handed out strictly in order,
// holding at most about `concurrency` pages in memory. A service that leaves `total` out is walked
// page after page until a short one. The names of the paging parameters and fields, the page
// size bounds and the orders all come from the operation's `x-pagination` in the spec.
//
// Offset paging is only as exact as the order beneath it: a database that orders ties differently
// from one request to the next can return an item twice and skip another at a page boundary. When
// a walk ends with fewer items than `total`, or saw one twice, it reads the listing once more in
// the spec's tie-free order (where the operation has one) and delivers what it missed (`verify`).
import { pageError, SwrApiError, SwrValidationError, walkError } from '../errors.js';
import { itemSchema, parametersIn, type ListOperation } from '../spec/table.js';
import { check, numberBounds } from '../spec/validate.js';

type Item = unknown;
type Query = Record<string, unknown>;

/** One page of a listing as a walker yields it (items already de-duplicated by id). */
export interface PageBase<T = Item> {
  /** 0-based position of the page in the walk. */
  index: number;
  offset: number;
  limit: number;
  /** `total` as this page reported it; undefined when the service left it out. */
  total: number | undefined;
  /** The page's items (also under the list's own name: `registries`, `policies`...). */
  items: T[];
  requestId: string | undefined;
  /** True for the last page of a walk that verified itself: items the walk had missed. */
  recovered?: boolean;
}

/** A page, with its items under the list's own name too (`page.registries`). */
export type Page<T = Item, K extends string = never> = PageBase<T> & { [key in K]: T[] };

export interface PageOptions {
  /** Items per request, from 1 to the spec's largest `limit` (the default). */
  pageSize?: number;
  /** Requests in flight at most, 1..32 (default 8; 1 walks sequentially). */
  concurrency?: number;
  /** Stop after this many items. */
  maxItems?: number;
  /** Hard cap on pages, so a server whose `total` never ends cannot loop the walk (default 10 000). */
  maxPages?: number;
  /** Re-read the listing in a tie-free order when the walk came up short or saw an item twice (default true). */
  verify?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { fetched: number; total: number | undefined; pages: number }) => void;
}

/** What a walk observed besides the items. */
export interface WalkSummary {
  /** `total` of the first page; undefined when the service left it out. */
  total: number | undefined;
  /** `total` of the last page that had one. */
  lastTotal: number | undefined;
  /** Whether `total` changed during the walk: items were added or removed meanwhile. */
  totalChanged: boolean;
  /** Items seen twice (shifted across a page boundary, or an unstable order) and dropped. */
  duplicatesDropped: number;
  /** Pages that came back shorter than asked although more were expected. */
  shortPages: number;
  pages: number;
  /** Items yielded. */
  fetched: number;
  /** Whether the walk stopped early on purpose (`maxItems`). */
  truncated: boolean;
  /** Values that differed from the spec (a field missing, null, of another type...), over all pages. */
  differences: number;
  /** The verification pass, when the walk needed one: its requests and the items it recovered. */
  verification: { requests: number; recovered: number } | undefined;
}

/** Every item of a walk, collected, with what the walk observed; the items under the list's own name too. */
export type ListAllResult<T = Item, K extends string = never> = WalkSummary & { items: T[] } & { [key in K]: T[] };

/** What a walker needs of one page's answer. */
export interface PageAnswer {
  items?: Item[] | undefined;
  total?: number | undefined;
  requestId: string | undefined;
  differences: ReadonlyArray<{ count: number }>;
}

/** Fetches one page: the list's query with offset and limit set, under the walk's signal. */
export type FetchPage = (query: Query, signal: AbortSignal) => Promise<PageAnswer>;

/** The page size a walk uses unless told: the largest `limit` the spec allows. */
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;
export const DEFAULT_MAX_PAGES = 10_000;

type Settings = ReturnType<typeof checkOptions>;

/** What a walk reads of its list operation's `x-pagination`. */
interface Paging {
  op: ListOperation;
  limit: { min?: number; max?: number };
  /** The items' id schema: an id that does not fit it identifies nothing. */
  id: ReturnType<typeof itemSchema>;
}

/** The state of one walk: what is in flight, what was seen, what it observed. */
interface Walk {
  paging: Paging;
  fetchPage: FetchPage;
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

function startWalk(paging: Paging, fetchPage: FetchPage, query: Query, options: PageOptions): Walk {
  const settings = checkOptions(paging, options);
  const { sort, walkOrder } = paging.op.pagination;
  // Without an order of the caller's, the spec's walk order: the most stable one for a walk.
  const ordered = sort !== undefined && query[sort] !== undefined ? { ...query } : { ...query, ...walkOrder };
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
    paging,
    inflight,
    fetchPage,
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
  const { offset: offsetName, limit: limitName } = walk.paging.op.pagination;
  const page = { ...query, [offsetName]: offset, [limitName]: pageSize };
  const result = walk.fetchPage(page, control.signal);
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
    throw error instanceof SwrApiError ? pageError(error, offset) : error;
  }
  const items = itemsOf(walk, page, offset);
  const total = Number.isInteger(page.total) && page.total! >= 0 ? page.total : undefined;
  noteTotal(walk, total);
  walk.summary.differences += page.differences.reduce((n, d) => n + d.count, 0);
  const { pageSize, maxItems } = walk.settings;
  if (items.length === 0 || (walk.sequential && items.length < pageSize))
    walk.ended = true; // the data ends here
  else if (items.length < pageSize && offset + pageSize < walk.knownTotal) walk.summary.shortPages += 1;
  const fresh = dedupe(walk, items);
  walk.summary.duplicatesDropped += items.length - fresh.length;
  let kept = fresh;
  if (walk.summary.fetched + kept.length >= maxItems) {
    kept = kept.slice(0, maxItems - walk.summary.fetched);
    walk.summary.truncated =
      walk.summary.fetched + fresh.length > maxItems || walk.queue.length > 0 || walk.nextOffset < walk.knownTotal;
    walk.ended = true;
  }
  walk.summary.fetched += kept.length;
  walk.summary.pages += 1;
  return pageOf(walk, { index: walk.summary.pages - 1, offset, total, items: kept, requestId: page.requestId });
}

/** A page as walkers yield it: its items under `items` and under the list's own name. */
function pageOf(walk: Walk, page: Omit<PageBase, 'limit'>): Page {
  return { ...page, limit: walk.settings.pageSize, [walk.paging.op.pagination.items]: page.items } as Page;
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
function itemsOf(walk: Walk, page: PageAnswer, offset: number): Item[] {
  const items = page.items ?? [];
  const { pageSize } = walk.settings;
  if (items.length > pageSize) {
    const noun = walk.paging.op.pagination.items;
    throw walkError(
      offset,
      `page at offset ${offset} holds ${items.length} ${noun}, more than the ${pageSize} asked for`,
      page.requestId,
    );
  }
  return items;
}

/** Whether the walk must read the listing again: it came up short of `total`, or saw an item twice (which, without insertions, means it missed one). */
function needsVerification(walk: Walk): boolean {
  const { summary, settings } = walk;
  if (!settings.verify || summary.truncated || !walk.paging.op.pagination.tieFreeOrder) return false;
  const short = summary.lastTotal !== undefined && summary.fetched < summary.lastTotal;
  return short || summary.duplicatesDropped > 0;
}

/**
 * Reads the listing once more in the spec's tie-free order, page after page, and returns the
 * items the walk had not delivered, no more than `maxItems` allows. Costs one more full read,
 * only when needed.
 */
async function verify(walk: Walk): Promise<Page | undefined> {
  const query = { ...walk.query, ...walk.paging.op.pagination.tieFreeOrder };
  const { pageSize, maxItems } = walk.settings;
  const room = maxItems - walk.summary.fetched;
  const missed: Item[] = [];
  let requests = 0;
  let requestId: string | undefined;
  for (let offset = 0; requests < walk.settings.maxPages && missed.length < room; offset += pageSize) {
    const page = await request(walk, query, offset);
    requests += 1;
    requestId = page.requestId;
    const items = itemsOf(walk, page, offset);
    missed.push(...dedupe(walk, items));
    if (items.length < pageSize || (page.total !== undefined && offset + pageSize >= page.total)) break;
  }
  const recovered = missed.slice(0, room);
  walk.summary.verification = { requests, recovered: recovered.length };
  if (recovered.length === 0) return undefined;
  walk.summary.truncated = missed.length > room;
  walk.summary.fetched += recovered.length;
  walk.summary.pages += 1;
  const index = walk.summary.pages - 1;
  return {
    ...pageOf(walk, { index, offset: 0, total: walk.summary.lastTotal, items: recovered, requestId }),
    recovered: true,
  } as Page;
}

/** Every page of a listing, in order; concurrent after the first. Returns what the walk observed. */
async function* walkPages(
  paging: Paging,
  fetchPage: FetchPage,
  query: Query,
  options: PageOptions = {},
): AsyncGenerator<Page, WalkSummary> {
  const walk = startWalk(paging, fetchPage, query, options);
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
  const noun = walk.paging.op.pagination.items;
  return walkError(
    walk.nextOffset,
    `stopped after ${walk.settings.maxPages} pages (maxPages): the server still reports more ${noun} than it returns (total ${total})`,
  );
}

/** The three walkers of a list operation, over items of type `T`. */
export interface Paginator<T = Item> {
  pages(query: Query, options?: PageOptions): AsyncGenerator<Page<T>, WalkSummary>;
  items(query: Query, options?: PageOptions): AsyncGenerator<T, WalkSummary>;
  all(query: Query, options?: PageOptions): Promise<ListAllResult<T>>;
}

/** Builds the three walkers of a list operation over a function that fetches one page. */
export function createPaginator<T = Item>(op: ListOperation, fetchPage: FetchPage): Paginator<T> {
  const { limit, id } = op.pagination;
  const paging: Paging = {
    op,
    limit: numberBounds(parametersIn(op, 'query').find((p) => p.name === limit)!.schema),
    id: itemSchema(op).properties?.[id] ?? {},
  };
  const pages = (query: Query, options?: PageOptions) => walkPages(paging, fetchPage, query, options);

  async function* items(query: Query, options?: PageOptions): AsyncGenerator<Item, WalkSummary> {
    const walk = pages(query, options);
    try {
      for (;;) {
        const next = await walk.next();
        if (next.done) return next.value;
        yield* next.value.items;
      }
    } finally {
      // A `break` out of the caller's loop ends the page walk too, cancelling what is in flight.
      await walk.return(undefined as never);
    }
  }

  async function all(query: Query, options?: PageOptions): Promise<ListAllResult> {
    const collected: Item[] = [];
    const walk = pages(query, options);
    for (;;) {
      const next = await walk.next();
      if (next.done) return { ...next.value, items: collected, [op.pagination.items]: collected } as ListAllResult;
      for (const item of next.value.items) collected.push(item);
    }
  }

  // Items are what the service answered: their type is the caller's, from the generated tables.
  return { pages, items, all } as Paginator<T>;
}

/**
 * The records not seen before, by id, across pages and within this one. A record whose id is
 * missing or not of the spec's type identifies nothing, so it is kept.
 */
function dedupe(walk: Walk, items: readonly Item[]): Item[] {
  const fresh: Item[] = [];
  const field = walk.paging.op.pagination.id;
  for (const item of items) {
    const id = (item as Record<string, unknown> | null)?.[field];
    if (id !== undefined && check(walk.paging.id, id, 'response').length === 0) {
      if (walk.seen.has(id)) continue;
      walk.seen.add(id);
    }
    fresh.push(item);
  }
  return fresh;
}

function checkOptions(paging: Paging, options: PageOptions) {
  const [min, max] = [paging.limit.min ?? 1, paging.limit.max ?? DEFAULT_PAGE_SIZE];
  const pageSize = options.pageSize ?? max;
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
