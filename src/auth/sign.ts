// SDK-HMAC-SHA256 signing of one request: the headers it adds, the signed set, the signature.
import {
  authorizationHeader,
  canonicalRequest,
  chain,
  EMPTY_BODY_SHA256,
  formatSdkDate,
  importKey,
  sha256Hex,
  signature,
  stringToSign,
} from './canonical.js';
import type { AkSkCredentials } from './providers.js';

// A fixed set rather than "every header": a browser, proxy or runtime may add or rewrite others
// (User-Agent, Accept) after signing, and the gateway would then reject the signature.
const SIGNED_HEADERS = ['content-type', 'host', 'x-project-id', 'x-sdk-date', 'x-security-token'];

export interface SignerOptions {
  /** Sent and signed as `X-Project-Id`, as Huawei's SDKs do. */
  projectId?: string;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/** What a signer needs of a request; it adds its headers to `headers`. */
export interface SignTarget {
  method: string;
  url: string;
  headers: Headers;
  body?: Uint8Array | undefined;
}

/** Signs one request in place with the given credentials: at once in Node, through a promise elsewhere. */
export type HeaderSigner = (target: SignTarget, credentials: AkSkCredentials) => void | Promise<void>;

/** Signs a `Request`: returns a copy carrying the signature headers. */
export type RequestSigner = (request: Request) => Promise<Request>;

/**
 * Creates an SDK-HMAC-SHA256 signer. A secret key is imported once and reused while it stays the
 * same, so rotating credentials from a provider cost one import per rotation, not per request.
 * In Node every step is synchronous node:crypto, run straight through; elsewhere Web Crypto
 * (see `#crypto`), one promise after another.
 */
export function createHeaderSigner(options: SignerOptions = {}): HeaderSigner {
  const clock = createSdkClock(options.now);
  let imported: { secretKey: string; key: ReturnType<typeof importKey> } | undefined;
  return ({ method, url, headers, body }, { accessKey, secretKey, securityToken }) => {
    if (imported?.secretKey !== secretKey) imported = { secretKey, key: importKey(secretKey) };
    const key = imported.key;
    const date = clock();
    headers.set('X-Sdk-Date', date);
    if (options.projectId) headers.set('X-Project-Id', options.projectId);
    // A retried attempt signs the same headers again: what the last one added goes first.
    if (securityToken) headers.set('X-Security-Token', securityToken);
    else headers.delete('X-Security-Token');
    headers.delete('Authorization');
    const signedHeaders = SIGNED_HEADERS.filter((name) => name === 'host' || headers.has(name));
    const payloadHash = body && body.byteLength > 0 ? sha256Hex(body) : EMPTY_BODY_SHA256;
    const signed = chain(payloadHash, (hash) =>
      chain(stringToSign(canonicalRequest({ method, url, headers, signedHeaders, payloadHash: hash }), date), (text) =>
        chain(signature(key, text), (sig) => {
          headers.set('Authorization', authorizationHeader(accessKey, signedHeaders, sig));
        }),
      ),
    );
    return signed instanceof Promise ? signed : undefined;
  };
}

/**
 * `X-Sdk-Date` now: computed once per second (its resolution), not per request. A clock given
 * in the options is read on every call, as tests that move it expect.
 */
function createSdkClock(now: SignerOptions['now']): () => string {
  if (now) return () => formatSdkDate(now());
  let second = Number.NaN;
  let text = '';
  return () => {
    const ms = Date.now();
    if (Math.floor(ms / 1000) !== second) {
      second = Math.floor(ms / 1000);
      text = formatSdkDate(new Date(ms));
    }
    return text;
  };
}

/** Creates a signer for `Request` objects, for callers who send requests of their own. */
export function createSigner(credentials: AkSkCredentials, options: SignerOptions = {}): RequestSigner {
  const sign = createHeaderSigner(options);
  return async (request) => {
    const headers = new Headers(request.headers);
    const body = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : undefined;
    await sign({ method: request.method, url: request.url, headers, body }, credentials);
    return new Request(request, { headers });
  };
}
