// The fetch beneath openapi-fetch: one logical request, several attempts. Each attempt is made by
// attempt.ts (credentials afresh, one timer, a size cap), classified by retry.ts, and retried
// after nextDelay while the policy, the deadline and the client's retry quota allow. An answer is
// handed on as a Response that can be read again (openapi-fetch and middleware read it), with
// what the loop learnt of it; a failure without an answer is thrown as a SwrApiError.
import { ReadResponse } from './answer.js';
import { attempt, type AttemptResult, type AttemptSetup } from './attempt.js';
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
  nextDelay,
  type RetryOptions,
  type RetryQuota,
  type ThrottleGate,
  type Verdict,
} from './retry.js';

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
  /** A fresh Response over the bytes that were read, so it can be read (again). */
  response: Response;
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
  signal: AbortSignal;
  deadline: number;
  facts: CallFacts;
  where: Where;
  json: boolean;
  idempotent: boolean;
  /** A 401 has had its one attempt with fresh credentials... */
  refreshed: boolean;
  /** ...and the next attempt is it. */
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

async function prepare(config: TransportConfig, request: Request, options: { json?: boolean }): Promise<Call> {
  const target: SignTarget = {
    method: request.method,
    url: request.url,
    headers: new Headers(request.headers),
    // Read once: every attempt sends (and signs) the same bytes.
    ...(request.body && { body: new Uint8Array(await request.arrayBuffer()) }),
  };
  return {
    config,
    target,
    signal: request.signal,
    deadline: Date.now() + config.retry.deadlineMs,
    facts: { method: target.method, path: pathOf(target.url), attempts: 0 },
    where: { host: new URL(target.url).host, timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes },
    json: options.json === true,
    idempotent: isIdempotent(target.method),
    refreshed: false,
    refresh: false,
    lastCost: undefined,
  };
}

async function runAttempt(call: Call): Promise<Step> {
  const { config } = call;
  call.facts.attempts += 1;
  const t0 = Date.now();
  call.where.timeoutMs = Math.max(1, Math.min(config.timeoutMs, call.deadline - t0));
  const result = await attempt(config, {
    target: call.target,
    timeoutMs: call.where.timeoutMs,
    signal: call.signal,
    refresh: call.refresh,
    json: call.json,
  });
  call.refresh = false;
  const verdict = classify(result.outcome, {
    ...config.retry,
    idempotent: call.idempotent,
    canRefresh: config.credentials.refreshable && !call.refreshed,
  });
  return { result, verdict, requestId: redactedId(result, config.redactor), t0 };
}

/** After an attempt: the answer to hand on, or how long to wait before the next attempt. Throws a failure. */
function decide(call: Call, step: Step): { delivery: Delivery } | { retryIn: number } {
  const { config } = call;
  const { verdict, result } = step;
  const facts = { ...call.facts, requestId: step.requestId };
  if (verdict.type === 'ok') {
    config.quota.succeeded(call.lastCost);
    log(call, step, 'ok');
    return { delivery: deliver(result, verdict, facts) };
  }
  if (verdict.type === 'refresh') {
    call.refreshed = call.refresh = true;
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
async function send(config: TransportConfig, request: Request, options: { json?: boolean } = {}): Promise<Delivery> {
  const call = await prepare(config, request, options);
  for (;;) {
    await pause(config.gate.wait(config.retry.random()), call.deadline, call.signal);
    const next = decide(call, await runAttempt(call));
    if ('delivery' in next) return next.delivery;
    await pause(next.retryIn, call.deadline, call.signal);
  }
}

/** Creates the retrying, authorising transport; `fetch` is the seam openapi-fetch calls. */
export function createTransport(config: TransportConfig) {
  return {
    send: (request: Request, options?: { json?: boolean }) => send(config, request, options),
    fetch: (request: Request) => send(config, request).then((delivery) => delivery.response),
  };
}

export type Transport = ReturnType<typeof createTransport>;

/** Where a call went: for the words of a network error or a timeout. */
interface Where {
  host: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** Path and query of a URL. */
function pathOf(url: string): string {
  return url.slice(url.indexOf('/', url.indexOf('//') + 2)) || '/';
}

function redactedId(result: AttemptResult, redactor: Redactor): string | undefined {
  const id = result.response?.headers.get('x-request-id') ?? result.errorFields?.requestId;
  return id === undefined || id === null ? undefined : redactor.text(id);
}

/** The answer as a Response that can be read again, with what the loop learnt of it. */
function deliver(result: AttemptResult, verdict: Verdict, facts: CallFacts): Delivery {
  const original = result.response!;
  const bytes = NULL_BODY.has(original.status) ? new Uint8Array(0) : result.body!;
  let response: Response;
  try {
    response = new ReadResponse(bytes, result.text, {
      status: original.status,
      statusText: original.statusText,
      headers: original.headers,
    });
  } catch {
    // A reason phrase that Response refuses: the status says all that matters.
    response = new ReadResponse(bytes, result.text, { status: original.status, headers: original.headers });
  }
  return {
    response,
    facts: { ...facts, status: original.status },
    verdict,
    ...(result.text !== undefined && { text: result.text }),
    ...('json' in result && { json: result.json }),
    ...(result.errorFields && { errorFields: result.errorFields }),
  };
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
function pause(ms: number, deadline: number, signal: AbortSignal): Promise<void> {
  const wait = Math.min(ms, Math.max(0, deadline - Date.now()));
  if (signal.aborted) return Promise.reject(signal.reason);
  if (wait <= 0) return Promise.resolve();
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
