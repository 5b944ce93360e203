// The transport beneath the client: one logical request, several attempts. Each attempt is made
// by attempt.ts (credentials afresh, one timer, a size cap), classified by retry.ts, and retried
// after nextDelay while the policy, the deadline and the client's retry quota allow. An answer is
// delivered with what the loop learnt of it (to openapi-fetch and middleware as a Response that
// can be read again); a failure without an answer is thrown as a SwrApiError.
import { ReadResponse } from './answer.js';
import { attempt, type AttemptInput, type AttemptResult, type AttemptSetup } from './attempt.js';
import type { SignTarget } from './auth/sign.js';
import {
  errorFromAnswer,
  SwrApiError,
  tail,
  type CallFacts,
  type ErrorBodyFields,
  type SwrErrorKind,
} from './errors.js';
import type { Difference } from './operation.js';
import { redactHeaders, type Redactor } from './redact.js';
import {
  classify,
  isIdempotent,
  type ClassifyContext,
  nextDelay,
  type RetryOptions,
  type RetryQuota,
  type ThrottleGate,
  type Verdict,
} from './retry.js';
import { splitUrl } from './url.js';

/** One line per attempt for an optional logger; headers come redacted. */
export interface SwrAttemptEvent {
  type: 'attempt';
  method: string;
  path: string;
  attempt: number;
  outcome: 'ok' | 'retry' | 'error';
  status?: number;
  durationMs: number;
  requestId?: string;
  errorKind?: SwrErrorKind;
  retryInMs?: number;
  headers: Record<string, string>;
}

/** An answer that differs from the spec in a field: reported once per field and client. */
export interface SwrDifferenceEvent extends Difference {
  type: 'difference';
  operationId: string;
  requestId?: string;
}

export type SwrLogEvent = SwrAttemptEvent | SwrDifferenceEvent;
export type SwrLogger = (event: SwrLogEvent) => void;

export interface TransportConfig extends AttemptSetup {
  retry: RetryOptions;
  timeoutMs: number;
  redactor: Redactor;
  /** Never throws: the client wraps the user's logger. */
  log: (event: SwrLogEvent) => void;
  /** Whether anyone listens: without a logger, no event is even built. */
  logging: boolean;
  quota: RetryQuota;
  gate: ThrottleGate;
}

