// The schema interpreter alone: each keyword, both modes, the words of each rule.
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../generated/operations.js';
import { parseQueryString } from '../../src/emulator/query.js';
import { readAnswer } from '../../src/request/read-answer.js';
import { operations } from '../../src/spec/table.js';
import {
  check,
  coerce,
  describeRule,
  documentedValues,
  formatPath,
  isOpenEnum,
  maskSensitive,
  numberBounds,
} from '../../src/spec/validate.js';

const rules = (schema: JsonSchema, value: unknown, mode: 'request' | 'response' = 'request') =>
  check(schema, value, mode).map((p) => `${p.path || '.'} ${p.kind}: ${p.rule}`);

describe('types and bounds', () => {
  const limit: JsonSchema = { type: 'integer', format: 'int32', minimum: 1, maximum: 100 };
  it.each([
    [1, []],
    [100, []],
    [0, ['. value: must be an integer from 1 to 100']],
    [101, ['. value: must be an integer from 1 to 100']],
    [2.5, ['. type: must be an integer from 1 to 100']],
    ['10', ['. type: must be an integer from 1 to 100']],
    [null, ['. type: must be an integer from 1 to 100']],
  ] as const)('integer 1..100: %j', (value, expected) => {
    expect(rules(limit, value)).toEqual(expected);
  });

  it('int32 bounds apply when the schema gives none', () => {
    expect(numberBounds({ type: 'integer', format: 'int32' })).toEqual({ min: -2147483648, max: 2147483647 });
    expect(rules({ type: 'integer', format: 'int32' }, 2 ** 31)).toEqual([
      '. value: must be an integer from -2147483648 to 2147483647',
    ]);
    expect(numberBounds({ type: 'integer' })).toEqual({});
    expect(describeRule({ type: 'integer', minimum: 0 })).toBe('must be an integer of at least 0');
    expect(describeRule({ type: 'number', maximum: 5 })).toBe('must be a number of at most 5');
    expect(describeRule({ type: 'number' })).toBe('must be a number');
    expect(rules({ type: 'number' }, 3)).toEqual([]);
  });

  it('strings: length in code points, pattern, well-formed text', () => {
    const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 3 };
    expect(rules(name, '')).toEqual(['. value: must be a string of 1 to 3 characters']);
    expect(rules(name, '😀😀😀')).toEqual([]);
    expect(rules(name, 'abcd')).toEqual(['. value: must be a string of 1 to 3 characters']);
    expect(rules(name, 'x'.repeat(50))).toEqual(['. value: must be a string of 1 to 3 characters']);
    expect(rules({ type: 'string', minLength: 2 }, '😀')).toEqual([
      '. value: must be a string of at least 2 characters',
    ]);
    expect(rules({ type: 'string', minLength: 2 }, 'x'.repeat(9))).toEqual([]);
    expect(describeRule({ type: 'string', maxLength: 9 })).toBe('must be a string of at most 9 characters');
    expect(rules({ type: 'string', pattern: '^\\p{L}+$' }, 'héllo')).toEqual([]);
    expect(rules({ type: 'string', pattern: '^\\p{L}+$' }, 'a1')).toEqual(['. value: must match ^\\p{L}+$']);
    expect(rules({ type: 'string' }, 'a\ud800b')).toEqual([
      '. value: must be well-formed Unicode text (it holds a lone surrogate)',
    ]);
    expect(rules({ type: 'string' }, 'a\ud800b', 'response')).toEqual([]);
    expect(rules({ type: 'string' }, '😀')).toEqual([]);
  });

  it('booleans, arrays, objects, enums, const', () => {
    expect(rules({ type: 'boolean' }, 'yes')).toEqual(['. type: must be true or false']);
    expect(rules({ type: 'array' }, {})).toEqual(['. type: must be an array']);
    expect(rules({ type: 'object' }, [])).toEqual(['. type: must be an object']);
    expect(rules({ type: 'string', enum: ['a', 'b'] }, 'c')).toEqual(['. value: must be one of a, b']);
    expect(rules({ const: true }, false)).toEqual(['. value: must be true']);
    expect(rules({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(rules({}, Symbol.iterator)).toEqual([]);
  });

  it('formats: date-time is checked, others pass', () => {
    const at: JsonSchema = { type: 'string', format: 'date-time' };
    expect(rules(at, '2021-02-05T09:31:00.298426Z')).toEqual([]);
    expect(rules(at, '2021-02-05T09:31:00+08:00')).toEqual([]);
    expect(rules(at, '2021-02-05', 'response')).toEqual(['. format: must be an RFC 3339 date-time']);
    expect(rules({ type: 'string', format: 'uuid' }, 'x')).toEqual([]);
  });
});

describe('objects', () => {
  const body: JsonSchema = {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      id: { type: 'integer', readOnly: true },
      secret: { type: 'string', writeOnly: true },
      nested: { type: 'object', properties: { list: { type: 'array', items: { type: 'integer' } } } },
    },
  };

  it('names the path of each problem', () => {
    expect(rules(body, { name: 'x', nested: { list: [1, 'two', 3, 'four'] } })).toEqual([
      'nested.list[1] type: must be an integer',
      'nested.list[3] type: must be an integer',
    ]);
    expect(formatPath(['registries', 3, 'credential', 'access_key'])).toBe('registries[3].credential.access_key');
  });

  it('requests: required, read-only and unknown fields are refused; undefined counts as absent', () => {
    expect(rules(body, {})).toEqual(['name missing: is required']);
    expect(rules(body, { name: 'x', id: 1 })).toEqual(['id unexpected: is set by the service and cannot be sent']);
    expect(rules(body, { name: 'x', nmae: 'y' })).toEqual([
      'nmae unexpected: is not a field here (known: name, id, secret, nested)',
    ]);
    expect(rules(body, { name: 'x', nmae: undefined, secret: undefined })).toEqual([]);
  });

  it('responses: missing is reported as missing, extra fields are welcome', () => {
    expect(rules(body, { id: 1, extra: true }, 'response')).toEqual(['name missing: is missing']);
  });

  it('marks the problems of secret fields, which never show their value', () => {
    const [problem] = check(body, { name: 'x', secret: 42 }, 'request');
    expect(problem).toMatchObject({ path: 'secret', sensitive: true });
    const [plain] = check(body, { name: 5 }, 'request');
    expect(plain).toMatchObject({ path: 'name', sensitive: false });
  });

  it('additionalProperties as a schema checks the extra fields', () => {
    const map: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
    expect(rules(map, { a: 'x', b: 2 })).toEqual(['b type: must be a string']);
  });

  it('dependentRequired blames the field that was given; x-multipleOfParameter names the other', () => {
    const query: JsonSchema = {
      dependentRequired: { offset: ['limit'], order_type: ['order_column'] },
      'x-multipleOfParameter': { offset: 'limit' },
    };
    expect(rules(query, { offset: 0 })).toEqual(['offset value: must be used together with limit']);
    expect(rules(query, { order_type: 'asc' })).toEqual(['order_type value: must be used together with order_column']);
    expect(rules(query, { offset: 15, limit: 10 })).toEqual(['offset value: must be 0 or a multiple of limit (10)']);
    expect(rules(query, { offset: 20, limit: 10 })).toEqual([]);
    expect(rules(query, { offset: 0, limit: 0 })).toEqual([]);
  });
});

describe('combinators', () => {
  const open: JsonSchema = { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'string' }] };

  it('an open enum takes other strings, and a response reports them as unknown values', () => {
    expect(isOpenEnum(open)).toBe(true);
    expect(isOpenEnum({ type: 'string', enum: ['a'] })).toBe(false);
    expect(documentedValues(open)).toEqual(['a', 'b']);
    expect(rules(open, 'c')).toEqual([]);
    expect(rules(open, 'a', 'response')).toEqual([]);
    expect(rules(open, 'c', 'response')).toEqual(['. unknown_value: is none of the documented values (a, b)']);
    expect(rules(open, 5)).toEqual(['. type: must be a string']);
  });

  it('allOf gathers every branch; not refuses; x-rule words a failing subschema', () => {
    const id: JsonSchema = {
      type: 'string',
      allOf: [
        { not: { enum: ['.', '..'] }, 'x-rule': 'must not be a dot' },
        { pattern: '^\\S(?:[\\s\\S]*\\S)?$', 'x-rule': 'must not start or end with white space' },
      ],
    };
    expect(rules(id, 'ok')).toEqual([]);
    expect(rules(id, '..')).toEqual(['. value: must not be a dot']);
    expect(rules(id, ' x')).toEqual(['. value: must not start or end with white space']);
    expect(rules({ not: { enum: ['x'] } }, 'x')).toEqual(['. value: must not be "x"']);
    expect(rules({ not: { type: 'string' } }, 'x')).toEqual(['. value: is not allowed']);
  });

  it('if/then/else applies a branch and says when', () => {
    const conditional: JsonSchema = {
      type: 'object',
      if: { properties: { type: { const: 'inner' } }, required: ['type'] },
      then: { required: ['region'], properties: { secure: { const: true } } },
      else: { properties: { region: { type: 'string', maxLength: 2 } } },
    };
    expect(rules(conditional, { type: 'inner', secure: false })).toEqual([
      'region missing: is required when type is inner',
      'secure value: must be true when type is inner',
    ]);
    expect(rules(conditional, { type: 'other', region: 'far' })).toEqual([
      'region value: must be a string of at most 2 characters',
    ]);
    expect(rules(conditional, { type: 'inner', region: 'x', secure: true })).toEqual([]);
  });

  it('a schema that refers to itself terminates', () => {
    const tree: { type: string; properties: Record<string, unknown> } = { type: 'object', properties: {} };
    tree.properties.child = tree;
    expect(rules(tree as JsonSchema, { child: { child: { child: 5 } } })).toEqual([
      'child.child.child type: must be an object',
    ]);
  });
});

