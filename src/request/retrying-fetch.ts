// The fetch that openapi-fetch calls (its documented `fetch` option): one logical request, several
// attempts. Each attempt is made by send-attempt.ts (credentials afresh, one timer, a size cap)
// and classified by retry-policy.ts; the next one waits its backoff while the policy, the call's
// deadline and the client's retry quota allow. An answer is handed back as a DeliveredResponse
// carrying what the loop learnt of it; a failure without an answer is thrown as an SwrApiError.
//
// A logical call may be more than one request (a create sent again after an ambiguous failure):
// its CallContext, passed by call-operation.ts through openapi-fetch's per-request `fetch`,
// carries one deadline and one attempt count across all of them.
import type { SignTarget } from '../auth/sign.js';
import { splitUrl } from '../auth/canonical.js';
import { errorFromFailure, stoppedError, type CallFacts, type Failure, type SwrErrorKind } from '../errors.js';
import { redactHeaders, type Redactor } from '../redact.js';
import { deliver, type DeliveredResponse } from './delivered-response.js';
import {
  classify,
  isIdempotent,
  nextDelay,
  type ClassifyContext,
  type RetryOptions,
  type RetryQuota,
  type ThrottleGate,
  type Verdict,
} from './retry-policy.js';
import { sendAttempt, type AttemptResult, type AttemptSetup } from './send-attempt.js';
import type { Difference } from './read-answer.js';

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

/** A request that breaks a rule we only guessed (`x-guess`): sent all the same, and said once per field. */
export interface SwrWarningEvent {
  type: 'warning';
  operationId: string;
  field: string;
  rule: string;
  /** Why the rule is only a guess. */
  guess: string;
}

export type SwrLogEvent = SwrAttemptEvent | SwrDifferenceEvent | SwrWarningEvent;
export type SwrLogger = (event: SwrLogEvent) => void;

export interface RetryingFetchConfig extends AttemptSetup {
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

/** One logical call: its deadline, its signal, and the attempts it has made over all its requests. */
export interface CallContext {
  /** When the call must be over, in ms since the epoch. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  /** Attempts so far, over every request of the call. */
  attempts: number;
  /** Parse a 2xx body as JSON here, so that one cut short is a failure the policy can retry. */
  json: boolean;
}

/** One request while its attempts go on. */
interface Call {
  target: SignTarget;
  context: CallContext;
  facts: CallFacts;
  host: string;
  /** What classify needs; `canRefresh` turns false once a 401 has had its attempt with fresh credentials. */
  policy: ClassifyContext;
  /** The next attempt is the one with fresh credentials. */
  refresh: boolean;
  /** What the last retry took from the quota. */
  lastCost: number | undefined;
  /** The last attempt's timeout, for the words of a timeout. */
  timeoutMs: number;
}

/** A Request's parts as a target: its own headers (each attempt sets its credentials there), its body read once. */
async function targetOf(request: Request): Promise<SignTarget> {
  const target: SignTarget = { method: request.method, url: request.url, headers: request.headers };
  if (request.body) target.body = new Uint8Array(await request.arrayBuffer());
  return target;
}

/** The retrying, authorising fetch of one client (as smithy's StandardRetryStrategy, one per client). */
export class RetryingFetch {
  readonly #config: RetryingFetchConfig;

  constructor(config: RetryingFetchConfig) {
    this.#config = config;
  }

  /** A new logical call. */
  context(signal: AbortSignal | undefined, json = false): CallContext {
    return { deadline: Date.now() + this.#config.retry.deadlineMs, signal, attempts: 0, json };
  }

  /** The client-level fetch: each request a logical call of its own (`raw` calls). */
  readonly fetch = (request: Request): Promise<Response> => this.send(request, this.context(request.signal));

  /** Sends one request of a logical call: attempts, classified, retried while the policy allows. */
  async send(request: Request, context: CallContext): Promise<Response> {
    const config = this.#config;
    const call = await this.#start(request, context);
    const { signal } = context;
    for (;;) {
      // An open gate (almost always) costs no wait and no turn of the event loop.
      const closed = config.gate.wait(config.retry.random());
      if (closed > 0) await pause(closed, context.deadline, signal);
      else if (signal?.aborted) throw signal.reason;
      const t0 = Date.now();
      call.timeoutMs = Math.max(1, Math.min(config.timeoutMs, context.deadline - t0));
      const refresh = call.refresh;
      call.refresh = false;
      context.attempts += 1;
      const result = await sendAttempt(config, {
        target: call.target,
        timeoutMs: call.timeoutMs,
        signal,
        refresh,
        json: context.json,
      });
      const id = result.response?.headers.get('x-request-id');
      call.facts.requestId = id === undefined || id === null ? undefined : config.redactor.text(id);
      const next = this.#decide(call, result, classify(result.outcome, call.policy), t0);
      if (typeof next !== 'number') return next;
      await pause(next, context.deadline, signal);
    }
  }

  /** A request's bookkeeping, before its first attempt. */
  async #start(request: Request, context: CallContext): Promise<Call> {
    const target = await targetOf(request);
    const { host, pathname, search } = splitUrl(target.url);
    const { retry, timeoutMs, credentials } = this.#config;
    return {
      target,
      context,
      facts: { method: target.method, path: pathname + search, attempts: 0 },
      host,
      policy: {
        retryStatuses: retry.retryStatuses,
        maxRetryAfterMs: retry.maxRetryAfterMs,
        idempotent: isIdempotent(target.method),
        canRefresh: credentials.refreshable,
      },
      refresh: false,
      lastCost: undefined,
      timeoutMs,
    };
  }

