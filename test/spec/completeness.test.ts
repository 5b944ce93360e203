// Every parameter, constraint and field of Huawei's reference page (list-instance-registries.txt),
// as checked against api-facts.md, must be in the bundled spec with its type, enum, default and bounds.
import { describe, expect, it } from 'vitest';
import { spec } from '../helpers/spec.js';

const PATH = '/v2/{project_id}/instances/{instance_id}/registries';
const pathItem = spec.paths[PATH];
const operation = pathItem.get;

/** Follows a local `$ref` in the bundled document. */
function deref<T = any>(node: any): T {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((at: any, key: string) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return current;
}

const parameters = [...pathItem.parameters, ...operation.parameters].map((p: unknown) => deref(p));
const parameter = (name: string) => parameters.find((p: any) => p.name === name);

describe('the operation', () => {
  it('is ListInstanceRegistries, tagged, summarised and described with its IAM action', () => {
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([PATH, `${PATH}/{registry_id}`]));
    expect(operation.operationId).toBe('ListInstanceRegistries');
    expect(operation.tags).toHaveLength(1);
    expect(spec.tags.map((t: any) => t.name)).toContain(operation.tags[0]);
    expect(operation.summary).toMatch(/registries/i);
    expect(operation.description).toContain('swr:instance:listRegistries');
  });
});

describe('parameters', () => {
  const table: Array<[string, 'path' | 'query', boolean, Record<string, unknown>]> = [
    ['project_id', 'path', true, { type: 'string', minLength: 1 }],
    ['instance_id', 'path', true, { type: 'string', minLength: 1 }],
    [
      'order_column',
      'query',
      false,
      { type: 'string', enum: ['created_at', 'updated_at', 'name'], default: 'created_at' },
    ],
    ['order_type', 'query', false, { type: 'string', enum: ['desc', 'asc'], default: 'desc' }],
    ['name', 'query', false, { type: 'string' }],
    ['offset', 'query', false, { type: 'integer', format: 'int32', minimum: 0, default: 0 }],
    ['limit', 'query', false, { type: 'integer', format: 'int32', minimum: 1, maximum: 100, default: 10 }],
  ];
  it.each(table)('%s is in %s, required=%s, with its schema', (name, location, required, schema) => {
    const p = parameter(name);
    expect(p, name).toBeDefined();
    expect(p.in).toBe(location);
    expect(p.required ?? false).toBe(required);
    expect(deref(p.schema)).toMatchObject(schema);
  });

  it('type is a string with the three documented values, open to others', () => {
    const schema = deref(parameter('type').schema);
    const known = schema.anyOf.map(deref).find((s: any) => s.enum);
    expect(known.enum).toEqual(['swr-pro', 'swr-pro-internal', 'huawei-SWR']);
    expect(schema.anyOf).toContainEqual({ type: 'string' });
  });

  it('states the pairing rules in the descriptions', () => {
    for (const name of ['offset', 'limit']) {
      expect(parameter(name).description).toMatch(/used together/);
      expect(parameter(name).description).toMatch(/0 or a multiple of\s+`limit`/);
    }
    expect(parameter('order_type').description).toMatch(/together with `order_column`/);
    expect(parameter('name').description).toMatch(/fuzz/i);
  });
});

describe('security', () => {
  it('offers the IAM token and AK/SK signing as alternatives', () => {
    expect(spec.security).toEqual([{ iam_token: [] }, { aksk_signature: [] }]);
    const schemes = spec.components.securitySchemes;
    expect(schemes.iam_token).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' });
    expect(schemes.aksk_signature).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    for (const words of [
      'SDK-HMAC-SHA256',
      'X-Sdk-Date',
      'CanonicalRequest',
      'SignedHeaders',
      '15 minutes',
      'x-project-id',
    ]) {
      expect(schemes.aksk_signature.description).toContain(words);
    }
  });
});

describe('servers', () => {
  it('lists the 35 SDK regions, with eu-west-101 on its .eu endpoint', () => {
    const [regional, eu] = spec.servers;
    expect(regional.url).toBe('https://swr-api.{region}.myhuaweicloud.com');
    expect(regional.variables.region.enum).toHaveLength(34);
    expect(regional.variables.region.enum).not.toContain('eu-west-101');
    expect(regional.variables.region.enum).toEqual(
      expect.arrayContaining(['cn-north-4', 'af-south-1', 'sa-peru-1', 'eu-west-0']),
    );
    expect(eu.url).toBe('https://swr-api.eu-west-101.myhuaweicloud.eu');
  });
});

