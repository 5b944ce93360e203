// The retry policy, as small functions a reader can test alone (smithy's StandardRetryStrategy):
// what an attempt's outcome means (`classify`), how long to wait before the next one
// (`nextDelay`), and the budget that the calls of one client share (`createRetryQuota`,
// `createThrottleGate`). The loop that uses them is retrying-fetch.ts; one attempt is
// send-attempt.ts.
import { isGatewayThrottle, kindOf, type SwrErrorKind } from '../errors.js';

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
  /** Retry tokens the calls of one client share (default 500; a retry costs 5, after a timeout 10). */
  retryQuota: number;
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
  retryQuota: 500,
  random: Math.random,
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Whether sending a request twice does no more than sending it once (RFC 9110): all but POST and PATCH. */
export const isIdempotent = (method: string): boolean => IDEMPOTENT.has(method.toUpperCase());

/** What one attempt produced. */
export type Outcome =
  | {
      type: 'answer';
      status: number;
      /** Retry-After as the server sent it. */
      retryAfter: string | null;
      /** The error code of an error body, when it has one. */
      errorCode: string | undefined;
      /** For a 2xx whose JSON was asked for: whether it parsed. */
      json: 'parsed' | 'malformed' | 'not asked';
    }
  | {
      type: 'failure';
      /** `malformed`: bytes that are not an HTTP answer (undici's parser refused them). */
      failure: 'network' | 'timeout' | 'too_large' | 'malformed';
      /** False when the request surely never reached the service (the connection was refused). */
      reached: boolean;
    };

/** What to do after an attempt. */
export type Verdict =
  | { type: 'ok' }
  | { type: 'refresh' }
  | { type: 'error'; kind: SwrErrorKind; retryable: boolean; retryAfterMs?: number; why?: string };

export interface ClassifyContext {
  retryStatuses: readonly number[];
  maxRetryAfterMs: number;
  /** GET, PUT and DELETE may be sent twice; a POST only if the first cannot have reached the service. */
  idempotent: boolean;
  /** Whether a 401 earns one more attempt with fresh credentials (a provider that has not had it yet). */
  canRefresh: boolean;
}

/** One attempt's outcome, classified: done, refresh the credentials, or an error (retryable or not). */
export function classify(outcome: Outcome, context: ClassifyContext): Verdict {
  if (outcome.type === 'failure') {
    if (outcome.failure === 'too_large' || outcome.failure === 'malformed')
      return { type: 'error', kind: 'invalid_response', retryable: false };
    return {
      type: 'error',
      kind: outcome.failure,
      retryable: context.idempotent || !outcome.reached,
    };
  }
  const { status } = outcome;
  if (status < 200 || status > 599) {
    return { type: 'error', kind: 'invalid_response', retryable: false, why: 'status' };
  }
  if (status < 300) {
    if (outcome.json === 'malformed')
      return { type: 'error', kind: 'invalid_response', retryable: context.idempotent, why: 'json' };
    return { type: 'ok' };
  }
  if (status < 400) return { type: 'error', kind: 'invalid_response', retryable: false, why: 'redirect' };
  if (status === 401 && context.canRefresh) return { type: 'refresh' };
  const kind = kindOf(status, outcome.errorCode);
  const transient = kind === 'throttled' || context.retryStatuses.includes(status);
  const retryAfterMs = parseRetryAfter(outcome.retryAfter, context.maxRetryAfterMs);
  return {
    type: 'error',
    kind,
    // The gateway's throttling turns a request away before it reaches the service: safe for a POST.
    retryable: transient && (context.idempotent || isGatewayThrottle(outcome.errorCode)),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  };
}

/** How long to wait before retry number `retries + 1`: the server's Retry-After, else full jitter. */
export function nextDelay(
  policy: Pick<RetryOptions, 'baseDelayMs' | 'throttleBaseDelayMs' | 'maxDelayMs'>,
  verdict: { kind: SwrErrorKind; retryAfterMs?: number },
  retries: number,
  random: () => number,
): number {
  if (verdict.retryAfterMs !== undefined) return verdict.retryAfterMs;
  const base = verdict.kind === 'throttled' ? policy.throttleBaseDelayMs : policy.baseDelayMs;
  return random() * Math.min(policy.maxDelayMs, base * 2 ** retries);
}

/** Retry-After as milliseconds (seconds or an HTTP date), clamped to [0, max]; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, maxMs: number, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxMs);
}

const RETRY_COST = 5;
const TIMEOUT_COST = 10;

/**
 * The retry tokens the calls of one client share (smithy's retry quota): a retry costs 5 tokens,
 * one after a timeout 10; a call that succeeds gives back what its last retry cost, or 1 token if
 * it needed none. When the tokens run out, failures are no longer retried, so a struggling
 * service is not hit by every call's retries at once.
 */
export function createRetryQuota(capacity: number) {
  let tokens = capacity;
  return {
    /** Takes the cost of one retry after a failure of this kind; undefined when the quota is spent. */
    take(kind: SwrErrorKind): number | undefined {
      const cost = kind === 'timeout' ? TIMEOUT_COST : RETRY_COST;
      if (tokens < cost) return undefined;
      tokens -= cost;
      return cost;
    },
    /** A call succeeded: gives back its last retry's cost, or one token. */
    succeeded(lastCost: number | undefined): void {
      tokens = Math.min(capacity, tokens + (lastCost ?? 1));
    },
    get available(): number {
      return tokens;
    },
  };
}

export type RetryQuota = ReturnType<typeof createRetryQuota>;

/**
 * The client's shared pause after throttling: when the gateway says "too many requests" to one
 * call, every call of the client waits until the pause is over before its next attempt, each
 * with its own small jitter so they do not come back at the same instant.
 */
export function createThrottleGate(now: () => number = Date.now) {
  let until = 0;
  return {
    /** Closes the gate for `ms` from now (never shortens a longer pause). */
    closeFor(ms: number): void {
      until = Math.max(until, now() + ms);
    },
    /** How long an attempt starting now must wait: the rest of the pause, plus `jitter` of it. */
    wait(jitter: number): number {
      const rest = until - now();
      return rest > 0 ? rest + jitter * Math.min(rest, 1000) : 0;
    },
  };
}

export type ThrottleGate = ReturnType<typeof createThrottleGate>;
