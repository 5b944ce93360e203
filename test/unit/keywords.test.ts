// Every keyword the validator honours, each with the words of its rule, the kind of its problem,
// where it points and which keyword a guess marks: the policy of src/spec/validate.ts, pinned.
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../generated/operations.js';
import {
  check,
  coerce,
  describeRule,
  isSecret,
  jsonEqual,
  maskSensitive,
  secretPaths,
} from '../../src/spec/validate.js';

const problems = (schema: JsonSchema, value: unknown, mode: 'request' | 'response' = 'request') =>
  check(schema, value, mode).map((p) => ({
    path: p.path,
    kind: p.kind,
    rule: p.rule,
    ...(p.guess !== undefined && { guess: p.guess }),
  }));
const words = (schema: JsonSchema, value: unknown, mode: 'request' | 'response' = 'request') =>
  check(schema, value, mode).map((p) => `${p.path || '.'}: ${p.rule}`);

describe('numbers', () => {
  it('exclusive bounds, alone and together, in their own words', () => {
    expect(words({ type: 'number', exclusiveMinimum: 0 }, 0)).toEqual(['.: must be a number greater than 0']);
    expect(words({ type: 'number', exclusiveMinimum: 0 }, 0.001)).toEqual([]);
    expect(words({ type: 'number', exclusiveMaximum: 10 }, 10)).toEqual(['.: must be a number less than 10']);
    expect(words({ type: 'number', exclusiveMaximum: 10 }, 9.99)).toEqual([]);
    expect(words({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 100 }, 100)).toEqual([
      '.: must be an integer greater than 0 and less than 100',
    ]);
    expect(words({ type: 'integer', minimum: 1, exclusiveMaximum: 5 }, 5)).toEqual([
      '.: must be an integer at least 1 and less than 5',
    ]);
    expect(words({ type: 'integer', exclusiveMinimum: 1, maximum: 5 }, 1)).toEqual([
      '.: must be an integer greater than 1 and at most 5',
    ]);
  });

  it('one bound alone', () => {
    expect(words({ type: 'integer', minimum: 3 }, 2)).toEqual(['.: must be an integer of at least 3']);
    expect(words({ type: 'integer', maximum: 3 }, 4)).toEqual(['.: must be an integer of at most 3']);
    expect(words({ type: 'integer', minimum: 3 }, 3)).toEqual([]);
    expect(words({ type: 'integer', maximum: 3 }, 3)).toEqual([]);
    expect(describeRule({ type: 'number' })).toBe('must be a number');
  });

  it('multipleOf by division, so decimal steps work as JSON Schema means them', () => {
    expect(words({ type: 'number', multipleOf: 0.1 }, 0.3)).toEqual([]);
    expect(words({ type: 'integer', multipleOf: 5 }, 15)).toEqual([]);
    expect(words({ type: 'integer', multipleOf: 5 }, 7)).toEqual(['.: must be a multiple of 5']);
    expect(problems({ type: 'integer', multipleOf: 5 }, 7)[0]!.kind).toBe('value');
    // Not a number: the type says it, not the multiple.
    expect(words({ multipleOf: 5 }, 'x')).toEqual([]);
  });

  it('int64 implies its bounds; a guessed bound marks only its own problems', () => {
    expect(words({ type: 'integer', format: 'int64' }, 2 ** 64)).toEqual([
      `.: must be an integer from ${-(2 ** 63)} to ${2 ** 63}`,
    ]);
    const guessed: JsonSchema = {
      type: 'integer',
      minimum: 1,
      maximum: 9,
      'x-guess-keywords': { minimum: 'no source says ids start at 1' },
    };
    expect(problems(guessed, 0)).toEqual([
      { path: '', kind: 'value', rule: 'must be an integer from 1 to 9', guess: 'no source says ids start at 1' },
    ]);
    expect(problems(guessed, 10)).toEqual([{ path: '', kind: 'value', rule: 'must be an integer from 1 to 9' }]);
    const exclusive: JsonSchema = {
      type: 'integer',
      exclusiveMinimum: 0,
      exclusiveMaximum: 9,
      'x-guess-keywords': { exclusiveMaximum: 'a guess' },
    };
    expect(problems(exclusive, 9)[0]!.guess).toBe('a guess');
    expect(problems(exclusive, 0)[0]!.guess).toBeUndefined();
  });
});

