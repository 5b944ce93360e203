import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwrClient, SwrValidationError } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { clientFor } from '../helpers/clients.js';
import { spec } from '../helpers/spec.js';
import { ORDER_COLUMNS, ORDER_TYPES } from '../../src/validate.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 5 });
});
afterAll(() => emu.close());

const bad: Array<[string, string | undefined, unknown, string, RegExp]> = [
  ['empty instance id', '', {}, 'instanceId', /non-empty/],
  ['"." instance id', '.', {}, 'instanceId', /"\." or "\.\."/],
  ['".." instance id', '..', {}, 'instanceId', /"\." or "\.\."/],
  ['limit 0', undefined, { limit: 0, offset: 0 }, 'limit', /1 to 100/],
  ['limit 101', undefined, { limit: 101, offset: 0 }, 'limit', /1 to 100/],
  ['limit 2.5', undefined, { limit: 2.5, offset: 0 }, 'limit', /integer/],
  ['limit "10"', undefined, { limit: '10', offset: 0 }, 'limit', /integer/],
  ['negative offset', undefined, { limit: 10, offset: -10 }, 'offset', /from 0/],
  ['non-multiple offset', undefined, { limit: 10, offset: 15 }, 'offset', /multiple of limit/],
  ['offset without limit', undefined, { offset: 0 }, 'limit', /together with offset/],
  ['limit without offset', undefined, { limit: 10 }, 'offset', /together with limit/],
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

  it('the runtime enum lists are the spec enums', () => {
    const params = spec.components.parameters;
    expect([...ORDER_COLUMNS]).toEqual(params.order_column.schema.enum);
    expect([...ORDER_TYPES]).toEqual(params.order_type.schema.enum);
  });
});
