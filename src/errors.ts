// One error type for API failures, one for bad input. Messages are built from the status, the
// service's code and message and the request id only: never from headers, so never from secrets.
import type { Problem } from './validate.js';

/** What went wrong, in the terms a caller acts on. */
export type SwrErrorKind =
  | 'auth'
  | 'permission'
  | 'not_found'
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

/** An API call that failed: an error answer, a network failure, a timeout or an answer of the wrong shape. */
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

  /** The fields, for logs and `JSON.stringify` (never a header, so never a secret). */
  toJSON(): Record<string, unknown> {
    // `message` is not enumerable on an Error, the other fields are.
    return { ...(this as unknown as Record<string, unknown>), message: this.message };
  }
}

/** Bad input, caught before any request leaves the process. */
export class SwrValidationError extends Error {
  override readonly name = 'SwrValidationError';
  /** The offending field in the spec's names, e.g. `limit`, `instance_id` or `credential.access_key`. */
  readonly field: string;
  /** The rule it breaks, in words. */
  readonly rule: string;
  /** Every rule the input breaks, the first one included (when the spec's validator found them). */
  readonly problems: readonly Problem[];

  constructor(
    field: string,
    rule: string,
    value?: unknown,
    options: { sensitive?: boolean; problems?: readonly Problem[] } = {},
  ) {
    const shown = value === undefined || options.sensitive ? '' : ` (got ${describe(value)})`;
    super(`${field} ${rule}${shown}`);
    this.field = field;
    this.rule = rule;
    // A secret's value is never kept on the error, where inspect() or a log would show it.
    this.problems = (options.problems ?? []).map((p) => (p.sensitive ? { ...p, value: undefined } : p));
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}

/** The kind of an error answer, from its status and (for throttling) its gateway code. */
export function kindOf(status: number, errorCode?: string): SwrErrorKind {
  if (status === 429 || /^APIG(W)?\.0308$/.test(errorCode ?? '')) return 'throttled';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
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

/** Builds the error for an error answer: status, the body's code and message, the request id, attempts. */
export function errorFromAnswer(answer: {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  attempts: number;
  method: string;
  path: string;
  retryStatuses: readonly number[];
  redact: (text: string) => string;
}): SwrApiError {
  const fields = parseErrorBody(answer.text, answer.headers.get('content-type'));
  const requestId = answer.headers.get('x-request-id') ?? fields.requestId;
  const kind = kindOf(answer.status, fields.errorCode);
  const errorMsg = fields.errorMsg === undefined ? undefined : answer.redact(fields.errorMsg);
  const what = [fields.errorCode, errorMsg ?? (answer.text.trim() === '' ? '(empty body)' : undefined)]
    .filter(Boolean)
    .join(' ');
  const tail = [
    requestId && `request id ${requestId}`,
    `${answer.attempts} attempt${answer.attempts === 1 ? '' : 's'}`,
  ];
  return new SwrApiError({
    kind,
    status: answer.status,
    requestId,
    errorCode: fields.errorCode,
    errorMsg,
    encodedAuthorizationMessage: fields.encodedAuthorizationMessage,
    attempts: answer.attempts,
    retryable: kind === 'throttled' || answer.retryStatuses.includes(answer.status),
    method: answer.method,
    path: answer.path,
    message: `SWR ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}: ${what} (${tail.filter(Boolean).join(', ')})`,
  });
}
