// Runs an operation that starts something asynchronous (a replication execution) and follows it to
// its end, as the operation's `x-follow` says: there is no operation to show one execution, so it
// polls the list that shows it (filtered as `by` says, newest first), one small page per poll
// however many earlier runs there are, with a backoff between polls. It reports progress when the
// counts change, honours the caller's signal and its own deadline, and can stop the run when the
// caller gives up.
import type { FollowInfo } from '../../generated/operations.js';
import { SwrValidationError, workflowError } from '../errors.js';

/** How a run is followed. */
export interface FollowOptions {
  signal?: AbortSignal;
  /** Called with the run's row whenever its status or counts change. */
  onProgress?: (row: Record<string, unknown>) => void;
  /** Called once the run has started, with what the start answered (its `id`). */
  onStart?: (started: Record<string, unknown>) => void;
  /** The first wait between polls (default 500 ms), doubled after each poll that saw no change, up to `maxIntervalMs` (default 5 s). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Stop waiting after this long (default 1 hour): an error of kind `timeout`; the run itself goes on. */
  timeoutMs?: number;
  /** When the signal aborts, stop the run too (default: it goes on, and only the waiting stops). */
  stopOnAbort?: boolean;
  /** Rows per poll (default 10): the run is near the top, so one small page finds it. */
  pageSize?: number;
}

/** What a followed run ended as: its last row, whether it succeeded, and what following it cost. */
export interface FollowResult {
  /** The run's last row (an execution, with its counts). */
  row: Record<string, unknown>;
  succeeded: boolean;
  /** Polls made, and pages read by them. */
  polls: number;
  pages: number;
}

/** What the follower needs of the client: the start, a page of the list, and the stop. */
export interface FollowCalls {
  start: () => Promise<Record<string, unknown>>;
  page: (
    query: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ) => Promise<{ items: unknown[]; total: number | undefined }>;
  stop?: (id: unknown) => Promise<unknown>;
  /** The list's paging parameters and its items' id field. */
  paging: { offset: string; limit: string; id: string };
}

const MAX_SCAN_PAGES = 100;

function check(options: FollowOptions) {
  const number = (name: keyof FollowOptions, value: unknown, min: number) => {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min))
      throw new SwrValidationError(name, `must be a number of at least ${min}`, value);
  };
  number('intervalMs', options.intervalMs, 1);
  number('maxIntervalMs', options.maxIntervalMs, 1);
  number('timeoutMs', options.timeoutMs, 1);
  number('pageSize', options.pageSize, 1);
}

/** Waits, or rejects at once when the signal aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Starts the run, then polls until its status leaves `running`. */
export async function follow(
  info: FollowInfo,
  calls: FollowCalls,
  body: Record<string, unknown>,
  options: FollowOptions = {},
): Promise<FollowResult> {
  check(options);
  const { signal } = options;
  const started = await calls.start();
  const id = started[calls.paging.id];
  options.onStart?.(started);
  const filter = Object.fromEntries(Object.entries(info.by).map(([parameter, field]) => [parameter, body[field]]));
  const limit = options.pageSize ?? 10;
  const deadline = Date.now() + (options.timeoutMs ?? 3600_000);
  let interval = options.intervalMs ?? 500;
  const ceiling = options.maxIntervalMs ?? 5000;
  let polls = 0;
  let pages = 0;
  let last = '';
  try {
    for (;;) {
      polls += 1;
      let row: Record<string, unknown> | undefined;
      // Newest first: the run is on the first page unless many started after it.
      for (let offset = 0, n = 0; !row && n < MAX_SCAN_PAGES; offset += limit, n++) {
        const page = await calls.page(
          { ...filter, [calls.paging.offset]: offset, [calls.paging.limit]: limit },
          signal,
        );
        pages += 1;
        row = page.items.find((item) => (item as Record<string, unknown>)?.[calls.paging.id] === id) as
          Record<string, unknown> | undefined;
        if (page.items.length < limit || (page.total !== undefined && offset + limit >= page.total)) break;
      }
      if (row) {
        const state = JSON.stringify([row[info.status], ...(info.progress ?? []).map((f) => row![f])]);
        if (state !== last) {
          last = state;
          interval = options.intervalMs ?? 500;
          options.onProgress?.(row);
        } else interval = Math.min(ceiling, interval * 2);
        const status = String(row[info.status]);
        if (!info.running.includes(status)) return { row, succeeded: info.succeeded.includes(status), polls, pages };
      }
      if (Date.now() + interval > deadline)
        throw workflowError({
          kind: 'timeout',
          message: `${String(id)} is still ${row ? String(row[info.status]) : 'not listed'} after ${options.timeoutMs ?? 3600_000} ms; it goes on`,
        });
      await wait(interval, signal);
    }
  } catch (error) {
    if (signal?.aborted && options.stopOnAbort && calls.stop) await calls.stop(id).catch(() => undefined);
    throw error;
  }
}
