// Every error of the package is made here. `SwrApiError` for an API call that failed, built by
// one factory per situation from the status, body, headers and transport facts (as Stainless's
// `APIError.generate`); `SwrValidationError` for bad input, caught before any request leaves the
// process. A message is built from the status, the service's code and message and the request
// id, each passed through the redactor first, on the whole text before it is cut: a server that
// echoes a secret back never gets it printed. Headers never reach a message.
import type { Problem } from './spec/validate.js';

/** What went wrong, in the terms a caller acts on. */
export type SwrErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'precondition'
  | 'throttled'
  | 'bad_request'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalid_response';

export interface SwrApiErrorInit {
  kind: SwrErrorKind;
  message: string;
  status?: number | undefined;
  requestId?: string | undefined;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  encodedAuthorizationMessage?: string | undefined;
  attempts: number;
  retryable: boolean;
  /** Whether the request may have reached the service (false: surely not, so surely not applied). */
  mayHaveReachedService: boolean;
  method?: string | undefined;
  /** Path and query of the request (no host, no credentials). */
  path?: string | undefined;
  /** For a failed page of a walk: the offset of that page. */
  offset?: number | undefined;
  cause?: unknown;
}

/** An API call that failed: an error answer, a network failure, a timeout or an answer that cannot be used. */
export class SwrApiError extends Error {
  override readonly name = 'SwrApiError';
  readonly kind: SwrErrorKind;
  /** HTTP status; undefined when no answer came (network, timeout). */
  readonly status: number | undefined;
  /** The `X-Request-Id` response header (or the gateway body's `request_id`). */
  readonly requestId: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
  readonly encodedAuthorizationMessage: string | undefined;
  /** How many attempts were made, retries included. */
  readonly attempts: number;
  /** Whether the failure is of a kind worth retrying later (throttling, 5xx, network, timeout). */
  readonly retryable: boolean;
  /**
   * Whether the request may have reached the service. False when it surely did not (the
   * connection was refused, the API gateway turned it away): a create that failed so was not
   * applied, and may be sent again.
   */
  readonly mayHaveReachedService: boolean;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly offset: number | undefined;

  constructor(init: SwrApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.requestId = init.requestId;
    this.errorCode = init.errorCode;
    this.errorMsg = init.errorMsg;
    this.encodedAuthorizationMessage = init.encodedAuthorizationMessage;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
    this.mayHaveReachedService = init.mayHaveReachedService;
    this.method = init.method;
    this.path = init.path;
    this.offset = init.offset;
  }

  /** The fields of this error as a constructor takes them. */
  init(): SwrApiErrorInit {
    const { kind, message, status, requestId, errorCode, errorMsg, encodedAuthorizationMessage } = this;
    const { attempts, retryable, mayHaveReachedService, method, path, offset, cause } = this;
    return {
      kind,
      message,
      status,
      requestId,
      errorCode,
      errorMsg,
      encodedAuthorizationMessage,
      attempts,
      retryable,
      mayHaveReachedService,
      method,
      path,
      offset,
      cause,
    };
  }

  /** A copy of this error with some fields changed (a page's offset, a longer message). */
  with(changes: Partial<SwrApiErrorInit>): SwrApiError {
    return new SwrApiError({ ...this.init(), ...changes });
  }

  /** The fields, for logs and `JSON.stringify` (never a header, so never a secret). */
  toJSON(): Record<string, unknown> {
    const { cause: _cause, ...fields } = this.init();
    return { name: this.name, ...fields };
  }
}

/** Bad input, caught before any request leaves the process. */
export class SwrValidationError extends Error {
  override readonly name = 'SwrValidationError';
  /** The offending field in the spec's names, e.g. `limit`, `instance_id` or `credential.access_key`. */
  readonly field: string;
  /** The rule it breaks, in words. */
  readonly rule: string;
  /** The value that was given, as the message quotes it; undefined for a secret or no value. */
  readonly got: string | undefined;
  /** What a library caller can do about it (a CLI says it in its own words). */
  readonly hint: string | undefined;
  /** Every rule the input breaks, the first one included (when the spec's validator found them). */
  readonly problems: readonly Problem[];

  constructor(
    field: string,
    rule: string,
    value?: unknown,
    options: { sensitive?: boolean; problems?: readonly Problem[]; hint?: string } = {},
  ) {
    const got = value === undefined || options.sensitive ? undefined : describe(value);
    const more = (options.problems?.length ?? 0) > 1 ? `; and ${options.problems!.length - 1} more` : '';
    super(
      `${field} ${rule}${got === undefined ? '' : ` (got ${got})`}${more}${options.hint ? `; ${options.hint}` : ''}`,
    );
    this.field = field;
    this.rule = rule;
    this.got = got;
    this.hint = options.hint;
    // A secret's value is never kept on the error, where inspect() or a log would show it.
    this.problems = (options.problems ?? []).map((p) => (p.sensitive ? { ...p, value: undefined } : p));
  }
}

