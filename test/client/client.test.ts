import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSwrClient,
  endpointFor,
  REGIONS,
  SwrApiError,
  SwrValidationError,
  cachedToken,
} from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientAt, clientFor, harbor, startServer } from '../helpers/clients.js';
import { responseValidator } from '../helpers/spec.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    items: { registry: 42 },
    tokens: [{ token: 'token-good' }, { token: 'token-stale', expiresAt: 0 }],
  });
});
afterAll(() => emu.close());

describe('a call', () => {
  it('lists registries with AK/SK signing, in the spec names', async () => {
    const swr = clientFor(emu);
    const page = await swr.listRegistries(emu.instanceId, {
      order_column: 'name',
      order_type: 'asc',
      offset: 0,
      limit: 5,
    });
    expect(page.total).toBe(42);
    expect(page.registries!.map((r) => r.name)).toEqual(
      emu.store
        .items(emu, 'registry')!
        .map((r) => r.name as string)
        .sort()
        .slice(0, 5),
    );
    expect(page.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(page.attempts).toBe(1);
    expect(page.differences).toEqual([]);
    const { requestId: _r, attempts: _a, differences: _d, ...body } = page;
    expect(responseValidator(200)(body)).toBe(true);
  });

  it('lists registries with a static token and with a provider called per request', async () => {
    expect(
      (await clientFor(emu, { auth: { token: 'token-good' } }).listRegistries(emu.instanceId)).registries,
    ).toHaveLength(10);
    let calls = 0;
    const swr = clientFor(emu, { auth: { token: () => (calls++, 'token-good') } });
    await swr.listRegistries(emu.instanceId, { name: 'harbor' });
    await swr.listRegistries(emu.instanceId, { type: 'swr-pro' });
    expect(calls).toBe(2);
  });

  it('refreshes a provider token once after a 401, and only once', async () => {
    const seen: boolean[] = [];
    const swr = clientFor(emu, {
      auth: { token: ({ refresh }) => (seen.push(refresh), refresh ? 'token-good' : 'token-stale') },
    });
    expect((await swr.listRegistries(emu.instanceId)).attempts).toBe(2);
    expect(seen).toEqual([false, true]);
    const always = clientFor(emu, { auth: { token: () => 'token-stale' } });
    const error = await always.listRegistries(emu.instanceId).catch((e) => e);
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error.kind).toBe('auth');
    expect(error.attempts).toBe(2);
  });

  it('refreshes after a 401 that follows a retried 503', async () => {
    emu.faults.add({ kind: 'status', status: 503, times: 1 });
    const seen: boolean[] = [];
    let calls = 0;
    const swr = clientFor(emu, {
      auth: { token: ({ refresh }) => (seen.push(refresh), ++calls === 2 ? 'token-stale' : 'token-good') },
    });
    expect((await swr.listRegistries(emu.instanceId)).attempts).toBe(3);
    expect(seen).toEqual([false, false, true]);
    emu.faults.clear();
  });

  it('does not retry a 401 with a static token', async () => {
    const error = await clientFor(emu, { auth: { token: 'token-stale' } })
      .listRegistries(emu.instanceId)
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401, attempts: 1, errorCode: 'APIGW.0301' });
    expect(error.message).toMatch(/token expires/);
  });

  it('cachedToken reuses a token until a 401 asks for a new one', async () => {
    let fetched = 0;
    const provider = cachedToken(async () => ({ token: ++fetched === 1 ? 'token-stale' : 'token-good' }));
    const swr = clientFor(emu, { auth: { token: provider } });
    await swr.listRegistries(emu.instanceId);
    await swr.listRegistries(emu.instanceId);
    expect(fetched).toBe(2);
  });

  it('middleware added to raw sees real Request objects, listRegistries calls included', async () => {
    const swr = clientFor(emu);
    const seen: boolean[] = [];
    swr.raw.use({
      onRequest({ request }) {
        seen.push(request instanceof Request);
      },
    });
    await swr.listRegistries(emu.instanceId);
    expect(seen).toEqual([true]);
  });

  it('the raw openapi-fetch client shares auth and retries', async () => {
    const swr = clientFor(emu);
    emu.faults.add({ kind: 'status', status: 503, times: 1 });
    emu.resetStats();
    const { data, response } = await swr.raw.GET('/v2/{project_id}/instances/{instance_id}/registries', {
      params: { path: { project_id: emu.projectId, instance_id: emu.instanceId }, query: { limit: 3, offset: 3 } },
    });
    expect(response.status).toBe(200);
    expect(data?.registries).toHaveLength(3);
    expect(emu.stats.statuses).toEqual({ 503: 1, 200: 1 });
  });

  it('middleware that reads the answer leaves it readable for listRegistries', async () => {
    const swr = clientFor(emu);
    const seen: number[] = [];
    swr.raw.use({
      async onResponse({ response }) {
        seen.push(((await response.clone().json()) as { total: number }).total);
      },
    });
    const page = await swr.listRegistries(emu.instanceId, { limit: 2, offset: 0 });
    expect(page.registries).toHaveLength(2);
    expect(seen).toEqual([42]);
  });

  it('middleware that replaces the answer is what listRegistries reads; eject removes it', async () => {
    const swr = clientFor(emu);
    const replace = {
      onResponse: () =>
        new Response(JSON.stringify({ total: 1, registries: [{ id: 7, name: 'mock', type: 'swr-pro', url: 'u' }] }), {
          status: 200,
          headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'mocked' },
        }),
    };
    swr.raw.use(replace);
    const mocked = await swr.listRegistries(emu.instanceId);
    expect(mocked).toMatchObject({ total: 1, requestId: 'mocked', registries: [{ name: 'mock' }] });
    swr.raw.eject(replace);
    expect((await swr.listRegistries(emu.instanceId)).total).toBe(42);
  });

  it('with or without middleware, every operation sends the same request and fails alike', async () => {
    type Seen = { method: string | undefined; url: string | undefined; headers: Record<string, unknown>; body: string };
    const seen: Seen[] = [];
    const server = await startServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res
          .writeHead(400, { 'Content-Type': 'application/json', 'X-Request-Id': 'r1' })
          .end('{"error_code":"SVCSTG.SWR.4000001","error_msg":"refused"}');
      });
    });
    const body = harbor('same-1');
    const run = async (withMiddleware: boolean) => {
      const swr = clientAt(server.url, { auth: { token: 'token-good' }, retry: { maxAttempts: 1 } });
      const requests: string[] = [];
      if (withMiddleware) swr.raw.use({ onRequest: ({ request }) => void requests.push(request.url) });
      const from = seen.length;
      const errors = await Promise.all(
        [
          () => swr.listRegistries('i-1', { name: "a b/ü's", type: 'swr-pro', offset: 10, limit: 10 }),
          () => swr.getRegistry('i-1', 7),
          () => swr.createRegistry('i-1', body),
          () => swr.updateRegistry('i-1', 7, body),
          () => swr.deleteRegistry('i-1', 7),
        ].map(async (operation) => {
          const error = await operation().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(SwrApiError);
          const { kind, status, requestId, message } = error as SwrApiError;
          return { kind, status, requestId, message };
        }),
      );
      expect(requests).toHaveLength(withMiddleware ? 5 : 0);
      const sent = seen.slice(from).sort((a, b) => `${a.method}${a.url}`.localeCompare(`${b.method}${b.url}`));
      return { errors, sent };
    };
    try {
      const straight = await run(false);
      const through = await run(true);
      expect(straight.sent).toHaveLength(5);
      expect(through).toEqual(straight);
      expect(straight.sent.map((r) => `${r.method} ${r.url}`)).toEqual([
        'DELETE /v2/p/instances/i-1/registries/7',
        // The quote percent-encoded, as the URL parser does in a query.
        'GET /v2/p/instances/i-1/registries?name=a%20b%2F%C3%BC%27s&type=swr-pro&offset=10&limit=10',
        'GET /v2/p/instances/i-1/registries/7',
        'POST /v2/p/instances/i-1/registries',
        'PUT /v2/p/instances/i-1/registries/7',
      ]);
    } finally {
      await server.close();
    }
  });

  it('after eject, calls no longer pass through the middleware', async () => {
    const swr = clientFor(emu);
    let seen = 0;
    const counting = { onRequest: () => void (seen += 1) };
    swr.raw.use(counting, counting);
    await swr.listRegistries(emu.instanceId);
    swr.raw.eject(counting);
    await swr.listRegistries(emu.instanceId);
    expect(seen).toBe(3); // used twice, ejected once: one is left
    swr.raw.eject(counting);
    await swr.listRegistries(emu.instanceId);
    expect(seen).toBe(3);
  });

  it('raw parses what its caller asks for: a text/plain 200 comes back as text, in one request', async () => {
    const server = await startServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('pong'));
    try {
      const swr = clientAt(server.url);
      const { data, response } = await swr.raw.GET('/v2/{project_id}/instances/{instance_id}/registries', {
        params: { path: { project_id: 'p', instance_id: 'i' } },
        parseAs: 'text',
      });
      expect(response.status).toBe(200);
      expect(data).toBe('pong');
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('endpoints', () => {
  it('maps the 35 regions, eu-west-101 to its .eu domain', () => {
    expect(REGIONS).toHaveLength(35);
    expect(endpointFor('cn-north-4')).toBe('https://swr-api.cn-north-4.myhuaweicloud.com');
    expect(endpointFor('eu-west-101')).toBe('https://swr-api.eu-west-101.myhuaweicloud.eu');
    expect(createSwrClient({ region: 'ap-southeast-1', projectId: 'p', auth: { token: 't' } }).endpoint).toBe(
      'https://swr-api.ap-southeast-1.myhuaweicloud.com',
    );
    expect(() => endpointFor('mars-1')).toThrow(SwrValidationError);
  });

  it('refuses credentials over plain http except to loopback or with the loud opt-in', () => {
    const base = { projectId: 'p', auth: { token: 't' } };
    const error = (() => {
      try {
        createSwrClient({ ...base, endpoint: 'http://swr.example.com' });
      } catch (e) {
        return e as SwrValidationError;
      }
    })();
    expect(error).toBeInstanceOf(SwrValidationError);
    expect(error?.field).toBe('endpoint');
    expect(error?.message).toMatch(/dangerouslyAllowInsecureHttp/);
    for (const endpoint of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) {
      expect(createSwrClient({ ...base, endpoint }).endpoint).toBe(endpoint);
    }
    expect(
      createSwrClient({ ...base, endpoint: 'http://swr.example.com', dangerouslyAllowInsecureHttp: true }).endpoint,
    ).toBe('http://swr.example.com');
    expect(() => createSwrClient({ ...base, endpoint: 'ftp://x' })).toThrow(/https/);
  });
});
