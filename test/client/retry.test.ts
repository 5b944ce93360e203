import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/auth/canonical.js';
import { SwrApiError, type SwrAttemptEvent } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientFor } from '../helpers/clients.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 12 } });
});
afterEach(() => {
  emu.faults.clear();
  emu.resetStats();
});
afterAll(() => emu.close());

/** A fetch that records what each attempt sent (and still sends it for real). */
function recordingFetch() {
  const sent: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return fetch(input, init);
  }) as typeof fetch;
  return { sent, fetcher };
}

describe('retries', () => {
  it('retries 503 and signs every attempt afresh', async () => {
    emu.faults.add({ kind: 'status', status: 503, times: 2 });
    const { sent, fetcher } = recordingFetch();
    const page = await clientFor(emu, { fetch: fetcher }).listRegistries(emu.instanceId);
    expect(page.attempts).toBe(3);
    expect(page.registries).toHaveLength(10);
    expect(sent).toHaveLength(3);
    expect(sent.every((r) => parseAuthorization(r.headers.get('authorization')!))).toBe(true);
    expect(emu.stats.statuses).toEqual({ 503: 2, 200: 1 });
  });

  it('honours Retry-After: a retry a second later carries a new X-Sdk-Date and signature', async () => {
    emu.faults.add({ kind: 'throttle', times: 1, retryAfter: 1 });
    const { sent, fetcher } = recordingFetch();
    const t0 = performance.now();
    expect((await clientFor(emu, { fetch: fetcher }).listRegistries(emu.instanceId)).attempts).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    const [first, second] = sent.map((r) => [
      r.headers.get('x-sdk-date'),
      parseAuthorization(r.headers.get('authorization')!)!.signature,
    ]);
    expect(second![0]).not.toBe(first![0]);
    expect(second![1]).not.toBe(first![1]);
  });

  it.each([
    ['a connection reset mid-body', { kind: 'reset' as const }],
    ['a truncated body', { kind: 'truncate' as const }],
    ['a 502 HTML page', { kind: 'html' as const }],
    ['429 APIGW.0308', { kind: 'throttle' as const, retryAfter: 0 }],
    ['500', { kind: 'status' as const, status: 500 }],
  ])('recovers from %s', async (_label, fault) => {
    emu.faults.add({ ...fault, times: 1 });
    const page = await clientFor(emu).listRegistries(emu.instanceId);
    expect(page.attempts).toBe(2);
    expect(page.total).toBe(12);
  });

  it("clamps a server's Retry-After to maxRetryAfterMs", async () => {
    emu.faults.add({ kind: 'throttle', times: 1, retryAfter: 3600 });
    const t0 = performance.now();
    await clientFor(emu, { retry: { maxRetryAfterMs: 150 } }).listRegistries(emu.instanceId);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(140);
    // Not the hour the server asked for (the exact clamp is pinned with a fake clock in test/unit).
    expect(waited).toBeLessThan(30_000);
  });

  it('does not retry 400, 403 or 404', async () => {
    for (const status of [400, 403, 404]) {
      emu.faults.add({ kind: 'status', status, times: 1 });
      const error = await clientFor(emu)
        .listRegistries(emu.instanceId)
        .catch((e: SwrApiError) => e);
      expect(error).toMatchObject({ status, attempts: 1, retryable: false });
    }
  });

  it('retry: false makes one attempt', async () => {
    emu.faults.add({ kind: 'status', status: 503 });
    const error = await clientFor(emu, { retry: false })
      .listRegistries(emu.instanceId)
      .catch((e: SwrApiError) => e);
    expect(error).toMatchObject({ status: 503, attempts: 1, retryable: true });
    expect(emu.stats.requests).toBe(1);
  });

  it('gives up at the overall deadline', async () => {
    emu.faults.add({ kind: 'status', status: 503 });
    emu.faults.add({ kind: 'latency', delayMs: 100 });
    const t0 = performance.now();
    const error = await clientFor(emu, { retry: { maxAttempts: 50, baseDelayMs: 50, deadlineMs: 400 } })
      .listRegistries(emu.instanceId)
      .catch((e: SwrApiError) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    // The last attempt either got its 503 or was cut short by the deadline itself.
    expect(['server', 'timeout']).toContain(error.kind);
    // 50 attempts of 100 ms and more would take over 5 s; the deadline's exact arithmetic is
    // pinned with a fake clock in test/unit/transport.test.ts.
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(error.attempts).toBeLessThan(50);
  });

  it("the caller's AbortSignal stops everything at once and is never retried", async () => {
    emu.faults.add({ kind: 'latency', delayMs: 5000 });
    const controller = new AbortController();
    const t0 = performance.now();
    const call = clientFor(emu).listRegistries(emu.instanceId, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    // The answer was held back 5 s: ending well before that, the abort ended it.
    expect(performance.now() - t0).toBeLessThan(4000);
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.stats.requests).toBe(1);
    expect(emu.stats.inFlight).toBe(0);
  });

  it('an already-aborted signal sends nothing', async () => {
    await expect(
      clientFor(emu).listRegistries(emu.instanceId, {}, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(emu.stats.requests).toBe(0);
  });

  it('a slow-drip body is cut by the per-attempt timeout and retried', async () => {
    emu.faults.add({ kind: 'drip', times: 1, delayMs: 100 });
    const page = await clientFor(emu, { timeoutMs: 300 }).listRegistries(emu.instanceId);
    expect(page.attempts).toBe(2);
  });

  it('the logger sees each attempt: method, path, status, attempt, duration, redacted headers', async () => {
    emu.faults.add({ kind: 'status', status: 503, times: 1 });
    const events: SwrAttemptEvent[] = [];
    await clientFor(emu, { logger: (e) => e.type === 'attempt' && events.push(e) }).listRegistries(emu.instanceId, {
      name: 'swr',
    });
    expect(events.map((e) => [e.attempt, e.outcome, e.status])).toEqual([
      [1, 'retry', 503],
      [2, 'ok', 200],
    ]);
    expect(events[0]).toMatchObject({
      method: 'GET',
      path: `/v2/${emu.projectId}/instances/${emu.instanceId}/registries?name=swr`,
    });
    expect(events[1]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(events[1]!.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=EMULATORACCESSKEY001, SignedHeaders=.*Signature=\[REDACTED\]$/,
    );
  });
});
