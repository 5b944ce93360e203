// Issue #12, findings 1-7: the client against hostile servers on loopback. Each test failed
// before the fix it pins and passes after.
import { createServer as createTcpServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedToken, createSwrClient, SwrApiError, SwrValidationError, type SwrLogEvent } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientAt, clientFor, harbor, startServer } from '../helpers/clients.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
async function server(handler: Parameters<typeof startServer>[0]) {
  const s = await startServer(handler);
  closers.push(() => s.close());
  return s;
}
async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  closers.push(() => emu.close());
  return emu;
}
/** A TCP server that answers every request with the same raw bytes. */
async function rawServer(reply: string) {
  const s = createTcpServer((socket) => socket.once('data', () => socket.end(Buffer.from(reply, 'latin1'))));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  let requests = 0;
  s.on('connection', () => (requests += 1));
  closers.push(() => new Promise((r) => s.close(r)));
  return { url: `http://127.0.0.1:${(s.address() as import('node:net').AddressInfo).port}`, requests: () => requests };
}
const registry = (id: number) => ({ id, name: `r${id}`, type: 'swr-pro', url: 'https://x' });

describe('1. answers too large to hold', () => {
  it('an endless 200 body is cut at maxResponseBytes: one non-retryable error naming the limit', async () => {
    let written = 0;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 32);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const t0 = performance.now();
    const error = await clientAt(s.url, { maxResponseBytes: 1024 * 1024 })
      .listRegistries('i')
      .catch((e) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false, attempts: 1 });
    expect(error.message).toMatch(/larger than maxResponseBytes \(1048576 bytes\)/);
    expect(s.requests).toBe(1);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a body that declares more than the cap is refused without being read, and not retried as a network error', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(600 * 1024 * 1024) });
      res.write('{"total":1,"registries":[');
    });
    const error = await clientAt(s.url, { maxResponseBytes: 4096 })
      .listRegistries('i')
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false, attempts: 1 });
    expect(s.requests).toBe(1);
  });

  it('a page with more registries than the limit asked for is an invalid response', async () => {
    const s = await server((_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ total: 1000, registries: Array.from({ length: 15 }, (_, i) => registry(i + 1)) })),
    );
    const swr = clientAt(s.url);
    const walk = await swr.listAllRegistries('i', {}, { pageSize: 10 }).catch((e) => e);
    expect(walk).toMatchObject({ kind: 'invalid_response', offset: 0 });
    expect(walk.message).toMatch(/page at offset 0 failed: .*15 registries, more than the limit of 10/);
    const page = await swr.listRegistries('i', { limit: 10, offset: 0 }).catch((e) => e);
    expect(page).toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(page.message).toMatch(/15 registries, more than the limit of 10/);
  });
});

describe('2. duplicates inside one page', () => {
  it('are dropped and counted', async () => {
    const s = await server((_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ total: 3, registries: [registry(1), registry(1), registry(2)] })),
    );
    const result = await clientAt(s.url).listAllRegistries('i', {}, { verify: false });
    expect(result.registries.map((r) => r.id)).toEqual([1, 2]);
    expect(result.duplicatesDropped).toBe(1);
  });
});

describe('3. a secret the server echoes back', () => {
  const TOKEN = 'MII-ECHOED-SECRET-TOKEN-9f2c';
  it('never appears in the message, stack, inspect, JSON or the log, whichever field carried it', async () => {
    const s = await server((_req, res) => {
      res.statusMessage = `Unauthorized ${TOKEN}`;
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Request-Id': `req-${TOKEN}` }).end(
        JSON.stringify({
          error_code: `APIGW.${TOKEN}`,
          error_msg: `token ${TOKEN} rejected`,
          request_id: TOKEN,
          encoded_authorization_message: `enc-${TOKEN}`,
        }),
      );
    });
    const log: SwrLogEvent[] = [];
    const error = await clientAt(s.url, { auth: { token: TOKEN }, logger: (e) => log.push(e) })
      .listRegistries('i')
      .catch((e) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    const forms = [
      error.message,
      error.stack,
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      JSON.stringify(log),
      inspect(log, { depth: 10 }),
    ].join('\n');
    expect(forms).not.toContain(TOKEN);
    expect(error.requestId).toBe('req-[REDACTED]');
    expect(error.errorCode).toBe('APIGW.[REDACTED]');
  });
});

