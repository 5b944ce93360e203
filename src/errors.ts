// One error type for API failures, one for bad input. A message is built from the status, the
// service's code and message and the request id, each passed through the redactor first: a
// server that echoes a secret back never gets it printed. Headers never reach a message.
import type { Problem } from './validate.js';

/** What went wrong, in the terms a caller acts on. */
export type SwrErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'conflict'
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
    this.method = init.method;
    this.path = init.path;
    this.offset = init.offset;
  }

  /** The fields of this error as a constructor takes them. */
  init(): SwrApiErrorInit {
    const { kind, message, status, requestId, errorCode, errorMsg, encodedAuthorizationMessage } = this;
    const { attempts, retryable, method, path, offset, cause } = this;
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
    super(`${field} ${rule}${got === undefined ? '' : ` (got ${got})`}${options.hint ? `; ${options.hint}` : ''}`);
    this.field = field;
    this.rule = rule;
    this.got = got;
    this.hint = options.hint;
    // A secret's value is never kept on the error, where inspect() or a log would show it.
    this.problems = (options.problems ?? []).map((p) => (p.sensitive ? { ...p, value: undefined } : p));
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}

/** Whether an error code is the API gateway's throttling (`APIGW.0308`, `APIG.0308` in older docs). */
export const isGatewayThrottle = (errorCode: string | undefined): boolean => /^APIGW?\.0308$/.test(errorCode ?? '');

/** The kind of an error answer, from its status and (for throttling) its gateway code. */
export function kindOf(status: number, errorCode?: string): SwrErrorKind {
  if (status === 429 || isGatewayThrottle(errorCode)) return 'throttled';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
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
export function tail(facts: CallFacts): string {
  return `(${[facts.requestId && `request id ${facts.requestId}`, attemptsText(facts.attempts)].filter(Boolean).join(', ')})`;
}

/** Builds the error for an error answer: status, the body's code and message, the request id, attempts. */
export function errorFromAnswer(
  answer: CallFacts & { status: number; statusText: string; headers: Headers; text: string; fields?: ErrorBodyFields },
  verdict: { kind: SwrErrorKind; retryable: boolean },
  redact: (text: string) => string,
): SwrApiError {
  const fields = answer.fields ?? parseErrorBody(answer.text, answer.headers.get('content-type'));
  const clean = (value: string | undefined) => (value === undefined ? undefined : redact(value));
  const requestId = clean(answer.headers.get('x-request-id') ?? fields.requestId);
  const errorCode = clean(fields.errorCode);
  const errorMsg = clean(fields.errorMsg);
  const what = [errorCode, errorMsg ?? (answer.text.trim() === '' ? '(empty body)' : undefined)].filter(Boolean);
  const statusText = clean(answer.statusText);
  return new SwrApiError({
    ...verdict,
    status: answer.status,
    requestId,
    errorCode,
    errorMsg,
    encodedAuthorizationMessage: clean(fields.encodedAuthorizationMessage),
    attempts: answer.attempts,
    method: answer.method,
    path: answer.path,
    message: `SWR ${answer.status}${statusText ? ` ${statusText}` : ''}: ${what.join(' ')} ${tail({ ...answer, requestId })}`,
  });
}
