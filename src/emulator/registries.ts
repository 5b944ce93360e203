// The operations on one registry, and create: a real store behind them, so that what create,
// update and delete do is what list and show answer next. Bodies and path parameters are checked
// with the same validator and rules as the client's, and refused as SWR does: 400 naming the
// field. The statuses and codes the service's documents leave open are guesses, and say so:
// 404 `SVCSTG.SWR.4040003` for an unknown registry, 409 `SVCSTG.SWR.4090001` for a taken name.
import type { Registry } from '../../generated/schema.js';
import { itemParameter, operations, type Operation } from '../operation.js';
import { check, coerce, resolve } from '../validate.js';
import { swrError, type Answer } from './errors.js';
import { timestamp, type EmulatorStore, type InstanceRef } from './store.js';

const CREATE = operations.CreateInstanceRegistry;
/** The create's unique field (`name`), as x-conflict-lookup states it. */
const UNIQUE = CREATE.conflictLookup.field;

/** What a registry operation works on. */
export interface RegistryContext {
  store: EmulatorStore;
  ref: InstanceRef;
  /** A stored registry as the service answers it (secrets blanked). */
  render: (registry: Registry) => Registry;
  now: () => number;
}

/** A request to one of these operations, read: its path parameters and raw body. */
export interface RegistryRequest {
  operation: Operation;
  params: Record<string, string>;
  body: Uint8Array;
}

/**
 * A registry's health as the emulator derives it, so that tests can see both values: a URL whose
 * host ends in `.invalid` (RFC 2606: a name that can never resolve) is `unhealthy`, any other
 * `healthy`. The service instead probes the registry now and then.
 */
export function statusOf(url: string): NonNullable<Registry['status']> {
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    return 'unhealthy';
  }
  return host === 'invalid' || host.endsWith('.invalid') ? 'unhealthy' : 'healthy';
}

const invalid = (field: string, rule: string): Answer =>
  swrError(400, 'SVCSTG.SWR.4000014', `Invalid parameter ${field}: ${rule}`);
const noSuchRegistry = (id: number): Answer => swrError(404, 'SVCSTG.SWR.4040003', `Registry ${id} not found`);

/** The item's ID from the path (`registry_id`), read and checked as its schema says. */
function itemIdOf(request: RegistryRequest): number | Answer | undefined {
  const parameter = itemParameter(request.operation);
  if (!parameter) return undefined;
  const value = coerce(parameter.schema, request.params[parameter.name] ?? '');
  const [problem] = check(parameter.schema, value, 'request', [parameter.name]);
  return problem ? invalid(problem.path, problem.rule) : (value as number);
}

/** The request body, parsed and checked against the operation's schema. */
function bodyOf(request: RegistryRequest): Record<string, unknown> | Answer {
  const schema = request.operation.body!.schema;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(request.body));
  } catch {
    return invalid('body', request.body.byteLength === 0 ? 'is required' : 'must be a JSON object');
  }
  const [problem] = check(schema, body, 'request');
  return problem ? invalid(problem.path || 'body', problem.rule) : (body as Record<string, unknown>);
}

const isAnswer = (value: unknown): value is Answer =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  typeof (value as Answer).status === 'number' &&
  'body' in value;

// SWR answers a string field that was not given as an empty string (its reference page's example
// has `description`, `region_id` and `instance_id` so): the body's optional string fields.
const BLANKS = Object.fromEntries(
  Object.entries(resolve(CREATE.body.schema).properties ?? {})
    .filter(
      ([name, field]) => resolve(field).type === 'string' && !resolve(CREATE.body.schema).required?.includes(name),
    )
    .map(([name]) => [name, '']),
);

/** A registry as a body describes it, with the fields only the service sets. */
function stored(id: number, body: Record<string, unknown>, created: string, now: string): Registry {
  const registry = { ...BLANKS, ...body, id } as Registry;
  return { ...registry, status: statusOf(registry.url), created_at: created, updated_at: now };
}

/** 409 when another registry of the instance already holds the unique value. */
function taken(context: RegistryContext, body: Record<string, unknown>, except?: number): Answer | undefined {
  const value = body[UNIQUE];
  const holder = context.store
    .view(context.ref)
    ?.list.find((r) => r.id !== except && (r as Record<string, unknown>)[UNIQUE] === value);
  if (!holder) return undefined;
  return swrError(409, 'SVCSTG.SWR.4090001', `Registry ${UNIQUE} ${String(value)} already exists in this instance`);
}

type Handler = (context: RegistryContext, request: RegistryRequest, id: number) => Answer;

const empty = (status: number): Answer => ({ status, body: {}, text: '' });
const now = (context: RegistryContext) => timestamp(context.now(), (context.now() % 1000) * 1000);

const HANDLERS: Partial<Record<keyof typeof operations, Handler>> = {
  ShowInstanceRegistry(context, _request, id) {
    const registry = context.store.registry(context.ref, id);
    return registry ? { status: 200, body: context.render(registry) } : noSuchRegistry(id);
  },
  CreateInstanceRegistry(context, request) {
    const body = bodyOf(request);
    if (isAnswer(body)) return body;
    const conflict = taken(context, body);
    if (conflict) return conflict;
    const at = now(context);
    const registry = context.store.insertRegistry(context.ref, (id) => stored(id, body, at, at));
    return { status: request.operation.response.status, body: { id: registry.id } };
  },
  UpdateInstanceRegistry(context, request, id) {
    const old = context.store.registry(context.ref, id);
    if (!old) return noSuchRegistry(id);
    const body = bodyOf(request);
    if (isAnswer(body)) return body;
    const conflict = taken(context, body, id);
    if (conflict) return conflict;
    context.store.replaceRegistry(context.ref, stored(id, body, old.created_at ?? now(context), now(context)));
    return empty(request.operation.response.status);
  },
  DeleteInstanceRegistry(context, request, id) {
    return context.store.removeRegistry(context.ref, id)
      ? empty(request.operation.response.status)
      : noSuchRegistry(id);
  },
};

/** Answers a registry operation, or undefined when the operation is not one of them (list). */
export function registryOperation(context: RegistryContext, request: RegistryRequest): Answer | undefined {
  const handler = HANDLERS[request.operation.operationId];
  if (!handler) return undefined;
  const id = itemIdOf(request);
  if (id !== undefined && isAnswer(id)) return id;
  return handler(context, request, id ?? 0);
}