describe('4. credentials that are not valid header values', () => {
  it('are refused when the client is created, naming the field, never the value', () => {
    for (const auth of [
      { token: 'MII-SECRET-TOKEN\rrest' },
      { token: 'MII-SECRET-TOKEN\n' },
      { accessKey: 'AK', secretKey: 'SK', securityToken: 'STS-SECRET\u0000' },
    ]) {
      const error = (() => {
        try {
          createSwrClient({ endpoint: 'http://127.0.0.1:9', projectId: 'p', auth });
        } catch (e) {
          return e as SwrValidationError;
        }
      })();
      expect(error).toBeInstanceOf(SwrValidationError);
      expect(error!.field).toMatch(/^auth\./);
      expect(inspect(error)).not.toMatch(/SECRET/);
    }
  });

  it('from a provider, are refused before anything is sent', async () => {
    const s = await server((_req, res) => res.writeHead(200).end('{}'));
    const error = await clientAt(s.url, { auth: { token: () => 'MII-SECRET-TOKEN\r\nX-Injected: 1' } })
      .listRegistries('i')
      .catch((e) => e);
    expect(error).toBeInstanceOf(SwrValidationError);
    expect(inspect(error)).not.toMatch(/SECRET|Injected/);
    expect(s.requests).toBe(0);
  });
});

describe('a create against a server that never answers', () => {
  it("stops at the call's one deadline: its sends and lookups share it, and the error says it may have been made", async () => {
    const s = await server(() => undefined);
    const swr = clientAt(s.url, { timeoutMs: 400, retry: { deadlineMs: 1000, maxAttempts: 10 } });
    const error = await swr.createRegistry('i', harbor('never-answered')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error).toMatchObject({ kind: 'timeout', mayHaveReachedService: true });
    // 400 ms attempts within a 1 000 ms deadline: three requests at most, lookups included,
    // however slow the machine (each extra send or lookup would be a request of its own).
    expect(s.requests).toBeGreaterThanOrEqual(1);
    expect(s.requests).toBeLessThanOrEqual(3);
    expect((error as SwrApiError).attempts).toBeLessThanOrEqual(3);
  });
});

describe('5. a token provider that hangs', () => {
  const hanging = () => new Promise<string>(() => undefined);
  it('is bounded by the deadline', async () => {
    const s = await server((_req, res) => res.writeHead(200).end('{}'));
    const t0 = performance.now();
    const error = await clientAt(s.url, { auth: { token: hanging }, timeoutMs: 400, retry: { deadlineMs: 1000 } })
      .listRegistries('i')
      .catch((e) => e);
    const elapsed = performance.now() - t0;
    expect(error).toMatchObject({ kind: 'timeout' });
    // Hanging for ever otherwise; the exact bound is pinned with a fake clock in test/unit.
    expect(elapsed).toBeLessThan(8000);
    expect(s.requests).toBe(0);
  });

  it("is stopped by the caller's abort", async () => {
    const s = await server((_req, res) => res.writeHead(200).end('{}'));
    const control = new AbortController();
    setTimeout(() => control.abort(), 100);
    const t0 = performance.now();
    const error = await clientAt(s.url, { auth: { token: hanging } })
      .listRegistries('i', {}, { signal: control.signal })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(8000);
  });
});

describe('6. endpoints', () => {
  const base = { projectId: 'p', auth: { token: 't' } };
  it('loopback is decided by address: a name ending in .localhost is remote', () => {
    expect(() => createSwrClient({ ...base, endpoint: 'http://anything.localhost:8080' })).toThrow(/loopback/);
    expect(() => createSwrClient({ ...base, endpoint: 'http://localhost.example.com' })).toThrow(/loopback/);
    for (const endpoint of ['http://localhost:1', 'http://127.0.0.1:1', 'http://127.255.0.9', 'http://[::1]:9']) {
      expect(createSwrClient({ ...base, endpoint }).endpoint).toBe(endpoint);
    }
  });

  it('an endpoint with a query or a fragment, even an empty one, is refused', () => {
    for (const endpoint of ['https://swr.example.com?', 'https://swr.example.com/#', 'https://swr.example.com/?a=1']) {
      expect(() => createSwrClient({ ...base, endpoint }), endpoint).toThrow(/query, fragment/);
    }
  });
});