describe('responses', () => {
  it('documents 200, 400, 401, 403, 404, 429 and 500, each with X-Request-Id', () => {
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '500']);
    for (const response of Object.values(operation.responses)) {
      expect(deref<any>(response).headers['X-Request-Id']).toBeDefined();
    }
    expect(deref<any>(operation.responses['429']).headers['Retry-After']).toBeDefined();
  });

  it('uses one error schema for SWR and API-gateway bodies', () => {
    const refs = new Set(
      ['400', '401', '403', '404', '429', '500'].map(
        (s) => deref<any>(operation.responses[s]).content['application/json'].schema.$ref,
      ),
    );
    expect([...refs]).toEqual(['#/components/schemas/Error']);
    const error = spec.components.schemas.Error;
    expect(error.required).toEqual(['error_code', 'error_msg']);
    for (const field of [
      'error_code',
      'error_msg',
      'encoded_authorization_message',
      'request_id',
      'details',
      'errors',
    ]) {
      expect(error.properties[field], field).toBeDefined();
    }
  });

  const registry = spec.components.schemas.Registry;
  const fields: Array<[string, Record<string, unknown>]> = [
    ['id', { type: 'integer', format: 'int32' }],
    ['name', { type: 'string' }],
    ['description', { type: 'string' }],
    ['region_id', { type: 'string' }],
    ['instance_id', { type: 'string' }],
    ['url', { type: 'string' }],
    ['insecure', { type: 'boolean' }],
    ['created_at', { type: 'string', format: 'date-time' }],
    ['updated_at', { type: 'string', format: 'date-time' }],
  ];
  it.each(fields)('Registry.%s has its documented type', (name, schema) => {
    expect(registry.properties[name]).toMatchObject(schema);
  });

  it('Registry.type and status document their known values without closing the set', () => {
    expect(deref(deref(registry.properties.type).anyOf[0]).enum).toEqual(['swr-pro', 'swr-pro-internal', 'huawei-SWR']);
    expect(deref(registry.properties.status).anyOf[0].enum).toEqual(['healthy', 'unhealthy']);
    expect(deref(registry.properties.status).anyOf[1]).toEqual({ type: 'string' });
  });

  it('the credential carries type, access_key and a sensitive access_secret, none promised', () => {
    const credential = deref(registry.properties.credential);
    expect(credential.properties.type.type).toBe('string');
    expect(credential.properties.access_key.type).toBe('string');
    expect(credential.properties.access_secret).toMatchObject({ type: 'string', 'x-sensitive': true });
    expect(credential.required).toBeUndefined();
  });

  it('requires nothing of an answer (the SDKs take every field as optional); strict mode insists on the four two sources guarantee', () => {
    expect(registry.required).toBeUndefined();
    expect(registry['x-strict-required']).toEqual(['id', 'name', 'type', 'url']);
    expect(spec.components.schemas.ListInstanceRegistriesResponse.required).toBeUndefined();
    expect(registry.description).toMatch(/SDKs/);
    expect(registry.description).toMatch(/Harbor/);
  });

  it("states the literal reading of insecure, and argues Harbor's from Harbor's code and UI", () => {
    const words = registry.properties.insecure.description;
    expect(words).toMatch(/whether to verify the\s+remote certificate/);
    expect(words).toMatch(/`true` skips/);
    expect(words).toMatch(/InsecureSkipVerify/);
    expect(words).toMatch(/harbor#22806/);
    expect(words).not.toMatch(/swr-pro-internal/);
  });

  it('the list response has registries and an int32 total, and tolerates added fields', () => {
    const list = spec.components.schemas.ListInstanceRegistriesResponse;
    expect(list.properties.registries).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/Registry' },
    });
    expect(list.properties.total).toMatchObject({ type: 'integer', format: 'int32' });
    for (const schema of [list, registry, deref(registry.properties.credential), spec.components.schemas.Error]) {
      expect(schema.additionalProperties).not.toBe(false);
    }
  });
});
