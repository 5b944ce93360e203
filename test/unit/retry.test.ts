// The retry policy alone: classification, delays, Retry-After, the shared quota and throttle gate.
import { describe, expect, it } from 'vitest';
import {
  classify,
  createRetryQuota,
  createThrottleGate,
  DEFAULT_RETRY,
  isIdempotent,
  nextDelay,
  parseRetryAfter,
  type ClassifyContext,
  type Outcome,
} from '../../src/request/retry-policy.js';

const context: ClassifyContext = {
  retryStatuses: DEFAULT_RETRY.retryStatuses,
  maxRetryAfterMs: 20_000,
  idempotent: true,
  canRefresh: false,
};
const answer = (status: number, extra: Partial<Outcome & { type: 'answer' }> = {}): Outcome => ({
  type: 'answer',
  status,
  retryAfter: null,
  errorCode: undefined,
  json: 'not asked',
  ...extra,
});

describe('classify', () => {
  it('a 2xx is ok, unless its JSON was asked for and did not parse', () => {
    expect(classify(answer(200), context)).toEqual({ type: 'ok' });
    expect(classify(answer(204), context)).toEqual({ type: 'ok' });
    expect(classify(answer(299, { json: 'parsed' }), context)).toEqual({ type: 'ok' });
    expect(classify(answer(200, { json: 'malformed' }), context)).toEqual({
      type: 'error',
      kind: 'invalid_response',
      retryable: true,
      why: 'json',
    });
    expect(classify(answer(200, { json: 'malformed' }), { ...context, idempotent: false })).toMatchObject({
      retryable: false,
    });
  });

  it('statuses HTTP does not define, and redirects, are invalid responses, never retried', () => {
    for (const status of [0, 100, 199, 600, 999]) {
      expect(classify(answer(status), context), String(status)).toEqual({
        type: 'error',
        kind: 'invalid_response',
        retryable: false,
        why: 'status',
      });
    }
    for (const status of [300, 301, 307, 399]) {
      expect(classify(answer(status), context)).toEqual({
        type: 'error',
        kind: 'invalid_response',
        retryable: false,
        why: 'redirect',
      });
    }
  });

  it('a 401 asks for fresh credentials once a provider can give them, else is an auth error', () => {
    expect(classify(answer(401), { ...context, canRefresh: true })).toEqual({ type: 'refresh' });
    expect(classify(answer(401), context)).toEqual({ type: 'error', kind: 'auth', retryable: false });
  });

  it.each([
    [400, 'bad_request', false],
    [403, 'permission', false],
    [404, 'not_found', false],
    [409, 'conflict', false],
    [408, 'timeout', true],
    [429, 'throttled', true],
    [500, 'server', true],
    [501, 'server', false],
    [502, 'server', true],
    [503, 'server', true],
    [504, 'server', true],
  ] as const)('%i is %s, retryable %s', (status, kind, retryable) => {
    expect(classify(answer(status), context)).toEqual({ type: 'error', kind, retryable });
  });

  it("the gateway's throttling code makes any status throttling, retryable even for a POST", () => {
    for (const errorCode of ['APIGW.0308', 'APIG.0308']) {
      expect(classify(answer(400, { errorCode }), { ...context, idempotent: false })).toEqual({
        type: 'error',
        kind: 'throttled',
        retryable: true,
      });
    }
    expect(classify(answer(429), { ...context, idempotent: false })).toMatchObject({ retryable: false });
    expect(classify(answer(503), { ...context, idempotent: false })).toMatchObject({ retryable: false });
    expect(classify(answer(400, { errorCode: 'XAPIGW.0308' }), context)).toMatchObject({ kind: 'bad_request' });
  });

  it('a retry status list of the caller is honoured', () => {
    expect(classify(answer(500), { ...context, retryStatuses: [503] })).toMatchObject({ retryable: false });
    expect(classify(answer(418), { ...context, retryStatuses: [418] })).toMatchObject({ retryable: true });
  });

  it('carries Retry-After, clamped', () => {
    expect(classify(answer(429, { retryAfter: '3' }), context)).toMatchObject({ retryAfterMs: 3000 });
    expect(classify(answer(503, { retryAfter: '3600' }), context)).toMatchObject({ retryAfterMs: 20_000 });
    expect(classify(answer(503), context)).not.toHaveProperty('retryAfterMs');
  });

  it('failures: a POST is retried only when it cannot have reached the service', () => {
    const network = (reached: boolean): Outcome => ({ type: 'failure', failure: 'network', reached });
    expect(classify(network(true), context)).toEqual({ type: 'error', kind: 'network', retryable: true });
    expect(classify(network(true), { ...context, idempotent: false })).toMatchObject({ retryable: false });
    expect(classify(network(false), { ...context, idempotent: false })).toMatchObject({ retryable: true });
    const timeout: Outcome = { type: 'failure', failure: 'timeout', reached: true };
    expect(classify(timeout, context)).toEqual({ type: 'error', kind: 'timeout', retryable: true });
    expect(classify(timeout, { ...context, idempotent: false })).toMatchObject({ retryable: false });
    expect(classify({ type: 'failure', failure: 'too_large', reached: true }, context)).toEqual({
      type: 'error',
      kind: 'invalid_response',
      retryable: false,
    });
  });

  it('knows which methods are idempotent', () => {
    expect(['GET', 'put', 'DELETE', 'HEAD', 'OPTIONS'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH', 'post'].some(isIdempotent)).toBe(false);
  });
});

describe('nextDelay', () => {
  const policy = { baseDelayMs: 50, throttleBaseDelayMs: 1000, maxDelayMs: 20_000 };
  it('full jitter over an exponential ceiling: random() × min(cap, base × 2^retries)', () => {
    expect(nextDelay(policy, { kind: 'server' }, 0, () => 1)).toBe(50);
    expect(nextDelay(policy, { kind: 'server' }, 3, () => 1)).toBe(400);
    expect(nextDelay(policy, { kind: 'server' }, 3, () => 0.5)).toBe(200);
    expect(nextDelay(policy, { kind: 'server' }, 3, () => 0)).toBe(0);
    expect(nextDelay(policy, { kind: 'network' }, 20, () => 1)).toBe(20_000);
  });

  it('throttling backs off from its own base', () => {
    expect(nextDelay(policy, { kind: 'throttled' }, 0, () => 1)).toBe(1000);
    expect(nextDelay(policy, { kind: 'throttled' }, 2, () => 0.25)).toBe(1000);
    expect(nextDelay(policy, { kind: 'throttled' }, 10, () => 1)).toBe(20_000);
  });

  it("a server's Retry-After wins over the backoff", () => {
    expect(nextDelay(policy, { kind: 'throttled', retryAfterMs: 1234 }, 5, () => 1)).toBe(1234);
    expect(nextDelay(policy, { kind: 'server', retryAfterMs: 0 }, 0, () => 1)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  it('reads seconds and HTTP dates, clamped to [0, max]', () => {
    expect(parseRetryAfter('2', 10_000, now)).toBe(2000);
    expect(parseRetryAfter('0.5', 10_000, now)).toBe(500);
    expect(parseRetryAfter('-5', 10_000, now)).toBe(0);
    expect(parseRetryAfter('60', 5000, now)).toBe(5000);
    expect(parseRetryAfter(new Date(now + 3000).toUTCString(), 10_000, now)).toBe(3000);
    expect(parseRetryAfter(new Date(now - 3000).toUTCString(), 10_000, now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, 5000, now)).toBeUndefined();
    expect(parseRetryAfter('', 5000, now)).toBeUndefined();
    expect(parseRetryAfter('  ', 5000, now)).toBeUndefined();
    expect(parseRetryAfter('soon', 5000, now)).toBeUndefined();
  });
});

describe('the retry quota', () => {
  it('a retry costs 5 tokens, one after a timeout 10; an empty quota refuses', () => {
    const quota = createRetryQuota(22);
    expect(quota.take('server')).toBe(5);
    expect(quota.take('timeout')).toBe(10);
    expect(quota.available).toBe(7);
    expect(quota.take('timeout')).toBeUndefined();
    expect(quota.take('throttled')).toBe(5);
    expect(quota.take('network')).toBeUndefined();
    expect(quota.available).toBe(2);
  });

  it('a success gives back its last retry, or one token, never above capacity', () => {
    const quota = createRetryQuota(20);
    quota.take('server');
    quota.take('timeout');
    quota.succeeded(10);
    expect(quota.available).toBe(15);
    quota.succeeded(undefined);
    expect(quota.available).toBe(16);
    quota.succeeded(10);
    expect(quota.available).toBe(20);
  });
});

describe('the throttle gate', () => {
  it('holds every call until the pause is over, with a jitter of up to a second of it', () => {
    let clock = 1000;
    const gate = createThrottleGate(() => clock);
    expect(gate.wait(0.5)).toBe(0);
    gate.closeFor(3000);
    expect(gate.wait(0)).toBe(3000);
    expect(gate.wait(1)).toBe(4000);
    gate.closeFor(1000); // never shortens a longer pause
    clock += 2500;
    expect(gate.wait(0)).toBe(500);
    expect(gate.wait(1)).toBe(1000);
    clock += 600;
    expect(gate.wait(1)).toBe(0);
  });
});
