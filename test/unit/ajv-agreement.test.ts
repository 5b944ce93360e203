// The project's validator against ajv (a full JSON Schema 2020-12 validator), on every schema the
// runtime table holds (components, and each operation's parameters and bodies), on values made
// from those schemas: half made to fit, half with one spot of noise each (a field left out or
// added, a value one past a bound, text that breaks a pattern, any JSON in place of a value), so
// that a rule read differently shows as a value one of them takes and the other refuses. Request
// mode, strict (guessed rules count), is the one meant to agree with JSON Schema; the tolerant
// reader's response mode differs on purpose. `readOnly` and the project's query rules
// (`x-multipleOfParameter`) are not in these schemas and have tests of their own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operations, schemas, type JsonSchema } from '../../generated/operations.js';
import { check, resolve } from '../../src/spec/validate.js';
import { createAjv } from '../helpers/spec.js';

const ID = 'https://swr-registries.local/table.json';

// Every schema of the table, by its JSON pointer in one document for ajv: the components, then
// each operation's parameters and body (their `$ref`s point into the components).
const parameters: Record<string, JsonSchema> = {};
const bodies: Record<string, JsonSchema> = {};
for (const op of Object.values(operations)) {
  for (const p of op.parameters) parameters[`${op.operationId}.${p.in}.${p.name}`] = p.schema;
  if (op.body) bodies[op.operationId] = op.body.schema;
}
const named: Record<string, JsonSchema> = Object.fromEntries([
  ...Object.entries(schemas).map(([name, s]) => [`components/schemas/${name}`, s]),
  ...Object.entries(parameters).map(([name, s]) => [`parameters/${name}`, s]),
  ...Object.entries(bodies).map(([name, s]) => [`bodies/${name}`, s]),
]);

const ajv = createAjv();
// OpenAPI's int64 is a signed 64-bit integer (ajv-formats takes any integer, having no 64-bit numbers).
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63 });
ajv.addSchema({ $id: ID, components: { schemas }, parameters, bodies });

/**
 * Values for a schema: half of them made to fit it (so that valid ones come up, conditional rules
 * and `oneOf` left to chance), half of them noisy (fields left out or added, values one past a
 * bound, text that breaks a pattern, any JSON in place of a value).
 */
const valuesOf = (schema: JsonSchema): fc.Arbitrary<unknown> => fc.oneof(value(schema, false), value(schema, true));

function value(schema: JsonSchema, noisy: boolean): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const fitting = shaped(s, noisy);
  return noisy ? fc.oneof({ weight: 4, arbitrary: fitting }, fc.jsonValue({ maxDepth: 2 })) : fitting;
}

/** One of the arbitraries, the noisy ones only when noisy. */
const pick = <T>(fit: fc.Arbitrary<T>[], noise: fc.Arbitrary<T>[], noisy: boolean): fc.Arbitrary<T> =>
  fc.oneof(...fit.map((arbitrary) => ({ weight: 6, arbitrary })), ...(noisy || !fit.length ? noise : []));

function shaped(s: JsonSchema, noisy: boolean): fc.Arbitrary<unknown> {
  const of = (sub: JsonSchema) => value(sub, noisy);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return pick([fc.constantFrom(...s.enum)], [fc.string({ maxLength: 6 })], noisy);
  const branches = s.anyOf ?? s.oneOf;
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (branches && !types.length && !s.properties) return fc.oneof(...branches.map(of));
  // allOf alone (a body that is another body): the parts' values, objects merged.
  if (s.allOf && !types.length && !s.properties)
    return fc
      .tuple(...s.allOf.map(of))
      .map((parts) =>
        parts.every((p) => p !== null && typeof p === 'object') ? Object.assign({}, ...parts) : parts[0],
      );
  if (types.includes('object') || s.properties) return objects(s, noisy);
  if (types.includes('array')) {
    const items = fc.array(s.items ? value(s.items, false) : fc.jsonValue(), {
      minLength: s.minItems ?? 0,
      maxLength: 4,
    });
    if (!noisy || !s.items) return items;
    return fc
      .tuple(items, value(s.items, true), fc.nat())
      .map(([xs, bad, i]) => xs.toSpliced(i % (xs.length + 1), 0, bad));
  }
  if (types.includes('integer') || types.includes('number')) return numbers(s, types.includes('integer'), noisy);
  if (types.includes('boolean')) return fc.boolean();
  if (types.includes('string')) return strings(s, noisy);
  return fc.jsonValue({ maxDepth: 2 });
}

