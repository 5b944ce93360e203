// SDK-HMAC-SHA256, the AK/SK signing of Huawei Cloud's API gateway (api-facts.md §3).
// Shared by the client's signer and the emulator's verifier, so it is pinned by the published
// vectors (Huawei's documented example and the Go SDK's tests), not only by round trips. The
// hashes come from `#crypto`: node:crypto in Node, Web Crypto elsewhere (see package.json).
import { hmacHex, importKey, sha256Hex, type SigningKey } from '#crypto';

export { importKey, sha256Hex, type SigningKey };

export const ALGORITHM = 'SDK-HMAC-SHA256';
/** SHA-256 of an empty body, the payload hash of every GET. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// A path segment or query part made only of these is its own canonical form: no work to do.
const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
// The same for a whole path: its segments and their `/`.
const UNRESERVED_PATH = /^[A-Za-z0-9\-_.~/]*$/;

/** A hash or signature: a string from node:crypto, a promise from Web Crypto. */
export type Eventually<T> = T | Promise<T>;

/**
 * `f` of a value that node:crypto gives at once and Web Crypto as a promise: in Node the signer
 * runs straight through, with no turn of the event loop per step.
 */
export function chain<T, U>(value: Eventually<T>, f: (value: T) => Eventually<U>): Eventually<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * Host, path and query of a URL that a URL or a Request already normalised: cut out of the
 * string rather than parsed again (a parse is a tenth of a signature's time). The fragment, never
 * sent, is left out; a URL with user info is parsed.
 */
export function splitUrl(href: string): { host: string; pathname: string; search: string } {
  const text = href.includes('#') ? href.slice(0, href.indexOf('#')) : href;
  const start = text.indexOf('//') + 2;
  const slash = text.indexOf('/', start);
  if (start < 2 || slash < 0 || text.slice(start, slash).includes('@')) return new URL(href);
  const query = text.indexOf('?', slash);
  return {
    host: text.slice(start, slash),
    pathname: query < 0 ? text.slice(slash) : text.slice(slash, query),
    // `?` alone is an empty query, as URL has it.
    search: query < 0 || query === text.length - 1 ? '' : text.slice(query),
  };
}

/** Percent-encodes like the gateway: `A-Z a-z 0-9 - _ . ~` stay, every other UTF-8 byte becomes upper-case `%XX`. */
export function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function unescape(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Each path segment decoded then re-encoded, with the trailing `/` the canonical form always has. */
export function canonicalUri(pathname: string): string {
  const path = UNRESERVED_PATH.test(pathname)
    ? pathname
    : pathname
        .split('/')
        .map((segment) => escape(unescape(segment)))
        .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/** `k=v` pairs, percent-encoded, sorted by key and then by value (as Go's url.Values decodes them). */
export function canonicalQuery(search: string): string {
  const text = search.startsWith('?') ? search.slice(1) : search;
  if (text === '') return '';
  let pairs: Array<[string, string]>;
  if (/[%+]/.test(text)) pairs = [...new URLSearchParams(text)];
  else {
    // Without `%` or `+` there is nothing to decode: splitting gives what URLSearchParams would.
    pairs = [];
    for (const pair of text.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      pairs.push(eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]);
    }
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  let out = '';
  for (const [key, value] of pairs) out += `${out === '' ? '' : '&'}${part(key)}=${part(value)}`;
  return out;
}

function part(text: string): string {
  return UNRESERVED.test(text) ? text : escape(text);
}

/** The headers a signer may sign: names with `_` are never signed (the gateway drops them). */
export function isSignable(name: string): boolean {
  return !name.includes('_');
}

export interface CanonicalRequestInput {
  method: string;
  /** The absolute URL, as a URL or a Request holds it (normalised). */
  url: string | URL;
  /** Header values by lower-case name; must hold every signed header. */
  headers: { get(name: string): string | null };
  /** Lower-case names of the signed headers. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the exact body bytes. */
  payloadHash: string;
}

/** The canonical request: method, URI, query, headers, signed header names and payload hash. */
export function canonicalRequest(input: CanonicalRequestInput): string {
  const url = typeof input.url === 'string' ? splitUrl(input.url) : input.url;
  const signed = input.signedHeaders.map((h) => h.toLowerCase()).sort();
  let headers = '';
  for (const name of signed) {
    const value = name === 'host' ? (input.headers.get('host') ?? url.host) : (input.headers.get(name) ?? '');
    headers += `${name}:${value.trim()}\n`;
  }
  return `${input.method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${canonicalQuery(url.search)}\n${headers}\n${signed.join(';')}\n${input.payloadHash}`;
}

/** The string to sign: algorithm, `X-Sdk-Date`, and the hash of the canonical request. */
export function stringToSign(canonical: string, sdkDate: string): Eventually<string> {
  return chain(sha256Hex(canonical), (hash) => `${ALGORITHM}\n${sdkDate}\n${hash}`);
}

/** Hex HMAC-SHA256 of the string to sign: the signature (the SK is the key, with no derivation). */
export function signature(key: SigningKey, toSign: string): Eventually<string> {
  return hmacHex(key, toSign);
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the `X-Sdk-Date` format. */
export function formatSdkDate(date: Date): string {
  const iso = date.toISOString(); // 2026-11-29T01:02:03.456Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** Parses `X-Sdk-Date`; undefined when it is not `YYYYMMDDTHHMMSSZ`. */
export function parseSdkDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}

/** The `Authorization` header value. */
export function authorizationHeader(accessKey: string, signedHeaders: readonly string[], sig: string): string {
  return `${ALGORITHM} Access=${accessKey}, SignedHeaders=${[...signedHeaders].sort().join(';')}, Signature=${sig}`;
}

/** Splits an `Authorization` header; undefined when it is not SDK-HMAC-SHA256 or misses a part. */
export function parseAuthorization(
  value: string,
): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(
    value,
  );
  if (!m) return undefined;
  return { accessKey: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]!.toLowerCase() };
}
