// SHA-256 and HMAC-SHA256 through node:crypto: synchronous, and about ten times cheaper than Web
// Crypto's round trips through the thread pool. Chosen by the `node` condition of the package's
// `#crypto` import (package.json), so browser bundles never see node:crypto. crypto-web.ts is the
// same three functions for browsers, Deno and workers; both are pinned by the same vectors.
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** A secret key, imported once for HMAC. */
export type SigningKey = KeyObject;

/** Imports a secret key once for HMAC-SHA256 signing and verifying. */
export function importKey(secretKey: string): SigningKey {
  return createSecretKey(Buffer.from(secretKey, 'utf8'));
}

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex HMAC-SHA256 of a string (as UTF-8) under a key. */
export function hmacHex(key: SigningKey, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}
