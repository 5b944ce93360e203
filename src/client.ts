// createSwrClient: openapi-fetch over the generated `paths`, with the retrying, authorising fetch
// beneath it, input validation before it, and typed errors after it.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations as Operations, paths } from '../generated/schema.js';
import { createHeaderSigner, type AkSkCredentials, type SignTarget } from './auth/sign.js';
import { applyToken, type TokenSource } from './auth/token.js';
import { resolveEndpoint, type Region } from './endpoints.js';
import { errorFromAnswer, SwrApiError, SwrValidationError } from './errors.js';
import { createPaginator, type ListAllResult, type Page, type PageOptions } from './pagination.js';
import { createRedactor } from './redact.js';
import {
  ANSWER_SINK,
  createRetryingFetch,
  DEFAULT_RETRY,
  type AnswerSink,
  type RetryOptions,
  type SwrLogger,
} from './retry.js';
import { checkRequest, operations, readAnswer, type Difference } from './operation.js';
import { check } from './validate.js';

/** The query of ListInstanceRegistries, exactly as the spec names and types it. */
export type ListRegistriesQuery = NonNullable<Operations['ListInstanceRegistries']['parameters']['query']>;
/** One page as the service answers it. */
export type ListRegistriesBody = components['schemas']['ListInstanceRegistriesResponse'];

/** IAM token authentication: a token, or a function called before every attempt. */
export interface TokenAuth {
  token: TokenSource;
}

export interface SwrClientOptions {
  /** Region id, e.g. `cn-north-4`; or give `endpoint`. */
  region?: Region | (string & {});
  /** Explicit base URL, e.g. an emulator's; https unless loopback. */
  endpoint?: string;
  /** The IAM project (of the region) that owns the instances. */
  projectId: string;
  auth: TokenAuth | AkSkCredentials;
  /** Retry policy overrides, or `false` for a single attempt. */
  retry?: Partial<RetryOptions> | false;
  /** Per-attempt timeout in ms, body included (default 30 000). */
  timeoutMs?: number;
  /** The fetch to send with (default: the global one). */
  fetch?: typeof fetch;
  /** Sees every attempt: method, path, status, attempt, duration, redacted headers. */
  logger?: SwrLogger;
  /** Allows plain http to a non-loopback host; credentials then cross the network in clear. */
  dangerouslyAllowInsecureHttp?: boolean;
  /**
   * Turns an answer that differs from the spec (a field missing, null, of another type, a value
   * the spec does not list) into an `invalid_response` error. By default such an answer is
   * delivered as received and each difference is reported once through the logger.
   */
  strict?: boolean;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** One page, with the request id, the attempts it took and how it differs from the spec. */
export interface ListRegistriesResult extends ListRegistriesBody {
  requestId: string | undefined;
  attempts: number;
  /** How this answer differs from the spec, field by field (empty when it complies). */
  differences: Difference[];
}

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
  /** The typed openapi-fetch client, sharing auth, retries and timeouts, for anything else. */
  readonly raw: Client<paths>;
}

type Registry = components['schemas']['Registry'];
/** A query for the walkers: paging is theirs, so no offset or limit. */
export type PageQuery = Omit<ListRegistriesQuery, 'offset' | 'limit'>;

const LIST = operations.ListInstanceRegistries;
const NEVER_ABORTED = new AbortController().signal;

/**
 * What openapi-fetch builds for listRegistries' own GETs: just the fields the retry loop reads.
 * It is never sent as it is (each attempt is a fresh fetch), so a full WHATWG Request, about a
 * tenth of a loopback round trip to construct, would be built for nothing.
 */
class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly body = null;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = new Headers(init.headers);
    this.signal = init.signal ?? NEVER_ABORTED;
  }
}

