// A local emulator of SWR Enterprise Edition's image-replication API over real HTTP (node:http),
// for the client's tests, the demo, the benchmarks and users' own CI. Every operation of the spec
// is served from the spec: routes.ts (which operation), auth.ts (the gateway's checks),
// resources.ts (list, show, create, update and delete of the resources the spec declares, over
// store.ts, seeded from the spec's examples by seed.ts), and replication.ts for the one
// behaviour no spec states (an execution's progress). faults.ts breaks things on purpose.
import type { CommandInfo } from '../../generated/operations.js';
import { OPERATIONS, parametersIn, type Operation } from '../spec/table.js';
import { check, coerce } from '../spec/validate.js';
import { authenticate, checkProjectAccess, createKeyCache, type CredentialSpec, type TokenSpec } from './auth.js';
import { seedCatalogue, type CatalogueRepository } from './catalogue.js';
import { gatewayError, swrError, type Answer } from './errors.js';
import { createFaults, renderFault, sendWithFault, type FaultController, type FaultSpec } from './faults.js';
import { CORS_HEADERS, createHttpServer, listen, send, sleep, type EmulatorStats, type Exchange } from './http.js';
import { MODELS, roleOf, scopeOf, type ResourceModel } from '../spec/resources.js';
import { parseQueryString } from './query.js';
import { createRandom } from './random.js';
import { createReplication, type Behaviour, type ReplicationOptions } from './replication.js';
import {
  createResources,
  invalid,
  single,
  stableWindow,
  unstableWindow,
  type ResourceContext,
  type ResourceRequest,
} from './resources.js';
import { route, type Route } from './routes.js';
import { seedItems, timestamp } from './seed.js';
import { createStore, type EmulatorStore, type InstanceRef, type Item, type Stored } from './store.js';

export type { CredentialSpec, TokenSpec } from './auth.js';
export type { FaultSpec, FaultController } from './faults.js';
export type { EmulatorStats } from './http.js';
export type { EmulatorStore, InstanceRef, Item, Stored } from './store.js';
export type { CatalogueRepository } from './catalogue.js';
export type { ReplicationOptions } from './replication.js';
export type { CommandInfo };
export { healthOf } from './seed.js';
export { SECRET_MASK } from './resources.js';

/** The project, instance and credentials the emulator uses when none are given. */
export const EMULATOR_DEFAULTS = {
  projectId: '3f6c1d9e2b7a4c8d9e0f1a2b3c4d5e6f',
  instanceId: '9a1c7e42-5b3d-4f6e-8a2b-0c1d2e3f4a5b',
  token: 'emulator-token',
  accessKey: 'EMULATORACCESSKEY001',
  secretKey: 'emulator-secret-key-not-a-real-secret-00',
} as const;

/** Items of an instance, per resource of the spec (`registry`, `policy`, `execution`...): this many seeded, or these. */
export type SeedItems = { readonly [resource: string]: number | readonly Item[] };

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Bind address; loopback by default. */
  host?: string;
  /** The project and instance that hold `items`. */
  projectId?: string;
  instanceId?: string;
  /**
   * Items of the default instance, per resource: `{ registry: 250 }` seeds 250 realistic,
   * deterministic registries from the spec's examples; an array is stored as given.
   */
  items?: SeedItems;
  /** More instances. */
  instances?: ReadonlyArray<InstanceRef & { items?: SeedItems }>;
  /** Accepted IAM tokens; by default one token for every project. */
  tokens?: readonly TokenSpec[];
  /** Accepted AK/SK pairs; by default one pair for every project. */
  credentials?: readonly CredentialSpec[];
  /** Latency added to every API answer: fixed, or uniformly between min and max. */
  latencyMs?: number | { min: number; max: number };
  /** Faults from the start; more can be added while it runs. */
  faults?: readonly FaultSpec[];
  /** Seed of the generator behind seeded data, jitter, fault rates, unstable orders and failed tasks. */
  randomSeed?: number;
  /** The clock used for token expiry, X-Sdk-Date skew, timestamps and executions' progress. */
  now?: () => number;
  /** Called before each list is computed: tests change the data here, between pages. */
  onList?: (request: InstanceRef & { resource: string; query: Record<string, unknown> }) => void | Promise<void>;
  /** Largest request body accepted (413 above); headers above 16 KiB get 431. */
  maxBodyBytes?: number;
  /**
   * Answer as Harbor (on which SWR Enterprise Edition is built) does: zero values (`false`, an
   * empty string) and empty objects are left out of each item.
   */
  harborStyle?: boolean;
  /** Order items whose sort field is equal differently on every request, as a database does. */
  unstableOrder?: boolean;
  /** How replication runs: its duration and failure rate, and the images it copies (the catalogue). */
  replication?: ReplicationOptions & { catalogue?: readonly CatalogueRepository[] };
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
  /**
   * Adds an item of a resource while the emulator serves, built like a seeded one from the
   * spec's example and created now, with `fields` on top; returns it as stored. In the default
   * instance unless `where` names another; an item only the service makes (a task) below the
   * parents `where.parents` names (`{ execution_id: 131 }`).
   */
  add<R extends string>(
    resource: R,
    fields?: Item,
    where?: InstanceRef & { parents?: Record<string, number> },
  ): Stored<R>;
  faults: FaultController;
  stats: EmulatorStats;
  /** Zeroes the counters. */
  resetStats(): void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

