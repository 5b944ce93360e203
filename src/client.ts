// createSwrClient: openapi-fetch over the generated `paths`, with the retrying, authorising
// transport beneath it (its documented `fetch` option), and the client's operations as thin calls
// of the generic machinery in call.ts.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations as Operations, paths } from '../generated/schema.js';
import { resolveAuth } from './auth/credentials.js';
import { createCaller, type CallOptions } from './call.js';
import { SwrApiError, SwrValidationError } from './errors.js';
import { checkRequest, operations, type Difference } from './operation.js';
import { resolveOptions, type SwrClientOptions } from './options.js';
import { createPaginator, type ListAllResult, type Page, type PageOptions } from './pagination.js';
import { createRedactor } from './redact.js';
import { repeatable } from './repeatable.js';
import { createRetryQuota, createThrottleGate } from './retry.js';
import { createTransport } from './transport.js';

export type { CallOptions } from './call.js';
export type { SwrClientOptions } from './options.js';

/** The query of ListInstanceRegistries, exactly as the spec names and types it. */
export type ListRegistriesQuery = NonNullable<Operations['ListInstanceRegistries']['parameters']['query']>;
/** One page as the service answers it. */
export type ListRegistriesBody = components['schemas']['ListInstanceRegistriesResponse'];
type Registry = components['schemas']['Registry'];
/** A query for the walkers: paging is theirs, so no offset or limit. */
export type PageQuery = Omit<ListRegistriesQuery, 'offset' | 'limit'>;
/** A registry to create, exactly as the spec names and types it. */
export type CreateRegistryBody = components['schemas']['CreateRegistryRequestBody'];
/** The whole new state of a registry (an update replaces; the secret is sent again). */
export type UpdateRegistryBody = components['schemas']['UpdateRegistryRequestBody'];
/** A registry's ID, as the path of ShowInstanceRegistry types it. */
export type RegistryId = Operations['ShowInstanceRegistry']['parameters']['path']['registry_id'];
type CreatedBody = components['schemas']['CreateInstanceRegistryResponse'];

/** What every result carries besides the body. */
export interface CallMeta {
  requestId: string | undefined;
  attempts: number;
  /** How the answer differs from the spec, field by field (empty when it complies). */
  differences: Difference[];
}

/** One page, with the request id, the attempts it took and how it differs from the spec. */
export type ListRegistriesResult = ListRegistriesBody & CallMeta;
/** One registry, with what is known of the call. */
export type RegistryResult = Registry & CallMeta;
/**
 * A created registry's ID. `outcome` is `found` when the name was taken by a registry with the
 * same settings (made by an earlier attempt whose answer was lost, or there before): that one's
 * ID is returned rather than a second registry made. The call meta are then the failed create's.
 */
export type CreateRegistryResult = CreatedBody & CallMeta & { outcome: 'created' | 'found' };
/** A deleted registry. `outcome` is `gone` when a retried delete found it already deleted (by its own first attempt). */
export type DeleteRegistryResult = CallMeta & { outcome: 'deleted' | 'gone' };

export interface SwrClient {
  readonly endpoint: string;
  readonly projectId: string;
  /** One page of an instance's replication target registries. */
  listRegistries(instanceId: string, query?: ListRegistriesQuery, options?: CallOptions): Promise<ListRegistriesResult>;
  /** Every page, in order; concurrent after the first. */
  pages(instanceId: string, query?: PageQuery, options?: PageOptions): AsyncGenerator<Page>;
  /** Every registry, in order. */
  registries(instanceId: string, query?: PageQuery, options?: PageOptions): AsyncGenerator<Registry>;
  /** Every registry, collected, with what the walk observed. */
  listAllRegistries(instanceId: string, query?: PageQuery, options?: PageOptions): Promise<ListAllResult>;
  /** One registry by ID. */
  getRegistry(instanceId: string, registryId: RegistryId, options?: CallOptions): Promise<RegistryResult>;
  /** Creates a registry; safe to repeat (see CreateRegistryResult). The body is checked against every rule first. */
  createRegistry(instanceId: string, body: CreateRegistryBody, options?: CallOptions): Promise<CreateRegistryResult>;
  /** Replaces a registry's settings with `body`. */
  updateRegistry(
    instanceId: string,
    registryId: RegistryId,
    body: UpdateRegistryBody,
    options?: CallOptions,
  ): Promise<CallMeta>;
  /** Deletes a registry. */
  deleteRegistry(instanceId: string, registryId: RegistryId, options?: CallOptions): Promise<DeleteRegistryResult>;
  /** The typed openapi-fetch client, sharing auth, retries and timeouts, for anything else. */
  readonly raw: Client<paths>;
}

const {
  ListInstanceRegistries: LIST,
  ShowInstanceRegistry: SHOW,
  CreateInstanceRegistry: CREATE,
  UpdateInstanceRegistry: UPDATE,
  DeleteInstanceRegistry: DELETE,
} = operations;
/** The list parameter that finds a create's unique field, as x-conflict-lookup and x-filter say. */
const LOOKUP = LIST.parameters.find((p) => p.filter?.field === CREATE.conflictLookup.field)!.name;

