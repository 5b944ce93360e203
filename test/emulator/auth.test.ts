import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner } from '../../src/auth/sign.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MAX_SKEW_MS, verifySignature } from '../../src/emulator/auth.js';
import { responseValidator } from '../helpers/spec.js';

let emu: Emulator;
let clock = Date.now();
const OTHER_PROJECT = 'aaaabbbbccccddddeeeeffff00001111';

beforeAll(async () => {
  emu = await startEmulator({
    items: { registry: 5 },
    now: () => clock,
    instances: [{ projectId: OTHER_PROJECT, instanceId: 'other-instance', items: { registry: 2 } }],
    tokens: [
      { token: 'good-token' },
      { token: 'old-token', expiresAt: '2020-01-01T00:00:00Z' },
      { token: 'scoped-token', projects: [OTHER_PROJECT] },
    ],
    credentials: [
      { accessKey: 'AKPERMANENT000000001', secretKey: 'sk-permanent' },
      { accessKey: 'AKTEMPORARY000000002', secretKey: 'sk-temporary', securityToken: 'sts-token-value' },
      { accessKey: 'AKSCOPED000000000003', secretKey: 'sk-scoped', projects: [OTHER_PROJECT] },
    ],
  });
});
afterAll(() => emu.close());

const url = (query = '?limit=5&offset=0') =>
  `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries${query}`;

async function expectGateway401(response: Response, message: RegExp) {
  expect(response.status).toBe(401);
  const body = await response.json();
  expect(body.error_code).toBe('APIGW.0301');
  expect(body.error_msg).toMatch(message);
  expect(body.request_id).toBe(response.headers.get('x-request-id'));
  expect(responseValidator(401)(body)).toBe(true);
}

describe('X-Auth-Token', () => {
  it('accepts a known token', async () => {
    expect((await fetch(url(), { headers: { 'X-Auth-Token': 'good-token' } })).status).toBe(200);
  });
  it('401 when missing or unknown', async () => {
    await expectGateway401(await fetch(url()), /x-auth-token not found/);
    await expectGateway401(await fetch(url(), { headers: { 'X-Auth-Token': 'forged' } }), /decrypt token fail/);
  });
  it('401 with an expiry message when expired', async () => {
    await expectGateway401(
      await fetch(url(), { headers: { 'X-Auth-Token': 'old-token' } }),
      /token expires, expires_at: 2020-01-01/,
    );
  });
  it('403 without rights on the project', async () => {
    const response = await fetch(url(), { headers: { 'X-Auth-Token': 'scoped-token' } });
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error_code).toBe('SVCSTG.SWR.4030170');
    expect(body.encoded_authorization_message).toBeTruthy();
    expect(responseValidator(403)(body)).toBe(true);
  });
});