const METHODS = [...new Set(OPERATIONS.map((o) => o.method))];
const HEADER_PARAMETERS = [...new Set(OPERATIONS.flatMap((op) => parametersIn(op, 'header').map((p) => p.name)))];
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': [...METHODS, 'OPTIONS'].join(', '),
  'Access-Control-Allow-Headers': [
    'Authorization',
    'Content-Type',
    'X-Auth-Token',
    'X-Project-Id',
    'X-Sdk-Date',
    'X-Security-Token',
    ...HEADER_PARAMETERS,
  ].join(', '),
  'Access-Control-Max-Age': '600',
};

type Setup = ReturnType<typeof configure>;

/** The resources in an order where each comes after those it references: what seeding needs. */
function seedOrder(): ResourceModel[] {
  const done: ResourceModel[] = [];
  const visit = (model: ResourceModel) => {
    if (done.includes(model)) return;
    for (const ref of model.info.references ?? []) {
      const target = MODELS.get(ref.resource);
      if (target && target !== model) visit(target);
    }
    done.push(model);
  };
  MODELS.forEach(visit);
  return done;
}

/** Fills an instance with its items: each resource seeded (or given) after those it references. */
function fill(setup: Setup, ref: InstanceRef, items: SeedItems = {}): void {
  setup.store.addInstance(ref);
  const context = setup.context(ref);
  for (const model of seedOrder()) {
    const given = items[model.info.name];
    if (given === undefined) continue;
    if (typeof given !== 'number') {
      for (const item of given) setup.store.insert(ref, model.info.name, structuredClone(item as Item));
      continue;
    }
    const behaviour = setup.behaviours.get(model);
    if (behaviour?.seed) {
      behaviour.seed(context, model, given);
      continue;
    }
    const existing = (resource: string) => {
      const target = MODELS.get(resource)!;
      return (setup.store.items(ref, resource) ?? []).map((i) => i[target.info.id] as number);
    };
    const firstId = setup.store.nextId(model.info.name);
    const seeded = seedItems(model, given, { seed: setup.seed, firstId, existing });
    for (const item of seeded) setup.store.insert(ref, model.info.name, item);
  }
}

