// createSwrClient: openapi-fetch over the generated `paths`, with the retrying, authorising fetch
// beneath it (its documented `fetch` option). Every operation of the spec is a method, named by
// its `x-method` and built here from the runtime table; every list operation gets its walkers
// (`x-walkers`). Code remains only for behaviour no spec states: the repeatable create
// (workflows/repeatable-create.ts), the walks (workflows/pagination.ts) and a delete whose retry
// finds its target already gone.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { resolveAuth } from './auth/credentials.js';
import type { CallMeta, FollowMethods, OperationMethods, WalkerMethods } from './client-types.js';
import { SwrApiError, SwrValidationError } from './errors.js';
import { resolveOptions, type ResolvedOptions, type SwrClientOptions } from './options.js';
import { createRedactor } from './redact.js';
import {
  createOperationCaller,
  type CallOptions,
  type CallResult,
  type OperationCaller,
} from './request/call-operation.js';
import { createRetryQuota, createThrottleGate } from './request/retry-policy.js';
import { createRetryingFetch, type CallContext, type RetryingFetch } from './request/retrying-fetch.js';
import { checkRequest, type RequestInput } from './spec/check-request.js';
import { operation, OPERATIONS, parametersIn, takesParams, type ListOperation, type Operation } from './spec/table.js';
import { follow, type FollowOptions } from './workflows/follow.js';
import { createPaginator, type PageOptions } from './workflows/pagination.js';
import { repeatable } from './workflows/repeatable-create.js';

export type { SwrClientOptions } from './options.js';
export type { CallOptions } from './request/call-operation.js';

/** The client: a method per operation of the spec, the walkers of each list, and openapi-fetch itself. */
export interface SwrClient extends OperationMethods, WalkerMethods, FollowMethods {
  readonly endpoint: string;
  readonly projectId: string;
  /** The typed openapi-fetch client, sharing auth, retries and timeouts, for anything else. */
  readonly raw: Client<paths>;
}

/** What the methods share: the call, the retrying fetch, the client's options. */
interface Machinery {
  call: OperationCaller;
  transport: RetryingFetch;
  options: ResolvedOptions;
  quota: ReturnType<typeof createRetryQuota>;
}

/** The call's meta, without the body and status. */
const meta = ({ requestId, attempts, differences }: CallMeta): CallMeta => ({ requestId, attempts, differences });
/** The meta of a call that ended in an error a method turned into a result. */
const metaOf = (error: SwrApiError): CallMeta => ({
  requestId: error.requestId,
  attempts: error.attempts,
  differences: [],
});

/**
 * A result: the answer's body (when it is an object) with the call's meta. The body is this
 * call's own parse, shared with no one, so the meta is set on it rather than on a copy; the
 * differences stay as the call keeps them, worked out when first read.
 */
function shape(result: CallResult): Record<string, unknown> {
  const body = result.body;
  const fields = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  fields.requestId = result.requestId;
  fields.attempts = result.attempts;
  return Object.defineProperty(fields, 'differences', {
    get: () => result.differences,
    enumerable: true,
    configurable: true,
  });
}

const OPTION_KEYS = new Set(['signal']);
/**
 * Whether an argument is the call's options rather than its parameters: an object of option
 * keys only, none of which is a parameter. So that a call written before the spec gave the
 * operation parameters (`getRegistry(i, 24, { signal })`) keeps its meaning after.
 */
function looksLikeOptions(op: Operation, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => OPTION_KEYS.has(k) && !op.parameters.some((p) => p.name === k));
}

/** What reading an operation's arguments needs, worked out once per operation. */
interface Signature {
  /** Path parameters that the client's options supply: `[project_id, projectId]`. */
  fromOptions: Array<[string, string]>;
  takesParams: boolean;
  headers: Set<string>;
}
const signatures = new WeakMap<Operation, Signature>();
function signatureOf(op: Operation): Signature {
  let signature = signatures.get(op);
  if (!signature) {
    const fromOptions = parametersIn(op, 'path').flatMap((p): Array<[string, string]> =>
      p.option ? [[p.name, p.option]] : [],
    );
    const headers = new Set(parametersIn(op, 'header').map((p) => p.name));
    signatures.set(op, (signature = { fromOptions, takesParams: takesParams(op), headers }));
  }
  return signature;
}

/** A method's arguments, read as the table says: path values in order, the body, the parameters, the options. */
function readArgs(op: Operation, projectOptions: Record<string, unknown>, args: readonly unknown[]) {
  const signature = signatureOf(op);
  const path: Record<string, unknown> = {};
  for (const [name, option] of signature.fromOptions) path[name] = projectOptions[option];
  for (let i = 0; i < op.args.length; i++) path[op.args[i]!] = args[i];
  let at = op.args.length;
  const body = op.body ? args[at++] : undefined;
  let params = signature.takesParams ? args[at++] : undefined;
  let options = args[at] as CallOptions | undefined;
  if (options === undefined && looksLikeOptions(op, params)) [params, options] = [undefined, params as CallOptions];
  checkOptions(op, options);
  return { input: { path, ...splitParams(op, params), ...(body !== undefined && { body }) }, options: options ?? {} };
}

