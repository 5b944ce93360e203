// createSwrClient: openapi-fetch over the generated `paths`, with the retrying, authorising
// transport beneath it (its documented `fetch` option), and the client's operations as thin calls
// of the generic machinery in call.ts.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations as Operations, paths } from '../generated/schema.js';
import { resolveAuth } from './auth/credentials.js';
import { createCaller, type CallOptions } from './call.js';
import { SwrValidationError } from './errors.js';
import { checkRequest, operations, type Difference } from './operation.js';
import { resolveOptions, type SwrClientOptions } from './options.js';
import { createPaginator, type ListAllResult, type Page, type PageOptions } from './pagination.js';
import { createRedactor } from './redact.js';
import {
  createRegistryCalls,
  meta,
  type CreateRegistryBody,
  type CreateRegistryResult,
  type DeleteRegistryResult,
  type RegistryId,
  type RegistryResult,
  type UpdateRegistryBody,
} from './registries.js';
import { createRetryQuota, createThrottleGate } from './retry.js';
import { createTransport } from './transport.js';

export type { CallOptions } from './call.js';
export type {
  CreateRegistryBody,
  CreateRegistryResult,
  DeleteRegistryResult,
  RegistryId,
  RegistryResult,
  UpdateRegistryBody,
} from './registries.js';
export type { SwrClientOptions } from './options.js';

/** The query of ListInstanceRegistries, exactly as the spec names and types it. */
export type ListRegistriesQuery = NonNullable<Operations['ListInstanceRegistries']['parameters']['query']>;
/** One page as the service answers it. */
export type ListRegistriesBody = components['schemas']['ListInstanceRegistriesResponse'];
type Registry = components['schemas']['Registry'];
/** A query for the walkers: paging is theirs, so no offset or limit. */
export type PageQuery = Omit<ListRegistriesQuery, 'offset' | 'limit'>;

/** What every result carries besides the body. */
export interface CallMeta {
  requestId: string | undefined;
  attempts: number;
  /** How the answer differs from the spec, field by field (empty when it complies). */
  differences: Difference[];
}

/** One page, with the request id, the attempts it took and how it differs from the spec. */
export type ListRegistriesResult = ListRegistriesBody & CallMeta;

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

const LIST = operations.ListInstanceRegistries;

/**
 * The openapi-fetch client, with its middleware counted as `use` and `eject` change it: the
 * client's operations go through openapi-fetch only while some middleware would see them.
 */
function withMiddlewareKept(client: Client<paths>) {
  const kept: Middleware[] = [];
  const raw: Client<paths> = {
    ...client,
    use(...middleware) {
      client.use(...middleware);
      kept.push(...middleware);
    },
    eject(...middleware) {
      client.eject(...middleware);
      for (const m of middleware) {
        const at = kept.indexOf(m);
        if (at !== -1) kept.splice(at, 1);
      }
    },
  };
  return { raw, hasMiddleware: () => kept.length > 0 };
}

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
  const { raw, hasMiddleware } = withMiddlewareKept(
    createClient<paths>({ baseUrl: resolved.endpoint, fetch: transport.fetch }),
  );
  const call = createCaller({ ...resolved, raw, hasMiddleware, transport, redactor });
  const path = (instanceId: string) => ({ project_id: projectId, instance_id: instanceId });
  async function listRegistries(instanceId: string, query: ListRegistriesQuery = {}, options: CallOptions = {}) {
    const result = await call(LIST, { path: path(instanceId), query }, options);
    return { ...(result.body as ListRegistriesBody), ...meta(result) };
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
  const single = createRegistryCalls({
    call,
    path,
    items: paginator.items,
    maxAttempts: resolved.retry.maxAttempts,
  });

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
    ...single,
    raw,
  };
}
