import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwrApiError, type SwrLogEvent } from '../../src/index.js';
import { startEmulator, type Emulator, type FaultSpec } from '../../src/emulator/index.js';
import { clientAt, clientFor, startServer } from '../helpers/clients.js';

const TOKEN = 'SENTINEL-TOKEN-7f3a9c';
const SECRET_KEY = 'SENTINEL-SECRET-KEY-51be';
const SECURITY_TOKEN = 'SENTINEL-STS-TOKEN-c0de';
const ACCESS_SECRET = 'SENTINEL-ACCESS-SECRET-99';
const BODY_SECRET = 'SENTINEL-BODY-SECRET-4242';
const SENTINELS = [TOKEN, SECRET_KEY, SECURITY_TOKEN, ACCESS_SECRET, BODY_SECRET];

/** A registry to create or update, its access_secret a sentinel. */
const registryBody = (name: string) => ({
  name,
  type: 'swr-pro' as const,
  url: 'https://harbor.example.com',
  credential: { type: 'basic' as const, access_key: 'robot', access_secret: BODY_SECRET },
  dns_conf: { hosts: {} },
  insecure: false,
});
let withSecret: number;
let updated: number;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    items: { registry: 3 },
    tokens: [{ token: TOKEN }],
    credentials: [{ accessKey: 'AKSENTINEL0000000001', secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN }],
  });
  withSecret = emu.add('registry', {
    credential: { type: 'basic', access_key: 'robot', access_secret: ACCESS_SECRET },
  }).id;
  updated = emu.add('registry').id;
});
afterAll(() => emu.close());

describe('redirects', () => {
  it('are refused: the token never reaches the other origin', async () => {
    const other = await startServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"total":0,"registries":[]}'),
    );
    const redirector = await startServer((_req, res) => res.writeHead(307, { Location: `${other.url}/steal` }).end());
    try {
      const swr = clientAt(redirector.url, { auth: { token: TOKEN } });
      const error = await swr.listRegistries('i').catch((e: SwrApiError) => e);
      expect(error).toMatchObject({ kind: 'invalid_response', status: 307, retryable: false });
      expect(error.message).toMatch(/redirect/);
      expect(redirector.requests).toBe(1);
      expect(other.requests).toBe(0);
    } finally {
      await Promise.all([other.close(), redirector.close()]);
    }
  });
});