/** A call's options: `{ signal }` and nothing else, so that parameters given where options go are not dropped in silence. */
function checkOptions(op: Operation, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new SwrValidationError('options', `must be an object of call options (${[...OPTION_KEYS].join(', ')})`);
  for (const key of Object.keys(options)) {
    if (OPTION_KEYS.has(key)) continue;
    const hint = takesParams(op) ? '' : `; ${op.operationId} takes no query or header parameters`;
    throw new SwrValidationError(
      `options.${key}`,
      `is not a call option (known: ${[...OPTION_KEYS].join(', ')})${hint}`,
    );
  }
}

/** A method's params object split into the query and header parameters the table names (others go to the query, to be refused there). */
function splitParams(op: Operation, params: unknown): { query?: unknown; header?: Record<string, unknown> } {
  if (params === undefined || params === null || typeof params !== 'object' || Array.isArray(params))
    return params === undefined ? {} : { query: params };
  const { headers } = signatureOf(op);
  if (headers.size === 0) return { query: params };
  const query: Record<string, unknown> = {};
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) (headers.has(k) ? header : query)[k] = v;
  return { query, header };
}

/** A plain method: one call, its body and meta. */
function plainMethod(op: Operation, m: Machinery, projectOptions: Record<string, unknown>) {
  return async (...args: unknown[]) => {
    const { input, options } = readArgs(op, projectOptions, args);
    return shape(await m.call(op, input, options));
  };
}

/** A delete: `gone` when a retry finds its target deleted (the first attempt's answer lost). */
function deleteMethod(op: Operation, m: Machinery, projectOptions: Record<string, unknown>) {
  return async (...args: unknown[]) => {
    const { input, options } = readArgs(op, projectOptions, args);
    try {
      return { ...shape(await m.call(op, input, options)), outcome: 'deleted' };
    } catch (error) {
      if (error instanceof SwrApiError && error.kind === 'not_found' && error.attempts > 1)
        return { ...metaOf(error), outcome: 'gone' };
      throw error;
    }
  };
}

/** The walkers of a list operation: pages, items, all, each with the path values first. */
function walkers(op: ListOperation, m: Machinery, projectOptions: Record<string, unknown>, deadline?: () => number) {
  const { offset, limit } = op.pagination;
  const start = (args: readonly unknown[]) => {
    const { input } = readArgs(op, projectOptions, args.slice(0, op.args.length));
    const params = args[op.args.length] ?? {};
    for (const field of [offset, limit]) {
      if (params !== null && typeof params === 'object' && field in params)
        throw new SwrValidationError(field, 'is chosen by the walker: use the pageSize option instead');
    }
    const walk = { ...input, ...splitParams(op, params) };
    checkRequest(op, walk, { strict: m.options.strict });
    const fetchPage = (query: Record<string, unknown>, signal: AbortSignal) => {
      const context: CallContext | undefined = deadline && { deadline: deadline(), signal, attempts: 0, json: true };
      return m.call(op, { ...walk, query }, { signal }, context, true).then((result) => {
        const body = (result.body ?? {}) as Record<string, unknown>;
        const total = body[op.pagination.total];
        return {
          items: body[op.pagination.items] as unknown[] | undefined,
          total: typeof total === 'number' ? total : undefined,
          requestId: result.requestId,
          differences: result.differences,
        };
      });
    };
    return {
      paginator: createPaginator(op, fetchPage),
      query: walk.query as Record<string, unknown>,
      options: args[op.args.length + 1] as PageOptions | undefined,
    };
  };
  return {
    pages: (...args: unknown[]) => {
      const w = start(args);
      return w.paginator.pages(w.query ?? {}, w.options);
    },
    items: (...args: unknown[]) => {
      const w = start(args);
      return w.paginator.items(w.query ?? {}, w.options);
    },
    all: async (...args: unknown[]) => {
      const w = start(args);
      return w.paginator.all(w.query ?? {}, w.options);
    },
  };
}

/**
 * A create made safe to repeat (`x-conflict-lookup`): after an unknown outcome or a conflict, it
 * looks the unique value up in its list before sending again. Sends and lookups share one deadline.
 */
