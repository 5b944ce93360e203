// One call of an operation of the runtime table: the one path every method of the client takes.
// The request is checked against the spec, then sent through openapi-fetch (so middleware added
// to `raw` sees it) with a per-request `fetch`, openapi-fetch's documented option, that hands the
// call's context (its deadline, signal and attempts) to the retrying fetch. The answer is read
// liberally and its differences from the spec reported, or its error built.
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { errorFromAnswer, kindOf, parseErrorBody, unusableAnswerError, type CallFacts } from '../errors.js';
import type { Redactor } from '../redact.js';
import { checkRequest, type RequestInput } from '../spec/check-request.js';
import type { Operation } from '../spec/table.js';
import { maskSensitive, type JsonSchema, type Problem } from '../spec/validate.js';
import { DeliveredResponse } from './delivered-response.js';
import { differencesOf, unusableReason, type Difference } from './read-answer.js';
import type { CallContext, RetryingFetch, SwrLogEvent } from './retrying-fetch.js';

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
  /**
   * How the answer differs from the spec, field by field (empty when it complies). Worked out
   * when first read unless the call had it worked out at once (strict mode, a logger, `eager`),
   * from the answer as it arrived: a body changed since does not change it.
   */
  readonly differences: Difference[];
}

export interface CallerSetup {
  raw: Client<paths>;
  transport: RetryingFetch;
  redactor: Redactor;
  strict: boolean;
  log: (event: SwrLogEvent) => void;
  /** Whether a logger listens, to be told of each difference. */
  logging: boolean;
}

// The table gives method and path at run time, so this one call cannot be typed statically; the
// client's methods built on it are typed by the generated types.
type DynamicRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ response: Response; data?: unknown; error?: unknown }>;

/** Adds every secret a request body carries (x-sensitive or write-only fields) to the redactor. */
function learnSecrets(schema: JsonSchema | undefined, body: unknown, redactor: Redactor): void {
  if (!schema || body === undefined) return;
  const add = (value: unknown): void => {
    if (typeof value === 'string') redactor.add(value, 'body');
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(add);
  };
  maskSensitive(schema, body, (secret) => (add(secret), secret));
}

/** Says each difference from the spec, and each guessed rule a request breaks, once per client (and field); then only counts. */
function createReporter(log: CallerSetup['log']) {
  const said = new Set<string>();
  const first = (key: string) => {
    if (said.has(key) || said.size >= 1000) return false;
    said.add(key);
    return true;
  };
  return {
    differences(op: Operation, differences: readonly Difference[], requestId: string | undefined) {
      for (const d of differences) {
        if (first(`d\u0000${op.operationId}\u0000${d.field}\u0000${d.kind}`))
          log({ type: 'difference', operationId: op.operationId, ...d, ...(requestId && { requestId }) });
      }
    },
    warnings(op: Operation, warnings: readonly Problem[]) {
      for (const w of warnings) {
        if (first(`w\u0000${op.operationId}\u0000${w.path}\u0000${w.rule}`))
          log({ type: 'warning', operationId: op.operationId, field: w.path, rule: w.rule, guess: w.guess! });
      }
    },
  };
}

type Sent = Awaited<ReturnType<DynamicRequest>>;
type Facts = CallFacts & { status: number };

