// SHA-256 and HMAC-SHA256 through Web Crypto, for browsers, Deno and workers: the `default`
// condition of the package's `#crypto` import (package.json). Node takes crypto-node.ts.
const encoder = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

/** A secret key, imported once for HMAC. */
export type SigningKey = Promise<CryptoKey>;

/** Imports a secret key once for HMAC-SHA256 signing and verifying. */
export function importKey(secretKey: string): SigningKey {
  return subtle().importKey('raw', encoder.encode(secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function hex(buffer: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return hex(await subtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Hex HMAC-SHA256 of a string (as UTF-8) under a key. */
export async function hmacHex(key: SigningKey, data: string): Promise<string> {
  return hex(await subtle().sign('HMAC', await key, encoder.encode(data)));
}
