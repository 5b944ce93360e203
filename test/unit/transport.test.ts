// The retrying fetch alone, with a scripted fetch, a pinned random and fake timers: no network,
// no waiting on real time.
import { describe, expect, it, vi } from 'vitest';
import { settle, useFakeClock } from '../helpers/fake-clock.js';
import type { Credentials } from '../../src/auth/credentials.js';
import { SwrApiError } from '../../src/errors.js';
import { createRedactor } from '../../src/redact.js';
import type { DeliveredResponse } from '../../src/request/delivered-response.js';
import {
  createRetryQuota,
  createThrottleGate,
  DEFAULT_RETRY,
  type RetryOptions,
} from '../../src/request/retry-policy.js';
import { createRetryingFetch, type SwrAttemptEvent, type SwrLogEvent } from '../../src/request/retrying-fetch.js';

const URL_ = 'https://swr-api.example.com/v2/p/instances/i/registries?limit=10&offset=0';

type Script = Array<Response | Error | ((init: RequestInit) => Promise<Response>)>;

/** A fetch that plays a script, one entry per request, and records what it was sent. */
function scripted(script: Script) {
  const sent: Array<{ method: string; headers: Headers; body: unknown }> = [];
  const fetch: typeof globalThis.fetch = (async (_url: string, init: RequestInit) => {
    sent.push({ method: init.method!, headers: new Headers(init.headers), body: init.body });
    const next = script.shift();
    if (next === undefined) throw new Error('the script ran out');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(init);
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
const reset = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });

function credentials(refreshable = false) {
  const refreshes: boolean[] = [];
  const creds: Credentials = {
    refreshable,
    async apply({ headers }, { refresh }) {
      refreshes.push(refresh);
      headers.set('X-Auth-Token', refresh ? 'fresh-token' : 'token');
    },
  };
  return { creds, refreshes };
}

function transport(
  script: Script,
  options: {
    retry?: Partial<RetryOptions>;
    credentials?: Credentials;
    quota?: number;
    maxResponseBytes?: number;
    timeoutMs?: number;
  } = {},
) {
  const { fetch, sent } = scripted(script);
  const events: SwrLogEvent[] = [];
  const redactor = createRedactor();
  redactor.add('SECRET-TOKEN-123');
  const retry = { ...DEFAULT_RETRY, random: () => 0.5, ...options.retry };
  const fetcher = createRetryingFetch({
    fetch,
    credentials: options.credentials ?? credentials().creds,
    maxResponseBytes: options.maxResponseBytes ?? 1024,
    retry,
    timeoutMs: options.timeoutMs ?? 30_000,
    redactor,
    log: (e) => events.push(e),
    logging: true,
    quota: createRetryQuota(options.quota ?? retry.retryQuota),
    gate: createThrottleGate(),
  });
  const attempts = () => events.filter((e): e is SwrAttemptEvent => e.type === 'attempt');
  // One logical call per request; `json` asks for a 2xx body parsed in the loop.
  const t = {
    sendRequest: (request: Request, options: { json?: boolean } = {}) =>
      fetcher.send(request, fetcher.context(request.signal, options.json === true)) as Promise<DeliveredResponse>,
  };
  return { t, sent, events, attempts };
}

useFakeClock();

describe('retries', () => {
  it('retries a 503 with full jitter (random pinned at 0.5: 25 ms, then 50 ms) and hands on the 200', async () => {
    const { t, attempts } = transport([json(503, {}), json(503, {}), json(200, { total: 0 })]);
    const started = Date.now();
    const delivery = (await settle(t.sendRequest(new Request(URL_), { json: true }))) as Awaited<
      ReturnType<typeof t.sendRequest>
    >;
    expect(await delivery.json()).toEqual({ total: 0 });
    expect(delivery.facts.attempts).toBe(3);
    expect(attempts().map((e) => [e.outcome, e.status, e.retryInMs])).toEqual([
      ['retry', 503, 25],
      ['retry', 503, 50],
      ['ok', 200, undefined],
    ]);
    expect(Date.now() - started).toBe(75);
  });

  it('caps each backoff at maxDelayMs, and throttling backs off from its own base', async () => {
    const { t, attempts } = transport([json(500, {}), json(500, {}), json(429, {}), json(200, {})], {
      retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 1500, throttleBaseDelayMs: 3000, random: () => 1 },
    });
    await settle(t.sendRequest(new Request(URL_)));
    expect(attempts().map((e) => e.retryInMs)).toEqual([1000, 1500, 1500, undefined]);
    const throttled = transport([json(429, {}), json(200, {})], {
      retry: { throttleBaseDelayMs: 700, random: () => 1 },
    });
    await settle(throttled.t.sendRequest(new Request(URL_)));
    expect(throttled.attempts()[0]!.retryInMs).toBe(700);
  });

  it("honours the server's Retry-After", async () => {
    const { t, attempts } = transport([json(429, {}, { 'Retry-After': '2' }), json(200, {})]);
    await settle(t.sendRequest(new Request(URL_)));
    expect(attempts()[0]!.retryInMs).toBe(2000);
  });

  it('stops at maxAttempts and hands on the last error answer', async () => {
    const { t, sent } = transport([json(503, { error_code: 'E' }), json(503, { error_code: 'E' })], {
      retry: { maxAttempts: 2 },
    });
    const delivery = (await settle(t.sendRequest(new Request(URL_)))) as Awaited<ReturnType<typeof t.sendRequest>>;
    expect(delivery.status).toBe(503);
    expect(delivery.facts.verdict).toMatchObject({ kind: 'server', retryable: true });
    expect(await delivery.json()).toEqual({ error_code: 'E' });
    expect(sent).toHaveLength(2);
  });

  it('gives up when the next wait would pass the deadline, and says so', async () => {
    const { t, sent } = transport([reset(), reset(), reset()], { retry: { deadlineMs: 60, random: () => 1 } });
    const error = (await settle(t.sendRequest(new Request(URL_)))) as SwrApiError;
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error.message).toMatch(/gave up: another attempt would pass the 60 ms deadline/);
    expect(sent).toHaveLength(2);
  });

  it('a 401 earns one attempt with refreshed credentials, and only one', async () => {
    const { creds, refreshes } = credentials(true);
    const { t, sent } = transport([json(401, {}), json(401, {}), json(200, {})], { credentials: creds });
    const delivery = (await settle(t.sendRequest(new Request(URL_)))) as Awaited<ReturnType<typeof t.sendRequest>>;
    expect(delivery.status).toBe(401);
    expect(refreshes).toEqual([false, true]);
    expect(sent.map((s) => s.headers.get('x-auth-token'))).toEqual(['token', 'fresh-token']);
  });
});

