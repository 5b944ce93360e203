import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  EMPTY_BODY_SHA256,
  escape,
  formatSdkDate,
  importKey,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signature,
  stringToSign,
} from '../../src/auth/canonical.js';
import { createSigner } from '../../src/auth/sign.js';

// Huawei's documented example (devg-apisign api-sign-algorithm-002..005), api-facts.md §3.2.
const DOC = {
  url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
  accessKey: 'QTWAOYTTINDUT2QVKYUC',
  secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
  date: '20191115T033655Z',
  canonical: [
    'GET',
    '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
    'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
    'content-type:application/json',
    'host:service.region.example.com',
    'x-sdk-date:20191115T033655Z',
    '',
    'content-type;host;x-sdk-date',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ].join('\n'),
  canonicalHash: 'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
  signature: '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
};

async function sign(secretKey: string, canonical: string, date: string) {
  return signature(importKey(secretKey), await stringToSign(canonical, date));
}

describe("Huawei's documented vector", () => {
  const headers = new Headers({ 'Content-Type': 'application/json', 'X-Sdk-Date': DOC.date });
  const canonical = canonicalRequest({
    method: 'GET',
    url: DOC.url,
    headers,
    signedHeaders: ['content-type', 'host', 'x-sdk-date'],
    payloadHash: EMPTY_BODY_SHA256,
  });

  it('builds the documented canonical request and hash', async () => {
    expect(canonical).toBe(DOC.canonical);
    expect(await sha256Hex(canonical)).toBe(DOC.canonicalHash);
    expect(await sha256Hex('')).toBe(EMPTY_BODY_SHA256);
  });

  it('computes the documented signature', async () => {
    expect(await sign(DOC.secretKey, canonical, DOC.date)).toBe(DOC.signature);
  });

  it('the client signer produces the documented Authorization header byte for byte', async () => {
    const signer = createSigner(
      { accessKey: DOC.accessKey, secretKey: DOC.secretKey },
      { now: () => new Date(Date.UTC(2019, 10, 15, 3, 36, 55)) },
    );
    const signed = await signer(new Request(DOC.url, { headers: { 'Content-Type': 'application/json' } }));
    expect(signed.headers.get('X-Sdk-Date')).toBe(DOC.date);
    expect(signed.headers.get('Authorization')).toBe(
      `SDK-HMAC-SHA256 Access=${DOC.accessKey}, SignedHeaders=content-type;host;x-sdk-date, Signature=${DOC.signature}`,
    );
  });
});

describe('Go SDK vectors (core/auth/signer/signer_test.go)', () => {
  const date = '20060102T150405Z';
  it('GET with an unsigned underscore header', async () => {
    const headers = new Headers({ 'X-Sdk-Date': date, TEST_UNDERSCORE: 'TEST_VALUE' });
    const canonical = canonicalRequest({
      method: 'GET',
      url: 'https://example.huaweicloud.com/path?limit=1',
      headers,
      signedHeaders: ['x-sdk-date'],
      payloadHash: EMPTY_BODY_SHA256,
    });
    const sig = await sign('SecretKey', canonical, date);
    expect(authorizationHeader('AccessKey', ['x-sdk-date'], sig)).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
  });

  it('POST with a JSON body hashed byte for byte (trailing newline included)', async () => {
    const body = new TextEncoder().encode('{"Name":"test","Id":1}\n');
    const input = {
      method: 'POST',
      url: 'https://example.huaweicloud.com/path?key=value',
      headers: new Headers({ 'X-Sdk-Date': date, 'Content-Type': 'application/json' }),
      signedHeaders: ['x-sdk-date'],
    };
    const withNewline = await sign(
      'SecretKey',
      canonicalRequest({ ...input, payloadHash: await sha256Hex(body) }),
      date,
    );
    expect(withNewline).toBe('cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59');
    const without = await sign(
      'SecretKey',
      canonicalRequest({ ...input, payloadHash: await sha256Hex(body.subarray(0, -1)) }),
      date,
    );
    expect(without.startsWith('83599e52')).toBe(true);
  });
});