describe('strings', () => {
  it('length words: both bounds, one, a non-empty string', () => {
    expect(words({ type: 'string', minLength: 2, maxLength: 3 }, 'a')).toEqual([
      '.: must be a string of 2 to 3 characters',
    ]);
    expect(words({ type: 'string', maxLength: 3 }, 'abcd')).toEqual(['.: must be a string of at most 3 characters']);
    expect(words({ type: 'string', minLength: 2 }, 'a')).toEqual(['.: must be a string of at least 2 characters']);
    expect(words({ type: 'string', minLength: 1 }, '')).toEqual(['.: must be a non-empty string']);
  });

  it('a value that breaks only the pattern is told the pattern, not the length', () => {
    const schema: JsonSchema = { type: 'string', maxLength: 8, pattern: '^[a-z]+$' };
    expect(words(schema, 'ABC')).toEqual(['.: must match ^[a-z]+$']);
    expect(words(schema, 'abcdefghij')).toEqual(['.: must be a string of at most 8 characters']);
    expect(problems(schema, 'ABCDEFGHIJ').map((p) => p.rule)).toEqual([
      'must be a string of at most 8 characters',
      'must match ^[a-z]+$',
    ]);
  });

  it('formats: ipv4 and uri in their words; date-time in requests and answers', () => {
    expect(words({ type: 'string', format: 'ipv4' }, '192.0.2.1')).toEqual([]);
    expect(words({ type: 'string', format: 'ipv4' }, '256.0.0.1')).toEqual([
      '.: must be an IPv4 address (four numbers from 0 to 255, dot-separated)',
    ]);
    expect(words({ type: 'string', format: 'ipv4' }, '1.2.3')).toHaveLength(1);
    expect(words({ type: 'string', format: 'uri' }, 'https://a.example/x?y')).toEqual([]);
    expect(words({ type: 'string', format: 'uri' }, 'no scheme here')).toEqual([
      '.: must be an absolute URI (scheme:rest, no spaces)',
    ]);
    expect(problems({ type: 'string', format: 'date-time' }, 'yesterday', 'response')).toEqual([
      { path: '', kind: 'format', rule: 'must be an RFC 3339 date-time' },
    ]);
    expect(words({ type: 'string', format: 'date-time' }, '2021-02-05T09:31:00.298426Z', 'response')).toEqual([]);
    expect(describeRule({ type: 'string', format: 'ipv4' })).toMatch(/IPv4/);
    expect(describeRule({ type: 'string', pattern: '^x$' })).toBe('must match ^x$');
  });

  it('a lone surrogate is refused in requests only', () => {
    expect(words({ type: 'string' }, 'a\uD800b')).toEqual([
      '.: must be well-formed Unicode text (it holds a lone surrogate)',
    ]);
    expect(words({ type: 'string' }, 'a\uD800b', 'response')).toEqual([]);
    expect(words({ type: 'string' }, '😀')).toEqual([]);
  });
});