describe('what is never retried', () => {
  it('a POST that may have reached the service; one refused before it did is retried', async () => {
    const post = () => new Request(URL_, { method: 'POST', body: '{"name":"x"}' });
    const maybe = transport([reset(), json(201, {})]);
    const error = (await settle(maybe.t.sendRequest(post()))) as SwrApiError;
    expect(error).toMatchObject({ kind: 'network', retryable: false });
    expect(maybe.sent).toHaveLength(1);
    const surely = transport([refused(), json(201, { id: 1 })]);
    const delivery = (await settle(surely.t.sendRequest(post(), { json: true }))) as Awaited<
      ReturnType<typeof surely.t.sendRequest>
    >;
    expect(await delivery.json()).toEqual({ id: 1 });
    expect(surely.sent.map((s) => new TextDecoder().decode(s.body as Uint8Array))).toEqual([
      '{"name":"x"}',
      '{"name":"x"}',
    ]);
  });

  it('a redirect: refused, so credentials never reach another origin', async () => {
    const { t, sent } = transport([
      new Response(null, { status: 307, headers: { Location: 'https://evil.example/' } }),
    ]);
    const error = (await settle(t.sendRequest(new Request(URL_)))) as SwrApiError;
    expect(error).toMatchObject({ kind: 'invalid_response', status: 307, retryable: false });
    expect(error.message).toMatch(/redirect \(307\)/);
    expect(sent).toHaveLength(1);
  });

  it('an answer larger than maxResponseBytes: reading stops, the error names the limit', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(256));
      },
    });
    const { t, sent } = transport([new Response(endless, { status: 200 })], { maxResponseBytes: 1000 });
    const error = (await settle(t.sendRequest(new Request(URL_)))) as SwrApiError;
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(error.message).toMatch(/larger than maxResponseBytes \(1000 bytes\)/);
    expect(pulled).toBeLessThan(10);
    expect(sent).toHaveLength(1);
    const declared = transport([new Response('x'.repeat(2000), { status: 200 })], { maxResponseBytes: 1000 });
    expect(await settle(declared.t.sendRequest(new Request(URL_)))).toMatchObject({ kind: 'invalid_response' });
  });

  it('a status HTTP does not define, as an invalid response', async () => {
    const odd = { status: 600, statusText: '', headers: new Headers(), body: null } as unknown as Response;
    const { t, sent } = transport([odd]);
    const error = (await settle(t.sendRequest(new Request(URL_)))) as SwrApiError;
    expect(error).toMatchObject({ kind: 'invalid_response', status: 600, retryable: false });
    expect(error.message).toMatch(/status 600, which HTTP does not define/);
    expect(sent).toHaveLength(1);
  });
});

