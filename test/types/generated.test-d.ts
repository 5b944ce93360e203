import { describe, expectTypeOf, it } from 'vitest';
import type {
  CreateRegistryRequestBody,
  Credential,
  DnsConf,
  RegistryCredential,
  ListInstanceRegistriesResponse,
  UpdateRegistryRequestBody,
  operations,
  paths,
  Registry,
} from '../../generated/schema.js';

type Query = NonNullable<operations['ListInstanceRegistries']['parameters']['query']>;
type Path = operations['ListInstanceRegistries']['parameters']['path'];

describe('generated types', () => {
  it('types the query parameters with the spec names', () => {
    expectTypeOf<Query['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Query['offset']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Query['order_column']>().toEqualTypeOf<'created_at' | 'updated_at' | 'name' | undefined>();
    expectTypeOf<Query['order_type']>().toEqualTypeOf<'desc' | 'asc' | undefined>();
    expectTypeOf<Query['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Path>().toEqualTypeOf<{ project_id: string; instance_id: string }>();
  });

  it('types a Registry as the SDKs read it: every field optional', () => {
    expectTypeOf<Registry['id']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Registry['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Registry['url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Registry['insecure']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Registry['created_at']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Registry['credential']>().toEqualTypeOf<RegistryCredential | undefined>();
    expectTypeOf<RegistryCredential['access_key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ListInstanceRegistriesResponse['registries']>().toEqualTypeOf<Registry[] | undefined>();
    expectTypeOf<ListInstanceRegistriesResponse['total']>().toEqualTypeOf<number | undefined>();
  });

  it('keeps unknown type and status values assignable', () => {
    expectTypeOf<'docker-hub'>().toExtend<Registry['type']>();
    expectTypeOf<'degraded'>().toExtend<Registry['status']>();
  });

  it('rejects a wrong order_column at compile time', () => {
    // @ts-expect-error 'size' is not one of the three sorting fields
    const bad: Query = { order_column: 'size' };
    void bad;
    expectTypeOf<paths['/v2/{project_id}/instances/{instance_id}/registries']['get']>().toEqualTypeOf<
      operations['ListInstanceRegistries']
    >();
  });

  it('types the request bodies strictly: required fields, the closed type enum, the secret', () => {
    expectTypeOf<CreateRegistryRequestBody['type']>().toEqualTypeOf<'swr-pro' | 'swr-pro-internal' | 'huawei-SWR'>();
    expectTypeOf<CreateRegistryRequestBody['credential']>().toEqualTypeOf<Credential>();
    expectTypeOf<CreateRegistryRequestBody['insecure']>().toEqualTypeOf<boolean>();
    expectTypeOf<CreateRegistryRequestBody['dns_conf']>().toEqualTypeOf<DnsConf | undefined>();
    expectTypeOf<Credential['access_secret']>().toEqualTypeOf<string>();
    expectTypeOf<Credential['type']>().toEqualTypeOf<'basic'>();
    expectTypeOf<UpdateRegistryRequestBody>().toExtend<CreateRegistryRequestBody>();
    expectTypeOf<DnsConf['hosts']>().toEqualTypeOf<Record<string, string> | undefined>();
    // @ts-expect-error an undocumented type cannot be created
    const bad: CreateRegistryRequestBody['type'] = 'docker-hub';
    void bad;
  });

  it('types the registry operations with the spec names', () => {
    type Show = operations['ShowInstanceRegistry'];
    expectTypeOf<Show['parameters']['path']>().toEqualTypeOf<{
      project_id: string;
      instance_id: string;
      registry_id: number;
    }>();
    expectTypeOf<Show['responses'][200]['content']['application/json']>().toEqualTypeOf<Registry>();
    expectTypeOf<
      operations['CreateInstanceRegistry']['responses'][201]['content']['application/json']['id']
    >().toEqualTypeOf<number>();
    expectTypeOf<
      NonNullable<operations['UpdateInstanceRegistry']['requestBody']>['content']['application/json']
    >().toEqualTypeOf<UpdateRegistryRequestBody>();
  });
});
