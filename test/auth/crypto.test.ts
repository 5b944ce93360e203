// Both hash implementations (node:crypto for Node, Web Crypto for everything else) give the same
// bytes, pinned by the published vectors: Huawei's documented example and the Go SDK's tests.
import { describe, expect, it } from 'vitest';
import { canonicalRequest, EMPTY_BODY_SHA256 } from '../../src/auth/canonical.js';
import * as node from '../../src/auth/crypto-node.js';
import * as web from '../../src/auth/crypto-web.js';

const DOC = {
  url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
  secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
  date: '20191115T033655Z',
  canonicalHash: 'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
  signature: '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
};
const GO = { date: '20060102T150405Z', secretKey: 'SecretKey' };

interface Implementation {
  importKey(secret: string): unknown;
  sha256Hex(data: string | Uint8Array): string | Promise<string>;
  hmacHex(key: never, data: string): string | Promise<string>;
}

const implementations: Array<[string, Implementation]> = [
  ['node:crypto', node satisfies Implementation],
  ['Web Crypto', web satisfies Implementation],
];

async function sign(impl: Implementation, secretKey: string, canonical: string, date: string) {
  const toSign = `SDK-HMAC-SHA256\n${date}\n${await impl.sha256Hex(canonical)}`;
  return impl.hmacHex(impl.importKey(secretKey) as never, toSign);
}

describe.each(implementations)('%s', (_name, impl) => {
  it("gives Huawei's documented canonical hash and signature", async () => {
    const canonical = canonicalRequest({
      method: 'GET',
      url: DOC.url,
      headers: new Headers({ 'Content-Type': 'application/json', 'X-Sdk-Date': DOC.date }),
      signedHeaders: ['content-type', 'host', 'x-sdk-date'],
      payloadHash: EMPTY_BODY_SHA256,
    });
    expect(await impl.sha256Hex(canonical)).toBe(DOC.canonicalHash);
    expect(await impl.sha256Hex('')).toBe(EMPTY_BODY_SHA256);
    expect(await sign(impl, DOC.secretKey, canonical, DOC.date)).toBe(DOC.signature);
  });

  it("gives the Go SDK's signatures, with and without a body (bytes hashed as sent)", async () => {
    const get = canonicalRequest({
      method: 'GET',
      url: 'https://example.huaweicloud.com/path?limit=1',
      headers: new Headers({ 'X-Sdk-Date': GO.date, TEST_UNDERSCORE: 'TEST_VALUE' }),
      signedHeaders: ['x-sdk-date'],
      payloadHash: EMPTY_BODY_SHA256,
    });
    expect(await sign(impl, GO.secretKey, get, GO.date)).toBe(
      '5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
    const body = new TextEncoder().encode('{"Name":"test","Id":1}\n');
    const post = (payloadHash: string) =>
      canonicalRequest({
        method: 'POST',
        url: 'https://example.huaweicloud.com/path?key=value',
        headers: new Headers({ 'X-Sdk-Date': GO.date, 'Content-Type': 'application/json' }),
        signedHeaders: ['x-sdk-date'],
        payloadHash,
      });
    expect(await sign(impl, GO.secretKey, post(await impl.sha256Hex(body)), GO.date)).toBe(
      'cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    );
    const withoutNewline = await sign(impl, GO.secretKey, post(await impl.sha256Hex(body.subarray(0, -1))), GO.date);
    expect(withoutNewline.startsWith('83599e52')).toBe(true);
  });

  it('hashes text as UTF-8, the same as its bytes', async () => {
    expect(await impl.sha256Hex('héllo ✓')).toBe(await impl.sha256Hex(new TextEncoder().encode('héllo ✓')));
  });
});