describe('arrays', () => {
  const filters: JsonSchema = { type: 'array', minItems: 1, maxItems: 2, uniqueItems: true, items: { type: 'string' } };
  it('minItems, maxItems and uniqueItems, each in its words, the guess marking its own keyword', () => {
    expect(words(filters, [])).toEqual(['.: must have 1 to 2 items']);
    expect(words(filters, ['a', 'b', 'c'])).toEqual(['.: must have 1 to 2 items']);
    expect(words(filters, ['a', 'a'])).toEqual(['.: must not hold the same item twice']);
    expect(
      words({ type: 'array', uniqueItems: true }, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toHaveLength(1);
    expect(words({ type: 'array', minItems: 2 }, [1])).toEqual(['.: must have at least 2 items']);
    expect(words({ type: 'array', maxItems: 1 }, [1, 2])).toEqual(['.: must have at most 1 items']);
    const guessed: JsonSchema = { ...filters, 'x-guess-keywords': { maxItems: 'a guess' } };
    expect(problems(guessed, ['a', 'b', 'c'])[0]!.guess).toBe('a guess');
    expect(problems(guessed, [])[0]!.guess).toBeUndefined();
  });

  it('items are checked with their positions; a non-array is only a type problem', () => {
    expect(words(filters, ['a', 5])).toEqual(['[1]: must be a string']);
    expect(words(filters, 'a')).toEqual(['.: must be an array']);
  });
});

describe('objects', () => {
  const hosts: JsonSchema = {
    type: 'object',
    minProperties: 1,
    maxProperties: 2,
    propertyNames: { pattern: '^[a-z.]+$' },
    additionalProperties: { type: 'string', format: 'ipv4' },
  };
  it('minProperties and maxProperties count the entries given', () => {
    expect(words(hosts, {})).toEqual(['.: must have 1 to 2 entries']);
    expect(words(hosts, { a: '192.0.2.1', b: '192.0.2.2', c: '192.0.2.3' })).toEqual(['.: must have 1 to 2 entries']);
    expect(words(hosts, { a: '192.0.2.1', b: undefined, c: undefined })).toEqual([]);
    expect(words({ type: 'object', maxProperties: 1 }, { a: 1, b: 2 })).toEqual(['.: must have at most 1 entries']);
    expect(words({ type: 'object', minProperties: 2 }, { a: 1 })).toEqual(['.: must have at least 2 entries']);
  });

  it('propertyNames names the key; additionalProperties checks each value at its key', () => {
    expect(problems(hosts, { 'UP.x': '192.0.2.1' })).toEqual([
      { path: 'UP.x', kind: 'value', rule: 'is not an allowed name: must match ^[a-z.]+$' },
    ]);
    expect(words(hosts, { 'a.x': '300.0.0.1' })).toEqual([
      'a.x: must be an IPv4 address (four numbers from 0 to 255, dot-separated)',
    ]);
  });

  it('a closed object names the fields it knows; an answer may carry more', () => {
    const closed: JsonSchema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    expect(problems(closed, { a: 'x', b: 1 })).toEqual([
      { path: 'b', kind: 'unexpected', rule: 'is not a field here (known: a)' },
    ]);
    expect(problems(closed, { a: 'x', b: 1 }, 'response')).toEqual([]);
    const guessed: JsonSchema = { ...closed, 'x-guess-keywords': { additionalProperties: 'why' } };
    expect(problems(guessed, { b: 1 })[0]!.guess).toBe('why');
  });

  it('required in a request, missing in an answer; x-strict-required reported in answers only', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['id'],
      'x-strict-required': ['name'],
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
    };
    expect(problems(schema, {})).toEqual([{ path: 'id', kind: 'missing', rule: 'is required' }]);
    expect(problems(schema, {}, 'response')).toEqual([
      { path: 'id', kind: 'missing', rule: 'is missing' },
      { path: 'name', kind: 'missing', rule: 'is missing' },
    ]);
    expect(problems(schema, { id: 1, name: 'n' }, 'response')).toEqual([]);
  });

  it('readOnly fields cannot be sent, and a secret read-only field is never quoted', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        created_at: { type: 'string', readOnly: true },
        token: { type: 'string', readOnly: true, writeOnly: true },
      },
    };
    const found = check(schema, { created_at: 'x', token: 's3cret' }, 'request');
    expect(found.map((p) => [p.path, p.kind, p.rule, p.sensitive])).toEqual([
      ['created_at', 'unexpected', 'is set by the service and cannot be sent', false],
      ['token', 'unexpected', 'is set by the service and cannot be sent', true],
    ]);
    expect(check(schema, { created_at: 'x' }, 'response')).toEqual([]);
  });

  it('a guessed required marks the missing field', () => {
    const schema: JsonSchema = { type: 'object', required: ['a'], 'x-guess-keywords': { required: 'maybe' } };
    expect(problems(schema, {})).toEqual([{ path: 'a', kind: 'missing', rule: 'is required', guess: 'maybe' }]);
  });

  it('dependentRequired with a guess; a multiple of another parameter; nothing for a non-object', () => {
    const schema: JsonSchema = {
      dependentRequired: { offset: ['limit'] },
      'x-multipleOfParameter': { offset: 'limit' },
      'x-guess-keywords': { dependentRequired: 'paging goes in pairs' },
    };
    expect(problems(schema, { offset: 10 })).toEqual([
      { path: 'offset', kind: 'value', rule: 'must be used together with limit', guess: 'paging goes in pairs' },
    ]);
    expect(words(schema, { offset: 15, limit: 10 })).toEqual(['offset: must be 0 or a multiple of limit (10)']);
    expect(words(schema, { offset: 20, limit: 10 })).toEqual([]);
    expect(words(schema, { offset: 5, limit: 0 })).toEqual([]);
    expect(words({ type: 'object', required: ['a'] }, [1])).toEqual(['.: must be an object']);
  });
});