describe('secrets never leak', () => {
  const faults: Array<[string, FaultSpec | undefined]> = [
    ['401', undefined],
    ['429', { kind: 'throttle', retryAfter: 0 }],
    ['500', { kind: 'status', status: 500 }],
    ['html', { kind: 'html' }],
    ['reset', { kind: 'reset' }],
    ['truncate', { kind: 'truncate' }],
    ['lost', { kind: 'lost' }],
    ['timeout', { kind: 'latency', delayMs: 500 }],
  ];

  it.each(faults)('in any error, its string forms or the log, after %s', async (label, fault) => {
    emu.faults.clear();
    if (fault) emu.faults.add(fault);
    const log: SwrLogEvent[] = [];
    const common = { logger: (e: SwrLogEvent) => log.push(e), timeoutMs: 150, retry: { maxAttempts: 2 } };
    const clients =
      label === '401'
        ? [
            clientFor(emu, { ...common, auth: { token: `${TOKEN}-wrong` } }),
            clientFor(emu, {
              ...common,
              auth: {
                accessKey: 'AKSENTINEL0000000001',
                secretKey: `${SECRET_KEY}-wrong`,
                securityToken: SECURITY_TOKEN,
              },
            }),
          ]
        : [
            clientFor(emu, { ...common, auth: { token: TOKEN } }),
            clientFor(emu, {
              ...common,
              auth: { accessKey: 'AKSENTINEL0000000001', secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN },
            }),
          ];
    for (const [i, swr] of clients.entries()) {
      const error = await swr.listRegistries(emu.instanceId, { offset: 0, limit: 100 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwrApiError);
      // The other operations, with access_secret in their bodies: whatever each ends in (a fault
      // may be retried away, a create found by name), no form of it shows a secret.
      const body = registryBody(`${label}-${i}`.replace(/[^a-z0-9-]/g, '-'));
      const outcomes = await Promise.all([
        swr.createRegistry(emu.instanceId, body).catch((e: unknown) => e),
        swr.getRegistry(emu.instanceId, withSecret).catch((e: unknown) => e),
        swr.updateRegistry(emu.instanceId, updated, { ...body, name: `${body.name}-u` }).catch((e: unknown) => e),
        swr.deleteRegistry(emu.instanceId, 999_999).catch((e: unknown) => e),
      ]);
      const forms = [error, ...outcomes]
        .flatMap((outcome) => [
          String(outcome),
          (outcome as Error).message ?? '',
          (outcome as Error).stack ?? '',
          inspect(outcome, { depth: 10, showHidden: true }),
          JSON.stringify(outcome),
        ])
        .concat(JSON.stringify(log), inspect(log, { depth: 10 }))
        .join('\n');
      for (const secret of SENTINELS) expect(forms, `${label}: ${secret}`).not.toContain(secret);
    }
    expect(log.length).toBeGreaterThan(0);
    emu.faults.clear();
  });

  it('nor in an error whose server echoes the request body, even a secret too short to search for', async () => {
    const echo = await startServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () =>
        res
          .writeHead(400, { 'Content-Type': 'application/json', 'X-Request-Id': text })
          .end(JSON.stringify({ error_code: 'SVCSTG.SWR.4000001', error_msg: `bad body: ${text}` })),
      );
    });
    try {
      for (const secret of [BODY_SECRET, 'abc']) {
        const log: SwrLogEvent[] = [];
        const swr = clientAt(echo.url, { auth: { token: TOKEN }, logger: (e) => log.push(e) });
        const body = {
          ...registryBody('echoed'),
          credential: { type: 'basic' as const, access_key: 'k', access_secret: secret },
        };
        const error = await swr.createRegistry('i', body).catch((e: SwrApiError) => e);
        expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
        expect(error.message).toContain('"access_secret":"[REDACTED]"');
        const forms = [error.message, inspect(error, { depth: 10 }), JSON.stringify(error), JSON.stringify(log)].join(
          '\n',
        );
        expect(forms).not.toContain(`"access_secret":"${secret}"`);
        if (secret.length >= 4) expect(forms).not.toContain(secret);
      }
    } finally {
      await echo.close();
    }
  });

  it('nor in a successful result, where access_secret comes masked', async () => {
    const swr = clientFor(emu, { auth: { token: TOKEN } });
    const all = await swr.listAllRegistries(emu.instanceId);
    expect(JSON.stringify(all)).not.toContain(ACCESS_SECRET);
    const one = await swr.getRegistry(emu.instanceId, withSecret);
    expect(one.credential?.access_secret).toBe('*****');
    expect(emu.store.item(emu, 'registry', withSecret)?.credential?.access_secret).toBe(ACCESS_SECRET);
    expect(inspect(swr, { depth: 5, showHidden: true })).not.toContain(SECRET_KEY);
  });

  it('nor in a validation error about them', async () => {
    const { createSwrClient } = await import('../../src/index.js');
    const error = (() => {
      try {
        createSwrClient({ endpoint: emu.url, projectId: 'p', auth: { accessKey: '', secretKey: SECRET_KEY } });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/auth\.accessKey/);
    expect(inspect(error)).not.toContain(SECRET_KEY);
  });
});

describe('under a 20% transient fault rate', () => {
  it('every call succeeds with the right data or ends in a typed error; nothing hangs', async () => {
    const local = await startEmulator({
      items: { registry: 57 },
      randomSeed: 2026,
      faults: [
        { kind: 'status', status: 503, rate: 0.05 },
        { kind: 'throttle', retryAfter: 0, rate: 0.04 },
        { kind: 'reset', rate: 0.04 },
        { kind: 'truncate', rate: 0.03 },
        { kind: 'html', rate: 0.02 },
        { kind: 'drip', delayMs: 100, rate: 0.02 },
      ],
    });
    try {
      const swr = clientFor(local, { timeoutMs: 1000, retry: { maxAttempts: 3, deadlineMs: 10_000 } });
      const truth = local.store.items(local, 'registry')!;
      const outcomes = { ok: 0, error: 0 };
      const t0 = performance.now();
      // 200 calls, 8 at a time, as a busy caller would make them.
      let next = 0;
      const one = async (i: number) => {
        const limit = 10;
        const offset = (i % 6) * limit;
        try {
          const page = await swr.listRegistries(local.instanceId, {
            order_column: 'name',
            order_type: 'asc',
            offset,
            limit,
          });
          const expected = [...truth].sort((a, b) => (a.name! < b.name! ? -1 : 1)).slice(offset, offset + limit);
          expect(page.registries!.map((r) => r.id)).toEqual(expected.map((r) => r.id));
          expect(page.total).toBe(57);
          outcomes.ok += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(SwrApiError);
          expect((error as SwrApiError).retryable).toBe(true);
          outcomes.error += 1;
        }
      };
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < 200) await one(next++);
        }),
      );
      expect(outcomes.ok + outcomes.error).toBe(200);
      expect(outcomes.ok).toBeGreaterThan(180);
      expect(performance.now() - t0).toBeLessThan(20_000);
      // Aborted slow answers end on the server a moment after the client gave up on them.
      for (let i = 0; i < 100 && local.stats.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(local.stats.inFlight).toBe(0);
    } finally {
      await local.close();
    }
  });
});
