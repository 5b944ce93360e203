// The pieces of the AK/SK canonical request (src/auth/canonical.ts) where a slip would still sign,
// only wrongly: URL cutting, query order, malformed escapes, header names and values, the date
// and the Authorization header's exact form.
import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  isSignable,
  parseAuthorization,
  parseSdkDate,
  splitUrl,
} from '../../src/auth/canonical.js';

describe('the canonical pieces', () => {
  it('cut a URL into host, path and query, without its fragment; user info is parsed', () => {
    expect(splitUrl('https://h.example:8443/v2/p?b=1&a=2#frag')).toEqual({
      host: 'h.example:8443',
      pathname: '/v2/p',
      search: '?b=1&a=2',
    });
    expect(splitUrl('https://h.example/v2/p')).toEqual({ host: 'h.example', pathname: '/v2/p', search: '' });
    expect(splitUrl('https://h.example/v2/p?')).toMatchObject({ pathname: '/v2/p', search: '' });
    expect(splitUrl('https://user:pw@h.example/v2')).toMatchObject({ host: 'h.example', pathname: '/v2' });
  });

  it('order query pairs by key, then by value, with or without the leading "?"', () => {
    expect(canonicalQuery('b=1&a=2')).toBe('a=2&b=1');
    expect(canonicalQuery('?a=2&a=1&&b')).toBe('a=1&a=2&b=');
    expect(canonicalQuery('?')).toBe('');
  });

  it('keep a malformed escape in a path segment as text, encoded', () => {
    expect(canonicalUri('/a%zz/b')).toBe('/a%25zz/b/');
  });

  it('lower-case and sort the signed header names, trim values, and take the host from the URL when no header gives it', () => {
    // Not a Headers object, which would trim the value itself.
    const request = (signedHeaders: string[], more: Record<string, string> = {}) =>
      canonicalRequest({
        method: 'get',
        url: 'https://h.example/v2/',
        headers: { get: (name) => ({ 'x-sdk-date': ' 20260101T000000Z ', ...more })[name] ?? null },
        signedHeaders,
        payloadHash: 'hash',
      });
    expect(request(['X-Sdk-Date', 'Host'])).toBe(
      'GET\n/v2/\n\nhost:h.example\nx-sdk-date:20260101T000000Z\n\nhost;x-sdk-date\nhash',
    );
    expect(request(['host'], { host: 'proxy.example' })).toBe('GET\n/v2/\n\nhost:proxy.example\n\nhost\nhash');
    expect([isSignable('x-sdk-date'), isSignable('x_custom')]).toEqual([true, false]);
  });

  it('read X-Sdk-Date only whole and only as a real instant', () => {
    expect(parseSdkDate('x20261128T090507Z')).toBeUndefined();
    expect(parseSdkDate('20261128T090507Zx')).toBeUndefined();
    expect(parseSdkDate('20260230T000000Z')).toBeUndefined(); // 30 February
    expect(parseSdkDate('20261128T240000Z')).toBeUndefined(); // the hour after the day's last
    expect(parseSdkDate('20261100T000000Z')).toBeUndefined();
    expect(parseSdkDate('20240229T235959Z')?.toISOString()).toBe('2024-02-29T23:59:59.000Z');
  });

  it("write the Authorization header with sorted names, leaving the caller's list as it was", () => {
    const names = ['x-sdk-date', 'host'];
    expect(authorizationHeader('AK', names, 'ab')).toBe(
      'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=ab',
    );
    expect(names).toEqual(['x-sdk-date', 'host']);
  });

  it('read an Authorization header in exactly its form, spacing aside', () => {
    const sig = 'ab'.repeat(32);
    const parsed = { accessKey: 'AK', signedHeaders: ['host'], signature: sig };
    expect(parseAuthorization(`SDK-HMAC-SHA256   Access=AK,SignedHeaders=host,  Signature=${sig}  `)).toEqual(parsed);
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=AK,  SignedHeaders=host,Signature=${sig}`)).toEqual(parsed);
    expect(parseAuthorization(`x SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}`)).toBeUndefined();
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}zz`)).toBeUndefined();
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig} extra`)).toBeUndefined();
  });
});
