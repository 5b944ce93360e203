import {
  authorizationHeader,
  canonicalRequest,
  EMPTY_BODY_SHA256,
  formatSdkDate,
  importSecretKey,
  sha256Hex,
  signature,
  stringToSign,
} from './canonical.js';

// A fixed set rather than "every header": a browser, proxy or runtime may add or rewrite others
// (User-Agent, Accept) after signing, and the gateway would then reject the signature.
const SIGNED_HEADERS = ['content-type', 'host', 'x-project-id', 'x-sdk-date', 'x-security-token'];

/** Permanent or temporary AK/SK credentials. */
export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** For temporary credentials (STS): sent and signed as `X-Security-Token`. */
  securityToken?: string;
}

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

/** Signs one request in place: adds `X-Sdk-Date`, `X-Project-Id`, `X-Security-Token` and `Authorization`. */
export type HeaderSigner = (target: SignTarget) => Promise<void>;

/** Signs a `Request`: returns a copy carrying the signature headers. */
export type RequestSigner = (request: Request) => Promise<Request>;

/** Creates an SDK-HMAC-SHA256 signer; the secret key is imported once into Web Crypto and never kept as text. */
export function createHeaderSigner(credentials: AkSkCredentials, options: SignerOptions = {}): HeaderSigner {
  const { accessKey, securityToken } = credentials;
  const key = importSecretKey(credentials.secretKey);
  const now = options.now ?? (() => new Date());
  return async ({ method, url, headers, body }) => {
    headers.set('X-Sdk-Date', formatSdkDate(now()));
    if (options.projectId) headers.set('X-Project-Id', options.projectId);
    if (securityToken) headers.set('X-Security-Token', securityToken);
    headers.delete('Authorization');
    const signedHeaders = SIGNED_HEADERS.filter((name) => name === 'host' || headers.has(name));
    const canonical = canonicalRequest({
      method,
      url,
      headers,
      signedHeaders,
      payloadHash: body && body.byteLength > 0 ? await sha256Hex(body) : EMPTY_BODY_SHA256,
    });
    const sig = await signature(await key, await stringToSign(canonical, headers.get('X-Sdk-Date')!));
    headers.set('Authorization', authorizationHeader(accessKey, signedHeaders, sig));
  };
}

/** Creates a signer for `Request` objects, for callers who send requests of their own. */
export function createSigner(credentials: AkSkCredentials, options: SignerOptions = {}): RequestSigner {
  const sign = createHeaderSigner(credentials, options);
  return async (request) => {
    const headers = new Headers(request.headers);
    const body = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : undefined;
    await sign({ method: request.method, url: request.url, headers, body });
    return new Request(request, { headers });
  };
}
