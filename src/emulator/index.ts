// A local emulator of SWR Enterprise Edition's registries API over real HTTP (node:http), for the
// client's tests, the demo, the benchmarks and users' own CI. The pieces: http.ts (transport),
// routes.ts (which operation), faults.ts (what to break, and how), auth.ts (the gateway's checks),
// listing.ts (list), registries.ts (create, show, update, delete) and store.ts (the data); this
// module puts them in order.
import type { Registry } from '../../generated/schema.js';
import { operations, parseQueryString } from '../operation.js';
import { authenticate, checkProjectAccess, createKeyCache, type CredentialSpec, type TokenSpec } from './auth.js';
import { gatewayError, swrError, type Answer } from './errors.js';
import { createFaults, renderFault, sendWithFault, type FaultController, type FaultSpec } from './faults.js';
import { CORS_HEADERS, createHttpServer, listen, send, sleep, type EmulatorStats, type Exchange } from './http.js';
import { createListing } from './listing.js';
import type { ListQuery } from './query.js';
import { createRandom } from './random.js';
import { registryOperation, statusOf } from './registries.js';
import { route, type Route } from './routes.js';
import { createStore, seedRegistries, type EmulatorStore, type InstanceRef } from './store.js';

export type { CredentialSpec, TokenSpec } from './auth.js';
export type { FaultSpec, FaultController } from './faults.js';
export type { EmulatorStats } from './http.js';
export type { EmulatorStore, InstanceRef } from './store.js';
export type { ListQuery } from './query.js';
export { seedRegistries } from './store.js';
export { statusOf };

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
  /** Registries of the default instance: these, or this many realistic, deterministic ones. */
  registries?: readonly Registry[] | number;
  /** @deprecated The same as `registries: N`. */
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
  /** Seed of the generator behind seeded data, jitter, fault rates and unstable orders. */
  randomSeed?: number;
  /** The clock used for token expiry and X-Sdk-Date skew. */
  now?: () => number;
  /** Called before each list is computed: tests change the data here, between pages. */
  onList?: (request: InstanceRef & { query: ListQuery }) => void | Promise<void>;
  /** Largest request body accepted (413 above); headers above 16 KiB get 431. */
  maxBodyBytes?: number;
  /**
   * Answer as Harbor (on which SWR Enterprise Edition is built) does: zero values (`false`, an
   * empty string) and empty objects are left out of each registry.
   */
  harborStyle?: boolean;
  /** Order registries whose sort field is equal differently on every request, as a database does. */
  unstableOrder?: boolean;
  /** Time for a client to send its headers before the connection is closed (default 10 s). */
  headersTimeoutMs?: number;
  /** Time for a whole request to arrive (default 30 s). */
  requestTimeoutMs?: number;
  /** Connections held at once; more are refused until some close (default 1024). */
  maxConnections?: number;
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  projectId: string;
  instanceId: string;
  /** A token and AK/SK pair the emulator accepts (the first configured ones, or the defaults). */
  token: string;
  credentials: CredentialSpec;
  store: EmulatorStore;
  faults: FaultController;
  stats: EmulatorStats;
  /** Zeroes the counters. */
  resetStats(): void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

const METHODS = [...new Set(Object.values(operations).map((o) => o.method))];
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': [...METHODS, 'OPTIONS'].join(', '),
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, X-Auth-Token, X-Project-Id, X-Sdk-Date, X-Security-Token',
  'Access-Control-Max-Age': '600',
};

type Setup = ReturnType<typeof configure>;

/** Everything a request needs, from the options. */
function configure(options: EmulatorOptions) {
  const projectId = options.projectId ?? EMULATOR_DEFAULTS.projectId;
  const instanceId = options.instanceId ?? EMULATOR_DEFAULTS.instanceId;
  const seed = options.randomSeed ?? 1;
  const store = createStore();
  const given = options.registries ?? options.seed ?? 0;
  store.addInstance({ projectId, instanceId }, typeof given === 'number' ? seedRegistries(given, { seed }) : given);
  for (const extra of options.instances ?? []) {
    store.addInstance(extra, extra.registries ?? seedRegistries(extra.seed ?? 0, { seed, firstId: 1_000_000 }));
  }
  const jitter = createRandom(seed ^ 0x5eed);
  const latency = options.latencyMs;
  return {
    options,
    projectId,
    instanceId,
    store,
    tokens: options.tokens ?? [{ token: EMULATOR_DEFAULTS.token }],
    credentials: options.credentials ?? [
      { accessKey: EMULATOR_DEFAULTS.accessKey, secretKey: EMULATOR_DEFAULTS.secretKey },
    ],
    faults: createFaults(options.faults, seed),
    keyOf: createKeyCache(),
    now: options.now ?? Date.now,
    latency: () =>
      latency === undefined
        ? 0
        : typeof latency === 'number'
          ? latency
          : latency.min + jitter() * (latency.max - latency.min),
    listing: createListing({
      harborStyle: options.harborStyle === true,
      unstableOrder: options.unstableOrder === true,
      random: createRandom(seed ^ 0x7a11),
    }),
    stats: { requests: 0, inFlight: 0, maxInFlight: 0, statuses: {} } as EmulatorStats,
  };
}

