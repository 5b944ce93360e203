// One attempt, the innermost step of a call: add this attempt's credentials (a token, or an AK/SK
// signature), send, and read the whole answer, all under one timer and the caller's signal, and
// never more than `maxResponseBytes` of it. What happened is an Outcome for retry-policy.ts to
// classify; the bytes are kept so the answer can be handed on.
import type { Credentials } from '../auth/credentials.js';
import type { SignTarget } from '../auth/sign.js';
import { parseErrorBody } from '../errors.js';
import type { Outcome } from './retry-policy.js';

export interface AttemptSetup {
  fetch: typeof fetch;
  credentials: Credentials;
  maxResponseBytes: number;
}

export interface AttemptInput {
  /** The request: its headers get this attempt's credentials. */
  target: SignTarget;
  /** This attempt's time, credentials and body included. */
  timeoutMs: number;
  /** The caller's signal, if any: an abort ends the attempt at once and is never an outcome. */
  signal: AbortSignal | undefined;
  refresh: boolean;
  /** Parse a 2xx body as JSON here (the client's own operations): a malformed one is an outcome. */
  json: boolean;
}

/** What an attempt leaves behind besides its outcome. */
export interface AttemptResult {
  outcome: Outcome;
  response?: Response;
  body?: Uint8Array;
  /** The body as text, decoded once, for an error body or JSON. */
  text?: string;
  /** The parsed JSON of a 2xx, when it was asked for and parsed. */
  json?: { value: unknown };
  /** Why it failed, for a failure. */
  cause?: unknown;
}

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** An answer past `maxResponseBytes`: reading stopped. */
export class TooLarge extends Error {}

/** Network errors that mean the request never left this machine for the service. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT']);

/** Whether a fetch failure could have reached the service (false when the connection never opened). */
export function couldHaveReached(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return !NOT_SENT.has(cause?.code ?? '');
}

/**
 * Whether fetch failed because the answer was not valid HTTP: undici's parser error, `HPE_*` by
 * code up to Node 22, by name only (`HTTPParserError`) in Node 24.
 */
function isParserError(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; name?: string } } | undefined)?.cause;
  return /^HPE_/.test(cause?.code ?? '') || cause?.name === 'HTTPParserError';
}

/** Reads a body, but stops (and cancels it) past `max` bytes. */
export async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new TooLarge();
  }
  if (!response.body) return EMPTY;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Makes one attempt and says what came of it. */
export async function sendAttempt(setup: AttemptSetup, input: AttemptInput): Promise<AttemptResult> {
  const { target, signal } = input;
  // One controller per attempt, fed by the caller's signal and a plain timer: the timer covers
  // the credentials, the request and the body, and is cleared as soon as the body is in.
  const control = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    control.abort(new DOMException('attempt timed out', 'TimeoutError'));
  }, input.timeoutMs);
  const onAbort = () => control.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let sent = false;
  try {
    const applying = setup.credentials.apply(target, { refresh: input.refresh, signal: control.signal });
    if (applying) await applying;
    if (control.signal.aborted) throw control.signal.reason;
    sent = true;
    const response = await setup.fetch(target.url, {
      method: target.method,
      headers: target.headers,
      ...(target.body && { body: target.body as Uint8Array<ArrayBuffer> }),
      signal: control.signal,
      redirect: 'manual',
    });
    const body = await readCapped(response, setup.maxResponseBytes);
    return describe(response, body, input.json);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof TooLarge) return { outcome: { type: 'failure', failure: 'too_large', reached: true } };
    if (!timedOut && !sent) throw error; // the credentials themselves failed: not a transport matter
    const failure = timedOut ? 'timeout' : isParserError(error) ? 'malformed' : 'network';
    return { outcome: { type: 'failure', failure, reached: sent && couldHaveReached(error) }, cause: error };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The outcome of an answer that arrived whole; an error body's code is read here, for the policy. */
function describe(response: Response, body: Uint8Array, wantJson: boolean): AttemptResult {
  const { status } = response;
  const ok = status >= 200 && status < 300;
  const text = status >= 400 || (ok && wantJson) ? (body.byteLength === 0 ? '' : decoder.decode(body)) : undefined;
  const result: AttemptResult = { outcome: undefined as never, response, body, ...(text !== undefined && { text }) };
  let json: 'parsed' | 'malformed' | 'not asked' = 'not asked';
  if (ok && wantJson) {
    try {
      result.json = { value: text === '' ? undefined : JSON.parse(text!) };
      json = 'parsed';
    } catch {
      json = 'malformed';
    }
  }
  result.outcome = {
    type: 'answer',
    status,
    retryAfter: ok ? null : response.headers.get('retry-after'),
    errorCode: status >= 400 ? parseErrorBody(text!, response.headers.get('content-type')).errorCode : undefined,
    json,
  };
  return result;
}
