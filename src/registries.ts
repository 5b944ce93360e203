// The operations on one registry, and create, over the generic call: each is a line or two, but
// for the create made safe to repeat (repeatable.ts, driven by the spec's x-conflict-lookup) and
// the delete whose retry finds the registry already gone.
import type { components, operations as Operations } from '../generated/schema.js';
import type { CallOptions, CallResult } from './call.js';
import type { CallMeta } from './client.js';
import { SwrApiError } from './errors.js';
import { checkRequest, itemParameter, operations, type RequestInput } from './operation.js';
import { repeatable } from './repeatable.js';

type Registry = components['schemas']['Registry'];
/** A registry to create, exactly as the spec names and types it. */
export type CreateRegistryBody = components['schemas']['CreateRegistryRequestBody'];
/** The whole new state of a registry (an update replaces; the secret is sent again). */
export type UpdateRegistryBody = components['schemas']['UpdateRegistryRequestBody'];
/** A registry's ID, as the path of ShowInstanceRegistry types it. */
export type RegistryId = Operations['ShowInstanceRegistry']['parameters']['path']['registry_id'];
type CreatedBody = components['schemas']['CreateInstanceRegistryResponse'];

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

const {
  ListInstanceRegistries: LIST,
  ShowInstanceRegistry: SHOW,
  CreateInstanceRegistry: CREATE,
  UpdateInstanceRegistry: UPDATE,
  DeleteInstanceRegistry: DELETE,
} = operations;
/** The path parameter that names one registry (`registry_id`). */
const ID = itemParameter(SHOW)!.name;
/** The list parameter that finds a create's unique field, as x-conflict-lookup and x-filter say. */
const LOOKUP = LIST.parameters.find((p) => p.filter?.field === CREATE.conflictLookup.field)!.name;

/** What the registry calls need of the client. */
export interface RegistryCallsSetup {
  call: (
    operation: (typeof operations)[keyof typeof operations],
    input: RequestInput,
    options?: CallOptions,
  ) => Promise<CallResult>;
  /** The path parameters of an instance. */
  path: (instanceId: string) => Record<string, string>;
  /** The walker over the list, for the lookup by name. */
  items: (
    instanceId: string,
    query: Record<string, unknown>,
    options: { signal?: AbortSignal },
  ) => AsyncGenerator<Registry>;
  /** Sends of a create in all: the retry policy's maxAttempts. */
  maxAttempts: number;
}

/** The call's meta, without the body and status. */
export const meta = ({ requestId, attempts, differences }: CallMeta): CallMeta => ({
  requestId,
  attempts,
  differences,
});
/** The meta of a call that ended in an error a method turned into a result. */
const metaOf = (error: SwrApiError): CallMeta => ({
  requestId: error.requestId,
  attempts: error.attempts,
  differences: [],
});

/** The registry whose unique field is exactly `value`: the list's filter may match more loosely. */
async function findBy(setup: RegistryCallsSetup, instanceId: string, value: unknown, signal: AbortSignal | undefined) {
  const { field } = CREATE.conflictLookup;
  for await (const registry of setup.items(instanceId, { [LOOKUP]: value }, { ...(signal && { signal }) })) {
    if ((registry as Record<string, unknown>)[field] === value) return registry as Record<string, unknown>;
  }
  return undefined;
}

/** getRegistry, createRegistry, updateRegistry and deleteRegistry over a client's call. */
export function createRegistryCalls(setup: RegistryCallsSetup) {
  const { call } = setup;
  const at = (instanceId: string, registryId: RegistryId) => ({ ...setup.path(instanceId), [ID]: registryId });

  return {
    async getRegistry(instanceId: string, registryId: RegistryId, options?: CallOptions): Promise<RegistryResult> {
      const result = await call(SHOW, { path: at(instanceId, registryId) }, options);
      return { ...(result.body as Registry), ...meta(result) };
    },

    async createRegistry(
      instanceId: string,
      body: CreateRegistryBody,
      options: CallOptions = {},
    ): Promise<CreateRegistryResult> {
      const input = { path: setup.path(instanceId), body };
      checkRequest(CREATE, input); // before the first send, and so before any lookup
      const done = await repeatable(
        {
          operation: CREATE,
          create: () => call(CREATE, input, options),
          find: (value) => findBy(setup, instanceId, value, options.signal),
          sends: setup.maxAttempts,
          signal: options.signal,
        },
        body,
      );
      if (done.outcome === 'created')
        return { ...(done.result.body as CreatedBody), ...meta(done.result), outcome: done.outcome };
      return { id: done.item.id as number, ...metaOf(done.error), outcome: done.outcome };
    },

    async updateRegistry(
      instanceId: string,
      registryId: RegistryId,
      body: UpdateRegistryBody,
      options?: CallOptions,
    ): Promise<CallMeta> {
      return meta(await call(UPDATE, { path: at(instanceId, registryId), body }, options));
    },

    async deleteRegistry(
      instanceId: string,
      registryId: RegistryId,
      options?: CallOptions,
    ): Promise<DeleteRegistryResult> {
      try {
        return { ...meta(await call(DELETE, { path: at(instanceId, registryId) }, options)), outcome: 'deleted' };
      } catch (error) {
        // A 404 after a retry: the first attempt deleted it, and only its answer was lost.
        if (error instanceof SwrApiError && error.kind === 'not_found' && error.attempts > 1)
          return { ...metaOf(error), outcome: 'gone' };
        throw error;
      }
    },
  };
}
