import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { rawRequest } from '../helpers/http.js';
import { responseValidator } from '../helpers/spec.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 40 } });
});
afterAll(() => emu.close());

const documented = new Set([200, 400, 401, 403, 404, 429, 500]);

describe('robustness', () => {
  it('answers random paths, queries, headers and bodies with a well-formed JSON error or a valid 200', async () => {
    const segment = fc.oneof(
      fc.constantFrom('v2', 'instances', 'registries', '..', '.', '%2F', '%ZZ', '%00', ''),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => encodeURIComponent(s)),
    );
    const apiPath = fc.constant(`/v2/${'P'}/instances/${'I'}/registries`);
    const path = fc.oneof(
      fc.array(segment, { maxLength: 7 }).map((parts) => `/${parts.join('/')}`),
      apiPath,
    );
    const query = fc.array(
      fc.tuple(
        fc.constantFrom('limit', 'offset', 'order_column', 'order_type', 'name', 'type', 'x', '', '%'),
        fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
      ),
      { maxLength: 6 },
    );
    const headerValue = fc.string({ unit: fc.constantFrom(...'abcAZ09-_=;, /+'.split('')), maxLength: 40 });
    const headers = fc.record(
      {
        'x-auth-token': fc.oneof(fc.constant('TOKEN'), headerValue),
        authorization: fc.oneof(
          headerValue,
          fc.constant('SDK-HMAC-SHA256 Access=EMULATORACCESSKEY001, SignedHeaders=x-sdk-date, Signature=00'),
        ),
        'x-sdk-date': fc.oneof(headerValue, fc.constant('20260101T000000Z')),
        'content-type': fc.constantFrom('application/json', 'text/plain'),
      },
      { requiredKeys: [] },
    );
    const method = fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH');
    const body = fc.option(fc.string({ maxLength: 200 }), { nil: undefined });

    await fc.assert(
      fc.asyncProperty(method, path, query, headers, body, async (m, p, q, h, b) => {
        const realPath = p.replace('/P/', `/${emu.projectId}/`).replace('/I/', `/${emu.instanceId}/`);
        const search = q.map(([k, v]) => `${k}=${v.replace(/[#\s]/g, '')}`).join('&');
        const hdrs = { ...h } as Record<string, string>;
        if (hdrs['x-auth-token'] === 'TOKEN') hdrs['x-auth-token'] = emu.token!;
        const answer = await rawRequest(emu.url, {
          method: m,
          path: search ? `${realPath}?${search}` : realPath,
          headers: hdrs,
          ...(b !== undefined && m !== 'GET' && m !== 'HEAD' && { body: b }),
        });
        expect(answer.headers['x-request-id']).toBeTruthy();
        if (m === 'HEAD') return;
        const json = JSON.parse(answer.text);
        if (documented.has(answer.status)) {
          const validate = responseValidator(answer.status);
          expect(validate(json), `${answer.status} ${JSON.stringify(validate.errors)}`).toBe(true);
        } else {
          expect(typeof json.error_code).toBe('string');
          expect(typeof json.error_msg).toBe('string');
        }
      }),
      { numRuns: 400, seed: 7 },
    );
    const alive = await fetch(`${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`, {
      headers: { 'X-Auth-Token': emu.token! },
    });
    expect(alive.status).toBe(200);
  });

  it('answers bytes that are not HTTP with a JSON 400 and keeps serving', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(emu.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('\x16\x03\x01 not http at all\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error_code).toBe('APIGW.0201');
    const alive = await fetch(`${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`, {
      headers: { 'X-Auth-Token': emu.token! },
    });
    expect(alive.status).toBe(200);
  });

  it('answers an oversized body with 413 and oversized headers with 431, then keeps serving', async () => {
    const path = `/v2/${emu.projectId}/instances/${emu.instanceId}/registries`;
    const big = await rawRequest(emu.url, {
      method: 'GET',
      path,
      headers: { 'X-Auth-Token': emu.token! },
      body: Buffer.alloc(200_000, 97),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).error_code).toBe('APIGW.0201');
    const headers = await rawRequest(emu.url, {
      path,
      headers: { 'X-Auth-Token': emu.token!, 'X-Big': 'a'.repeat(20_000) },
    });
    expect(headers.status).toBe(431);
    expect(JSON.parse(headers.text).error_msg).toMatch(/too large/i);
    const longUrl = await rawRequest(emu.url, {
      path: `${path}?name=${'a'.repeat(20_000)}`,
      headers: { 'X-Auth-Token': emu.token! },
    });
    expect(longUrl.status).toBe(431);
    expect((await rawRequest(emu.url, { path, headers: { 'X-Auth-Token': emu.token! } })).status).toBe(200);
  });
});