describe('combinators', () => {
  it('oneOf of required fields: exactly one of them, missing or both', () => {
    const schema: JsonSchema = { type: 'object', oneOf: [{ required: ['src'] }, { required: ['dest'] }] };
    expect(problems(schema, {})).toEqual([{ path: '', kind: 'missing', rule: 'must have exactly one of src, dest' }]);
    expect(problems(schema, { src: 1, dest: 2 })).toEqual([
      { path: '', kind: 'value', rule: 'must have exactly one of src, dest' },
    ]);
    expect(problems(schema, { src: 1 })).toEqual([]);
  });

  it('oneOf of schemas: matching two names both; matching none gives the closest branch', () => {
    const schema: JsonSchema = { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }] };
    expect(words(schema, 3)).toEqual(['.: must match exactly one of alternative 1, alternative 2, but matches 2']);
    expect(words(schema, -1.5)).toEqual(['.: must be a number of at least 0']);
    expect(words(schema, -2)).toEqual([]);
  });

  it('not in the words of what it refuses', () => {
    expect(words({ not: { const: 'x' } }, 'x')).toEqual(['.: must not be "x"']);
    expect(words({ not: { enum: ['.', '..'] } }, '..')).toEqual(['.: must not be "." or ".."']);
    expect(words({ not: { type: 'string' } }, 'a')).toEqual(['.: is not allowed']);
    expect(words({ not: { const: 'x' } }, 'y')).toEqual([]);
  });

  it('if/then/else: the branch the condition picks, then-problems saying when', () => {
    const schema: JsonSchema = {
      type: 'object',
      if: { properties: { type: { const: 'internal' } }, required: ['type'] },
      then: { required: ['region'] },
      else: { properties: { region: { not: { const: 'x' } } } },
    };
    expect(words(schema, { type: 'internal' })).toEqual(['region: is required when type is internal']);
    expect(words(schema, { type: 'other', region: 'x' })).toEqual(['region: must not be "x"']);
    expect(words(schema, { type: 'other' })).toEqual([]);
    expect(words(schema, { type: 'internal', region: 'r' })).toEqual([]);
  });

  it('an x-guess subschema marks everything found beneath it', () => {
    const schema: JsonSchema = {
      allOf: [{ 'x-guess': 'why', if: { required: ['a'] }, then: { required: ['b'] } }],
    };
    expect(problems({ ...schema, type: 'object' }, { a: 1 })).toEqual([
      { path: 'b', kind: 'missing', rule: 'is required', guess: 'why' },
    ]);
  });

  it('anyOf: closest branch when none passes', () => {
    const schema: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 5 }] };
    expect(words(schema, 2)).toEqual(['.: must be an integer of at least 5']);
    expect(words(schema, 'a')).toEqual([]);
    expect(words(schema, 7)).toEqual([]);
  });
});