describe('helpers', () => {
  it('coerces command-line and query-string text to the schema type, and leaves the rest', () => {
    expect(coerce({ type: 'integer' }, '42')).toBe(42);
    expect(coerce({ type: 'integer' }, '-3')).toBe(-3);
    expect(coerce({ type: 'number' }, '2.5')).toBe(2.5);
    expect(coerce({ type: 'integer' }, '4e2')).toBe('4e2');
    expect(coerce({ type: 'integer' }, '')).toBe('');
    expect(coerce({ type: 'boolean' }, 'true')).toBe(true);
    expect(coerce({ type: 'boolean' }, 'false')).toBe(false);
    expect(coerce({ type: 'boolean' }, 'yes')).toBe('yes');
    expect(coerce({ type: 'string' }, '42')).toBe('42');
  });

  it('masks secrets in a copy and shares everything else', () => {
    const schema: JsonSchema = {
      properties: {
        list: { items: { properties: { secret: { type: 'string', 'x-sensitive': true }, name: { type: 'string' } } } },
      },
    };
    const value = { list: [{ secret: 'hunter2', name: 'a' }, { name: 'b' }], other: { x: 1 } };
    const masked = maskSensitive(schema, value, () => '***');
    expect(masked).toEqual({ list: [{ secret: '***', name: 'a' }, { name: 'b' }], other: { x: 1 } });
    expect(value.list[0]!.secret).toBe('hunter2');
    expect(masked.other).toBe(value.other);
    expect(maskSensitive(schema, { list: 'not-a-list' }, () => '***')).toEqual({ list: 'not-a-list' });
  });
});