/** Creates a client for one project in one region (or endpoint). */
export function createSwrClient(options: SwrClientOptions): SwrClient {
  const resolved = resolveOptions(options);
  const { projectId } = resolved;
  const redactor = createRedactor();
  const credentials = resolveAuth(options.auth, { projectId, redactor });
  const transport = createTransport({
    ...resolved,
    credentials,
    redactor,
    quota: createRetryQuota(resolved.retry.retryQuota),
    gate: createThrottleGate(),
  });
  const raw = createClient<paths>({ baseUrl: resolved.endpoint, fetch: transport.fetch });
  const call = createCaller({ ...resolved, raw, transport, redactor });
  const path = (instanceId: string) => ({ project_id: projectId, instance_id: instanceId });
  const registryPath = (instanceId: string, registryId: RegistryId) => ({
    ...path(instanceId),
    registry_id: registryId,
  });
  /** The call's meta, without the body and status. */
  const meta = ({ requestId, attempts, differences }: CallMeta): CallMeta => ({ requestId, attempts, differences });

  async function listRegistries(instanceId: string, query: ListRegistriesQuery = {}, options: CallOptions = {}) {
    const { body, status: _status, ...meta } = await call(LIST, { path: path(instanceId), query }, options);
    return { ...(body as ListRegistriesBody), ...meta };
  }

  const paginator = createPaginator((instanceId, query, signal) => listRegistries(instanceId, query, { signal }));
  /** Checks a walker's arguments before it starts; paging belongs to the walker, so its parameters are refused. */
  const checkWalk = (instanceId: string, query: PageQuery) => {
    for (const field of [LIST.pagination.offset, LIST.pagination.limit]) {
      if (query && field in query)
        throw new SwrValidationError(field, 'is chosen by the walker: use the pageSize option instead');
    }
    checkRequest(LIST, { path: path(instanceId), query });
  };
  /** The registry whose unique field is exactly `value`: the list's filter may match more loosely. */
  async function findBy(instanceId: string, value: unknown, signal: AbortSignal | undefined) {
    const { field } = CREATE.conflictLookup;
    for await (const registry of paginator.items(instanceId, { [LOOKUP]: value }, { ...(signal && { signal }) })) {
      if ((registry as Record<string, unknown>)[field] === value) return registry as Record<string, unknown>;
    }
    return undefined;
  }

  async function createRegistry(instanceId: string, body: CreateRegistryBody, options: CallOptions = {}) {
    const input = { path: path(instanceId), body };
    checkRequest(CREATE, input); // before the first send, and so before any lookup
    const done = await repeatable(
      {
        operation: CREATE,
        create: () => call(CREATE, input, options),
        find: (value) => findBy(instanceId, value, options.signal),
        sends: resolved.retry.maxAttempts,
        signal: options.signal,
      },
      body,
    );
    if (done.outcome === 'created')
      return { ...(done.result.body as CreatedBody), ...meta(done.result), outcome: done.outcome };
    return {
      id: done.item.id as number,
      ...meta({ requestId: done.error.requestId, attempts: done.error.attempts, differences: [] }),
      outcome: done.outcome,
    };
  }

  async function deleteRegistry(instanceId: string, registryId: RegistryId, options: CallOptions = {}) {
    try {
      return {
        ...meta(await call(DELETE, { path: registryPath(instanceId, registryId) }, options)),
        outcome: 'deleted' as const,
      };
    } catch (error) {
      // A 404 after a retry: the first attempt deleted it, and only its answer was lost.
      if (error instanceof SwrApiError && error.kind === 'not_found' && error.attempts > 1)
        return {
          ...meta({ requestId: error.requestId, attempts: error.attempts, differences: [] }),
          outcome: 'gone' as const,
        };
      throw error;
    }
  }

  return {
    endpoint: resolved.endpoint,
    projectId,
    listRegistries,
    pages: (instanceId, query = {}, options) => (
      checkWalk(instanceId, query),
      paginator.pages(instanceId, query, options)
    ),
    registries: (instanceId, query = {}, options) => (
      checkWalk(instanceId, query),
      paginator.items(instanceId, query, options)
    ),
    listAllRegistries: async (instanceId, query = {}, options) => (
      checkWalk(instanceId, query),
      paginator.all(instanceId, query, options)
    ),
    getRegistry: async (instanceId, registryId, options) => {
      const result = await call(SHOW, { path: registryPath(instanceId, registryId) }, options);
      return { ...(result.body as Registry), ...meta(result) };
    },
    createRegistry,
    updateRegistry: async (instanceId, registryId, body, options) =>
      meta(await call(UPDATE, { path: registryPath(instanceId, registryId), body }, options)),
    deleteRegistry,
    raw,
  };
}
