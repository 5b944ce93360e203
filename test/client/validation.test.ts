import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwrClient, SwrValidationError } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientFor } from '../helpers/clients.js';
import { spec } from '../helpers/spec.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 5 } });
});
afterAll(() => emu.close());

const bad: Array<[string, string | undefined, unknown, string, RegExp]> = [
  ['empty instance id', '', {}, 'instance_id', /non-empty/],
  ['"." instance id', '.', {}, 'instance_id', /"\." or "\.\."/],
  ['".." instance id', '..', {}, 'instance_id', /"\." or "\.\."/],
  ['instance id with a trailing space', 'abc ', {}, 'instance_id', /white space/],
  ['instance id with a lone surrogate', 'ab\ud800', {}, 'instance_id', /well-formed/],
  ['limit 0', undefined, { limit: 0, offset: 0 }, 'limit', /1 to 100/],
  ['limit 101', undefined, { limit: 101, offset: 0 }, 'limit', /1 to 100/],
  ['limit 2.5', undefined, { limit: 2.5, offset: 0 }, 'limit', /integer/],
  ['limit "10"', undefined, { limit: '10', offset: 0 }, 'limit', /integer/],
  ['negative offset', undefined, { limit: 10, offset: -10 }, 'offset', /from 0/],
  ['non-multiple offset', undefined, { limit: 10, offset: 15 }, 'offset', /multiple of limit/],
  ['offset without limit', undefined, { offset: 0 }, 'offset', /used together with limit/],
  ['limit without offset', undefined, { limit: 10 }, 'limit', /used together with offset/],
  ['offset beyond int32', undefined, { limit: 10, offset: 2 ** 31 }, 'offset', /from 0 to 2147483647/],
  ['order_type without order_column', undefined, { order_type: 'asc' }, 'order_type', /together with order_column/],
  ['unknown order_column', undefined, { order_column: 'size' }, 'order_column', /one of created_at, updated_at, name/],
  ['unknown order_type', undefined, { order_column: 'name', order_type: 'up' }, 'order_type', /one of desc, asc/],
  ['a misspelt parameter', undefined, { limt: 10 }, 'limt', /not a query parameter/],
  ['a non-string name', undefined, { name: 5 }, 'name', /string/],
];

describe('validation before any request', () => {
  it.each(bad)('%s', async (_label, instanceId, query, field, rule) => {
    const swr = clientFor(emu);
    emu.resetStats();
    const error = await swr.listRegistries(instanceId ?? emu.instanceId, query as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwrValidationError);
    expect((error as SwrValidationError).field).toBe(field);
    expect((error as SwrValidationError).message).toMatch(rule);
    expect((error as SwrValidationError).message.startsWith(field)).toBe(true);
    expect(emu.stats.requests).toBe(0);
  });

  it('walkers validate too, before any request', async () => {
    const swr = clientFor(emu);
    emu.resetStats();
    expect(() => swr.pages('..')).toThrow(SwrValidationError);
    await expect(swr.listAllRegistries(emu.instanceId, {}, { pageSize: 0 })).rejects.toMatchObject({
      field: 'pageSize',
    });
    await expect(swr.listAllRegistries(emu.instanceId, {}, { concurrency: 1000 })).rejects.toMatchObject({
      field: 'concurrency',
    });
    await expect(swr.listAllRegistries(emu.instanceId, { limit: 5 } as never)).rejects.toMatchObject({
      field: 'limit',
    });
    expect(emu.stats.requests).toBe(0);
  });

  it('bad client options are refused with the field named, secrets never echoed', () => {
    const cases: Array<[object, string]> = [
      [{ endpoint: emu.url, auth: { token: 't' } }, 'projectId'],
      [{ endpoint: emu.url, projectId: 'p' }, 'auth'],
      [{ endpoint: emu.url, projectId: 'p', auth: { token: '' } }, 'auth.token'],
      [{ endpoint: emu.url, projectId: 'p', auth: { accessKey: 'AK', secretKey: '' } }, 'auth.secretKey'],
      [{ endpoint: emu.url, projectId: 'p', auth: { token: 't' }, timeoutMs: -1 }, 'timeoutMs'],
      [{ projectId: 'p', auth: { token: 't' } }, 'region'],
      [{ region: 'xx-nowhere-1', projectId: 'p', auth: { token: 't' } }, 'region'],
      [{ endpoint: 'not a url', projectId: 'p', auth: { token: 't' } }, 'endpoint'],
    ];
    for (const [options, field] of cases) {
      expect(() => createSwrClient(options as never), field).toThrow(expect.objectContaining({ field }));
    }
  });

  it('states each rule with the values and bounds of the spec itself', async () => {
    const params = spec.components.parameters;
    const swr = clientFor(emu);
    const error = await swr.listRegistries(emu.instanceId, { order_column: 'size' } as never).catch((e) => e);
    expect(error.rule).toBe(`must be one of ${params.order_column.schema.enum.join(', ')}`);
    const limit = await swr.listRegistries(emu.instanceId, { limit: 0, offset: 0 }).catch((e) => e);
    expect(limit.rule).toBe(`must be an integer from ${params.limit.schema.minimum} to ${params.limit.schema.maximum}`);
  });

  it('lists every broken rule on the error, the first one in its message', async () => {
    const error = (await clientFor(emu)
      .listRegistries(emu.instanceId, { limit: 500, offset: 3, order_type: 'up' } as never)
      .catch((e: unknown) => e)) as SwrValidationError;
    // Every rule at once: the bound, the multiple of limit, the enum and the pairing.
    expect(error.problems.map((p) => p.path).sort()).toEqual(['limit', 'offset', 'order_type', 'order_type']);
    expect(error.message).toBe('limit must be an integer from 1 to 100 (got 500); and 3 more');
  });
});
