// The fetch that openapi-fetch calls: one logical request, several attempts. Each attempt is
// authorised afresh (a new X-Sdk-Date and signature, or a fresh token), has its own timeout, and
// reads the whole body under that timeout, so a reset or a slow drip mid-body is retried too.
import { kindOf, parseErrorBody, SwrApiError, type SwrApiErrorInit, type SwrErrorKind } from './errors.js';
import type { SignTarget } from './auth/sign.js';
import type { Difference } from './operation.js';
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
export interface SwrAttemptEvent {
  type: 'attempt';
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

/** An answer that differs from the spec in a field: reported once per field and client. */
export interface SwrDifferenceEvent extends Difference {
  type: 'difference';
  operationId: string;
  requestId?: string;
}

export type SwrLogEvent = SwrAttemptEvent | SwrDifferenceEvent;
export type SwrLogger = (event: SwrLogEvent) => void;

export interface RetryingFetchOptions {
  fetch: typeof fetch;
  retry: RetryOptions | false;
  /** Per-attempt timeout, body included. */
  timeoutMs: number;
  /** Adds credentials to one attempt's headers; `refresh` is true on the extra attempt after a 401. */
  authorize: (target: SignTarget, context: { attempt: number; refresh: boolean }) => Promise<void>;
  /** Whether a 401 earns one more attempt with refreshed credentials (token providers). */
  refreshOn401: boolean;
  redactor: Redactor;
  logger?: SwrLogger | undefined;
}

/**
 * Where a caller of openapi-fetch (listRegistries) asks the loop to leave what it read: the body
 * is then parsed once, here, and the response is not re-wrapped for openapi-fetch to read again.
 * openapi-fetch copies unknown init keys onto its Request, which is how the sink arrives.
 */
export interface AnswerSink {
  attempts: number;
  path: string;
  /** The parsed JSON of a 2xx body. */
  json?: unknown;
  /** The text of an error body. */
  text?: string;
}

/** The init key that carries an AnswerSink through openapi-fetch. */
export const ANSWER_SINK = 'swrAnswerSink';

/** Creates the retrying, authorising fetch. */
export function createRetryingFetch(options: RetryingFetchOptions): (input: Request) => Promise<Response> {
  const policy = options.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : options.retry;
  return async function retryingFetch(input) {
    const caller = input.signal;
    const started = Date.now();
    const { method, url, headers } = input;
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2)) || '/';
    // Read once: every attempt sends (and signs) the same bytes.
    const body = input.body ? new Uint8Array(await input.arrayBuffer()) : undefined;
    const sink = (input as Request & { [ANSWER_SINK]?: AnswerSink })[ANSWER_SINK];
    let refreshed = false; // a 401 has earned its one refresh-and-retry
    let refreshNow = false; // ...and this attempt is it
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      if (caller.aborted) throw caller.reason;
      const budget = Math.max(1, Math.min(options.timeoutMs, policy.deadlineMs - (Date.now() - started)));
      // The Request is this call's own (openapi-fetch builds one per call): its headers are reused
      // across attempts, and each attempt overwrites the credential headers.
      await options.authorize({ method, url, headers, body }, { attempt, refresh: refreshNow });
      refreshNow = false;
      // Signing is asynchronous: the caller may have given up meanwhile.
      if (caller.aborted) throw caller.reason;
      // One controller per attempt, fed by the caller's signal and a plain timer: cheaper than
      // AbortSignal.any + AbortSignal.timeout, and the timer is cleared as soon as the body is in.
      const attemptControl = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptControl.abort(new DOMException('attempt timed out', 'TimeoutError'));
      }, budget);
      const onCallerAbort = () => attemptControl.abort(caller.reason);
      caller.addEventListener('abort', onCallerAbort, { once: true });
      const t0 = Date.now();
      const log = (event: Omit<SwrAttemptEvent, 'type' | 'method' | 'path' | 'attempt' | 'durationMs' | 'headers'>) =>
        options.logger?.({
          type: 'attempt',
          method,
          path,
          attempt,
          durationMs: Date.now() - t0,
          headers: redactHeaders(headers),
          ...event,
        });
      const canRetry = () => retries + 1 < policy.maxAttempts;

      // Either an error answer worth another attempt (`answer`), or a failure without one.
      let answer: Response | undefined;
      let failure: SwrApiError;
      let retryAfterMs: number | undefined;
      try {
        let response: Response;
        let text: string;
        try {
          response = await options.fetch(url, {
            method,
            headers,
            ...(body && { body }),
            signal: attemptControl.signal,
            redirect: 'manual',
          });
          text = await response.text();
        } finally {
          clearTimeout(timer);
          caller.removeEventListener('abort', onCallerAbort);
        }
        const requestId = response.headers.get('x-request-id') ?? undefined;
        const facts = { status: response.status, attempts: attempt, method, path, requestId };
        if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
          throw new SwrApiError({
            ...facts,
            kind: 'invalid_response',
            retryable: false,
            message: `SWR answered with a redirect (${response.status || 'opaque'}), which is refused so credentials never reach another origin${requestId ? ` (request id ${requestId})` : ''}`,
          });
        }
        /** Hands the answer on: through the sink, and as a Response whose body can be read again
         * (openapi-fetch reads every error body, and every 2xx body of a caller without a sink). */
        const deliver = (read: { json?: unknown; text?: string }) => {
          if (sink) {
            Object.assign(sink, { attempts: attempt, path }, read);
            if (response.ok) return response;
          }
          return new Response(response.status === 204 ? null : text, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
        };
        if (response.ok) {
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch (cause) {
            throw new SwrApiError({
              ...facts,
              kind: 'invalid_response',
              retryable: true,
              cause,
              message: `SWR answered ${response.status} with a body that is not valid JSON (${text.length} characters; truncated?) (${[requestId && `request id ${requestId}`, attempts(attempt)].filter(Boolean).join(', ')})`,
            });
          }
          log({ outcome: 'ok', status: response.status, ...(requestId && { requestId }) });
          return deliver({ json });
        }
        const kind = kindOf(response.status, parseErrorBody(text, response.headers.get('content-type')).errorCode);
        if (response.status === 401 && options.refreshOn401 && !refreshed) {
          refreshed = refreshNow = true;
          log({ outcome: 'retry', status: 401, retryInMs: 0, ...(requestId && { requestId }) });
          continue;
        }
        if (!(kind === 'throttled' || policy.retryStatuses.includes(response.status)) || !canRetry()) {
          log({ outcome: 'error', status: response.status, errorKind: kind, ...(requestId && { requestId }) });
          return deliver({ text });
        }
        answer = deliver({ text });
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), policy.maxRetryAfterMs);
        failure = new SwrApiError({ ...facts, kind, retryable: true, message: `SWR answered ${response.status}` });
      } catch (error) {
        if (caller.aborted) throw caller.reason;
        failure =
          error instanceof SwrApiError
            ? error
            : new SwrApiError({
                kind: timedOut ? 'timeout' : 'network',
                retryable: true,
                attempts: attempt,
                method,
                path,
                cause: error,
                message: options.redactor.text(
                  timedOut
                    ? `no complete answer from SWR within ${budget} ms (${attempts(attempt)})`
                    : `network error talking to SWR: ${describeNetworkError(error)} (${attempts(attempt)})`,
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

function attempts(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
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