function strings(s: JsonSchema, noisy: boolean): fc.Arbitrary<string> {
  const matching = s.pattern ? fc.stringMatching(new RegExp(s.pattern, 'u')) : fc.constant('a');
  // Each length bound (and, when noisy, one past it) in text that otherwise fits.
  const bounds = [s.minLength, s.maxLength].filter((n) => n !== undefined);
  const lengths = bounds.flatMap((n) => (noisy ? [n - 1, n, n + 1] : [n])).filter((n) => n >= 0);
  const fit: fc.Arbitrary<string>[] = [];
  if (s.pattern) fit.push(matching.map((v) => v.slice(0, s.maxLength ?? 80)));
  if (lengths.length)
    fit.push(fc.tuple(matching, fc.constantFrom(...lengths)).map(([v, n]) => (v || 'a').repeat(n).slice(0, n)));
  if (s.format === 'date-time')
    fit.push(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()));
  if (s.format === 'ipv4') fit.push(fc.ipV4());
  if (s.format === 'uri') fit.push(fc.webUrl());
  const noise = [fc.string({ maxLength: 8 }), fc.constantFrom('', ' ', '.', '..', 'a b', 'x'.repeat(300))];
  return pick(fit, noise, noisy);
}

function numbers(s: JsonSchema, integer: boolean, noisy: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? -1000;
  const max = s.maximum ?? 1000;
  const within = integer ? fc.integer({ min, max: Math.min(max, min + 1e6) }) : fc.double({ min, max, noNaN: true });
  const edges = fc.constantFrom(min - 1, max + 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 64, 0.5);
  return pick([within, fc.constantFrom(min, max)], [edges], noisy);
}

/**
 * Objects: every required field and half the optional ones, made to fit. A noisy object has one
 * spot of noise, so that a value breaks one rule at a time: one field noisy, a required field
 * left out, or a field added.
 */
function objects(s: JsonSchema, noisy: boolean): fc.Arbitrary<unknown> {
  const required = new Set(s.required ?? []);
  const names = Object.keys(s.properties ?? {});
  const open = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  const build = (spot: number) => {
    const fields = names.map((name, i) => {
      const entry = value(s.properties![name]!, i === spot).map((v) => [name, v] as const);
      if (required.has(name) && spot !== names.length) return entry;
      return fc.option(entry, { freq: 2, nil: undefined });
    });
    const added =
      spot === names.length + 1
        ? open
          ? fc.dictionary(fc.string({ maxLength: 6 }), value(open, true), { minKeys: 1, maxKeys: 3 })
          : fc.dictionary(fc.constantFrom('extra', 'x'), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 1 })
        : open
          ? fc.dictionary(fc.string({ maxLength: 6 }), value(open, false), { maxKeys: 2 })
          : fc.constant({});
    return fc.tuple(fc.tuple(...fields), added).map(([present, more]) => ({
      ...more,
      ...Object.fromEntries(present.filter((f) => f !== undefined)),
    }));
  };
  // The spot: a field's index, names.length (required fields may be left out), or one past (a field added).
  return noisy ? fc.nat(names.length + 1).chain(build) : build(-1);
}

describe('the validator and ajv', () => {
  it.each(Object.keys(named))('give the same verdict on every value of %s (property)', (key) => {
    const schema = named[key]!;
    const validate = ajv.getSchema(`${ID}#/${key}`)!;
    const verdicts = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(valuesOf(schema), (value) => {
        const ours = check(schema, value, 'request').length === 0;
        verdicts[ours ? 'valid' : 'invalid'] += 1;
        expect({ value, ours }).toEqual({ value, ours: validate(value) });
      }),
      { numRuns: 300 },
    );
    // Both outcomes come up, so the property says something about each.
    expect(verdicts.valid).toBeGreaterThan(0);
    expect(verdicts.invalid).toBeGreaterThan(0);
  });
});
