import { describe, expect, it } from 'vitest';
import { responseValidator, spec, validatorFor } from '../helpers/spec.js';

const documented = spec.components.examples.ListInstanceRegistriesResponse.value;

describe('the documented example response', () => {
  it('validates against the 200 response schema', () => {
    const validate = responseValidator(200);
    expect(validate(documented), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is the example of Huawei API reference, field for field', () => {
    expect(documented.total).toBe(1);
    expect(documented.registries[0]).toMatchObject({
      id: 24,
      name: 'test-swr',
      type: 'huawei-SWR',
      url: 'https://10.185.79.188',
      credential: { type: 'basic', access_key: 'cn-cmcc1@R5172VW6FEW6MZFP2W1S', access_secret: '' },
      insecure: true,
      status: 'healthy',
      created_at: '2021-02-05T09:31:00.298426Z',
      updated_at: '2021-02-19T12:19:51.912632Z',
    });
  });

  it('rejects a registry whose id is a string', () => {
    const broken = structuredClone(documented);
    broken.registries[0].id = '24';
    const validate = responseValidator(200);
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/registries/0/id');
  });

  it('accepts a registry without any field, as the SDKs do; strict mode names four (x-strict-required)', () => {
    const validate = validatorFor('#/components/schemas/Registry');
    for (const field of ['id', 'name', 'type', 'url']) {
      const partial = structuredClone(documented.registries[0]);
      delete partial[field];
      expect(validate(partial), field).toBe(true);
    }
    const { insecure: _i, credential: _c, status: _s, description: _d, ...harbor } = documented.registries[0];
    expect(validate(harbor)).toBe(true);
  });

  it('rejects a timestamp that is not a date-time and a non-boolean insecure', () => {
    const validate = validatorFor('#/components/schemas/Registry');
    const registry = structuredClone(documented.registries[0]);
    expect(validate({ ...registry, created_at: 'yesterday' })).toBe(false);
    expect(validate({ ...registry, insecure: 'yes' })).toBe(false);
  });

  it('accepts fields the service adds later and unknown type or status values', () => {
    const validate = validatorFor('#/components/schemas/Registry');
    const registry = structuredClone(documented.registries[0]);
    expect(
      validate({ ...registry, dns_conf: { hosts: {} }, project_id: 'p', type: 'docker-hub', status: 'unknown' }),
    ).toBe(true);
  });

  it('validates every documented error example against the error schema', () => {
    for (const status of [400, 401, 403, 404, 429, 500]) {
      const name = spec.paths['/v2/{project_id}/instances/{instance_id}/registries'].get.responses[status].$ref
        .split('/')
        .pop();
      const examples = spec.components.responses[name].content['application/json'].examples;
      for (const example of Object.values<{ $ref: string }>(examples)) {
        const value = spec.components.examples[example.$ref.split('/').pop()!].value;
        const validate = responseValidator(status);
        expect(validate(value), `${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    expect(responseValidator(400)({ error_msg: 'no code' })).toBe(false);
  });
});
