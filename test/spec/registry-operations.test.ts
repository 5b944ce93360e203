// The four operations beside list, as registry-crud-facts.md records them: names, methods, paths,
// statuses, IAM actions, and the request bodies' rules, conditional ones included. The bodies are
// also checked two ways, by ajv (a full JSON Schema 2020-12 validator) and by the project's own
// validator, which must agree on every one of them.
import { describe, expect, it } from 'vitest';
import { checkRequest } from '../../src/spec/check-request.js';
import { operations } from '../../src/spec/table.js';
import { SwrValidationError } from '../../src/errors.js';
import { spec, validatorFor } from '../helpers/spec.js';

const LIST = '/v2/{project_id}/instances/{instance_id}/registries';
const ITEM = `${LIST}/{registry_id}`;
const deref = (node: any): any =>
  node?.$ref
    ? deref(
        node.$ref
          .slice(2)
          .split('/')
          .reduce((at: any, k: string) => at[k.replace(/~1/g, '/')], spec),
      )
    : node;

describe('the operations', () => {
  const table: Array<[string, string, string, string, string, string | undefined]> = [
    ['CreateInstanceRegistry', 'post', LIST, '201', 'swr:instance:createRegistry', 'CreateInstanceRegistryResponse'],
    ['ShowInstanceRegistry', 'get', ITEM, '200', 'swr:instance:getRegistry', 'Registry'],
    ['UpdateInstanceRegistry', 'put', ITEM, '200', 'swr:instance:updateRegistry', undefined],
    ['DeleteInstanceRegistry', 'delete', ITEM, '204', 'swr:instance:deleteRegistry', undefined],
  ];
  it.each(table)('%s is %s %s, answers %s, needs %s', (id, method, path, status, action, body) => {
    const operation = spec.paths[path][method];
    expect(operation.operationId).toBe(id);
    expect(operation['x-iam-action']).toBe(action);
    expect(operation.description).toContain(action);
    expect(Object.keys(operation.responses).filter((s) => s.startsWith('2'))).toEqual([status]);
    const schema = operation.responses[status].content?.['application/json']?.schema;
    expect(schema?.$ref?.split('/').pop()).toBe(body);
    for (const error of ['400', '401', '403', '404', '429', '500']) expect(operation.responses[error]).toBeDefined();
    expect(Boolean(operation.responses['409'])).toBe(method === 'post' || method === 'put');
    expect(operations[id as keyof typeof operations].method).toBe(method.toUpperCase());
  });

  it('says which facts are inferred: the create status, the delete action, the 409', () => {
    expect(spec.paths[LIST].post.description).toMatch(/201 is inferred/);
    expect(spec.paths[ITEM].delete.description).toMatch(/412 .*inferred|inferred/s);
    expect(spec.paths[ITEM].delete.description).toMatch(/swr_03_1105/);
    expect(deref(spec.paths[LIST].post.responses['409']).description).toMatch(/guess/);
  });

  it('registry_id is an int32 of at least 1, in the path', () => {
    const p = deref(spec.paths[ITEM].parameters.find((x: any) => deref(x).name === 'registry_id'));
    expect(p).toMatchObject({ in: 'path', required: true, schema: { type: 'integer', format: 'int32', minimum: 1 } });
  });

  it('the create body: required fields, closed type enum, write-only sensitive secret, closed objects', () => {
    const body = spec.components.schemas.CreateRegistryRequestBody;
    expect(body.required).toEqual(['name', 'type', 'url', 'credential', 'insecure']);
    expect(body.additionalProperties).toBe(false);
    expect(deref(body.properties.type).enum).toEqual(['swr-pro', 'swr-pro-internal', 'huawei-SWR']);
    const credential = spec.components.schemas.Credential;
    expect(credential.required).toEqual(['type', 'access_key', 'access_secret']);
    expect(credential.properties.type.enum).toEqual(['basic']);
    expect(credential.properties.access_secret).toMatchObject({ writeOnly: true, 'x-sensitive': true });
    expect(spec.components.schemas.UpdateRegistryRequestBody.allOf).toEqual([
      { $ref: '#/components/schemas/CreateRegistryRequestBody' },
    ]);
    expect(spec.paths[LIST].post['x-conflict-lookup']).toEqual({ field: 'name', operation: 'ListInstanceRegistries' });
  });
});

const ok = {
  name: 'harbor-dr',
  type: 'swr-pro',
  url: 'https://harbor-dr.example.com',
  credential: { type: 'basic', access_key: 'robot$r', access_secret: 's3cret-value' },
  dns_conf: { hosts: { 'harbor-dr.example.com': '192.0.2.10' } },
  insecure: false,
};
const internal = {
  name: 'swr-ee-eu',
  type: 'swr-pro-internal',
  url: 'https://ee.example.com',
  project_id: 'p',
  region_id: 'eu-west-0',
  instance_id: 'i',
  credential: { type: 'basic', access_key: 'k', access_secret: 's3cret-value' },
  insecure: true,
};
const without = (body: Record<string, unknown>, field: string) => {
  const copy = structuredClone(body);
  delete copy[field];
  return copy;
};