function repeatableCreate(op: Operation, m: Machinery, projectOptions: Record<string, unknown>) {
  const lookup = op.conflictLookup!;
  const list = operation(lookup.operation) as ListOperation;
  const filter = list.parameters.find((p) => p.filter?.field === lookup.field)!.name;
  return async (...args: unknown[]) => {
    const { input, options } = readArgs(op, projectOptions, args);
    checkRequest(op, input, { strict: m.options.strict }); // before the first send, and so before any lookup
    const context = m.transport.context(options.signal, true);
    const walk = walkers(list, m, projectOptions, () => context.deadline);
    const done = await repeatable(
      {
        operation: op as Parameters<typeof repeatable>[0]['operation'],
        create: () => m.call(op, input, options, context),
        async find(value) {
          const listArgs = list.args.map((name) => (input.path as Record<string, unknown>)[name]);
          for await (const item of walk.items(
            ...listArgs,
            { [filter]: value },
            { ...(options.signal && { signal: options.signal }) },
          )) {
            const record = item as Record<string, unknown>;
            if (record[lookup.field] === value) return record;
          }
          return undefined;
        },
        context,
        maxAttempts: m.options.retry.maxAttempts,
        deadlineMs: m.options.retry.deadlineMs,
        quota: m.quota,
      },
      input.body as Record<string, unknown>,
    );
    if (done.outcome === 'created') return { ...shape(done.result), outcome: 'created' };
    const id = list.pagination.id;
    return { [id]: done.item[id], ...metaOf(done.error), outcome: 'found' };
  };
}

/**
 * A workflow (`x-follow`): the operation that starts something, then the list that shows it,
 * polled until it ends; the stop operation when the caller gives up and asks for it.
 */
function follower(op: Operation, m: Machinery, projectOptions: Record<string, unknown>) {
  const info = op.follow!;
  const list = operation(info.list) as ListOperation;
  const stop = info.stop === undefined ? undefined : operation(info.stop);
  return (...args: unknown[]) => {
    const { input } = readArgs(op, projectOptions, args.slice(0, op.args.length + 1));
    const options = (args[op.args.length + 1] ?? {}) as FollowOptions;
    const path = input.path as Record<string, unknown>;
    const pathOf = (target: Operation) => Object.fromEntries(target.args.map((name) => [name, path[name]]));
    return follow(
      info,
      {
        start: async () => shape(await m.call(op, input, { ...(options.signal && { signal: options.signal }) })),
        async page(query, signal) {
          const { body } = await m.call(
            list,
            { path: { ...path, ...pathOf(list) }, query },
            { ...(signal && { signal }) },
          );
          const answer = (body ?? {}) as Record<string, unknown>;
          const items = (answer[list.pagination.items] ?? answer[list.pagination.alias ?? '']) as unknown[] | undefined;
          const total = answer[list.pagination.total];
          return { items: Array.isArray(items) ? items : [], total: typeof total === 'number' ? total : undefined };
        },
        ...(stop && {
          stop: (id: unknown) => {
            const last = /\{([^}]+)\}$/.exec(stop.path)![1]!;
            return m.call(stop, { path: { ...path, [last]: id } });
          },
        }),
        paging: { offset: list.pagination.offset, limit: list.pagination.limit, id: list.pagination.id },
      },
      input.body as Record<string, unknown>,
      options,
    );
  };
}

/** Creates a client for one project in one region (or endpoint). */
export function createSwrClient(options: SwrClientOptions): SwrClient {
  const resolved = resolveOptions(options);
  const redactor = createRedactor();
  const credentials = resolveAuth(options.auth, { projectId: resolved.projectId, redactor });
  const quota = createRetryQuota(resolved.retry.retryQuota);
  const transport = createRetryingFetch({ ...resolved, credentials, redactor, quota, gate: createThrottleGate() });
  const raw = createClient<paths>({ baseUrl: resolved.endpoint, fetch: transport.fetch });
  const call = createOperationCaller({
    raw,
    transport,
    redactor,
    strict: resolved.strict,
    log: resolved.log,
    logging: resolved.logging,
  });
  const machinery: Machinery = { call, transport, options: resolved, quota };
  const projectOptions = { projectId: resolved.projectId };
  const client: Record<string, unknown> = { endpoint: resolved.endpoint, projectId: resolved.projectId, raw };
  for (const op of OPERATIONS) {
    client[op.name] = op.conflictLookup
      ? repeatableCreate(op, machinery, projectOptions)
      : op.method === 'DELETE'
        ? deleteMethod(op, machinery, projectOptions)
        : plainMethod(op, machinery, projectOptions);
    if (op.follow) client[op.follow.method] = follower(op, machinery, projectOptions);
    if (op.walkers && op.pagination) {
      const walk = walkers(op as ListOperation, machinery, projectOptions);
      for (const kind of ['items', 'pages', 'all'] as const) client[op.walkers[kind]] = walk[kind];
    }
  }
  return client as unknown as SwrClient;
}

export type { RequestInput };