describe('an operation', () => {
  const LIST = operations.ListInstanceRegistries;

  it('parses a query string as the service does: types, rules, defaults, unknown names ignored', () => {
    expect(parseQueryString(LIST, '?limit=20&offset=40&whatever=1')).toEqual({
      query: { limit: 20, offset: 40, order_column: 'created_at', order_type: 'desc' },
    });
    expect(parseQueryString(LIST, 'name=a+b%20c')).toMatchObject({ query: { name: 'a b c' } });
    expect(parseQueryString(LIST, 'limit=abc&offset=0')).toEqual({
      error: { parameter: 'limit', rule: 'must be an integer from 1 to 100', raw: 'abc' },
    });
    expect(parseQueryString(LIST, 'limit=10&offset=15')).toEqual({
      error: { parameter: 'offset', rule: 'must be 0 or a multiple of limit (10)', raw: '15' },
    });
    expect(parseQueryString(LIST, 'limit=1&limit=2&offset=0')).toMatchObject({
      error: { parameter: 'limit', rule: 'must be given at most once' },
    });
    expect(parseQueryString(LIST, 'name=%ZZ')).toMatchObject({ error: { parameter: 'query' } });
    expect(parseQueryString(LIST, 'order_type')).toMatchObject({ error: { parameter: 'order_type' } });
  });

  it('reads an answer: unusable only when it cannot be used, differences counted per field', () => {
    expect(readAnswer(LIST, [])).toEqual({ unusable: 'the body is not a JSON object', differences: [] });
    expect(readAnswer(LIST, { registries: 'x' })).toMatchObject({ unusable: '`registries` is not an array' });
    expect(readAnswer(LIST, {})).toEqual({ differences: [] });
    const two = { id: 1, name: 'a', type: 't', url: 'u', insecure: 'no' };
    expect(readAnswer(LIST, { total: 2, registries: [two, { ...two, id: 2 }] })).toEqual({
      differences: [
        {
          field: 'registries[].type',
          kind: 'unknown_value',
          rule: 'is none of the documented values (swr-pro, swr-pro-internal, huawei-SWR)',
          received: 'string',
          count: 2,
        },
        { field: 'registries[].insecure', kind: 'type', rule: 'must be true or false', received: 'string', count: 2 },
      ],
    });
  });
});