describe('7. odd answers, odd options, odd loggers', () => {
  it('a logger that throws never fails a call the server answered 200', async () => {
    const emu = await emulator({ items: { registry: 3 } });
    const page = await clientFor(emu, {
      logger: () => {
        throw new Error('logger down');
      },
    }).listRegistries(emu.instanceId);
    expect(page.total).toBe(3);
  });

  it.each(['600 Weird', '999 X'])('status %s is an invalid response, not retried', async (line) => {
    const s = await rawServer(`HTTP/1.1 ${line}\r\nContent-Length: 2\r\n\r\n{}`);
    const error = await clientAt(s.url)
      .listRegistries('i')
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false, attempts: 1 });
    expect(error.message).toMatch(/which HTTP does not define/);
  });

  it('a header with a control character is an invalid response (not valid HTTP), not retried', async () => {
    const s = await rawServer('HTTP/1.1 200 OK\r\nX-Request-Id: id\u001b[31m\r\nContent-Length: 2\r\n\r\n{}');
    const error = await clientAt(s.url)
      .listRegistries('i')
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false, attempts: 1 });
    expect(error.message).toMatch(/is not valid HTTP/);
    expect(s.requests()).toBe(1);
  });

  it('a reason phrase with control characters does not break the answer', async () => {
    const s = await rawServer(
      'HTTP/1.1 200 O\u0001K\r\nContent-Type: application/json\r\nContent-Length: 28\r\n\r\n{"total":0,"registries":[]}\n',
    );
    expect((await clientAt(s.url).listRegistries('i')).total).toBe(0);
  });

  it('a 205 through raw reaches the caller', async () => {
    const s = await server((_req, res) => res.writeHead(205).end());
    const { response } = await clientAt(s.url).raw.GET('/v2/{project_id}/instances/{instance_id}/registries', {
      params: { path: { project_id: 'p', instance_id: 'i' } },
    });
    expect(response.status).toBe(205);
  });

  it('a lone UTF-16 surrogate in an id or a name is refused as bad input', async () => {
    const swr = createSwrClient({ endpoint: 'http://127.0.0.1:9', projectId: 'p', auth: { token: 't' } });
    await expect(swr.listRegistries('inst\ud800')).rejects.toMatchObject({ field: 'instance_id' });
    await expect(swr.listRegistries('i', { name: 'a\udc00' })).rejects.toMatchObject({ field: 'name' });
    await expect(swr.listRegistries('i', { name: 'a\udc00' })).rejects.toBeInstanceOf(SwrValidationError);
  });

  it.each([
    [{ timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ retry: { deadlineMs: -1 } }, 'retry.deadlineMs'],
    [{ retry: { baseDelayMs: Number.NaN } }, 'retry.baseDelayMs'],
    [{ retry: { retryStatuses: '503' } }, 'retry.retryStatuses'],
    [{ retry: { maxAttemps: 3 } }, 'retry.maxAttemps'],
    [{ maxResponseBytes: 0 }, 'maxResponseBytes'],
    [{ logger: 'console' }, 'logger'],
    [{ strict: 'yes' }, 'strict'],
    [{ timeout: 5 }, 'timeout'],
  ])('option %j is refused, naming %s', (option, field) => {
    expect(() =>
      createSwrClient({ endpoint: 'http://127.0.0.1:9', projectId: 'p', auth: { token: 't' }, ...(option as object) }),
    ).toThrow(expect.objectContaining({ field }));
  });

  it('cachedToken with an unparseable expiresAt fetches once for many calls', async () => {
    const emu = await emulator({ items: { registry: 2 } });
    let fetched = 0;
    const token = cachedToken(async () => (fetched++, { token: emu.token, expiresAt: 'soon-ish' }));
    const swr = clientFor(emu, { auth: { token } });
    for (let i = 0; i < 5; i++) await swr.listRegistries(emu.instanceId);
    expect(fetched).toBe(1);
  });

  it('a walk with concurrency 16 prints no MaxListenersExceededWarning', async () => {
    const emu = await emulator({ items: { registry: 2000 }, latencyMs: 5 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const control = new AbortController();
      const result = await clientFor(emu).listAllRegistries(
        emu.instanceId,
        {},
        { pageSize: 10, concurrency: 16, signal: control.signal },
      );
      expect(result.registries).toHaveLength(2000);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