/** Everything a request needs, from the options. */
function configure(options: EmulatorOptions) {
  const seed = options.randomSeed ?? 1;
  const store = createStore((resource) => MODELS.get(resource)?.info.id ?? 'id');
  const jitter = createRandom(seed ^ 0x5eed);
  const latency = options.latencyMs;
  const now = options.now ?? Date.now;
  const harborStyle = options.harborStyle === true;
  const catalogue = options.replication?.catalogue ?? seedCatalogue();
  const behaviours = new Map<ResourceModel, Behaviour>();
  for (const model of MODELS.values()) {
    if (model.info.behaviour === 'replication')
      behaviours.set(model, createReplication(model, catalogue, createRandom(seed ^ 0xfa11), options.replication));
  }
  return {
    options,
    seed,
    store,
    behaviours,
    tokens: options.tokens ?? [{ token: EMULATOR_DEFAULTS.token }],
    credentials: options.credentials ?? [
      { accessKey: EMULATOR_DEFAULTS.accessKey, secretKey: EMULATOR_DEFAULTS.secretKey },
    ],
    faults: createFaults(options.faults, seed),
    keyOf: createKeyCache(),
    now,
    latency: () =>
      latency === undefined
        ? 0
        : typeof latency === 'number'
          ? latency
          : latency.min + jitter() * (latency.max - latency.min),
    resources: createResources({
      store,
      now,
      harborStyle,
    }),
    window: options.unstableOrder === true ? unstableWindow(createRandom(seed ^ 0x7a11)) : stableWindow,
    context: (ref: InstanceRef): ResourceContext => ({ store, ref, now, harborStyle }),
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

/** The gateway's checks and SWR's scoping: credentials (401), rights (403), project and instance (404). */
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
  if (!setup.store.hasInstance({ projectId: projectId!, instanceId: instanceId! }))
    return swrError(404, 'SVCSTG.SWR.4040002', `Instance ${instanceId} not found`);
  return undefined;
}

/** The operation's header parameters, read and checked as their schemas say (documented rules). */
function checkHeaders(op: Operation, exchange: Exchange): Answer | undefined {
  for (const p of parametersIn(op, 'header')) {
    const raw = headerReader(exchange.req.headers).get(p.name);
    if (raw === null) {
      if (p.required) return invalid(p.name, 'is required');
      continue;
    }
    const problem = check(p.schema, coerce(p.schema, raw), 'request', [p.name]).find((x) => x.guess === undefined);
    if (problem) return invalid(p.name, `${problem.rule} (got ${JSON.stringify(raw)})`);
  }
  return undefined;
}

/** The query parameters of an operation that lists nothing (a list checks its own, with its paging). */
function checkQuery(op: Operation, exchange: Exchange): Answer | undefined {
  if (op.pagination || parametersIn(op, 'query').length === 0) return undefined;
  const parsed = parseQueryString(op, exchange.url.search);
  if (!('error' in parsed)) return undefined;
  const { parameter, rule, raw } = parsed.error;
  return invalid(parameter, `${rule}${raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`}`);
}

/** What each operation does, once the gateway let the request through. */
async function operate(setup: Setup, exchange: Exchange, found: Route): Promise<Answer> {
  const ref = { projectId: found.params.project_id!, instanceId: found.params.instance_id! };
  const context = setup.context(ref);
  for (const behaviour of setup.behaviours.values()) behaviour.refresh?.(context);
  const op = found.operation;
  const refused = checkHeaders(op, exchange) ?? checkQuery(op, exchange);
  if (refused) return refused;
  const resolved = roleOf(op);
  if (!resolved) return swrError(501, 'SVCSTG.SWR.5010001', `${op.operationId} is not emulated`);
  const { model, role } = resolved;
  const request: ResourceRequest = { op, params: found.params, search: exchange.url.search, body: exchange.body };
  const behaviour = setup.behaviours.get(model);
  const scope = scopeOf(model, found.params);
  if (scope !== '' && model.scope.some((name) => !/^[1-9]\d{0,9}$/.test(found.params[name] ?? '')))
    return invalid(
      model.scope.find((name) => !/^[1-9]\d{0,9}$/.test(found.params[name] ?? ''))!,
      'must be a positive integer',
    );
  switch (role) {
    case 'list': {
      if (setup.options.onList) {
        const parsed = parseQueryString(op, exchange.url.search);
        if ('query' in parsed) await setup.options.onList({ ...ref, resource: model.info.name, query: parsed.query });
      }
      return setup.resources.list(model, ref, scope, exchange.url.search, setup.window);
    }
    case 'show':
      return single.show(context, model, request, (item) => setup.resources.text(model, item));
    case 'create':
      return behaviour?.create ? behaviour.create(context, model, request) : single.create(context, model, request);
    case 'update':
      return behaviour?.update ? behaviour.update(context, model, request) : single.update(context, model, request);
    default:
      return single.delete(context, model, request);
  }
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
  const projectId = options.projectId ?? EMULATOR_DEFAULTS.projectId;
  const instanceId = options.instanceId ?? EMULATOR_DEFAULTS.instanceId;
  fill(setup, { projectId, instanceId }, options.items);
  for (const extra of options.instances ?? []) fill(setup, extra, extra.items);
  const server = createHttpServer(
    { ...options, maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 },
    setup.stats,
    (exchange) => handle(setup, exchange),
  );
  const { url, port } = await listen(server, options.port, options.host);
  return {
    url,
    port,
    projectId,
    instanceId,
    token: setup.tokens[0]?.token ?? EMULATOR_DEFAULTS.token,
    credentials: setup.credentials[0] ?? {
      accessKey: EMULATOR_DEFAULTS.accessKey,
      secretKey: EMULATOR_DEFAULTS.secretKey,
    },
    store: setup.store,
    add(resource, fields = {}, where = { projectId, instanceId }) {
      const ref = { projectId: where.projectId, instanceId: where.instanceId };
      const model = MODELS.get(resource);
      if (!model)
        throw new Error(`the spec declares no resource "${resource}" (known: ${[...MODELS.keys()].join(', ')})`);
      const existing = (name: string) =>
        (setup.store.items(ref, name) ?? []).map((i) => i[MODELS.get(name)!.info.id] as number);
      const [seeded = {}] = seedItems(model, 1, { seed: setup.seed, firstId: setup.store.nextId(resource), existing });
      const now = timestamp(setup.now(), 0);
      const times = Object.fromEntries(
        Object.entries(model.info.set ?? {})
          .filter(([, how]) => how === 'created' || how === 'updated')
          .map(([field]) => [field, now]),
      );
      // An item only the service makes (a task) lives below its parents: `{ execution_id: 131 }`.
      const parents = Object.fromEntries(Object.entries(where.parents ?? {}).map(([k, v]) => [k, String(v)]));
      const scope = scopeOf(model, parents);
      return setup.store.insert(ref, resource, { ...seeded, ...times, ...structuredClone(fields) }, scope) as Stored<
        typeof resource
      >;
    },
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
