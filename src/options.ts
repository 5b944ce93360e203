// The options of createSwrClient, resolved and checked in one place: every option and every retry
// option is validated before the client exists, with an error that names it. (`auth` is resolved
// by src/auth/credentials.ts, which also knows the secrets.)
import type { Auth } from './auth/credentials.js';
import { resolveEndpoint, type Region } from './endpoints.js';
import { SwrValidationError } from './errors.js';
import { DEFAULT_RETRY, type RetryOptions } from './request/retry-policy.js';
import type { SwrLogEvent, SwrLogger } from './request/retrying-fetch.js';
import { OPERATIONS } from './spec/table.js';
import { check } from './spec/validate.js';

export interface SwrClientOptions {
  /** Region id, e.g. `cn-north-4`; or give `endpoint`. */
  region?: Region | (string & {});
  /** Explicit base URL, e.g. an emulator's; https unless loopback. */
  endpoint?: string;
  /** The IAM project (of the region) that owns the instances. */
  projectId: string;
  auth: Auth;
  /** Retry policy overrides, or `false` for a single attempt. */
  retry?: Partial<RetryOptions> | false;
  /** Per-attempt timeout in ms, credentials and body included (default 30 000). */
  timeoutMs?: number;
  /** The most bytes one answer may have; a larger one is cut off and refused (default 8 MiB). */
  maxResponseBytes?: number;
  /** The fetch to send with (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Sees every attempt (method, path, status, duration, redacted headers), each difference of an
   * answer from the spec, and each guessed rule (`x-guess`) that a request breaks.
   */
  logger?: SwrLogger;
  /** Allows plain http to a non-loopback host; credentials then cross the network in clear. */
  dangerouslyAllowInsecureHttp?: boolean;
  /**
   * Turns an answer that differs from the spec (a field missing, null, of another type, a value
   * the spec does not list) into an `invalid_response` error, and a request that breaks a rule
   * we only guessed (`x-guess` in the spec) into a SwrValidationError. By default such an answer
   * is delivered as received, such a request is sent, and each is reported once through the logger.
   */
  strict?: boolean;
}

/** The options with every default applied and every value checked. */
export interface ResolvedOptions {
  endpoint: string;
  projectId: string;
  retry: RetryOptions;
  timeoutMs: number;
  maxResponseBytes: number;
  fetch: typeof fetch;
  /** The caller's logger, made safe: its exceptions and rejections never reach a call. */
  log: (event: SwrLogEvent) => void;
  logging: boolean;
  strict: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
// setTimeout's largest delay: a longer one fires at once.
const MAX_TIMER_MS = 2 ** 31 - 1;
const KNOWN = new Set([
  'region',
  'endpoint',
  'projectId',
  'auth',
  'retry',
  'timeoutMs',
  'maxResponseBytes',
  'fetch',
  'logger',
  'dangerouslyAllowInsecureHttp',
  'strict',
]);

function number(field: string, value: unknown, min: number, max: number, integer = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new SwrValidationError(field, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value);
  }
  return value;
}

function optional<T>(field: string, value: unknown, type: 'function' | 'boolean'): T | undefined {
  if (value !== undefined && typeof value !== type) throw new SwrValidationError(field, `must be a ${type}`, value);
  return value as T | undefined;
}

/** Checks every retry option; `false` means one attempt. */
export function resolveRetry(retry: unknown): RetryOptions {
  if (retry === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  if (retry === undefined) return DEFAULT_RETRY;
  if (retry === null || typeof retry !== 'object')
    throw new SwrValidationError('retry', 'must be an object or false', retry);
  const given = retry as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in DEFAULT_RETRY)) {
      throw new SwrValidationError(
        `retry.${key}`,
        `is not a retry option (known: ${Object.keys(DEFAULT_RETRY).join(', ')})`,
      );
    }
  }
  const merged = { ...DEFAULT_RETRY, ...(given as Partial<RetryOptions>) };
  number('retry.maxAttempts', merged.maxAttempts, 1, 100, true);
  for (const field of ['baseDelayMs', 'throttleBaseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    number(`retry.${field}`, merged[field], 0, MAX_TIMER_MS);
  }
  number('retry.deadlineMs', merged.deadlineMs, 1, MAX_TIMER_MS);
  number('retry.retryQuota', merged.retryQuota, 0, 1_000_000, true);
  const statuses = merged.retryStatuses as unknown;
  if (!Array.isArray(statuses) || !statuses.every((s) => Number.isInteger(s) && s >= 400 && s <= 599)) {
    throw new SwrValidationError('retry.retryStatuses', 'must be an array of HTTP statuses from 400 to 599', statuses);
  }
  if (typeof merged.random !== 'function') throw new SwrValidationError('retry.random', 'must be a function');
  return merged;
}

/** Wraps a logger so that nothing it does (a throw, a rejected promise) changes a call's outcome. */
function safeLogger(logger: SwrLogger | undefined): (event: SwrLogEvent) => void {
  if (!logger) return () => undefined;
  return (event) => {
    try {
      const result: unknown = logger(event);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // The logger's own failure is not the call's.
    }
  };
}

/** Resolves createSwrClient's options (all but `auth`); throws a SwrValidationError naming the first bad one. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new SwrValidationError('options', 'must be an object');
  const given = options as Partial<SwrClientOptions>;
  for (const key of Object.keys(given)) {
    if (!KNOWN.has(key)) {
      throw new SwrValidationError(key, `is not an option of createSwrClient (known: ${[...KNOWN].join(', ')})`);
    }
  }
  // The rules of the path parameter that `projectId` supplies (x-client-option).
  const projectParameter = OPERATIONS.flatMap((op) => op.parameters).find((p) => p.option === 'projectId');
  const [bad] = projectParameter ? check(projectParameter.schema, given.projectId, 'request', ['projectId']) : [];
  if (bad || given.projectId === undefined) {
    throw new SwrValidationError('projectId', bad?.rule ?? 'is required', given.projectId);
  }
  optional('dangerouslyAllowInsecureHttp', given.dangerouslyAllowInsecureHttp, 'boolean');
  const fetchImpl = optional<typeof fetch>('fetch', given.fetch, 'function');
  return {
    endpoint: resolveEndpoint(given),
    projectId: given.projectId,
    retry: resolveRetry(given.retry),
    timeoutMs:
      given.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : number('timeoutMs', given.timeoutMs, 1, MAX_TIMER_MS),
    maxResponseBytes:
      given.maxResponseBytes === undefined
        ? DEFAULT_MAX_RESPONSE_BYTES
        : number('maxResponseBytes', given.maxResponseBytes, 1, 2 ** 32, true),
    fetch: fetchImpl ?? globalThis.fetch.bind(globalThis),
    log: safeLogger(optional<SwrLogger>('logger', given.logger, 'function')),
    logging: given.logger !== undefined,
    strict: optional<boolean>('strict', given.strict, 'boolean') ?? false,
  };
}
