// One call of an operation of the runtime table, the generic machinery behind every method of the
// client: the request checked against the spec; sent through openapi-fetch while middleware has
// been added to `raw` (so it sees the request), with a per-call `fetch` (openapi-fetch's documented
// per-request option) that asks the transport for parsed JSON, or else straight to the transport,
// built as openapi-fetch would build it; then the answer read liberally, its differences
// reported, or the error built.
import { defaultBodySerializer, removeTrailingSlash, type Client } from 'openapi-fetch';
import type { SignTarget } from './auth/sign.js';
import type { paths } from '../generated/schema.js';
import { errorFromAnswer, parseErrorBody, SwrApiError, tail, type CallFacts } from './errors.js';
import {
  checkRequest,
  readAnswer,
  type CheckedRequest,
  type Difference,
  type Operation,
  type RequestInput,
} from './operation.js';
import type { Redactor } from './redact.js';
import { classify, isIdempotent, type RetryOptions, type Verdict } from './retry.js';
import { readable, type Delivery, type SwrLogEvent, type Transport } from './transport.js';
import { createUrlBuilder } from './url.js';
import { maskSensitive, type JsonSchema } from './validate.js';

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** A successful call: the body as it arrived, and what is known of the call. */
export interface CallResult {
  body: unknown;
  status: number;
  requestId: string | undefined;
  attempts: number;
  /** How the answer differs from the spec, field by field (empty when it complies). */
  differences: Difference[];
}

export interface CallerSetup {
  raw: Client<paths>;
  /** openapi-fetch's base URL. */
  endpoint: string;
  /** Whether middleware was added to `raw`: only then must a call go through openapi-fetch. */
  hasMiddleware: () => boolean;
  transport: Transport;
  redactor: Redactor;
  retry: RetryOptions;
  maxResponseBytes: number;
  strict: boolean;
  log: (event: SwrLogEvent) => void;
}

// The table gives method and path at run time, so this one call cannot be typed statically; the
// client's methods built on it are typed by the generated types.
type DynamicRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ response: Response; data?: unknown; error?: unknown }>;

const encoder = new TextEncoder();

/** Adds every secret a request body carries (x-sensitive fields) to the redactor. */
function learnSecrets(schema: JsonSchema | undefined, body: unknown, redactor: Redactor): void {
  if (schema && body !== undefined) maskSensitive(schema, body, (secret) => (redactor.add(secret, 'body'), secret));
}

/** Reports each difference from the spec to the logger once per client (and field and kind), then only counts it. */
function createReporter(log: CallerSetup['log']) {
  const reported = new Set<string>();
  return (operation: Operation, differences: readonly Difference[], requestId: string | undefined) => {
    for (const d of differences) {
      const key = `${operation.operationId}\u0000${d.field}\u0000${d.kind}`;
      if (reported.has(key) || reported.size >= 1000) continue;
      reported.add(key);
      log({ type: 'difference', operationId: operation.operationId, ...d, ...(requestId && { requestId }) });
    }
  };
}

/** What a call sent and got back: the answer, and the transport's delivery of it when it is that answer. */
interface Sent {
  response: Response;
  /** The transport's delivery, whatever middleware did with it. */
  captured: Delivery | undefined;
  /** The delivery, when `response` is its answer (no middleware answered or replaced it). */
  delivery: Delivery | undefined;
  data?: unknown;
  error?: unknown;
}

type Sender = (operation: Operation, checked: CheckedRequest, options: CallOptions) => Promise<Sent>;

/**
 * Sends through openapi-fetch, so middleware added to `raw` sees the request, with a per-call
 * `fetch` (its documented per-request option) that asks the transport for parsed JSON.
 */
function viaOpenapiFetch(setup: CallerSetup): Sender {
  const send = setup.raw.request as unknown as DynamicRequest;
  return async (operation, checked, options) => {
    let captured: Delivery | undefined;
    let handed: Response | undefined;
    const { response, data, error } = await send(operation.method, operation.path, {
      params: { path: checked.path, query: checked.query },
      ...(checked.body !== undefined && { body: checked.body }),
      // Text: served by the answer itself (answer.ts), with no stream made and nothing parsed twice.
      parseAs: 'text',
      fetch: (request: Request) =>
        setup.transport.sendRequest(request, { json: true }).then((delivery) => {
          captured = delivery;
          return (handed = readable(delivery));
        }),
      ...(options.signal && { signal: options.signal }),
    });
    // Middleware may have answered or replaced the answer: then it is read from scratch.
    return { response, data, error, captured, delivery: handed === response ? captured : undefined };
  };
}