describe('what a checker decides, inside combinators', () => {
  it('an array item that fails makes the array fail, so anyOf moves on', () => {
    const schema: JsonSchema = { anyOf: [{ type: 'array', items: { type: 'integer' } }, { type: 'string' }] };
    expect(rules(schema, [1, 2])).toEqual([]);
    expect(rules(schema, 'x')).toEqual([]);
    expect(rules(schema, [1, 'two'])).toEqual(['. type: must be a string']);
    expect(rules({ anyOf: [{ type: 'array', items: { type: 'integer' } }, { type: 'integer' }] }, ['a', 'b'])).toEqual([
      '. type: must be an integer',
    ]);
  });

  it('allOf fails when any branch fails, even the first', () => {
    const schema: JsonSchema = { anyOf: [{ allOf: [{ type: 'string' }, { minLength: 3 }] }, { const: 'ok' }] };
    expect(rules(schema, 'abcd')).toEqual([]);
    expect(rules(schema, 'ok')).toEqual([]);
    expect(rules(schema, 'no')).toEqual(['. value: must be ok']);
    expect(rules({ anyOf: [{ allOf: [{ type: 'integer' }, { type: 'string' }] }, { const: 1 }] }, 'z')).toEqual([
      '. value: must be 1',
    ]);
  });

  it('an object with a failing field fails as a whole', () => {
    const schema: JsonSchema = {
      anyOf: [
        { type: 'object', properties: { a: { type: 'integer' } } },
        { type: 'object', properties: { a: { type: 'string' } } },
      ],
    };
    expect(rules(schema, { a: 1 })).toEqual([]);
    expect(rules(schema, { a: 'x' })).toEqual([]);
    expect(rules(schema, { a: true })).toHaveLength(1);
    const relations: JsonSchema = { anyOf: [{ dependentRequired: { a: ['b'] } }, { required: ['c'] }] };
    expect(rules(relations, { a: 1 })).toEqual(['c missing: is required']);
    const multiples: JsonSchema = { anyOf: [{ 'x-multipleOfParameter': { a: 'b' } }, { required: ['c'] }] };
    expect(rules(multiples, { a: 3, b: 2 })).toEqual(['c missing: is required']);
  });

  it('x-rule replaces the words of every problem beneath it, nested ones too', () => {
    const schema: JsonSchema = { type: 'object', properties: { x: { type: 'integer' } }, 'x-rule': 'must be a point' };
    expect(rules(schema, { x: 'a' })).toEqual(['. value: must be a point']);
    expect(rules(schema, { x: 1 })).toEqual([]);
    expect(describeRule(schema)).toBe('must be a point');
  });

  it('not and if/then look at the value without reporting what they tried', () => {
    expect(rules({ not: { type: 'integer' } }, 'x')).toEqual([]);
    const conditional: JsonSchema = { if: { type: 'integer', minimum: 10 }, then: { maximum: 20 } };
    expect(rules(conditional, 5)).toEqual([]);
    expect(rules(conditional, 25)).toEqual(['. value: must be a number of at most 20']);
    expect(rules({ if: { type: 'integer' }, else: { type: 'string' } }, true)).toEqual(['. type: must be a string']);
    expect(rules({ if: { type: 'integer' }, else: { type: 'string' } }, 3)).toEqual([]);
  });
});