/** One request, in the order the service takes it: route, faults, gateway, the instance, the operation. */
async function handle(setup: Setup, exchange: Exchange): Promise<void> {
  const { req, res, requestId, url } = exchange;
  if (req.method === 'OPTIONS') return void res.writeHead(204, PREFLIGHT_HEADERS).end();
  const found = route(req.method ?? '', url.pathname);
  if (!found) {
    const missing = 'The API does not exist or has not been published in the environment';
    return send(setup.stats, res, gatewayError(404, 'APIGW.0101', missing, requestId));
  }
  const plan = setup.faults.next();
  await sleep(setup.latency() + plan.delayMs, res);
  if (res.destroyed) return;
  if (plan.answer && (await renderFault(plan.answer, res, requestId, setup.stats))) return;
  const answer = (await gateway(setup, exchange, found)) ?? (await operate(setup, exchange, found));
  await sendWithFault(plan.answer, res, answer, setup.stats);
}

/** The gateway's checks and SWR's scoping: credentials (401), rights on the project (403), project and instance (404). */
async function gateway(setup: Setup, exchange: Exchange, found: Route): Promise<Answer | undefined> {
  const { req, url, body, requestId } = exchange;
  const principal = await authenticate(
    { method: req.method!, url, headers: headerReader(req.headers), body },
    { tokens: setup.tokens, credentials: setup.credentials, now: setup.now(), requestId, keyOf: setup.keyOf },
  );
  if ('status' in principal) return principal;
  const { project_id: projectId, instance_id: instanceId } = found.params as Record<string, string>;
  const denied = checkProjectAccess(principal, projectId!, found.operation.iamAction ?? found.operation.operationId);
  if (denied) return denied;
  if (!setup.store.hasProject(projectId!)) return swrError(404, 'SVCSTG.SWR.4040001', `Project ${projectId} not found`);
  if (!setup.store.view({ projectId: projectId!, instanceId: instanceId! }))
    return swrError(404, 'SVCSTG.SWR.4040002', `Instance ${instanceId} not found`);
  return undefined;
}

/** What each operation does, once the gateway let the request through. */
async function operate(setup: Setup, exchange: Exchange, found: Route): Promise<Answer> {
  const ref = { projectId: found.params.project_id!, instanceId: found.params.instance_id! };
  const parsed = parseQueryString(found.operation, exchange.url.search);
  if ('error' in parsed) {
    const { parameter, rule, raw } = parsed.error;
    const got = raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
    return swrError(400, 'SVCSTG.SWR.4000014', `Invalid parameter ${parameter}: ${rule}${got}`);
  }
  const single = registryOperation(
    { store: setup.store, ref, render: setup.listing.render, now: setup.now },
    { operation: found.operation, params: found.params, body: exchange.body },
  );
  if (single) return single;
  const query = parsed.query as ListQuery;
  await setup.options.onList?.({ ...ref, query });
  const view = setup.store.view(ref);
  if (!view) return swrError(404, 'SVCSTG.SWR.4040002', `Instance ${ref.instanceId} not found`);
  return { status: 200, body: {}, text: setup.listing.page(ref, view, query) };
}

function headerReader(headers: Record<string, string | string[] | undefined>): { get(name: string): string | null } {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const setup = configure(options);
  const server = createHttpServer(
    { ...options, maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 },
    setup.stats,
    (exchange) => handle(setup, exchange),
  );
  const { url, port } = await listen(server, options.port, options.host);
  return {
    url,
    port,
    projectId: setup.projectId,
    instanceId: setup.instanceId,
    token: setup.tokens[0]?.token ?? EMULATOR_DEFAULTS.token,
    credentials: setup.credentials[0] ?? {
      accessKey: EMULATOR_DEFAULTS.accessKey,
      secretKey: EMULATOR_DEFAULTS.secretKey,
    },
    store: setup.store,
    faults: setup.faults,
    stats: setup.stats,
    resetStats() {
      Object.assign(setup.stats, { requests: 0, maxInFlight: setup.stats.inFlight, statuses: {} });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
