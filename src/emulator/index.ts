// A local emulator of ListInstanceRegistries over real HTTP (node:http), for the client's tests,
// the demo, the benchmarks and users' own CI: scoping, query rules, auth and faults as documented.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Registry } from '../../generated/schema.js';
import { authenticate, authorize, createKeyCache, type CredentialSpec, type TokenSpec } from './auth.js';
import { gatewayError, swrError, type Answer } from './errors.js';
import { createFaults, type FaultController, type FaultSpec } from './faults.js';
import { operations, parseQueryString } from '../operation.js';
import { schemas } from '../../generated/operations.js';
import { maskSensitive } from '../validate.js';
import { matchAndSort, resultQuery, type ListQuery } from './query.js';
import { createRandom } from './random.js';
import { createStore, seedRegistries, type EmulatorStore, type InstanceRef } from './store.js';

export type { CredentialSpec, TokenSpec } from './auth.js';
export type { FaultSpec, FaultController } from './faults.js';
export type { EmulatorStore, InstanceRef } from './store.js';
export type { ListQuery } from './query.js';
export { seedRegistries } from './store.js';

/** The project, instance and credentials the emulator uses when none are given. */
export const EMULATOR_DEFAULTS = {
  projectId: '3f6c1d9e2b7a4c8d9e0f1a2b3c4d5e6f',
  instanceId: '9a1c7e42-5b3d-4f6e-8a2b-0c1d2e3f4a5b',
  token: 'emulator-token',
  accessKey: 'EMULATORACCESSKEY001',
  secretKey: 'emulator-secret-key-not-a-real-secret-00',
} as const;

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Bind address; loopback by default. */
  host?: string;
  /** The project and instance that hold `registries` or `seed`. */
  projectId?: string;
  instanceId?: string;
  /** Registries of the default instance, as given. */
  registries?: readonly Registry[];
  /** Or: this many realistic, deterministic registries in the default instance. */
  seed?: number;
  /** More instances. */
  instances?: ReadonlyArray<InstanceRef & { registries?: readonly Registry[]; seed?: number }>;
  /** Accepted IAM tokens; by default one token for every project. */
  tokens?: readonly TokenSpec[];
  /** Accepted AK/SK pairs; by default one pair for every project. */
  credentials?: readonly CredentialSpec[];
  /** Latency added to every API answer: fixed, or uniformly between min and max. */
  latencyMs?: number | { min: number; max: number };
  /** Faults from the start; more can be added while it runs. */
  faults?: readonly FaultSpec[];
  /** Seed of the generator behind seeded data, jitter and fault rates. */
  randomSeed?: number;
  /** The clock used for token expiry and X-Sdk-Date skew. */
  now?: () => number;
  /** Called before each list is computed: tests change the data here, between pages. */
  onList?: (request: InstanceRef & { query: ListQuery }) => void | Promise<void>;
  /** Largest request body accepted (413 above); headers above 16 KiB get 431. */
  maxBodyBytes?: number;
  /**
   * Answer as Harbor (on which SWR Enterprise Edition is built) does: zero values (`false`, an
   * empty string) and a credential without an access key are left out of each registry.
   */
  harborStyle?: boolean;
}