describe('secrets and equality', () => {
  it('finds every secret path, through allOf and nested objects', () => {
    const schema: JsonSchema = {
      allOf: [{ properties: { token: { type: 'string', writeOnly: true } } }],
      properties: {
        credential: {
          properties: { access_secret: { type: 'string', 'x-sensitive': true }, access_key: { type: 'string' } },
        },
      },
    };
    expect(secretPaths(schema).sort()).toEqual(['credential.access_secret', 'token']);
    expect(isSecret({ type: 'string', writeOnly: true })).toBe(true);
    expect(isSecret({ type: 'string' })).toBe(false);
  });

  it('JSON equality ignores key order, not array order or types', () => {
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});

describe('edges', () => {
  const ok = (schema: JsonSchema, value: unknown) => check(schema, value, 'request').length === 0;

  it('ipv4: each number from 0 to 255 without leading zeros, four of them, nothing around', () => {
    const ip = { type: 'string', format: 'ipv4' } as const;
    for (const good of ['0.0.0.0', '255.255.255.255', '249.199.99.9', '10.20.30.40']) expect(ok(ip, good)).toBe(true);
    for (const bad of ['256.1.1.1', '1.2.3.260', '01.2.3.4', '1.2.3.4.5', '1.2.3', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d'])
      expect(ok(ip, bad)).toBe(false);
  });

  it('date-time: RFC 3339 with a zone, T, t or a space between; uri: a scheme first, no spaces', () => {
    const at = { type: 'string', format: 'date-time' } as const;
    for (const good of ['2026-01-02T03:04:05Z', '2026-01-02t03:04:05z', '2026-01-02 03:04:05.5+08:00'])
      expect(ok(at, good)).toBe(true);
    for (const bad of ['2026-01-02T03:04:05', 'x2026-01-02T03:04:05Z', '2026-01-02T03:04:05Zx'])
      expect(ok(at, bad)).toBe(false);
    const uri = { type: 'string', format: 'uri' } as const;
    for (const good of ['a:b', 'git+ssh://h/x']) expect(ok(uri, good)).toBe(true);
    for (const bad of ['1a:b', ' a:b', 'a:b c', 'a:b"']) expect(ok(uri, bad)).toBe(false);
  });

  it('enum: objects compared by value, plain values by identity', () => {
    const schema: JsonSchema = { enum: [{ a: 1 }, 'x', null, 2] };
    expect([{ a: 1 }, 'x', null, 2].map((v) => ok(schema, v))).toEqual([true, true, true, true]);
    expect([{ a: 2 }, 'y', '2', [{ a: 1 }], {}].map((v) => ok(schema, v))).toEqual([false, false, false, false, false]);
  });

  it('item and entry counts at their bounds, each bound marking its own guess', () => {
    const list: JsonSchema = { type: 'array', minItems: 2, maxItems: 3, 'x-guess-keywords': { minItems: 'few' } };
    expect([[1], [1, 2], [1, 2, 3], [1, 2, 3, 4]].map((v) => ok(list, v))).toEqual([false, true, true, false]);
    expect(problems(list, [1])[0]!.guess).toBe('few');
    expect(problems(list, [1, 2, 3, 4])[0]!.guess).toBeUndefined();
    const map: JsonSchema = {
      type: 'object',
      minProperties: 1,
      maxProperties: 2,
      'x-guess-keywords': { maxProperties: 'many' },
    };
    expect([{}, { a: 1 }, { a: 1, b: 2 }, { a: 1, b: 2, c: 3 }].map((v) => ok(map, v))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(problems(map, { a: 1, b: 2, c: 3 })).toEqual([
      { path: '', kind: 'value', rule: 'must have 1 to 2 entries', guess: 'many' },
    ]);
    expect(problems(map, {})[0]!.guess).toBeUndefined();
  });

  it('a guessed bound marks only its own side, exclusive ones and those a format implies too', () => {
    const guess = (schema: JsonSchema, value: number) => problems(schema, value)[0]?.guess;
    const low: JsonSchema = { type: 'integer', minimum: 1, maximum: 9, 'x-guess-keywords': { minimum: 'low' } };
    expect([guess(low, 0), guess(low, 10)]).toEqual(['low', undefined]);
    const high: JsonSchema = { type: 'integer', minimum: 1, maximum: 9, 'x-guess-keywords': { maximum: 'high' } };
    expect([guess(high, 0), guess(high, 10)]).toEqual([undefined, 'high']);
    const open: JsonSchema = {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      'x-guess-keywords': { exclusiveMinimum: 'above', exclusiveMaximum: 'below' },
    };
    expect([guess(open, 0), guess(open, 1)]).toEqual(['above', 'below']);
    const implied: JsonSchema = { type: 'integer', format: 'int32', 'x-guess-keywords': { format: 'int32 guessed' } };
    expect([guess(implied, 2 ** 31), guess(implied, -(2 ** 31) - 1)]).toEqual(['int32 guessed', 'int32 guessed']);
  });

  it('oneOf of schemas: none is a missing match, two a value matching too many', () => {
    const schema: JsonSchema = { oneOf: [{ type: 'string' }, { type: 'string', minLength: 2 }] };
    expect(problems(schema, 'ab')).toEqual([
      {
        path: '',
        kind: 'value',
        rule: 'must match exactly one of alternative 1, alternative 2, but matches 2',
      },
    ]);
    expect(problems(schema, 'a')).toEqual([]);
    expect(problems(schema, 5)[0]!.kind).not.toBe('value');
  });

  it('coerces decimals and exact booleans from text, and leaves anything else as text', () => {
    expect(coerce({ type: 'number' }, '1.25')).toBe(1.25);
    expect(coerce({ type: 'integer' }, '-7')).toBe(-7);
    expect(coerce({ type: 'number' }, '1.')).toBe('1.');
    expect(coerce({ type: 'boolean' }, 'false')).toBe(false);
    expect(coerce({ type: 'boolean' }, 'True')).toBe('True');
    expect(coerce({ type: 'string' }, 'true')).toBe('true');
  });

  it('masks a secret marked write-only alone, and leaves an absent one absent', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { s: { type: 'string', writeOnly: true }, t: { type: 'string' } },
    };
    expect(maskSensitive(schema, { s: 'pw', t: 'x' }, () => '***')).toEqual({ s: '***', t: 'x' });
    expect(maskSensitive(schema, { t: 'x' }, () => '***')).toEqual({ t: 'x' });
  });
});
