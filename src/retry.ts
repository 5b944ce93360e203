// The fetch that openapi-fetch calls: one logical request, several attempts. Each attempt is
// authorised afresh (a new X-Sdk-Date and signature, or a fresh token), has its own timeout, and
// reads the whole body under that timeout, so a reset or a slow drip mid-body is retried too.
import { kindOf, parseErrorBody, SwrApiError, type SwrApiErrorInit, type SwrErrorKind } from './errors.js';
import { redactHeaders, type Redactor } from './redact.js';

/** Retry policy, in the spirit of AWS SDK standard mode. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  maxAttempts: number;
  /** Full-jitter backoff base for transient failures (default 50 ms). */
  baseDelayMs: number;
  /** Backoff base after throttling, 429 or APIGW.0308 (default 1 s). */
  throttleBaseDelayMs: number;
  /** Cap of one backoff (default 20 s). */
  maxDelayMs: number;
  /** Cap of a server's Retry-After (default 20 s). */
  maxRetryAfterMs: number;
  /** Overall deadline of one call, all attempts and waits included (default 120 s). */
  deadlineMs: number;
  /** Statuses worth another attempt. */
  retryStatuses: readonly number[];
  /** Source of jitter; tests may pin it. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 50,
  throttleBaseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 20_000,
  deadlineMs: 120_000,
  retryStatuses: [408, 429, 500, 502, 503, 504],
  random: Math.random,
};

/** One line per attempt for an optional logger; headers come redacted. */
export interface SwrLogEvent {
  method: string;
  path: string;
  attempt: number;
  outcome: 'ok' | 'retry' | 'error';
  status?: number;
  durationMs: number;
  requestId?: string;
  errorKind?: SwrErrorKind;
  retryInMs?: number;
  headers: Record<string, string>;
}

export type SwrLogger = (event: SwrLogEvent) => void;

export interface RetryingFetchOptions {
  fetch: typeof fetch;
  retry: RetryOptions | false;
  /** Per-attempt timeout, body included. */
  timeoutMs: number;
  /** Adds credentials to one attempt; `refresh` is true on the extra attempt after a 401. */
  authorize: (request: Request, context: { attempt: number; refresh: boolean }) => Promise<Request>;
  /** Whether a 401 earns one more attempt with refreshed credentials (token providers). */
  refreshOn401: boolean;
  redactor: Redactor;
  logger?: SwrLogger | undefined;
}

/** What the retry loop learnt about the answer it returns. */
export interface AnswerInfo {
  attempts: number;
  /** The parsed JSON of a 2xx body (parsed once, here). */
  json?: unknown;
  /** The raw text of an error body. */
  text?: string;
}

const answers = new WeakMap<Response, AnswerInfo>();

/** The retry loop's notes on a response it returned. */
export function answerInfo(response: Response): AnswerInfo | undefined {
  return answers.get(response);
}