/** Live counters: requests seen, answers by status, and how many are being served right now. */
export interface EmulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  statuses: Record<number, number>;
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  projectId: string;
  instanceId: string;
  /** A token and AK/SK pair the emulator accepts (the first configured ones). */
  token: string | undefined;
  credentials: CredentialSpec | undefined;
  store: EmulatorStore;
  faults: FaultController;
  stats: EmulatorStats;
  /** Zeroes the counters. */
  resetStats(): void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-Request-Id, Retry-After',
};
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, X-Auth-Token, X-Project-Id, X-Sdk-Date, X-Security-Token',
  'Access-Control-Max-Age': '600',
};
const MAX_HEADER_BYTES = 16 * 1024;

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const projectId = options.projectId ?? EMULATOR_DEFAULTS.projectId;
  const instanceId = options.instanceId ?? EMULATOR_DEFAULTS.instanceId;
  const seed = options.randomSeed ?? 1;
  const store = createStore();
  store.addInstance({ projectId, instanceId }, options.registries ?? seedRegistries(options.seed ?? 0, { seed }));
  for (const extra of options.instances ?? []) {
    store.addInstance(extra, extra.registries ?? seedRegistries(extra.seed ?? 0, { seed, firstId: 1_000_000 }));
  }
  const tokens = options.tokens ?? [{ token: EMULATOR_DEFAULTS.token }];
  const credentials = options.credentials ?? [
    { accessKey: EMULATOR_DEFAULTS.accessKey, secretKey: EMULATOR_DEFAULTS.secretKey },
  ];
  const faults = createFaults(options.faults, seed);
  const keyOf = createKeyCache();
  const jitter = createRandom(seed ^ 0x5eed);
  const now = options.now ?? Date.now;
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const stats: EmulatorStats = { requests: 0, inFlight: 0, maxInFlight: 0, statuses: {} };

  /** A registry as the service answers it: secrets blanked, and zero values dropped in Harbor style. */
  const render = (registry: Registry) => {
    const answered = maskSensitive(REGISTRY, registry, () => '');
    return options.harborStyle ? omitZeroValues(answered) : answered;
  };

  const latency = () => {
    const l = options.latencyMs;
    if (l === undefined) return 0;
    return typeof l === 'number' ? l : l.min + jitter() * (l.max - l.min);
  };

  // Sorting, masking and serialising every registry on every request would make a large seeded
  // instance CPU-bound; each query's sorted, masked, serialised registries are kept until the data
  // changes, and a page body is joined from them.
  const sortCache = new Map<string, { version: number; json: string[] }>();
  function sortedJson(route: InstanceRef, query: ListQuery): string[] {
    const view = store.view(route)!;
    const key = JSON.stringify([route.projectId, route.instanceId, resultQuery(query)]);
    const hit = sortCache.get(key);
    if (hit && hit.version === view.version) return hit.json;
    const json = matchAndSort(view.list, resultQuery(query)).map((r) => JSON.stringify(render(r)));
    if (sortCache.size >= 32) sortCache.delete(sortCache.keys().next().value!);
    sortCache.set(key, { version: view.version, json });
    return json;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, PREFLIGHT_HEADERS).end();
      return;
    }
    const body = await readBody(req, maxBody);
    if (body === undefined) {
      return send(res, gatewayError(413, 'APIGW.0201', 'Request entity too large', requestId), { close: true });
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const route = matchRoute(url.pathname);
    if (!route || req.method !== 'GET') {
      return send(
        res,
        gatewayError(
          404,
          'APIGW.0101',
          'The API does not exist or has not been published in the environment',
          requestId,
        ),
      );
    }

    const plan = faults.next();
    await sleep(latency() + plan.delayMs, res);
    if (res.destroyed) return;
    const fault = plan.answer;
    if (fault && (await injectFault(fault, res, requestId))) return;

    const principal = await authenticate(
      { method: req.method, url, headers: headerReader(req), body },
      { tokens, credentials, now: now(), requestId, keyOf },
    );
    if ('status' in principal) return send(res, principal);
    const denied = authorize(principal, route.projectId);
    if (denied) return send(res, denied);
    if (!store.hasProject(route.projectId)) {
      return send(res, swrError(404, 'SVCSTG.SWR.4040001', `Project ${route.projectId} not found`));
    }
    if (!store.view(route))
      return send(res, swrError(404, 'SVCSTG.SWR.4040002', `Instance ${route.instanceId} not found`));
    const parsed = parseQueryString(LIST, url.search);
    if ('error' in parsed) {
      const { parameter, rule, raw } = parsed.error;
      const got = raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
      return send(res, swrError(400, 'SVCSTG.SWR.4000014', `Invalid parameter ${parameter}: ${rule}${got}`));
    }
    const query = parsed.query as ListQuery;
    await options.onList?.({ ...route, query });
    const sorted = sortedJson(route, query);
    const page = sorted.slice(query.offset, query.offset + query.limit);
    const answer: Answer = {
      status: 200,
      body: {},
      text: `{"total":${sorted.length},"registries":[${page.join(',')}]}`,
    };
    if (fault?.kind === 'drip') return drip(res, answer, fault.delayMs ?? 50);
    if (fault?.kind === 'truncate') return send(res, answer, { truncate: true });
    send(res, answer);
  }

  /** Sends the fault's own answer; false when the fault changes how a 200 is sent instead. */
  async function injectFault(fault: FaultSpec, res: ServerResponse, requestId: string): Promise<boolean> {
    switch (fault.kind) {
      case 'status': {
        const status = fault.status ?? 503;
        const answer =
          status === 429
            ? gatewayError(429, 'APIGW.0308', throttleMessage, requestId)
            : swrError(
                status,
                `SVCSTG.SWR.${status}0001`,
                status >= 500 ? 'Internal error (injected)' : 'Injected error',
              );
        send(res, answer);
        return true;
      }
      case 'throttle':
        send(res, {
          ...gatewayError(429, 'APIGW.0308', throttleMessage, requestId),
          headers: { 'Retry-After': String(fault.retryAfter ?? 1) },
        });
        return true;
      case 'html':
        res.writeHead(fault.status ?? 502, { ...CORS_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>nginx</p></body></html>',
        );
        count(fault.status ?? 502);
        return true;
      case 'reset': {
        const text = JSON.stringify({ total: 1, registries: [render(seedRegistries(1)[0]!)] });
        res.writeHead(200, {
          ...CORS_HEADERS,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        });
        res.write(text.slice(0, text.length >> 1));
        await sleep(5, res);
        const socket = res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
        if (socket?.resetAndDestroy) socket.resetAndDestroy();
        else socket?.destroy();
        count(0);
        return true;
      }
      default:
        return false;
    }
  }

  function count(status: number) {
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
  }

  function send(res: ServerResponse, answer: Answer, how: { close?: boolean; truncate?: boolean } = {}) {
    if (res.headersSent || res.destroyed) return;
    let text = answer.text ?? JSON.stringify(answer.body);
    if (how.truncate) text = text.slice(0, Math.max(1, text.length >> 1));
    res.writeHead(answer.status, {
      ...CORS_HEADERS,
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': Buffer.byteLength(text),
      ...(how.close && { Connection: 'close' }),
      ...answer.headers,
    });
    res.end(text);
    count(answer.status);
  }

  async function drip(res: ServerResponse, answer: Answer, delayMs: number) {
    const text = Buffer.from(answer.text ?? JSON.stringify(answer.body));
    res.writeHead(answer.status, {
      ...CORS_HEADERS,
      'Content-Type': 'application/json',
      'Content-Length': text.length,
    });
    for (let i = 0; i < text.length && !res.destroyed; i += 64) {
      res.write(text.subarray(i, i + 64));
      await sleep(delayMs, res);
    }
    res.end();
    count(answer.status);
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const requestId = randomUUID().replace(/-/g, '');
    res.setHeader('X-Request-Id', requestId);
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.once('close', () => {
      stats.inFlight -= 1;
    });
    handle(req, res, requestId).catch(() => {
      // A bug must never take the server down: answer 500 in the SWR format and go on.
      send(res, swrError(500, 'SVCSTG.SWR.5000001', 'Internal error'));
    });
  });
  server.on(
    'clientError',
    (error: NodeJS.ErrnoException, socket: Socket & { _httpMessage?: ServerResponse | null }) => {
      // Bytes after a complete request (a 413 sent before the body ended, a body without framing):
      // let the answer under way finish, then hang up.
      const pending = socket._httpMessage;
      if (pending && !pending.writableFinished) {
        pending.once('close', () => socket.destroy());
        setTimeout(() => socket.destroy(), 10_000).unref();
        return;
      }
      if (!socket.writable) return void socket.destroy();
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const requestId = randomUUID().replace(/-/g, '');
      const body = JSON.stringify({
        error_code: 'APIGW.0201',
        error_msg: tooLarge ? 'Request header fields too large' : 'Bad request: malformed HTTP',
        request_id: requestId,
      });
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
    },
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    projectId,
    instanceId,
    token: tokens[0]?.token,
    credentials: credentials[0],
    store,
    faults,
    stats,
    resetStats() {
      Object.assign(stats, { requests: 0, maxInFlight: stats.inFlight, statuses: {} });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const LIST = operations.ListInstanceRegistries;
const REGISTRY = schemas.Registry;
const throttleMessage = 'The throttling threshold has been reached: policy user over ratelimit,limit:200,time:1 second';

/** The documented path, with its two ids decoded; undefined for any other path. */
function matchRoute(pathname: string): InstanceRef | undefined {
  const m = /^\/v2\/([^/]+)\/instances\/([^/]+)\/registries$/.exec(pathname);
  if (!m) return undefined;
  try {
    return { projectId: decodeURIComponent(m[1]!), instanceId: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

/**
 * Harbor's JSON (Go's `omitempty`): a field whose value is `false`, `0`, an empty string or null
 * is left out, and so is an object that has nothing left.
 */
export function omitZeroValues<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    const kept = omitZeroValues(inner);
    if (kept === false || kept === '' || kept === 0 || kept === null || kept === undefined) continue;
    if (typeof kept === 'object' && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
    out[field] = kept;
  }
  return out as T;
}

function headerReader(req: IncomingMessage): { get(name: string): string | null } {
  return {
    get(name) {
      const value = req.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Reads the whole body, or undefined once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

/** Waits, but gives up at once when the client hangs up. */
function sleep(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}
