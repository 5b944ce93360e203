// Walks every page of a listing. The first page tells `total`, so every other offset is known at
// once: up to `concurrency` pages are fetched at a time and handed out strictly in order, holding
// at most about `concurrency` pages in memory. A service that leaves `total` out is walked page
// after page until a short one. The names of the paging parameters and fields, the page size
// bounds and the default order all come from the spec's `x-pagination`.
import type { components } from '../generated/schema.js';
import { SwrApiError, SwrValidationError, type SwrApiErrorInit } from './errors.js';
import { operations, parametersIn } from './operation.js';
import { itemSchema } from './operation.js';
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
  /** Registries seen twice (shifted across a page boundary by an insertion) and dropped. */
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

type FetchPage = (instanceId: string, query: Query, signal: AbortSignal) => Promise<PageAnswer>;

export const DEFAULT_PAGE_SIZE = LIMIT.max ?? 100;
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;
export const DEFAULT_MAX_PAGES = 10_000;

const itemsOf = (page: PageAnswer): Registry[] => page.registries ?? [];
const totalOf = (page: PageAnswer): number | undefined =>
  Number.isInteger(page.total) && (page.total as number) >= 0 ? page.total : undefined;

/** Builds the three walkers over a function that fetches one page. */
export function createPaginator(fetchPage: FetchPage) {
  async function* pages(
    instanceId: string,
    query: Query,
    options: PageOptions = {},
  ): AsyncGenerator<Page, WalkSummary> {
    const { pageSize, concurrency, maxItems, maxPages } = checkOptions(options);
    // Without an order of the caller's, the spec's walk order: the most stable one for a walk.
    const base: Query = query[PAGING.sort] !== undefined ? { ...query } : { ...query, ...PAGING.walkOrder };
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const seen = new Set<unknown>();
    const summary: WalkSummary = {
      total: undefined,
      lastTotal: undefined,
      totalChanged: false,
      duplicatesDropped: 0,
      shortPages: 0,
      pages: 0,
      fetched: 0,
      truncated: false,
      differences: 0,
    };
    const queue: Array<{ offset: number; result: Promise<PageAnswer> }> = [];
    let nextOffset = 0;
    let knownTotal = Number.POSITIVE_INFINITY; // until a page says
    let sequential = false; // no `total`: one page at a time, until a short one
    let ended = false;

    const schedule = () => {
      const width = summary.pages === 0 || sequential ? 1 : concurrency;
      while (!ended && queue.length < width && nextOffset < knownTotal) {
        if (summary.pages + queue.length >= maxPages) break;
        const offset = nextOffset;
        nextOffset += pageSize;
        const result = fetchPage(instanceId, { ...base, [PAGING.offset]: offset, [PAGING.limit]: pageSize }, signal);
        result.catch(() => undefined); // surfaced in order below; never an unhandled rejection
        queue.push({ offset, result });
      }
    };

    try {
      schedule();
      while (queue.length > 0) {
        const { offset, result } = queue.shift()!;
        let page: PageAnswer;
        try {
          page = await result;
        } catch (error) {
          if (signal.aborted && !(error instanceof SwrApiError)) throw error;
          throw pageError(error, offset);
        }
        const items = itemsOf(page);
        const total = totalOf(page);
        if (summary.pages === 0) {
          summary.total = total;
          sequential = total === undefined;
        } else if (total !== undefined && summary.lastTotal !== undefined && total !== summary.lastTotal)
          summary.totalChanged = true;
        if (total !== undefined) {
          summary.lastTotal = total;
          knownTotal = total;
        }
        summary.differences += page.differences.reduce((n, d) => n + d.count, 0);
        if (items.length === 0 || (sequential && items.length < pageSize))
          ended = true; // the data ends here, whatever `total` says
        else if (items.length < pageSize && offset + pageSize < knownTotal) summary.shortPages += 1;

        const fresh = dedupe(items, seen);
        summary.duplicatesDropped += items.length - fresh.length;
        let registries = fresh;
        if (summary.fetched + registries.length >= maxItems) {
          registries = registries.slice(0, maxItems - summary.fetched);
          summary.truncated = summary.fetched + fresh.length > maxItems || queue.length > 0 || nextOffset < knownTotal;
          ended = true;
        }
        summary.fetched += registries.length;
        summary.pages += 1;
        if (ended) {
          stop.abort(new DOMException('walk finished', 'AbortError'));
          queue.length = 0;
        } else schedule();
        options.onProgress?.({ fetched: summary.fetched, total, pages: summary.pages });
        yield { index: summary.pages - 1, offset, limit: pageSize, total, registries, requestId: page.requestId };
        if (queue.length === 0 && !ended && nextOffset < knownTotal && summary.pages >= maxPages) {
          throw new SwrApiError({
            kind: 'invalid_response',
            retryable: false,
            attempts: 1,
            offset: nextOffset,
            message: `stopped after ${maxPages} pages (maxPages): the server still reports more registries than it returns (total ${Number.isFinite(knownTotal) ? knownTotal : 'not given'})`,
          });
        }
      }
      return summary;
    } finally {
      // `break`, an error or the end: nothing keeps running behind the caller's back.
      if (!stop.signal.aborted) stop.abort(new DOMException('walk stopped', 'AbortError'));
    }
  }

  async function* items(
    instanceId: string,
    query: Query,
    options: PageOptions = {},
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

  async function all(instanceId: string, query: Query, options: PageOptions = {}): Promise<ListAllResult> {
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
  return { pageSize, concurrency, maxItems, maxPages };
}

function pageError(error: unknown, offset: number): unknown {
  if (!(error instanceof SwrApiError)) return error;
  const fields = error.toJSON() as unknown as SwrApiErrorInit;
  return new SwrApiError({
    ...fields,
    cause: error,
    offset,
    message: `page at offset ${offset} failed: ${error.message}`,
  });
}