  /** After an attempt: the answer to hand back, or how long to wait before the next attempt. Throws a failure. */
  #decide(call: Call, result: AttemptResult, verdict: Verdict, t0: number): DeliveredResponse | number {
    const config = this.#config;
    const { retry } = config;
    if (verdict.type === 'ok') {
      config.quota.succeeded(call.lastCost);
      this.#log(call, result, verdict, t0, 'ok');
      return handBack(call, result, verdict);
    }
    if (verdict.type === 'refresh') {
      call.refresh = true;
      call.policy.canRefresh = false;
      this.#log(call, result, verdict, t0, 'retry', 0);
      return 0;
    }
    const delay = nextDelay(retry, verdict, call.context.attempts - 1, retry.random);
    let stop: 'final' | 'deadline' | 'quota' | undefined =
      !verdict.retryable || call.context.attempts >= retry.maxAttempts
        ? 'final'
        : Date.now() + delay >= call.context.deadline
          ? 'deadline'
          : undefined;
    call.lastCost = stop ? undefined : config.quota.take(verdict.kind);
    if (!stop && call.lastCost === undefined) stop = 'quota';
    if (!stop) {
      if (verdict.kind === 'throttled') config.gate.closeFor(delay);
      this.#log(call, result, verdict, t0, 'retry', delay);
      return delay;
    }
    this.#log(call, result, verdict, t0, 'error');
    const { outcome } = result;
    // An error answer is handed back, for the caller to read; anything else is thrown here.
    if (outcome.type === 'answer' && outcome.status >= 400 && outcome.status <= 599)
      return handBack(call, result, verdict);
    const facts = { ...call.facts, attempts: call.context.attempts };
    const failure = failureOf(call, result, config.maxResponseBytes);
    const error = errorFromFailure(failure, facts, verdict, { cause: result.cause, redact: config.redactor.text });
    throw stop === 'final' ? error : stoppedError(error, stop, retry.deadlineMs);
  }

  #log(
    call: Call,
    result: AttemptResult,
    verdict: Verdict,
    t0: number,
    outcome: SwrAttemptEvent['outcome'],
    retryInMs?: number,
  ): void {
    if (!this.#config.logging) return;
    const status = result.outcome.type === 'answer' ? result.outcome.status : undefined;
    this.#config.log({
      type: 'attempt',
      method: call.facts.method,
      path: call.facts.path,
      attempt: call.context.attempts,
      outcome,
      durationMs: Date.now() - t0,
      headers: redactHeaders(call.target.headers),
      ...(status !== undefined && { status }),
      ...(call.facts.requestId !== undefined && { requestId: call.facts.requestId }),
      ...(verdict.type === 'error' && { errorKind: verdict.kind }),
      ...(retryInMs !== undefined && { retryInMs: Math.round(retryInMs) }),
    });
  }
}

/** Creates the retrying, authorising fetch of one client. */
export const createRetryingFetch = (config: RetryingFetchConfig): RetryingFetch => new RetryingFetch(config);

/** The answer of an attempt, handed back with what the loop learnt of it. */
function handBack(call: Call, result: AttemptResult, verdict: Verdict): DeliveredResponse {
  const { facts } = call;
  return deliver(
    result.response!,
    result.body!,
    { method: facts.method, path: facts.path, attempts: call.context.attempts, requestId: facts.requestId, verdict },
    { text: result.text, json: result.json },
  );
}

/** What a failure without a readable answer was, for its words. */
function failureOf(call: Call, result: AttemptResult, maxResponseBytes: number): Failure {
  const { outcome } = result;
  if (outcome.type === 'failure') {
    if (outcome.failure === 'network') return { type: 'network', host: call.host, reached: outcome.reached };
    if (outcome.failure === 'timeout')
      return { type: 'timeout', host: call.host, timeoutMs: call.timeoutMs, reached: outcome.reached };
    if (outcome.failure === 'malformed') return { type: 'malformed', host: call.host };
    return { type: 'too_large', host: call.host, maxResponseBytes };
  }
  const { status } = outcome;
  if (status >= 300 && status < 400) return { type: 'redirect', status };
  if (status >= 200 && status < 300) return { type: 'json', status, length: result.text?.length ?? 0 };
  return { type: 'status', status };
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