/**
 * The request as openapi-fetch would make it (its own rules for URL, headers and body), for the
 * transport straight: with no middleware to see them, the Request and the readable Response that
 * openapi-fetch needs are not built (about a fifth of what a call adds to raw fetch; bench/, 3).
 */
function targetMaker(setup: CallerSetup) {
  const urlOf = createUrlBuilder(removeTrailingSlash(setup.endpoint));
  return (operation: Operation, checked: CheckedRequest): SignTarget => {
    const target: SignTarget = {
      method: operation.method.toUpperCase(),
      url: urlOf(operation.path, checked),
      headers: new Headers(),
    };
    if (checked.body !== undefined) {
      target.headers.set('content-type', 'application/json');
      target.body = encoder.encode(defaultBodySerializer(checked.body));
    }
    return target;
  };
}

const sentStraight = (delivery: Delivery): Sent => ({ response: delivery.answer, captured: delivery, delivery });

/** Creates `call(operation, input, options)` over a client's openapi-fetch instance and transport. */
export function createCaller(setup: CallerSetup) {
  const report = createReporter(setup.log);
  const [throughMiddleware, targetFor] = [viaOpenapiFetch(setup), targetMaker(setup)];

  return async function call(
    operation: Operation,
    input: RequestInput,
    options: CallOptions = {},
  ): Promise<CallResult> {
    const checked = checkRequest(operation, input);
    learnSecrets(operation.body?.schema, checked.body, setup.redactor);
    const sent = setup.hasMiddleware()
      ? await throughMiddleware(operation, checked, options)
      : sentStraight(await setup.transport.send(targetFor(operation, checked), { json: true, signal: options.signal }));
    const { response, captured, delivery } = sent;
    const facts: CallFacts = {
      method: operation.method,
      path: captured?.facts.path ?? operation.path,
      attempts: captured?.facts.attempts ?? 0,
      requestId: delivery?.facts.requestId ?? redacted(response.headers.get('x-request-id'), setup.redactor),
      status: response.status,
    };
    if (!response.ok) throw answerError(response, sent.error, delivery, facts, operation, setup);
    const body = delivery ? delivery.json : parseJson(sent.data, response, facts, setup.maxResponseBytes);
    const answer = readAnswer(operation, body, checked.query);
    const problem =
      answer.unusable ??
      (setup.strict && answer.differences.length > 0
        ? answer.differences.map((d) => `\`${d.field}\` ${d.rule}`).join('; ')
        : undefined);
    if (problem) {
      throw new SwrApiError({
        ...facts,
        kind: 'invalid_response',
        retryable: false,
        message: `SWR answered ${response.status} with a body that is not a ${operation.operationId} response: ${problem} ${tail(facts)}`,
      });
    }
    report(operation, answer.differences, facts.requestId);
    return {
      body,
      status: response.status,
      requestId: facts.requestId,
      attempts: facts.attempts,
      differences: answer.differences,
    };
  };
}

function redacted(value: string | null, redactor: Redactor): string | undefined {
  return value === null ? undefined : redactor.text(value);
}

/** The SwrApiError of an error answer, with the verdict the transport reached (or one reached now). */
function answerError(
  response: Response,
  error: unknown,
  delivery: Delivery | undefined,
  facts: CallFacts,
  operation: Operation,
  setup: CallerSetup,
): SwrApiError {
  const text = delivery?.text ?? (typeof error === 'string' ? error : error === undefined ? '' : JSON.stringify(error));
  const fields = delivery?.errorFields ?? parseErrorBody(text, response.headers.get('content-type'));
  const verdict: Verdict =
    delivery?.verdict ??
    classify(
      { type: 'answer', status: response.status, retryAfter: null, errorCode: fields.errorCode, json: 'not asked' },
      { ...setup.retry, idempotent: isIdempotent(operation.method), canRefresh: false },
    );
  const { kind, retryable } =
    verdict.type === 'error' ? verdict : { kind: 'invalid_response' as const, retryable: false };
  return errorFromAnswer(
    { ...facts, status: response.status, statusText: response.statusText, headers: response.headers, text, fields },
    { kind, retryable },
    setup.redactor.text,
  );
}

/** Parses a success body that middleware supplied (openapi-fetch read it as text): bounded, JSON or an invalid_response. */
function parseJson(data: unknown, response: Response, facts: CallFacts, max: number): unknown {
  const text = typeof data === 'string' ? data : '';
  const fail = (why: string, cause?: unknown) =>
    new SwrApiError({ ...facts, kind: 'invalid_response', retryable: false, cause, message: `${why} ${tail(facts)}` });
  if (text.length > max) throw fail(`SWR's answer is larger than maxResponseBytes (${max} bytes)`);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw fail(`SWR answered ${response.status} with a body that is not valid JSON (${text.length} characters)`, cause);
  }
}