/** Creates the retrying, authorising fetch. */
export function createRetryingFetch(options: RetryingFetchOptions): (input: Request) => Promise<Response> {
  const policy = options.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : options.retry;
  return async function retryingFetch(input) {
    const caller = input.signal;
    const started = Date.now();
    const url = new URL(input.url);
    const path = url.pathname + url.search;
    let refreshed = false;
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      if (caller.aborted) throw caller.reason;
      const budget = Math.max(1, Math.min(options.timeoutMs, policy.deadlineMs - (Date.now() - started)));
      const timeout = AbortSignal.timeout(budget);
      const unsigned = new Request(input, { signal: AbortSignal.any([caller, timeout]), redirect: 'manual' });
      const request = await options.authorize(unsigned, { attempt, refresh: refreshed && attempt === 2 });
      const t0 = Date.now();
      const log = (event: Omit<SwrLogEvent, 'method' | 'path' | 'attempt' | 'durationMs' | 'headers'>) =>
        options.logger?.({
          method: input.method,
          path,
          attempt,
          durationMs: Date.now() - t0,
          headers: redactHeaders(request.headers),
          ...event,
        });
      const canRetry = () => retries + 1 < policy.maxAttempts;

      // Either an error answer worth another attempt (`answer`), or a failure without one.
      let answer: Response | undefined;
      let failure: SwrApiError;
      let retryAfterMs: number | undefined;
      try {
        const response = await options.fetch(request);
        const body = await response.text();
        const requestId = response.headers.get('x-request-id') ?? undefined;
        const facts = { status: response.status, attempts: attempt, method: input.method, path, requestId };
        if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
          throw new SwrApiError({
            ...facts,
            kind: 'invalid_response',
            retryable: false,
            message: `SWR answered with a redirect (${response.status || 'opaque'}), which is refused so credentials never reach another origin${requestId ? ` (request id ${requestId})` : ''}`,
          });
        }
        const copy = new Response(response.status === 204 ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
        if (response.ok) {
          let json: unknown;
          try {
            json = body === '' ? undefined : JSON.parse(body);
          } catch (cause) {
            throw new SwrApiError({
              ...facts,
              kind: 'invalid_response',
              retryable: true,
              cause,
              message: `SWR answered ${response.status} with a body that is not valid JSON (${body.length} bytes; truncated?)${requestId ? `, request id ${requestId}` : ''}`,
            });
          }
          answers.set(copy, { attempts: attempt, json });
          log({ outcome: 'ok', status: response.status, ...(requestId && { requestId }) });
          return copy;
        }
        answers.set(copy, { attempts: attempt, text: body });
        const kind = kindOf(response.status, parseErrorBody(body, response.headers.get('content-type')).errorCode);
        if (response.status === 401 && options.refreshOn401 && !refreshed) {
          refreshed = true;
          log({ outcome: 'retry', status: 401, retryInMs: 0, ...(requestId && { requestId }) });
          continue;
        }
        if (!(kind === 'throttled' || policy.retryStatuses.includes(response.status)) || !canRetry()) {
          log({ outcome: 'error', status: response.status, errorKind: kind, ...(requestId && { requestId }) });
          return copy;
        }
        answer = copy;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), policy.maxRetryAfterMs);
        failure = new SwrApiError({ ...facts, kind, retryable: true, message: `SWR answered ${response.status}` });
      } catch (error) {
        if (caller.aborted) throw caller.reason;
        failure =
          error instanceof SwrApiError
            ? error
            : new SwrApiError({
                kind: timeout.aborted ? 'timeout' : 'network',
                retryable: true,
                attempts: attempt,
                method: input.method,
                path,
                cause: error,
                message: options.redactor.text(
                  timeout.aborted
                    ? `no complete answer from SWR within ${budget} ms`
                    : `network error talking to SWR: ${describeNetworkError(error)}`,
                ),
              });
        if (!failure.retryable || !canRetry()) {
          log({
            outcome: 'error',
            ...(failure.status !== undefined && { status: failure.status }),
            errorKind: failure.kind,
          });
          throw failure;
        }
      }

      const base = failure.kind === 'throttled' ? policy.throttleBaseDelayMs : policy.baseDelayMs;
      const delay = retryAfterMs ?? policy.random() * Math.min(policy.maxDelayMs, base * 2 ** retries);
      if (Date.now() - started + delay >= policy.deadlineMs) {
        log({
          outcome: 'error',
          ...(failure.status !== undefined && { status: failure.status }),
          errorKind: failure.kind,
        });
        if (answer) return answer;
        throw new SwrApiError({
          ...(failure.toJSON() as unknown as SwrApiErrorInit),
          cause: failure.cause,
          message: `${failure.message}; gave up: another attempt would pass the ${policy.deadlineMs} ms deadline`,
        });
      }
      log({
        outcome: 'retry',
        ...(failure.status !== undefined && { status: failure.status }),
        errorKind: failure.kind,
        retryInMs: Math.round(delay),
      });
      retries += 1;
      await sleep(delay, caller);
    }
  };
}

/** Retry-After as milliseconds (seconds or an HTTP date), clamped to [0, max]; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, maxMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxMs);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause?.code ?? cause?.message;
  return detail && detail !== message ? `${message} (${detail})` : message;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