/** A value as an error message quotes it: a string in quotes (cut at 60), a number, or its type. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** The validation error of a list of problems: the first one named, every one kept. */
export function validationError(problems: readonly Problem[], fallbackField = 'body'): SwrValidationError {
  const first = problems[0]!;
  return new SwrValidationError(first.path || fallbackField, first.rule, first.value, {
    sensitive: first.sensitive,
    problems,
  });
}

/** Whether an error code is the API gateway's throttling (`APIGW.0308`, `APIG.0308` in older docs). */
export const isGatewayThrottle = (errorCode: string | undefined): boolean => /^APIGW?\.0308$/.test(errorCode ?? '');

/** Whether an error code is the API gateway's own (`APIGW.xxxx`, `APIG.xxxx`): SWR was not reached. */
export const isGatewayCode = (errorCode: string | undefined): boolean => /^APIGW?\./.test(errorCode ?? '');

/** The kind of an error answer, from its status and (for throttling) its gateway code. */
export function kindOf(status: number, errorCode?: string): SwrErrorKind {
  if (status === 429 || isGatewayThrottle(errorCode)) return 'throttled';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** What an error body says: SWR's format, the gateway's, the legacy array, or none of them. */
export interface ErrorBodyFields {
  errorCode?: string;
  errorMsg?: string;
  encodedAuthorizationMessage?: string;
  requestId?: string;
}

/** Reads an error body of any shape without throwing: JSON (SWR, gateway, legacy), text, HTML or empty. */
export function parseErrorBody(text: string, contentType: string | null): ErrorBodyFields {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { errorMsg: readableText(trimmed, contentType) };
  }
  const record = (Array.isArray(json) ? json[0] : json) as Record<string, unknown> | undefined;
  if (!record || typeof record !== 'object') return { errorMsg: readableText(trimmed, contentType) };
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const legacy = Array.isArray(record.errors) ? (record.errors[0] as Record<string, unknown> | undefined) : undefined;
  const fields: ErrorBodyFields = {};
  const errorCode = str(record.error_code) ?? str(record.code) ?? str(record.errorCode) ?? str(legacy?.errorCode);
  const errorMsg =
    str(record.error_msg) ?? str(record.message) ?? str(record.errorMessage) ?? str(legacy?.errorMessage);
  const encoded = str(record.encoded_authorization_message) ?? str(legacy?.encoded_authorization_message);
  const requestId = str(record.request_id);
  if (errorCode) fields.errorCode = errorCode;
  if (errorMsg) fields.errorMsg = errorMsg;
  if (encoded) fields.encodedAuthorizationMessage = encoded;
  if (requestId) fields.requestId = requestId;
  return fields;
}