describe('canonical pieces', () => {
  it('percent-encodes every byte but the unreserved ones, in upper-case hex', () => {
    expect(escape("a-_.~ b!'()*/é")).toBe('a-_.~%20b%21%27%28%29%2A%2F%C3%A9');
  });
  it('re-encodes path segments and always ends the URI with a slash', () => {
    expect(canonicalUri('/v2/p/instances/a%20b/registries')).toBe('/v2/p/instances/a%20b/registries/');
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('/x/')).toBe('/x/');
  });
  it('sorts query pairs by key then value and encodes both', () => {
    expect(canonicalQuery('?b=2&a=z&a=y&name=a%20b&e=')).toBe('a=y&a=z&b=2&e=&name=a%20b');
    expect(canonicalQuery('')).toBe('');
  });
  it('formats and parses X-Sdk-Date', () => {
    const date = new Date(Date.UTC(2026, 10, 28, 9, 5, 7));
    expect(formatSdkDate(date)).toBe('20261128T090507Z');
    expect(parseSdkDate('20261128T090507Z')?.getTime()).toBe(date.getTime());
    expect(parseSdkDate('2026-11-28T09:05:07Z')).toBeUndefined();
    expect(parseSdkDate('20261332T090507Z')).toBeUndefined();
  });
  it('parses an Authorization header and refuses others', () => {
    expect(
      parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=${'AB'.repeat(32)}`),
    ).toEqual({
      accessKey: 'AK',
      signedHeaders: ['host', 'x-sdk-date'],
      signature: 'ab'.repeat(32),
    });
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=AK, Signature=00')).toBeUndefined();
  });
});

describe('the client signer', () => {
  it('signs host, x-sdk-date, x-project-id and x-security-token, fresh each time', async () => {
    let clock = Date.UTC(2026, 0, 1, 0, 0, 0);
    const signer = createSigner(
      { accessKey: 'AK', secretKey: 'SK', securityToken: 'STS-TOKEN' },
      { projectId: 'p1', now: () => new Date(clock) },
    );
    const request = new Request('http://127.0.0.1:9/v2/p1/instances/i1/registries?limit=10&offset=0', {
      headers: { 'User-Agent': 'x', Authorization: 'stale' },
    });
    const first = await signer(request);
    clock += 1000;
    const second = await signer(request);
    const a = parseAuthorization(first.headers.get('Authorization')!)!;
    expect(a.signedHeaders).toEqual(['host', 'x-project-id', 'x-sdk-date', 'x-security-token']);
    expect(first.headers.get('X-Project-Id')).toBe('p1');
    expect(first.headers.get('X-Security-Token')).toBe('STS-TOKEN');
    expect(first.headers.get('X-Sdk-Date')).toBe('20260101T000000Z');
    expect(second.headers.get('X-Sdk-Date')).toBe('20260101T000001Z');
    expect(second.headers.get('Authorization')).not.toBe(first.headers.get('Authorization'));
    expect(request.headers.get('Authorization')).toBe('stale');
  });
});

describe('the canonical query', () => {
  it('is the same whether or not it takes the fast path (property)', async () => {
    const { default: fc } = await import('fast-check');
    const { escape: encode } = await import('../../src/auth/canonical.js');
    const reference = (search: string) => {
      const pairs = [...new URLSearchParams(search)];
      pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
      return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    };
    const part = fc.string({ unit: fc.constantFrom(...'abAZ09-_.~=&?/: é'.split('')), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const search = `?${parts.join('&')}`;
        expect(canonicalQuery(search)).toBe(reference(search));
      }),
      { numRuns: 500, seed: 14 },
    );
  });
});

describe('the canonical request of a URL string', () => {
  it('is the one of the parsed URL: the string is cut, not parsed again (property)', async () => {
    const { default: fc } = await import('fast-check');
    const headers = new Headers({ 'X-Sdk-Date': '20260101T000000Z' });
    const of = (url: string | URL) =>
      canonicalRequest({ method: 'GET', url, headers, signedHeaders: ['host', 'x-sdk-date'], payloadHash: 'h' });
    const host = fc.constantFrom(
      'h.example.com',
      'h.example.com:8443',
      '127.0.0.1:9',
      '[::1]:8080',
      'user:pw@h.example',
    );
    const piece = fc.string({ unit: fc.constantFrom(...'aZ09-_.~%20/?#&=+é'.split('')), maxLength: 10 });
    fc.assert(
      fc.property(fc.constantFrom('http', 'https'), host, piece, piece, (scheme, authority, path, rest) => {
        // As a Request or URL holds it: normalised, perhaps with a fragment, which is never sent.
        const href = new URL(`${scheme}://${authority}/${path}${rest}`).href;
        expect(of(href)).toBe(of(new URL(href)));
      }),
      { numRuns: 1000, seed: 14 },
    );
  });
});

describe('X-Sdk-Date of the signer with the system clock', () => {
  it('follows the clock from one second to the next', async () => {
    const { vi } = await import('vitest');
    const { createHeaderSigner } = await import('../../src/auth/sign.js');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const sign = createHeaderSigner();
      const dateOf = async () => {
        const target = { method: 'GET', url: 'http://127.0.0.1:9/v2/p', headers: new Headers() };
        await sign(target, { accessKey: 'AK', secretKey: 'SK' });
        return target.headers.get('X-Sdk-Date');
      };
      vi.setSystemTime(Date.UTC(2026, 10, 29, 23, 59, 59, 998));
      expect(await dateOf()).toBe('20261129T235959Z');
      vi.setSystemTime(Date.UTC(2026, 10, 29, 23, 59, 59, 999));
      expect(await dateOf()).toBe('20261129T235959Z');
      vi.setSystemTime(Date.UTC(2026, 10, 30, 0, 0, 0, 0));
      expect(await dateOf()).toBe('20261130T000000Z');
      vi.setSystemTime(Date.UTC(2025, 0, 1, 0, 0, 0, 0)); // a clock set back
      expect(await dateOf()).toBe('20250101T000000Z');
    } finally {
      vi.useRealTimers();
    }
  });
});
