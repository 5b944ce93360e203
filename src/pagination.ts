// Walks every page of a listing. The first page tells `total`, so every other offset is known at
// once: up to `concurrency` pages are fetched at a time and handed out strictly in order, holding
// at most about `concurrency` pages in memory.
import type { components } from '../generated/schema.js';
import { SwrApiError, SwrValidationError, type SwrApiErrorInit } from './errors.js';
import type { ListRegistriesQuery } from './validate.js';

type Registry = components['schemas']['Registry'];

/** One page of a listing as a walker yields it (registries already de-duplicated by id). */
export interface Page {
  /** 0-based position of the page in the walk. */
  index: number;
  offset: number;
  limit: number;
  /** `total` as this page reported it. */
  total: number;
  registries: Registry[];
  requestId: string | undefined;
}

export interface PageOptions {
  /** Registries per request, 1..100 (default 100, the maximum). */
  pageSize?: number;
  /** Requests in flight at most, 1..32 (default 8; 1 walks sequentially). */
  concurrency?: number;
  /** Stop after this many registries. */
  maxItems?: number;
  /** Hard cap on pages, so a server whose `total` never ends cannot loop the walk (default 10 000). */
  maxPages?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { fetched: number; total: number; pages: number }) => void;
}

/** What a walk observed besides the registries. */
export interface WalkSummary {
  /** `total` of the first page. */
  total: number;
  /** `total` of the last page. */
  lastTotal: number;
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
}

export interface ListAllResult extends WalkSummary {
  registries: Registry[];
}

type FetchPage = (
  instanceId: string,
  query: ListRegistriesQuery,
  signal: AbortSignal,
) => Promise<{ registries: Registry[]; total: number; requestId: string | undefined }>;

export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;
export const DEFAULT_MAX_PAGES = 10_000;

/** Builds the three walkers over a function that fetches one page. */
export function createPaginator(fetchPage: FetchPage) {
  async function* pages(
    instanceId: string,
    query: ListRegistriesQuery,
    options: PageOptions = {},
  ): AsyncGenerator<Page, WalkSummary> {
    const { pageSize, concurrency, maxItems, maxPages } = checkOptions(options);
    // The most stable order for a walk: by creation time, oldest first, so registries created
    // meanwhile land after the cursor instead of shifting every page.
    const base: ListRegistriesQuery = query.order_column
      ? { ...query }
      : { ...query, order_column: 'created_at', order_type: 'asc' };
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const seen = new Set<number>();
    const summary: WalkSummary = {
      total: 0,
      lastTotal: 0,
      totalChanged: false,
      duplicatesDropped: 0,
      shortPages: 0,
      pages: 0,
      fetched: 0,
      truncated: false,
    };
    const queue: Array<{ offset: number; result: Promise<Awaited<ReturnType<FetchPage>>> }> = [];
    let nextOffset = 0;
    let knownTotal = Number.POSITIVE_INFINITY; // until the first page says
    let ended = false;

    const schedule = () => {
      while (!ended && queue.length < (summary.pages === 0 ? 1 : concurrency) && nextOffset < knownTotal) {
        if (summary.pages + queue.length >= maxPages) break;
        const offset = nextOffset;
        nextOffset += pageSize;
        const result = fetchPage(instanceId, { ...base, offset, limit: pageSize }, signal);
        result.catch(() => undefined); // surfaced in order below; never an unhandled rejection
        queue.push({ offset, result });
      }
    };

    try {
      schedule();
      while (queue.length > 0) {
        const { offset, result } = queue.shift()!;
        let page: Awaited<ReturnType<FetchPage>>;
        try {
          page = await result;
        } catch (error) {
          if (signal.aborted && !(error instanceof SwrApiError)) throw error;
          throw pageError(error, offset);
        }
        if (summary.pages === 0) summary.total = page.total;
        else if (page.total !== summary.lastTotal) summary.totalChanged = true;
        summary.lastTotal = page.total;
        knownTotal = page.total;
        if (page.registries.length === 0)
          ended = true; // the data ends here, whatever `total` says
        else if (page.registries.length < pageSize && offset + pageSize < page.total) summary.shortPages += 1;

        const fresh = page.registries.filter((r) => !seen.has(r.id));
        summary.duplicatesDropped += page.registries.length - fresh.length;
        let registries = fresh;
        if (summary.fetched + registries.length >= maxItems) {
          registries = registries.slice(0, maxItems - summary.fetched);
          summary.truncated = summary.fetched + fresh.length > maxItems || queue.length > 0 || nextOffset < knownTotal;
          ended = true;
        }
        for (const r of registries) seen.add(r.id);
        summary.fetched += registries.length;
        summary.pages += 1;
        if (ended) {
          stop.abort(new DOMException('walk finished', 'AbortError'));
          queue.length = 0;
        } else schedule();
        options.onProgress?.({ fetched: summary.fetched, total: page.total, pages: summary.pages });
        yield {
          index: summary.pages - 1,
          offset,
          limit: pageSize,
          total: page.total,
          registries,
          requestId: page.requestId,
        };
        if (queue.length === 0 && !ended && nextOffset < knownTotal && summary.pages >= maxPages) {
          throw new SwrApiError({
            kind: 'invalid_response',
            retryable: false,
            attempts: 1,
            offset: nextOffset,
            message: `stopped after ${maxPages} pages (maxPages): the server still reports total ${knownTotal}, more than it returns`,
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
    query: ListRegistriesQuery,
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

  async function all(
    instanceId: string,
    query: ListRegistriesQuery,
    options: PageOptions = {},
  ): Promise<ListAllResult> {
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

function checkOptions(options: PageOptions) {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw new SwrValidationError('pageSize', 'must be an integer from 1 to 100', pageSize);
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