/** Creates a client for one project in one region (or endpoint). */
export function createSwrClient(options: SwrClientOptions): SwrClient {
  if (options === null || typeof options !== 'object') throw new SwrValidationError('options', 'must be an object');
  const projectSchema = LIST.parameters.find((p) => p.name === 'project_id')!.schema;
  const [bad] = check(projectSchema, options.projectId, 'request', ['projectId']);
  if (bad || options.projectId === undefined) {
    throw new SwrValidationError('projectId', bad?.rule ?? 'is required', options.projectId);
  }
  const projectId = options.projectId;
  const endpoint = resolveEndpoint(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new SwrValidationError('timeoutMs', 'must be a positive number of milliseconds', timeoutMs);
  const retry = options.retry === false ? false : { ...DEFAULT_RETRY, ...options.retry };
  if (retry && (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1)) {
    throw new SwrValidationError('retry.maxAttempts', 'must be an integer of at least 1', retry.maxAttempts);
  }

  const redactor = createRedactor();
  const auth = options.auth as Partial<TokenAuth & AkSkCredentials> | undefined;
  let authorize: (target: SignTarget, context: { refresh: boolean }) => Promise<void>;
  let tokenProvider = false;
  if (auth && 'token' in auth) {
    const source = auth.token;
    if (typeof source === 'string') {
      if (source === '') throw new SwrValidationError('auth.token', 'must be a non-empty string or a function');
      redactor.add(source);
    } else if (typeof source !== 'function')
      throw new SwrValidationError('auth.token', 'must be a non-empty string or a function');
    tokenProvider = typeof source === 'function';
    authorize = async ({ headers }, { refresh }) => redactor.add(await applyToken(headers, source!, refresh));
  } else if (auth && ('accessKey' in auth || 'secretKey' in auth)) {
    if (typeof auth.accessKey !== 'string' || auth.accessKey === '')
      throw new SwrValidationError('auth.accessKey', 'must be a non-empty string');
    if (typeof auth.secretKey !== 'string' || auth.secretKey === '')
      throw new SwrValidationError('auth.secretKey', 'must be a non-empty string');
    if (auth.securityToken !== undefined && (typeof auth.securityToken !== 'string' || auth.securityToken === '')) {
      throw new SwrValidationError('auth.securityToken', 'must be a non-empty string when given');
    }
    redactor.add(auth.secretKey);
    redactor.add(auth.securityToken);
    authorize = createHeaderSigner(auth as AkSkCredentials, { projectId });
  } else {
    throw new SwrValidationError('auth', 'must be { token } or { accessKey, secretKey, securityToken? }');
  }

  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retryStatuses = retry ? retry.retryStatuses : DEFAULT_RETRY.retryStatuses;
  const raw = createClient<paths>({
    baseUrl: endpoint,
    fetch: createRetryingFetch({
      fetch: fetchImpl,
      retry,
      timeoutMs,
      authorize,
      refreshOn401: tokenProvider,
      redactor,
      logger: options.logger,
    }),
  });
  // Middleware added to `raw` must see real Request objects; until there is some, listRegistries
  // has openapi-fetch build a PlainRequest instead.
  let rawHasMiddleware = false;
  const use = raw.use.bind(raw);
  raw.use = (...middleware) => {
    rawHasMiddleware = true;
    use(...middleware);
  };

  const reported = new Set<string>();
  /** Each difference from the spec goes to the logger once per client, then only counts. */
  function report(operationId: string, differences: readonly Difference[], requestId: string | undefined) {
    for (const d of differences) {
      const key = `${operationId}\u0000${d.field}\u0000${d.kind}`;
      if (reported.has(key) || reported.size >= 1000) continue;
      reported.add(key);
      try {
        options.logger?.({ type: 'difference', operationId, ...d, ...(requestId && { requestId }) });
      } catch {
        // A logger's own failure never changes the outcome of a call.
      }
    }
  }

  async function listRegistries(
    instanceId: string,
    query: ListRegistriesQuery = {},
    call: CallOptions = {},
  ): Promise<ListRegistriesResult> {
    const checked = checkRequest(LIST, { path: { project_id: projectId, instance_id: instanceId }, query });
    const sink: AnswerSink = { attempts: 1, path: '' };
    const init = {
      params: { path: checked.path as { project_id: string; instance_id: string }, query: checked.query },
      parseAs: 'stream' as const,
      [ANSWER_SINK]: sink,
      ...(call.signal && { signal: call.signal }),
      ...(!rawHasMiddleware && { Request: PlainRequest as unknown as typeof Request }),
    };
    const { response } = await raw.GET(LIST.path, init);
    const facts = { method: 'GET', path: sink.path, attempts: sink.attempts };
    if (!response.ok) {
      throw errorFromAnswer({
        ...facts,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        text: sink.text ?? '',
        retryStatuses,
        redact: redactor.text,
      });
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const answer = readAnswer(LIST, sink.json);
    const problem =
      answer.unusable ??
      (options.strict && answer.differences.length > 0
        ? answer.differences.map((d) => `\`${d.field}\` ${d.rule}`).join('; ')
        : undefined);
    if (problem) {
      throw new SwrApiError({
        ...facts,
        kind: 'invalid_response',
        status: response.status,
        requestId,
        retryable: false,
        message: `SWR answered ${response.status} with a body that is not a ${LIST.operationId} response: ${problem}${requestId ? ` (request id ${requestId})` : ''}`,
      });
    }
    report(LIST.operationId, answer.differences, requestId);
    return {
      ...(sink.json as ListRegistriesBody),
      requestId,
      attempts: facts.attempts,
      differences: answer.differences,
    };
  }

  const paginator = createPaginator((instanceId, query, signal) => listRegistries(instanceId, query, { signal }));
  /** Checks a walker's arguments; paging belongs to the walker, so its parameters are refused. */
  const walkArgs = (instanceId: string, query: PageQuery = {}) => {
    for (const field of [LIST.pagination.offset, LIST.pagination.limit]) {
      if (query && field in query)
        throw new SwrValidationError(field, 'is chosen by the walker: use the pageSize option instead');
    }
    const checked = checkRequest(LIST, { path: { project_id: projectId, instance_id: instanceId }, query });
    return [checked.path.instance_id!, checked.query as PageQuery] as const;
  };
  return {
    endpoint,
    projectId,
    listRegistries,
    pages: (instanceId, query, pageOptions) => paginator.pages(...walkArgs(instanceId, query), pageOptions),
    registries: (instanceId, query, pageOptions) => paginator.items(...walkArgs(instanceId, query), pageOptions),
    listAllRegistries: async (instanceId, query, pageOptions) =>
      paginator.all(...walkArgs(instanceId, query), pageOptions),
    raw,
  };
}