/** [what is wrong, body, the path the error names, words of the rule] */
const refused: Array<[string, unknown, string, RegExp]> = [
  ['no name', without(ok, 'name'), 'name', /is required/],
  ['an empty name', { ...ok, name: '' }, 'name', /1 to 64/],
  ['a name with a space', { ...ok, name: 'a b' }, 'name', /letters, digits/],
  ['a name of 65 characters', { ...ok, name: 'n'.repeat(65) }, 'name', /1 to 64/],
  ['an undocumented type', { ...ok, type: 'docker-hub' }, 'type', /one of swr-pro, swr-pro-internal, huawei-SWR/],
  ['no url', without(ok, 'url'), 'url', /is required/],
  ['a url without a scheme', { ...ok, url: 'harbor.example.com' }, 'url', /http/],
  ['no credential', without(ok, 'credential'), 'credential', /is required/],
  [
    'a credential without secret',
    { ...ok, credential: { type: 'basic', access_key: 'k' } },
    'credential.access_secret',
    /is required/,
  ],
  [
    'an empty secret',
    { ...ok, credential: { ...ok.credential, access_secret: '' } },
    'credential.access_secret',
    /non-empty/,
  ],
  [
    'another credential type',
    { ...ok, credential: { ...ok.credential, type: 'oauth' } },
    'credential.type',
    /one of basic/,
  ],
  [
    'a field of the credential misspelt',
    { ...ok, credential: { ...ok.credential, acess_key: 'k' } },
    'credential.acess_key',
    /not a field/,
  ],
  ['no insecure', without(ok, 'insecure'), 'insecure', /is required/],
  ['insecure as text', { ...ok, insecure: 'false' }, 'insecure', /true or false/],
  ['a field misspelt', { ...ok, nmae: 'x' }, 'nmae', /not a field here/],
  ['Harbor without dns_conf', without(ok, 'dns_conf'), 'dns_conf', /is required when type is swr-pro/],
  ['a host mapped to a number', { ...ok, dns_conf: { hosts: { h: 1 } } }, 'dns_conf.hosts.h', /string/],
  ['EE without project_id', without(internal, 'project_id'), 'project_id', /is required when type is swr-pro-internal/],
  ['EE without region_id', without(internal, 'region_id'), 'region_id', /is required when type is swr-pro-internal/],
  [
    'EE without instance_id',
    without(internal, 'instance_id'),
    'instance_id',
    /is required when type is swr-pro-internal/,
  ],
  [
    'EE with an empty region_id',
    { ...internal, region_id: '' },
    'region_id',
    /non-empty.* when type is swr-pro-internal/,
  ],
  [
    'EE with insecure false',
    { ...internal, insecure: false },
    'insecure',
    /must be true when type is swr-pro-internal/,
  ],
];
const accepted: Array<[string, unknown]> = [
  ['Harbor with dns_conf', ok],
  ['Harbor with an empty host map', { ...ok, dns_conf: {} }],
  ['EE with all three and insecure true', internal],
  ['SWR Basic without region', { ...without(ok, 'dns_conf'), type: 'huawei-SWR', insecure: true }],
  ['a Chinese name', { ...ok, name: '灾备仓库' }],
  ['a description', { ...ok, description: 'second data centre' }],
];

/** The rules we only guessed (`x-guess`, `x-guess-keywords`): sent with a warning, refused in strict mode only. */
const GUESSED = new Set([
  'a name with a space',
  'a url without a scheme',
  'an empty secret',
  'a field of the credential misspelt',
  'a field misspelt',
  'Harbor without dns_conf',
]);

describe('request bodies: every rule, checked before the network, the same as ajv', () => {
  const ajv = validatorFor('#/components/schemas/CreateRegistryRequestBody');
  const input = (body: unknown) => ({ path: { project_id: 'p', instance_id: 'i' }, body });

  it.each(refused)('refuses %s, naming %s (a guess: only in strict mode)', (what, body, path, rule) => {
    expect(ajv(body)).toBe(false);
    const guess = GUESSED.has(what);
    if (guess) {
      const checked = checkRequest(operations.CreateInstanceRegistry, input(body));
      expect(checked.warnings.map((w) => w.path)).toContain(path);
    }
    let error: unknown;
    try {
      checkRequest(operations.CreateInstanceRegistry, input(body), { strict: guess });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SwrValidationError);
    expect((error as SwrValidationError).field).toBe(path);
    expect((error as SwrValidationError).rule).toMatch(rule);
    expect((error as Error).message).not.toContain('s3cret-value');
  });

  it.each(accepted)('accepts %s', (_what, body) => {
    expect(ajv(body)).toBe(true);
    expect(() => checkRequest(operations.CreateInstanceRegistry, input(body))).not.toThrow();
    expect(() =>
      checkRequest(operations.UpdateInstanceRegistry, { path: { ...input(body).path, registry_id: 3 }, body }),
    ).not.toThrow();
  });

  it('the update body has the same rules', () => {
    for (const [what, body, path] of refused) {
      expect(() =>
        checkRequest(
          operations.UpdateInstanceRegistry,
          { path: { project_id: 'p', instance_id: 'i', registry_id: 3 }, body },
          { strict: GUESSED.has(what) },
        ),
      ).toThrow(expect.objectContaining({ field: path }));
    }
  });

  it('refuses a registry_id that is not an int32; one below 1 only in strict mode (a guess)', () => {
    const show = (id: unknown, strict = false) =>
      checkRequest(
        operations.ShowInstanceRegistry,
        { path: { project_id: 'p', instance_id: 'i', registry_id: id } },
        { strict },
      );
    for (const id of [1.5, 2 ** 31, '3'])
      expect(() => show(id)).toThrow(expect.objectContaining({ field: 'registry_id' }));
    for (const id of [0, -1]) {
      expect(show(id).warnings.map((w) => w.path)).toEqual(['registry_id']);
      expect(() => show(id, true)).toThrow(expect.objectContaining({ field: 'registry_id' }));
    }
  });
});
