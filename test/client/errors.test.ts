import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SwrApiError } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientAt, clientFor, startServer } from '../helpers/clients.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    items: { registry: 5 },
    tokens: [{ token: 'good' }, { token: 'scoped', projects: ['other'] }],
  });
});
afterEach(() => emu.faults.clear());
afterAll(() => emu.close());

const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: SwrApiError) => e,
  );

describe('each kind of error, as a user sees it', () => {
  it('auth: 401 with the gateway code, message and request id', async () => {
    const error = await fail(clientFor(emu, { auth: { token: 'forged' } }).listRegistries(emu.instanceId));
    expect(error).toBeInstanceOf(SwrApiError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, errorCode: 'APIGW.0301', retryable: false, attempts: 1 });
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(error.message).toBe(
      `SWR 401 Unauthorized: APIGW.0301 Incorrect IAM authentication information: decrypt token fail (request id ${error.requestId}, 1 attempt)`,
    );
  });

  it('permission: 403 with the encoded authorization message', async () => {
    const error = await fail(clientFor(emu, { auth: { token: 'scoped' } }).listRegistries(emu.instanceId));
    expect(error).toMatchObject({ kind: 'permission', status: 403, errorCode: 'SVCSTG.SWR.4030170' });
    expect(error.encodedAuthorizationMessage).toBeTruthy();
  });

  it('not found: 404 for an unknown instance', async () => {
    const error = await fail(clientFor(emu).listRegistries('no-such-instance'));
    expect(error).toMatchObject({
      kind: 'not_found',
      status: 404,
      errorCode: 'SVCSTG.SWR.4040002',
      errorMsg: 'Instance no-such-instance not found',
    });
  });

  it('throttled: 429 APIGW.0308, retryable, after the retries', async () => {
    emu.faults.add({ kind: 'throttle', retryAfter: 0 });
    const error = await fail(clientFor(emu, { retry: { maxAttempts: 2 } }).listRegistries(emu.instanceId));
    expect(error).toMatchObject({
      kind: 'throttled',
      status: 429,
      errorCode: 'APIGW.0308',
      retryable: true,
      attempts: 2,
    });
  });

  it('bad request: a 400 the server sends anyway', async () => {
    emu.faults.add({ kind: 'status', status: 400 });
    const error = await fail(clientFor(emu).listRegistries(emu.instanceId));
    expect(error).toMatchObject({ kind: 'bad_request', status: 400, retryable: false, attempts: 1 });
  });

  it('server: 500 after three attempts', async () => {
    emu.faults.add({ kind: 'status', status: 500 });
    const error = await fail(clientFor(emu).listRegistries(emu.instanceId));
    expect(error).toMatchObject({ kind: 'server', status: 500, retryable: true, attempts: 3 });
  });

  it('server: an HTML error page becomes a readable message, not a JSON crash', async () => {
    emu.faults.add({ kind: 'html' });
    const error = await fail(clientFor(emu, { retry: false }).listRegistries(emu.instanceId));
    expect(error).toMatchObject({
      kind: 'server',
      status: 502,
      errorMsg: 'HTML page: 502 Bad Gateway',
      errorCode: undefined,
    });
    expect(error.message).toContain('HTML page: 502 Bad Gateway');
  });

  it('server: an empty error body', async () => {
    const server = await startServer((_req, res) => res.writeHead(503, { 'X-Request-Id': 'req-empty' }).end());
    try {
      const swr = clientAt(server.url, { retry: false });
      const error = await fail(swr.listRegistries('i'));
      expect(error).toMatchObject({ kind: 'server', status: 503, requestId: 'req-empty', errorCode: undefined });
      expect(error.message).toContain('(empty body)');
    } finally {
      await server.close();
    }
  });

  it('network: nothing listening', async () => {
    const server = await startServer(() => undefined);
    const url = server.url;
    await server.close();
    const error = await fail(clientAt(url).listRegistries('i'));
    expect(error).toMatchObject({ kind: 'network', status: undefined, retryable: true, attempts: 3 });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('timeout: no answer within timeoutMs', async () => {
    emu.faults.add({ kind: 'latency', delayMs: 2000 });
    const error = await fail(
      clientFor(emu, { timeoutMs: 100, retry: { maxAttempts: 2 } }).listRegistries(emu.instanceId),
    );
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, attempts: 2 });
    expect(error.message).toMatch(/within 100 ms/);
  });

  it('invalid response: a truncated JSON body, after its retries', async () => {
    emu.faults.add({ kind: 'truncate' });
    const error = await fail(clientFor(emu, { retry: { maxAttempts: 2 } }).listRegistries(emu.instanceId));
    expect(error).toMatchObject({ kind: 'invalid_response', status: 200, attempts: 2 });
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.requestId).toBeTruthy();
  });

  it('invalid response: a 200 that cannot be used at all', async () => {
    const bodies = ['[]', '"registries"', 'null', '{"total":1,"registries":{"id":1}}'];
    let i = 0;
    const server = await startServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-Id': `req-${i}` }).end(bodies[i++]),
    );
    try {
      const swr = clientAt(server.url);
      for (const expected of [
        /not a JSON object/,
        /not a JSON object/,
        /not a JSON object/,
        /`registries` is not an array/,
      ]) {
        const error = await fail(swr.listRegistries('i'));
        expect(error).toMatchObject({ kind: 'invalid_response', status: 200, retryable: false });
        expect(error.message).toMatch(expected);
        expect(error.requestId).toMatch(/^req-/);
      }
      expect(server.requests).toBe(bodies.length);
    } finally {
      await server.close();
    }
  });

  it('an unknown extra field and unknown enum values are accepted', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          total: 1,
          next: 'x',
          registries: [
            {
              id: 1,
              name: 'n',
              type: 'docker-hub',
              url: 'u',
              insecure: false,
              status: 'degraded',
              created_at: 'c',
              updated_at: 'u',
              credential: { type: 'basic', access_key: 'a' },
              dns_conf: {},
            },
          ],
        }),
      ),
    );
    try {
      const page = await clientAt(server.url).listRegistries('i');
      expect(page.registries![0]).toMatchObject({ type: 'docker-hub', status: 'degraded', dns_conf: {} });
    } finally {
      await server.close();
    }
  });
});
