// The request check (src/spec/check-request.ts): every rule of an operation, all problems at
// once, guesses as warnings unless strict; on the spec's own operations and on made-up ones for
// what the spec does not use yet (header parameters).
import { describe, expect, it } from 'vitest';
import type { OperationInfo } from '../../generated/operations.js';
import { SwrValidationError } from '../../src/errors.js';
import { checkRequest } from '../../src/spec/check-request.js';
import { operations } from '../../src/spec/table.js';

const LIST = operations.ListInstanceRegistries;
const CREATE = operations.CreateInstanceRegistry;
const SHOW = operations.ShowInstanceRegistry;
const path = { project_id: 'p', instance_id: 'i' };

/** The problems a request breaks, as `path kind: rule`, or [] when it passes. */
function refused(op: OperationInfo, input: Parameters<typeof checkRequest>[1], strict = false): string[] {
  try {
    checkRequest(op, input, { strict });
    return [];
  } catch (error) {
    if (!(error instanceof SwrValidationError)) throw error;
    return error.problems.map((p) => `${p.path} ${p.kind}: ${p.rule}`);
  }
}

const withHeaders = {
  ...SHOW,
  operationId: 'ShowWithHeaders',
  parameters: [
    ...SHOW.parameters,
    { name: 'X-Language', in: 'header', required: true, schema: { type: 'string', enum: ['en-us', 'zh-cn'] } },
    { name: 'X-Trace', in: 'header', schema: { type: 'string', maxLength: 4 } },
  ],
} as unknown as OperationInfo;

describe('path parameters', () => {
  it('each missing one is named; a present one is checked against its schema', () => {
    expect(refused(SHOW, { path: {} })).toEqual([
      'project_id missing: is required',
      'instance_id missing: is required',
      'registry_id missing: is required',
    ]);
    expect(refused(SHOW, { path: { ...path, registry_id: 2 ** 31 } })).toEqual([
      'registry_id value: must be an integer from 1 to 2147483647',
    ]);
    expect(refused(SHOW, { path: { ...path, instance_id: '..', registry_id: 1 } })).toEqual([
      'instance_id value: must not be "." or ".." (the URL would resolve it away)',
    ]);
  });

  it('hands back the path values', () => {
    expect(checkRequest(SHOW, { path: { ...path, registry_id: 7 } }).path).toEqual({ ...path, registry_id: 7 });
  });
});

describe('query parameters', () => {
  it('unknown names list the known ones; undefined values are dropped; the rules between them apply', () => {
    expect(refused(LIST, { path, query: { page: 2 } })).toEqual([
      'page unexpected: is not a query parameter of ListInstanceRegistries (known: order_column, order_type, name, type, offset, limit)',
    ]);
    expect(checkRequest(LIST, { path, query: { name: undefined, limit: 10, offset: 0 } }).query).toEqual({
      limit: 10,
      offset: 0,
    });
    expect(refused(LIST, { path, query: { offset: 10 } })).toEqual(['offset value: must be used together with limit']);
    expect(refused(LIST, { path, query: { offset: 15, limit: 10 } })).toEqual([
      'offset value: must be 0 or a multiple of limit (10)',
    ]);
  });

  it('a query that is not an object is one problem, named by its place', () => {
    expect(refused(LIST, { path, query: 'limit=10' })).toEqual(['query type: must be an object of query parameters']);
    expect(refused(LIST, { path, query: [1] })).toEqual(['query type: must be an object of query parameters']);
    expect(refused(LIST, { path, query: null })).toEqual(['query type: must be an object of query parameters']);
  });

  it('an operation without query parameters says so', () => {
    expect(refused(SHOW, { path: { ...path, registry_id: 1 }, query: { x: 1 } })).toEqual([
      'x unexpected: is not a query parameter of ShowInstanceRegistry (known: none)',
    ]);
  });
});

describe('header parameters', () => {
  it('a required one is named when missing; each is checked; unknown ones are refused', () => {
    const input = { path: { ...path, registry_id: 1 } };
    expect(refused(withHeaders, input)).toEqual(['X-Language missing: is required']);
    expect(refused(withHeaders, { ...input, header: { 'X-Language': 'fr', 'X-Trace': 'toolong', Other: 1 } })).toEqual([
      'X-Language value: must be one of en-us, zh-cn',
      'X-Trace value: must be a string of at most 4 characters',
      'Other unexpected: is not a header parameter of ShowWithHeaders (known: X-Language, X-Trace)',
    ]);
    expect(checkRequest(withHeaders, { ...input, header: { 'X-Language': 'en-us' } }).header).toEqual({
      'X-Language': 'en-us',
    });
  });
});

describe('bodies', () => {
  it('a required body missing is named; every problem of a body is found at once', () => {
    expect(refused(CREATE, { path })).toEqual(['body missing: is required by CreateInstanceRegistry']);
    const problems = refused(CREATE, { path, body: { name: 'n'.repeat(65), type: 'swr-pro' } });
    expect(problems).toEqual([
      'url missing: is required',
      'credential missing: is required',
      'insecure missing: is required',
      'name value: must be 1 to 64 letters, digits, hyphens (-), underscores (_) or Chinese characters',
    ]);
  });

  it('path, query and body problems come together, the first one named in the message', () => {
    try {
      checkRequest(CREATE, { path: { project_id: 'p' }, body: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SwrValidationError);
      const e = error as SwrValidationError;
      expect(e.field).toBe('instance_id');
      expect(e.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['instance_id', 'name', 'url']));
      expect(e.message).toMatch(/^instance_id is required; and \d+ more$/);
    }
  });
});

describe('guesses', () => {
  const guessed = {
    ...LIST,
    operationId: 'Guessed',
    parameters: [
      ...LIST.parameters.filter((p) => p.in === 'path'),
      { name: 'n', in: 'query', schema: { type: 'integer', minimum: 1, 'x-guess-keywords': { minimum: 'why' } } },
      { name: 'm', in: 'query', schema: { type: 'integer', maximum: 5 } },
    ],
    querySchema: undefined,
  } as unknown as OperationInfo;

  it('a guessed rule is a warning, sent as given; strict refuses it; a documented rule always refuses', () => {
    const checked = checkRequest(guessed, { path, query: { n: 0 } });
    expect(checked.warnings.map((w) => [w.path, w.rule, w.guess])).toEqual([
      ['n', 'must be an integer of at least 1', 'why'],
    ]);
    expect(checked.query).toEqual({ n: 0 });
    expect(refused(guessed, { path, query: { n: 0 } }, true)).toEqual(['n value: must be an integer of at least 1']);
    expect(refused(guessed, { path, query: { n: 0, m: 6 } })).toEqual(['m value: must be an integer of at most 5']);
    expect(checkRequest(guessed, { path, query: { n: 1 } }).warnings).toEqual([]);
  });
});