/** An answer handed on, with what the loop learnt of it. */
export interface Delivery {
  /** The answer as it arrived: status and headers; its body was read into `bytes`. */
  answer: Response;
  bytes: Uint8Array;
  facts: CallFacts & { status: number };
  verdict: Verdict;
  text?: string;
  json?: unknown;
  errorFields?: ErrorBodyFields;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** One logical request while its attempts go on. */
interface Call {
  config: TransportConfig;
  target: SignTarget;
  signal: AbortSignal | undefined;
  deadline: number;
  facts: CallFacts;
  where: Where;
  json: boolean;
  /** What classify needs; `canRefresh` turns false once a 401 has had its attempt with fresh credentials. */
  context: ClassifyContext;
  /** The next attempt is the one with fresh credentials. */
  refresh: boolean;
  /** What the last retry took from the quota. */
  lastCost: number | undefined;
}

/** One attempt and what it means. */
interface Step {
  result: AttemptResult;
  verdict: Verdict;
  requestId: string | undefined;
  t0: number;
}

/** What `send` needs besides the target. */
export interface SendOptions {
  /** Parse a 2xx body as JSON (the client's own operations). */
  json?: boolean;
  /** The caller's signal, if any. */
  signal?: AbortSignal | undefined;
}

function prepare(config: TransportConfig, target: SignTarget, options: SendOptions): Call {
  const { host, pathname, search } = splitUrl(target.url);
  return {
    config,
    target,
    signal: options.signal,
    deadline: Date.now() + config.retry.deadlineMs,
    facts: { method: target.method, path: pathname + search, attempts: 0 },
    where: { host, timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes },
    json: options.json === true,
    context: {
      retryStatuses: config.retry.retryStatuses,
      maxRetryAfterMs: config.retry.maxRetryAfterMs,
      idempotent: isIdempotent(target.method),
      canRefresh: config.credentials.refreshable,
    },
    refresh: false,
    lastCost: undefined,
  };
}

/** The next attempt's input: its share of the deadline, and fresh credentials after a 401. */
function nextAttempt(call: Call, t0: number): AttemptInput {
  const { config } = call;
  call.facts.attempts += 1;
  call.where.timeoutMs = Math.max(1, Math.min(config.timeoutMs, call.deadline - t0));
  const refresh = call.refresh;
  call.refresh = false;
  return { target: call.target, timeoutMs: call.where.timeoutMs, signal: call.signal, refresh, json: call.json };
}

/** After an attempt: the answer to hand on, or how long to wait before the next attempt. Throws a failure. */
function decide(call: Call, step: Step): { delivery: Delivery } | { retryIn: number } {
  const { config } = call;
  const { verdict, result } = step;
  const { method, path, attempts } = call.facts;
  const facts: CallFacts = { method, path, attempts, requestId: step.requestId };
  if (verdict.type === 'ok') {
    config.quota.succeeded(call.lastCost);
    log(call, step, 'ok');
    return { delivery: deliver(result, verdict, facts) };
  }
  if (verdict.type === 'refresh') {
    call.refresh = true;
    call.context.canRefresh = false;
    log(call, step, 'retry', 0);
    return { retryIn: 0 };
  }
  const delay = nextDelay(config.retry, verdict, call.facts.attempts - 1, config.retry.random);
  let stop: 'final' | 'deadline' | 'quota' | undefined =
    !verdict.retryable || call.facts.attempts >= config.retry.maxAttempts
      ? 'final'
      : Date.now() + delay >= call.deadline
        ? 'deadline'
        : undefined;
  call.lastCost = stop ? undefined : config.quota.take(verdict.kind);
  if (!stop && call.lastCost === undefined) stop = 'quota';
  if (stop) {
    log(call, step, 'error');
    return { delivery: finish(call, result, verdict, facts, stop) };
  }
  if (verdict.kind === 'throttled') config.gate.closeFor(delay);
  log(call, step, 'retry', delay);
  return { retryIn: delay };
}

/** Hands on an error answer, or throws for an outcome that has none a caller could read. */
function finish(
  call: Call,
  result: AttemptResult,
  verdict: Verdict & { type: 'error' },
  facts: CallFacts,
  stop: 'final' | 'deadline' | 'quota',
): Delivery {
  const { outcome } = result;
  if (outcome.type === 'answer' && outcome.status >= 400 && outcome.status <= 599) {
    return deliver(result, verdict, facts);
  }
  const error = failureError(result, verdict, facts, call.where, call.config.redactor);
  if (stop === 'final') throw error;
  throw error.with({
    message:
      stop === 'deadline'
        ? `${error.message}; gave up: another attempt would pass the ${call.config.retry.deadlineMs} ms deadline`
        : `${error.message}; not retried: the client's retry quota is spent (the service keeps failing)`,
  });
}

function log(call: Call, step: Step, outcome: SwrAttemptEvent['outcome'], retryInMs?: number): void {
  if (!call.config.logging) return;
  const status = step.result.outcome.type === 'answer' ? step.result.outcome.status : undefined;
  call.config.log({
    type: 'attempt',
    method: call.facts.method,
    path: call.facts.path,
    attempt: call.facts.attempts,
    outcome,
    durationMs: Date.now() - step.t0,
    headers: redactHeaders(call.target.headers),
    ...(status !== undefined && { status }),
    ...(step.requestId !== undefined && { requestId: step.requestId }),
    ...(step.verdict.type === 'error' && { errorKind: step.verdict.kind }),
    ...(retryInMs !== undefined && { retryInMs: Math.round(retryInMs) }),
  });
}

/** Sends one logical request: attempts, classified, retried while the policy allows. */
async function send(config: TransportConfig, target: SignTarget, options: SendOptions = {}): Promise<Delivery> {
  const call = prepare(config, target, options);
  for (;;) {
    // An open gate (almost always) costs no wait and no turn of the event loop.
    const closed = config.gate.wait(config.retry.random());
    if (closed > 0) await pause(closed, call.deadline, call.signal);
    else if (call.signal?.aborted) throw call.signal.reason;
    const t0 = Date.now();
    const result = await attempt(config, nextAttempt(call, t0));
    const verdict = classify(result.outcome, call.context);
    const next = decide(call, { result, verdict, requestId: redactedId(result, config.redactor), t0 });
    if ('delivery' in next) return next.delivery;
    await pause(next.retryIn, call.deadline, call.signal);
  }
}

/** A Request's parts as a target; its body read once, as every attempt sends (and signs) the same bytes. */
async function targetOf(request: Request): Promise<SignTarget> {
  return {
    method: request.method,
    url: request.url,
    headers: new Headers(request.headers),
    ...(request.body && { body: new Uint8Array(await request.arrayBuffer()) }),
  };
}

/**
 * Creates the retrying, authorising transport: `send` takes a target (the client's own
 * operations), `fetch` a Request (the seam openapi-fetch calls).
 */
export function createTransport(config: TransportConfig) {
  const sendRequest = async (request: Request, options?: { json?: boolean }) =>
    send(config, await targetOf(request), { ...options, signal: request.signal });
  return {
    send: (target: SignTarget, options?: SendOptions) => send(config, target, options),
    sendRequest,
    fetch: (request: Request) => sendRequest(request).then(readable),
  };
}

export type Transport = ReturnType<typeof createTransport>;

/** Where a call went: for the words of a network error or a timeout. */
interface Where {
  host: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

function redactedId(result: AttemptResult, redactor: Redactor): string | undefined {
  const id = result.response?.headers.get('x-request-id') ?? result.errorFields?.requestId;
  return id === undefined || id === null ? undefined : redactor.text(id);
}

/** The answer handed on, with what the loop learnt of it. */
function deliver(result: AttemptResult, verdict: Verdict, facts: CallFacts): Delivery {
  const answer = result.response!;
  // Fields set one by one, not spread in: this runs once per call.
  const delivery: Delivery = {
    answer,
    bytes: NULL_BODY.has(answer.status) ? new Uint8Array(0) : result.body!,
    facts: {
      method: facts.method,
      path: facts.path,
      attempts: facts.attempts,
      requestId: facts.requestId,
      status: answer.status,
    },
    verdict,
  };
  if (result.text !== undefined) delivery.text = result.text;
  if ('json' in result) delivery.json = result.json;
  if (result.errorFields) delivery.errorFields = result.errorFields;
  return delivery;
}

/** A delivered answer as a Response that can be read (again): for openapi-fetch, middleware and `raw`. */
export function readable(delivery: Delivery): Response {
  const { answer, bytes, text } = delivery;
  try {
    return new ReadResponse(bytes, text, {
      status: answer.status,
      statusText: answer.statusText,
      headers: answer.headers,
    });
  } catch {
    // A reason phrase that Response refuses: the status says all that matters.
    return new ReadResponse(bytes, text, { status: answer.status, headers: answer.headers });
  }
}

/** The error of a failure that left no readable answer: network, timeout, size, redirect, bad JSON. */
function failureError(
  result: AttemptResult,
  verdict: Verdict & { type: 'error' },
  facts: CallFacts,
  where: Where,
  redactor: Redactor,
): SwrApiError {
  const { outcome } = result;
  const status = outcome.type === 'answer' ? outcome.status : undefined;
  const base = { ...facts, status, kind: verdict.kind, retryable: verdict.retryable, cause: result.cause };
  const end = tail(facts);
  if (outcome.type === 'failure') {
    const message =
      outcome.failure === 'too_large'
        ? `SWR's answer from ${where.host} is larger than maxResponseBytes (${where.maxResponseBytes} bytes); reading stopped ${end}`
        : outcome.failure === 'malformed'
          ? `SWR's answer from ${where.host} is not valid HTTP: ${describeNetworkError(result.cause)} ${end}`
          : outcome.failure === 'timeout'
            ? `no complete answer from SWR at ${where.host} within ${where.timeoutMs} ms ${end}`
            : `network error talking to SWR at ${where.host}: ${describeNetworkError(result.cause)} ${end}`;
    return new SwrApiError({ ...base, message: redactor.text(message) });
  }
  const why =
    verdict.why === 'redirect'
      ? `SWR answered with a redirect (${status}), which is refused so credentials never reach another origin`
      : verdict.why === 'json'
        ? `SWR answered ${status} with a body that is not valid JSON (${result.text?.length ?? 0} characters; truncated?)`
        : `SWR answered with status ${status}, which HTTP does not define`;
  return new SwrApiError({ ...base, message: `${why} ${end}` });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause?.code ?? cause?.message;
  return detail && detail !== message ? `${message} (${detail})` : message;
}

/** Waits `ms` (no longer than the deadline allows), or rejects at once when the caller aborts. */
function pause(ms: number, deadline: number, signal: AbortSignal | undefined): Promise<void> {
  const wait = Math.min(ms, Math.max(0, deadline - Date.now()));
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (wait <= 0) return Promise.resolve();
  if (!signal) return new Promise((resolve) => setTimeout(resolve, wait));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, wait);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