describe('AK/SK signing', () => {
  const signer = (accessKey: string, secretKey: string, extra: { securityToken?: string; at?: number } = {}) =>
    createSigner(
      { accessKey, secretKey, ...(extra.securityToken && { securityToken: extra.securityToken }) },
      { projectId: emu.projectId, now: () => new Date(extra.at ?? clock) },
    );

  it('accepts a request signed by the client signer (round trip)', async () => {
    const response = await fetch(await signer('AKPERMANENT000000001', 'sk-permanent')(new Request(url())));
    expect(response.status).toBe(200);
    expect((await response.json()).registries).toHaveLength(5);
  });

  it('accepts temporary credentials only with their signed security token', async () => {
    expect(
      (
        await fetch(
          await signer('AKTEMPORARY000000002', 'sk-temporary', { securityToken: 'sts-token-value' })(
            new Request(url()),
          ),
        )
      ).status,
    ).toBe(200);
    await expectGateway401(
      await fetch(await signer('AKTEMPORARY000000002', 'sk-temporary')(new Request(url()))),
      /verify aksk signature fail/,
    );
  });

  it('rejects a wrong secret key', async () => {
    await expectGateway401(
      await fetch(await signer('AKPERMANENT000000001', 'sk-wrong')(new Request(url()))),
      /verify aksk signature fail/,
    );
  });

  it('rejects an unknown access key', async () => {
    await expectGateway401(await fetch(await signer('AKUNKNOWN', 'x')(new Request(url()))), /ak not exist/);
  });

  it('rejects a tampered query and a tampered path', async () => {
    const signed = await signer('AKPERMANENT000000001', 'sk-permanent')(new Request(url('?limit=5&offset=0')));
    await expectGateway401(
      await fetch(new Request(url('?limit=5&offset=5'), { headers: signed.headers })),
      /verify aksk signature fail/,
    );
    const other = `${emu.url}/v2/${emu.projectId}/instances/other/registries?limit=5&offset=0`;
    await expectGateway401(await fetch(new Request(other, { headers: signed.headers })), /verify aksk signature fail/);
  });

  it('rejects a tampered signed header', async () => {
    const signed = await signer('AKPERMANENT000000001', 'sk-permanent')(new Request(url()));
    const headers = new Headers(signed.headers);
    headers.set('X-Project-Id', OTHER_PROJECT);
    await expectGateway401(await fetch(url(), { headers }), /verify aksk signature fail/);
  });

  it('rejects a date more than 15 minutes off, either way, and accepts one just inside', async () => {
    for (const skew of [MAX_SKEW_MS + 1000, -(MAX_SKEW_MS + 1000)]) {
      const signed = await signer('AKPERMANENT000000001', 'sk-permanent', { at: clock + skew })(new Request(url()));
      await expectGateway401(await fetch(signed), /signature expired/);
    }
    const inside = await signer('AKPERMANENT000000001', 'sk-permanent', { at: clock - MAX_SKEW_MS + 5000 })(
      new Request(url()),
    );
    expect((await fetch(inside)).status).toBe(200);
  });

  it('rejects a malformed Authorization and a missing X-Sdk-Date', async () => {
    await expectGateway401(
      await fetch(url(), { headers: { Authorization: 'SDK-HMAC-SHA256 garbage' } }),
      /verify aksk signature fail/,
    );
    const signed = await signer('AKPERMANENT000000001', 'sk-permanent')(new Request(url()));
    const headers = new Headers(signed.headers);
    headers.delete('X-Sdk-Date');
    await expectGateway401(await fetch(url(), { headers }), /verify aksk signature fail/);
  });

  it('403 for credentials without rights on the project', async () => {
    const response = await fetch(await signer('AKSCOPED000000000003', 'sk-scoped')(new Request(url())));
    expect(response.status).toBe(403);
  });
});

describe('the verifier against published vectors', () => {
  const headersOf = (h: Record<string, string>) => {
    const headers = new Headers(h);
    return { get: (name: string) => headers.get(name) };
  };

  it("accepts Huawei's documented request and rejects it once altered", async () => {
    const request = {
      method: 'GET',
      url: new URL(
        'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      ),
      headers: headersOf({
        'Content-Type': 'application/json',
        Host: 'service.region.example.com',
        'X-Sdk-Date': '20191115T033655Z',
      }),
      body: new Uint8Array(),
    };
    const authorization =
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe';
    const config = {
      credentials: [{ accessKey: 'QTWAOYTTINDUT2QVKYUC', secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' }],
      now: Date.UTC(2019, 10, 15, 3, 40, 0),
      requestId: 'r',
    };
    expect(await verifySignature(request, authorization, config)).toEqual({ kind: 'aksk' });
    const altered = { ...request, url: new URL(request.url.href.replace('limit=2', 'limit=3')) };
    expect(await verifySignature(altered, authorization, config)).toMatchObject({ status: 401 });
  });

  it('accepts both Go SDK vectors, body hash included', async () => {
    const config = {
      credentials: [{ accessKey: 'AccessKey', secretKey: 'SecretKey' }],
      now: Date.UTC(2006, 0, 2, 15, 4, 5),
      requestId: 'r',
    };
    const get = {
      method: 'GET',
      url: new URL('https://example.huaweicloud.com/path?limit=1'),
      headers: headersOf({ 'X-Sdk-Date': '20060102T150405Z' }),
      body: new Uint8Array(),
    };
    expect(
      await verifySignature(
        get,
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
        config,
      ),
    ).toEqual({ kind: 'aksk' });
    const post = {
      method: 'POST',
      url: new URL('https://example.huaweicloud.com/path?key=value'),
      headers: headersOf({ 'X-Sdk-Date': '20060102T150405Z', 'Content-Type': 'application/json' }),
      body: new TextEncoder().encode('{"Name":"test","Id":1}\n'),
    };
    const postAuth =
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59';
    expect(await verifySignature(post, postAuth, config)).toEqual({ kind: 'aksk' });
    expect(await verifySignature({ ...post, body: post.body.subarray(0, -1) }, postAuth, config)).toMatchObject({
      status: 401,
    });
  });
});
