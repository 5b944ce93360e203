import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type FaultSpec } from '../../src/emulator/index.js';
import { responseValidator } from '../helpers/spec.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(faults: FaultSpec[] = [], extra = {}) {
  emu = await startEmulator({ items: { registry: 30 }, faults, ...extra });
  return emu;
}
const get = (e: Emulator) =>
  fetch(`${e.url}/v2/${e.projectId}/instances/${e.instanceId}/registries?limit=20&offset=0`, {
    headers: { 'X-Auth-Token': e.token! },
  });

describe('faults on demand', () => {
  it('fixed latency delays every answer', async () => {
    const e = await start([], { latencyMs: 60 });
    const t0 = performance.now();
    expect((await get(e)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('jittered latency stays within its bounds', async () => {
    const delays = async () => {
      const e = await startEmulator({
        items: { registry: 1 },
        faults: [{ kind: 'latency', delayMs: 10, jitterMs: 40 }],
        randomSeed: 7,
      });
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await get(e);
        out.push(performance.now() - t0);
      }
      await e.close();
      return out;
    };
    const a = await delays();
    // Never sooner than the fixed part; an upper bound would measure the machine, not the emulator.
    expect(a.every((d) => d >= 9)).toBe(true);
  });

  it('429 APIGW.0308 with Retry-After for the next N requests, then normal', async () => {
    const e = await start([{ kind: 'throttle', times: 2, retryAfter: 3 }]);
    for (let i = 0; i < 2; i++) {
      const response = await get(e);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      const body = await response.json();
      expect(body.error_code).toBe('APIGW.0308');
      expect(responseValidator(429)(body)).toBe(true);
    }
    expect((await get(e)).status).toBe(200);
  });

  it.each([500, 502, 503])('status %i in the SWR format', async (status) => {
    const e = await start([{ kind: 'status', status, times: 1 }]);
    const response = await get(e);
    expect(response.status).toBe(status);
    expect((await response.json()).error_code).toMatch(/^SVCSTG\.SWR\./);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('a connection reset mid-body fails the read, and the server keeps serving', async () => {
    const e = await start([{ kind: 'reset', times: 1 }]);
    const response = await get(e);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await get(e)).status).toBe(200);
  });

  it('a truncated JSON body is well framed but does not parse', async () => {
    const e = await start([{ kind: 'truncate', times: 1 }]);
    const text = await (await get(e)).text();
    expect(text.startsWith('{"total":30')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('an HTML error page, as a proxy sends', async () => {
    const e = await start([{ kind: 'html', times: 1 }]);
    const response = await get(e);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('<title>502 Bad Gateway</title>');
  });

  it('a slow-drip body arrives whole, slowly', async () => {
    const e = await start([{ kind: 'drip', times: 1, delayMs: 5 }]);
    const t0 = performance.now();
    const body = await (await get(e)).json();
    expect(body.registries).toHaveLength(20);
    expect(performance.now() - t0).toBeGreaterThan(50);
  });

  it('a rate is deterministic for a seed and roughly that rate', async () => {
    const run = async () => {
      const e = await startEmulator({
        items: { registry: 3 },
        faults: [{ kind: 'status', status: 503, rate: 0.3 }],
        randomSeed: 99,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await get(e)).status);
      await e.close();
      return statuses;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    const failed = a.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(30);
  });

  it('faults can be added and cleared while running; stats count in-flight requests', async () => {
    const e = await start();
    e.faults.add({ kind: 'status', status: 500 });
    expect((await get(e)).status).toBe(500);
    e.faults.clear();
    expect((await get(e)).status).toBe(200);
    expect(e.stats.requests).toBe(2);
    expect(e.stats.statuses).toEqual({ 200: 1, 500: 1 });
    expect(e.stats.inFlight).toBe(0);
  });
});