/** A one-line gist of a non-JSON body: an HTML page's title, or the start of the text. */
function readableText(text: string, contentType: string | null): string {
  if (/html/i.test(contentType ?? '') || /^<!doctype html|^<html/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
    return `HTML page${title ? `: ${title.trim()}` : ''}`;
  }
  const line = text.replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** `3 attempts`, `1 attempt`. */
export const attemptsText = (n: number): string => `${n} attempt${n === 1 ? '' : 's'}`;

/** The request facts every error of a call carries. */
export interface CallFacts {
  method: string;
  path: string;
  attempts: number;
  requestId?: string | undefined;
  status?: number | undefined;
}

/** The closing parenthesis of a message: request id and attempts. */
export function tail(facts: Pick<CallFacts, 'requestId' | 'attempts'>): string {
  return `(${[facts.requestId && `request id ${facts.requestId}`, attemptsText(facts.attempts)].filter(Boolean).join(', ')})`;
}

/** An error answer as it arrived. */
export interface ErrorAnswer extends CallFacts {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body as text, whole: it is redacted before anything is cut. */
  text: string;
}

/**
 * The error of an error answer: status, the body's code and message, the request id, attempts.
 * The whole body is redacted first, then read: a secret cut in half is never half shown.
 */
export function errorFromAnswer(
  answer: ErrorAnswer,
  verdict: { kind: SwrErrorKind; retryable: boolean },
  redact: (text: string) => string,
): SwrApiError {
  const clean = (value: string | undefined | null) =>
    value === undefined || value === null ? undefined : redact(value);
  // Redacted whole before it is read (and cut), then each field again: a JSON string field
  // holds its secrets escaped, and only its decoded text shows them as they were sent.
  const fields = parseErrorBody(redact(answer.text), answer.headers.get('content-type'));
  const requestId = clean(answer.headers.get('x-request-id') ?? fields.requestId);
  const [errorCode, errorMsg] = [clean(fields.errorCode), clean(fields.errorMsg)];
  const what = [errorCode, errorMsg ?? (answer.text.trim() === '' ? '(empty body)' : undefined)];
  const statusText = clean(answer.statusText);
  return new SwrApiError({
    ...verdict,
    status: answer.status,
    requestId,
    errorCode,
    errorMsg,
    encodedAuthorizationMessage: clean(fields.encodedAuthorizationMessage),
    attempts: answer.attempts,
    // The gateway answers for itself before SWR is reached (authentication, throttling, no such API).
    mayHaveReachedService: !isGatewayCode(fields.errorCode),
    method: answer.method,
    path: answer.path,
    message: `SWR ${answer.status}${statusText ? ` ${statusText}` : ''}: ${what.filter(Boolean).join(' ')} ${tail({ ...answer, requestId })}`,
  });
}

/** How a request failed without an answer a caller could read. */
export type Failure =
  | { type: 'network'; host: string; reached: boolean }
  | { type: 'timeout'; host: string; timeoutMs: number; reached: boolean }
  | { type: 'too_large'; host: string; maxResponseBytes: number }
  | { type: 'malformed'; host: string }
  | { type: 'redirect'; status: number }
  | { type: 'json'; status: number; length: number }
  | { type: 'status'; status: number };

/** The error of a failure that left no readable answer: network, timeout, size, redirect, bad JSON. */
export function errorFromFailure(
  failure: Failure,
  facts: CallFacts,
  verdict: { kind: SwrErrorKind; retryable: boolean },
  options: { cause?: unknown; redact: (text: string) => string },
): SwrApiError {
  const end = tail(facts);
  const status = 'status' in failure ? failure.status : undefined;
  let message: string;
  switch (failure.type) {
    case 'network':
      message = `network error talking to SWR at ${failure.host}: ${describeNetworkError(options.cause)} ${end}`;
      break;
    case 'timeout':
      message = `no complete answer from SWR at ${failure.host} within ${failure.timeoutMs} ms ${end}`;
      break;
    case 'too_large':
      message = `SWR's answer from ${failure.host} is larger than maxResponseBytes (${failure.maxResponseBytes} bytes); reading stopped ${end}`;
      break;
    case 'malformed':
      message = `SWR's answer from ${failure.host} is not valid HTTP: ${describeNetworkError(options.cause)} ${end}`;
      break;
    case 'redirect':
      message = `SWR answered with a redirect (${failure.status}), which is refused so credentials never reach another origin ${end}`;
      break;
    case 'json':
      message = `SWR answered ${failure.status} with a body that is not valid JSON (${failure.length} characters; truncated?) ${end}`;
      break;
    default:
      message = `SWR answered with status ${failure.status}, which HTTP does not define ${end}`;
  }
  return new SwrApiError({
    ...facts,
    ...verdict,
    status,
    mayHaveReachedService: 'reached' in failure ? failure.reached : true,
    cause: options.cause,
    message: options.redact(message),
  });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause?.code ?? cause?.message;
  return detail && detail !== message ? `${message} (${detail})` : message;
}

/** A success answer that cannot be used at all (or, in strict mode, that differs from the spec). */
export function unusableAnswerError(facts: CallFacts & { status: number }, operationId: string, why: string) {
  return new SwrApiError({
    ...facts,
    kind: 'invalid_response',
    retryable: false,
    mayHaveReachedService: true,
    message: `SWR answered ${facts.status} with a body that is not a ${operationId} response: ${why} ${tail(facts)}`,
  });
}

/** The error of a call that stopped retrying early: its deadline, or the client's retry quota. */
export function stoppedError(error: SwrApiError, why: 'deadline' | 'quota', deadlineMs: number): SwrApiError {
  return error.with({
    message:
      why === 'deadline'
        ? `${error.message}; gave up: another attempt would pass the ${deadlineMs} ms deadline`
        : `${error.message}; not retried: the client's retry quota is spent (the service keeps failing)`,
  });
}

/** A page of a walk failed: its error, naming the page's offset. */
export function pageError(error: SwrApiError, offset: number): SwrApiError {
  return error.with({ offset, message: `page at offset ${offset} failed: ${error.message}` });
}

/** A walk that cannot go on: a page longer than asked for, or a total that never ends. */
export function walkError(offset: number, message: string, requestId?: string): SwrApiError {
  return new SwrApiError({
    kind: 'invalid_response',
    retryable: false,
    mayHaveReachedService: true,
    attempts: 1,
    offset,
    requestId,
    message,
  });
}

/** A repeatable create's unique value (`what`) is held by item `id`, which has other settings. */
export function settingsConflictError(
  error: SwrApiError,
  what: string,
  id: unknown,
  differing: readonly string[],
): SwrApiError {
  return error.with({
    kind: 'conflict',
    retryable: false,
    message: `${what} already exists (id ${String(id)}) with other settings: ${differing.join(', ')} ${tail(error)}`,
  });
}

/** A repeatable create whose lookup failed too: the create's error, saying so. */
export function lookupFailedError(error: SwrApiError, what: string, lookup: unknown): SwrApiError {
  return error.with({
    message: `${error.message}; looking ${what} up to see whether it was created failed too: ${(lookup as Error)?.message ?? String(lookup)}`,
  });
}

/** A workflow that ended without success: a replication execution that failed or was stopped. */
export function workflowError(init: { kind: SwrErrorKind; message: string; requestId?: string | undefined }) {
  return new SwrApiError({ ...init, attempts: 1, retryable: false, mayHaveReachedService: true });
}
