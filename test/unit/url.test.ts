import fc from 'fast-check';
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { operations } from '../../src/operation.js';
import { createUrlBuilder, type UrlParams } from '../../src/url.js';

const BASE = 'https://swr-api.cn-north-4.myhuaweicloud.com';

/** What the client sent before it built URLs itself: openapi-fetch's URL, as a Request holds it. */
function viaOpenapiFetch(base: string, path: string, params: UrlParams): string {
  const querySerializer = createQuerySerializer();
  return new Request(
    createFinalURL(path, { baseUrl: base, params, querySerializer, pathSerializer: defaultPathSerializer }),
  ).url;
}

// Text that the serializers and the URL parser treat differently: dot segments, reserved and
// non-ASCII characters, a quote (encoded in a query only), braces, percent signs.
const text = fc.oneof(
  fc.constantFrom('.', '..', '', 'a b', "it's", '{x}', '%2e', '%', '/', '?', '#', '&=', 'ü', '登录', '\u{1F600}'),
  fc.string({ unit: fc.constantFrom(...'aZ09-_.~!*\'()/?#&=+%:@ {}[]|^`"<>\\'.split('')), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const primitive = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(null));

describe('the URL of a request', () => {
  it('is byte for byte the URL openapi-fetch builds, for every operation of the spec (property)', () => {
    const urlOf = createUrlBuilder(BASE);
    const templates = Object.values(operations).map((o) => o.path);
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        fc.dictionary(fc.constantFrom('project_id', 'instance_id', 'registry_id'), primitive),
        fc.dictionary(fc.constantFrom('limit', 'offset', 'name', 'type', 'order_column', 'order_type'), primitive),
        (path, pathParams, query) => {
          const params = { path: pathParams, query };
          expect(urlOf(path, params)).toBe(viaOpenapiFetch(BASE, path, params));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves arrays, objects and styled path names to openapi-fetch, with the same result', () => {
    const urlOf = createUrlBuilder(`${BASE}/proxy`);
    const cases: Array<[string, UrlParams]> = [
      ['/v2/{project_id}/x', { path: { project_id: ['a', 'b'] }, query: {} }],
      ['/v2/{project_id}/x', { path: { project_id: 'p' }, query: { tags: ['a', 'b c'], empty: [] } }],
      ['/v2/{project_id}/x', { path: { project_id: 'p' }, query: { filter: { name: 'n', type: 't' } } }],
      ['/v2/{.label}/{;matrix}/{exploded*}', { path: { label: 'l', matrix: 'm', exploded: ['x', 'y'] }, query: {} }],
      ['/v2/{project_id}/x', { path: {}, query: { a: 1 } }],
    ];
    for (const [path, params] of cases)
      expect(urlOf(path, params)).toBe(viaOpenapiFetch(`${BASE}/proxy`, path, params));
  });
});