/** Creates `call(operation, input, options, context?)` over a client's openapi-fetch instance and retrying fetch. */
export function createOperationCaller(setup: CallerSetup) {
  const report = createReporter(setup.log);
  const send = setup.raw.request as unknown as DynamicRequest;
  const { transport, redactor } = setup;

  return async function call(
    op: Operation,
    input: RequestInput,
    options: CallOptions = {},
    context: CallContext = transport.context(options.signal, true),
    eager = false,
  ): Promise<CallResult> {
    const checked = checkRequest(op, input, { strict: setup.strict });
    report.warnings(op, checked.warnings);
    learnSecrets(op.body?.schema, checked.body, redactor);
    context.json = true;
    let sent: Sent;
    try {
      sent = await send(op.method, op.path, {
        params: { path: checked.path, query: checked.query, header: checked.header },
        ...(checked.body !== undefined && { body: checked.body }),
        fetch: (request: Request) => transport.send(request, context),
      });
    } catch (error) {
      // openapi-fetch's own parse of an answer that middleware put in place of ours.
      if (!(error instanceof SyntaxError)) throw error;
      const facts = { method: op.method, path: op.path, attempts: context.attempts, status: 200 };
      throw unusableAnswerError(facts, op.operationId, 'the body is not valid JSON');
    }
    const facts = factsOf(op, sent.response, context, redactor);
    if (!sent.response.ok) throw await answerError(sent, facts, redactor);
    return success(op, sent, facts, checked.query, { ...setup, eager, report });
  };
}

/** What is known of a call once its answer is in: from the retrying fetch, or (a middleware's answer) from the answer. */
function factsOf(op: Operation, response: Response, context: CallContext, redactor: Redactor): Facts {
  const delivered = response instanceof DeliveredResponse ? response.facts : undefined;
  return {
    method: op.method,
    path: delivered?.path ?? op.path,
    attempts: context.attempts,
    requestId: delivered?.requestId ?? redacted(response.headers.get('x-request-id'), redactor),
    status: response.status,
  };
}

/** The error of an error answer, classified as the retry loop did (or, for a middleware's answer, afresh). */
async function answerError(sent: Sent, facts: Facts, redactor: Redactor) {
  const { response } = sent;
  const delivered = response instanceof DeliveredResponse ? response.facts : undefined;
  const text = delivered ? await response.text() : bodyText(sent.error);
  const verdict =
    delivered?.verdict.type === 'error'
      ? delivered.verdict
      : {
          kind: kindOf(response.status, parseErrorBody(text, response.headers.get('content-type')).errorCode),
          retryable: false,
        };
  const answer = { ...facts, statusText: response.statusText, headers: response.headers, text };
  return errorFromAnswer(answer, verdict, redactor.text);
}

/**
 * A success answer, read liberally: refused only when unusable (or, in strict mode, different
 * from the spec); its differences worked out at once when someone will want them, else when read.
 */
function success(
  op: Operation,
  sent: Sent,
  facts: Facts,
  query: Record<string, unknown>,
  how: { strict: boolean; logging: boolean; eager: boolean; report: ReturnType<typeof createReporter> },
): CallResult {
  const body = sent.data;
  const unusable = unusableReason(op, body, query);
  if (unusable) throw unusableAnswerError(facts, op.operationId, unusable);
  // The text the body was parsed from, to read the differences from later (a middleware's own
  // answer has none kept: its differences are read at once).
  const text = sent.response instanceof DeliveredResponse ? sent.response.readText : undefined;
  let differences = how.eager || how.strict || how.logging || text === undefined ? differencesOf(op, body) : undefined;
  if (how.strict && differences!.length > 0) {
    const words = differences!.map((d) => `\`${d.field}\` ${d.rule}`).join('; ');
    throw unusableAnswerError(facts, op.operationId, words);
  }
  if (how.logging) how.report.differences(op, differences!, facts.requestId);
  return {
    body,
    status: facts.status,
    requestId: facts.requestId,
    attempts: facts.attempts,
    get differences() {
      return (differences ??= differencesOf(op, text === '' ? undefined : JSON.parse(text!)));
    },
  };
}

export type OperationCaller = ReturnType<typeof createOperationCaller>;

function redacted(value: string | null, redactor: Redactor): string | undefined {
  return value === null ? undefined : redactor.text(value);
}

/** An error body as openapi-fetch read it (a middleware's answer): its text again. */
function bodyText(error: unknown): string {
  if (error === undefined) return '';
  return typeof error === 'string' ? error : JSON.stringify(error);
}
