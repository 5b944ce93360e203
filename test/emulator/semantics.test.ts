import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Registry } from '../../generated/schema.js';
import { responseValidator } from '../helpers/spec.js';

let emu: Emulator;
const list = (query = '', headers: Record<string, string> = {}, instance = emu.instanceId, project = emu.projectId) =>
  fetch(`${emu.url}/v2/${project}/instances/${instance}/registries${query}`, {
    headers: { 'X-Auth-Token': emu.token!, ...headers },
  });

beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 250 } });
});
afterAll(() => emu.close());

describe('scoping', () => {
  it('answers 404 in the SWR format for an unknown instance or project', async () => {
    for (const response of [
      await list('', {}, 'no-such-instance'),
      await list('', {}, emu.instanceId, 'no-such-project'),
    ]) {
      expect(response.status).toBe(404);
      const body = await response.json();
      expect(body.error_code).toMatch(/^SVCSTG\.SWR\.404/);
      expect(responseValidator(404)(body)).toBe(true);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('answers 404 APIGW.0101 for a path that is not the API', async () => {
    const response = await fetch(`${emu.url}/v2/${emu.projectId}/instances`, {
      headers: { 'X-Auth-Token': emu.token! },
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error_code).toBe('APIGW.0101');
  });
});

describe('defaults, sorting and filtering', () => {
  it('returns 10 registries, newest first, and the total', async () => {
    const body = await (await list()).json();
    expect(body.total).toBe(250);
    expect(body.registries).toHaveLength(10);
    const stamps = body.registries.map((r: Registry) => r.created_at);
    expect([...stamps].sort().reverse()).toEqual(stamps);
  });

  it.each([
    ['created_at', 'asc'],
    ['created_at', 'desc'],
    ['updated_at', 'asc'],
    ['updated_at', 'desc'],
    ['name', 'asc'],
    ['name', 'desc'],
  ] as const)('walks every page by %s %s with no overlap and no gap, ties broken by id', async (column, order) => {
    const seen: Registry[] = [];
    for (let offset = 0; offset < 250; offset += 30) {
      const body = await (await list(`?order_column=${column}&order_type=${order}&offset=${offset}&limit=30`)).json();
      seen.push(...body.registries);
    }
    expect(new Set(seen.map((r) => r.id)).size).toBe(250);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      const [x, y] = [a[column]!, b[column]!];
      const cmp = x < y ? -1 : x > y ? 1 : Math.sign(a.id! - b.id!);
      expect(cmp, `${a.id} before ${b.id}`).toBe(order === 'asc' ? -1 : 1);
    }
  });

  it('seeded data has equal timestamps, so the tie-break matters', () => {
    const all = emu.store.items(emu, 'registry')!;
    expect(new Set(all.map((r) => r.created_at)).size).toBeLessThan(all.length);
  });

  it('matches name fuzzily (case-insensitive substring) and type exactly; total counts the filtered set', async () => {
    const all = emu.store.items(emu, 'registry')!;
    const byName = await (await list('?name=HARBOR-DR&offset=0&limit=100')).json();
    const expected = all.filter((r) => r.name!.toLowerCase().includes('harbor-dr'));
    expect(byName.total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    expect(byName.registries.every((r: Registry) => r.name!.includes('harbor-dr'))).toBe(true);
    const byType = await (await list('?type=huawei-SWR&offset=0&limit=100')).json();
    expect(byType.total).toBe(all.filter((r) => r.type === 'huawei-SWR').length);
    expect((await (await list('?type=huawei-swr')).json()).total).toBe(0);
  });

  it('never returns access_secret in clear: a non-empty mask, as Harbor answers', async () => {
    const body = await (await list('?offset=0&limit=100')).json();
    const withCredential = body.registries.filter((r: Registry) => r.credential);
    expect(withCredential.length).toBeGreaterThan(50);
    expect(withCredential.every((r: Registry) => r.credential!.access_secret === '*****')).toBe(true);
    expect(emu.store.items(emu, 'registry')![0]!.credential!.access_secret).not.toMatch(/^\*+$|^$/);
  });

  it('seeds realistic data: three types, both statuses, insecure both ways, basic credentials, from the spec examples', () => {
    const all = emu.store.items(emu, 'registry')!;
    expect(new Set(all.map((r) => r.type))).toEqual(new Set(['swr-pro', 'swr-pro-internal', 'huawei-SWR']));
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(['healthy', 'unhealthy']));
    expect(new Set(all.map((r) => r.insecure))).toEqual(new Set([true, false]));
    expect(new Set(all.map((r) => r.credential?.type))).toEqual(new Set(['basic']));
  });
});

describe('query rules: 400 naming the parameter and the rule', () => {
  it.each([
    ['?limit=abc&offset=0', 'limit', /integer from 1 to 100/],
    ['?limit=1e3&offset=0', 'limit', /integer from 1 to 100/],
    ['?limit=0&offset=0', 'limit', /integer from 1 to 100/],
    ['?limit=101&offset=0', 'limit', /integer from 1 to 100/],
    ['?limit=10&offset=-10', 'offset', /integer from 0/],
    ['?limit=10&offset=15', 'offset', /0 or a multiple of limit/],
    ['?limit=10', 'limit', /used together with offset/],
    ['?offset=10', 'offset', /used together with limit/],
    ['?limit=10&limit=20&offset=0', 'limit', /at most once/],
    ['?order_column=size', 'order_column', /one of created_at, updated_at, name/],
    ['?order_column=name&order_type=up', 'order_type', /one of desc, asc/],
    ['?order_type=asc', 'order_type', /together with order_column/],
    ['?name=%ZZ', 'query', /malformed/],
  ])('%s', async (query, parameter, rule) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error_code).toBe('SVCSTG.SWR.4000014');
    expect(body.error_msg).toContain(`Invalid parameter ${parameter}`);
    expect(body.error_msg).toMatch(rule);
    expect(responseValidator(400)(body)).toBe(true);
  });
});

describe('CORS', () => {
  it('answers a preflight from another localhost origin and exposes X-Request-Id', async () => {
    const preflight = await fetch(`${emu.url}/v2/p/instances/i/registries`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Headers': 'x-auth-token, x-sdk-date' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Auth-Token/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Sdk-Date/);
    expect((await list()).headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);
  });
});

describe('every body validates against the bundled spec', () => {
  it('for many generated requests', async () => {
    const value = fc.oneof(
      fc.constantFrom('0', '10', '20', '100', '101', '-1', 'abc', '1e3', ''),
      fc.nat(300).map(String),
    );
    const query = fc.record(
      {
        order_column: fc.constantFrom('created_at', 'updated_at', 'name', 'size'),
        order_type: fc.constantFrom('asc', 'desc', 'up'),
        name: fc.constantFrom('harbor', 'SWR', 'zzz', ''),
        type: fc.constantFrom('swr-pro', 'swr-pro-internal', 'huawei-SWR', 'docker-hub'),
        offset: value,
        limit: value,
      },
      { requiredKeys: [] },
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom('token', 'none', 'bad'), async (q, auth) => {
        const search = new URLSearchParams(q as Record<string, string>).toString();
        const headers: Record<string, string> =
          auth === 'token' ? {} : auth === 'bad' ? { 'X-Auth-Token': 'nope' } : {};
        const response = await fetch(
          `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries?${search}`,
          {
            headers: auth === 'token' ? { 'X-Auth-Token': emu.token! } : headers,
          },
        );
        statuses.add(response.status);
        const validate = responseValidator(response.status);
        const body = await response.json();
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
        expect(response.headers.get('x-request-id')).toBeTruthy();
      }),
      { numRuns: 300, seed: 42 },
    );
    expect([...statuses].sort()).toEqual([200, 400, 401]);
  });
});

describe('changing data while it runs', () => {
  it('adds and removes registries', async () => {
    const local = await startEmulator({ items: { registry: 3 } });
    try {
      const added = local.add('registry', { name: 'added-later' });
      expect(added.id).toBe(4);
      expect(local.store.remove(local, 'registry', 1)).toBe(true);
      const body = await (
        await fetch(`${local.url}/v2/${local.projectId}/instances/${local.instanceId}/registries`, {
          headers: { 'X-Auth-Token': local.token! },
        })
      ).json();
      expect(body.total).toBe(3);
      expect(body.registries.map((r: Registry) => r.id).sort()).toEqual([2, 3, 4]);
      expect(responseValidator(200)(body)).toBe(true);
    } finally {
      await local.close();
    }
  });
});