describe('the words of a rule', () => {
  it.each([
    [{ type: 'object' }, 'must be an object'],
    [{ type: 'array' }, 'must be an array'],
    [{ type: 'boolean' }, 'must be true or false'],
    [{ type: 'string' }, 'must be a string'],
    [{ type: 'string', minLength: 1 }, 'must be a non-empty string'],
    [{ type: 'string', minLength: 3 }, 'must be a string of at least 3 characters'],
    [{ type: 'string', pattern: '^a$' }, 'must match ^a$'],
    [{ enum: ['x', 'y'] }, 'must be one of x, y'],
    [{ anyOf: [{ type: 'integer' }, { type: 'boolean' }] }, 'must be true or false'],
    [{}, 'is not valid here'],
    [{ type: ['integer', 'null'], minimum: 0, maximum: 1 }, 'must be an integer from 0 to 1, or null'],
  ] as Array<[JsonSchema, string]>)('%j: %s', (schema, words) => {
    expect(describeRule(schema)).toBe(words);
  });

  it('numbers take integers; integers refuse fractions; strings refuse numbers', () => {
    expect(rules({ type: 'number' }, 2.5)).toEqual([]);
    expect(rules({ type: 'number' }, '3')).toEqual(['. type: must be a number']);
    expect(rules({ type: 'integer' }, 2.5)).toEqual(['. type: must be an integer']);
    expect(rules({ type: 'string' }, 3)).toEqual(['. type: must be a string']);
    expect(rules({ type: 'null' }, null)).toEqual([]);
    expect(rules({ type: 'null' }, 0)).toHaveLength(1);
  });

  it('marks a problem of an x-sensitive value as sensitive, and of another as not', () => {
    expect(check({ type: 'string', 'x-sensitive': true }, 5, 'request')[0]).toMatchObject({ sensitive: true });
    expect(check({ type: 'string', writeOnly: true }, 5, 'request')[0]).toMatchObject({ sensitive: true });
    expect(check({ type: 'string' }, 5, 'request')[0]).toMatchObject({ sensitive: false });
    expect(
      check({ properties: { s: { type: 'string', readOnly: true, 'x-sensitive': true } } }, { s: 'k' }, 'request')[0],
    ).toMatchObject({
      sensitive: true,
    });
  });

  it('the unknown values of an open enum are never secrets and keep their path', () => {
    const open: JsonSchema = { properties: { t: { anyOf: [{ enum: ['a'] }, { type: 'string' }] } } };
    expect(check(open, { t: 'b' }, 'response')).toEqual([
      { path: 't', kind: 'unknown_value', rule: 'is none of the documented values (a)', value: 'b', sensitive: false },
    ]);
  });
});