describe('what the calls of one client share', () => {
  it('the retry quota: once spent, failures are not retried, and the error says why', async () => {
    const { t, sent } = transport([json(503, {}), json(503, {}), json(200, {}), reset(), reset()], { quota: 5 });
    const first = (await settle(t.sendRequest(new Request(URL_)))) as Awaited<ReturnType<typeof t.sendRequest>>;
    expect(first.status).toBe(503); // its one retry took the whole quota
    expect(sent).toHaveLength(2);
    const second = (await settle(t.sendRequest(new Request(URL_)))) as Awaited<ReturnType<typeof t.sendRequest>>;
    expect(second.status).toBe(200);
    const third = (await settle(t.sendRequest(new Request(URL_)))) as SwrApiError;
    expect(third.message).toMatch(/not retried: the client's retry quota is spent/);
  });

  it('the throttle gate: after one call is throttled, the others wait out the pause too', async () => {
    const starts: number[] = [];
    const timed = (response: () => Response) => async () => (starts.push(Date.now()), response());
    const { t } = transport(
      [timed(() => json(429, {}, { 'Retry-After': '3' })), timed(() => json(200, {})), timed(() => json(200, {}))],
      { retry: { random: () => 0 } },
    );
    const t0 = Date.now();
    const a = t.sendRequest(new Request(URL_));
    await vi.advanceTimersByTimeAsync(100); // a is throttled at once; b comes 100 ms later
    const b = t.sendRequest(new Request(URL_));
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([a, b]);
    expect(starts.map((s) => s - t0)).toEqual([0, 3000, 3000]);
  });
});

describe('safety', () => {
  it("a logger's exception or rejection never changes the outcome", async () => {
    for (const log of [
      () => {
        throw new Error('logger down');
      },
      () => Promise.reject(new Error('logger down')),
    ]) {
      const { fetch } = scripted([json(200, { ok: true })]);
      const { resolveOptions } = await import('../../src/options.js');
      const resolved = resolveOptions({
        endpoint: 'https://x.example',
        projectId: 'p',
        auth: { token: 't' },
        logger: log as never,
        fetch,
      });
      const fetcher = createRetryingFetch({
        ...resolved,
        credentials: credentials().creds,
        redactor: createRedactor(),
        quota: createRetryQuota(5),
        gate: createThrottleGate(),
      });
      const delivery = (await settle(
        fetcher.send(new Request(URL_), fetcher.context(undefined, true)),
      )) as DeliveredResponse;
      expect(await delivery.json()).toEqual({ ok: true });
    }
  });

  it('a request id that echoes a secret is redacted in the log and on the answer', async () => {
    const { t, attempts } = transport([json(200, {}, { 'X-Request-Id': 'id-SECRET-TOKEN-123' })]);
    const delivery = (await settle(t.sendRequest(new Request(URL_)))) as Awaited<ReturnType<typeof t.sendRequest>>;
    expect(delivery.facts.requestId).toBe('id-[REDACTED]');
    expect(attempts()[0]!.requestId).toBe('id-[REDACTED]');
  });

  it("the caller's abort stops the wait between attempts at once, and nothing more is sent", async () => {
    const control = new AbortController();
    const { t, sent } = transport([json(503, {}), json(200, {})], { retry: { random: () => 1, baseDelayMs: 10_000 } });
    const call = t.sendRequest(new Request(URL_, { signal: control.signal })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    control.abort();
    expect(await call).toMatchObject({ name: 'AbortError' });
    await vi.runAllTimersAsync();
    expect(sent).toHaveLength(1);
  });

  it('a credentials provider that hangs is cut by the attempt timeout, as one that never reached the service', async () => {
    const hanging: Credentials = { refreshable: false, apply: () => new Promise(() => undefined) };
    const { t, sent } = transport([], {
      credentials: {
        refreshable: false,
        apply: (target, context) =>
          new Promise((_resolve, reject) => {
            void hanging.apply(target, context);
            context.signal.addEventListener('abort', () => reject(context.signal.reason));
          }),
      },
      timeoutMs: 500,
      retry: { maxAttempts: 2, random: () => 0 },
    });
    const error = (await settle(t.sendRequest(new Request(URL_, { method: 'POST', body: '{}' })))) as SwrApiError;
    expect(error).toMatchObject({ kind: 'timeout', attempts: 2 });
    expect(error.message).toMatch(/within 500 ms/);
    expect(sent).toHaveLength(0);
  });

  it('a 205 and a 204 reach the caller with no body', async () => {
    const { t } = transport([new Response(null, { status: 205 }), new Response(null, { status: 204 })]);
    for (const status of [205, 204]) {
      const delivery = (await settle(t.sendRequest(new Request(URL_)))) as Awaited<ReturnType<typeof t.sendRequest>>;
      expect(delivery.status).toBe(status);
      expect(delivery.body).toBeNull();
    }
  });
});
