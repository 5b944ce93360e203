// One validator for the client, the emulator and the CLI: a small interpreter of the JSON Schema
// keywords the spec uses, compiled once per schema into closures. It reads every rule from the
// generated runtime table, so a spec edit and `npm run generate` change what it checks.
//
// Two modes. `request` is strict (what we send): unknown fields, read-only fields and malformed
// text are refused. `response` is liberal (what we accept): it only reports how an answer differs
// from the spec, including values of an open enum that the spec does not list.
import { schemas, type JsonSchema } from '../generated/operations.js';

export type { JsonSchema };

export type Mode = 'request' | 'response';

/** What a problem is about, for callers who sort them. */
export type ProblemKind = 'missing' | 'type' | 'value' | 'format' | 'unknown_value' | 'unexpected';

/** One way a value breaks (or, in response mode, differs from) its schema. */
export interface Problem {
  /** Where: `limit`, `credential.access_key`, `registries[3].insecure`. */
  readonly path: string;
  readonly kind: ProblemKind;
  /** The rule in words, e.g. `must be an integer from 1 to 100`. */
  readonly rule: string;
  readonly value: unknown;
  /** The value is a secret (x-sensitive or write-only): never show it. */
  readonly sensitive: boolean;
}

type Segment = string | number;
/** A compiled schema: checks `value`, pushes what it finds to `out`, returns whether it passed. */
type Checker = (value: unknown, at: Segment[], out: Problem[]) => boolean;

const INT32 = { min: -2147483648, max: 2147483647 };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const compiled: Record<Mode, WeakMap<JsonSchema, Checker>> = { request: new WeakMap(), response: new WeakMap() };
/** Where a check goes whose problems nobody reads (a branch tried, a condition tested). */
const IGNORE = { push: () => 0 } as unknown as Problem[];

/** `registries[3].insecure` from its segments. */
export function formatPath(at: readonly Segment[]): string {
  let out = '';
  for (const s of at) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** A schema with its `$ref` (to `#/components/schemas/…`) followed. */
export function resolve(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    const target = schemas[current.$ref.slice('#/components/schemas/'.length) as keyof typeof schemas];
    if (!target) throw new Error(`the runtime table has no schema ${current.$ref}`);
    current = target;
  }
  return current;
}

/** The inclusive bounds of an integer or number schema (int32 implies its own). */
export function numberBounds(schema: JsonSchema): { min?: number; max?: number } {
  const s = resolve(schema);
  const int32 = s.format === 'int32';
  const min = s.minimum ?? (int32 ? INT32.min : undefined);
  const max = s.maximum ?? (int32 ? INT32.max : undefined);
  return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
}

/** The values an enum-like schema documents: its `enum`, or the enum branch of an open `anyOf`. */
export function documentedValues(schema: JsonSchema): readonly unknown[] | undefined {
  const s = resolve(schema);
  if (s.enum) return s.enum;
  const branch = s.anyOf?.map(resolve).find((b) => b.enum);
  return branch?.enum;
}

/** Whether an enum-like schema also takes values it does not list (an `anyOf` with a catch-all). */
export function isOpenEnum(schema: JsonSchema): boolean {
  const s = resolve(schema);
  return Boolean(s.anyOf?.some((b) => resolve(b).enum) && s.anyOf.some((b) => !resolve(b).enum));
}

/** The rule of a schema in words, as error messages state it. */
export function describeRule(schema: JsonSchema): string {
  const s = resolve(schema);
  if (s['x-rule']) return s['x-rule'];
  const values = documentedValues(s);
  if (values && !isOpenEnum(s)) return `must be one of ${values.join(', ')}`;
  if (s.const !== undefined) return `must be ${String(s.const)}`;
  const type = (Array.isArray(s.type) ? s.type[0] : s.type) ?? impliedType(s);
  if (type === 'integer' || type === 'number') {
    const { min, max } = numberBounds(s);
    const noun = type === 'integer' ? 'an integer' : 'a number';
    if (min !== undefined && max !== undefined) return `must be ${noun} from ${min} to ${max}`;
    if (min !== undefined) return `must be ${noun} of at least ${min}`;
    if (max !== undefined) return `must be ${noun} of at most ${max}`;
    return `must be ${noun}`;
  }
  if (type === 'string') {
    const { minLength: lo, maxLength: hi } = s;
    if (lo !== undefined && hi !== undefined) return `must be a string of ${lo} to ${hi} characters`;
    if (lo === 1) return 'must be a non-empty string';
    if (lo !== undefined) return `must be a string of at least ${lo} characters`;
    if (hi !== undefined) return `must be a string of at most ${hi} characters`;
    if (s.pattern !== undefined) return `must match ${s.pattern}`;
    return 'must be a string';
  }
  if (type === 'boolean') return 'must be true or false';
  if (type === 'array') return 'must be an array';
  if (type === 'object') return 'must be an object';
  if (s.anyOf) return describeRule(s.anyOf[s.anyOf.length - 1]!);
  return 'is not valid here';
}

/** The type that a schema's keywords imply when it names none: bounds are numbers', lengths strings'. */
function impliedType(s: JsonSchema): string | undefined {
  if (s.minimum !== undefined || s.maximum !== undefined) return 'number';
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined || s.enum) return 'string';
  return undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** A type test compiled once; the common single types without a call per value through typeOf. */
function typeTest(types: readonly string[]): (value: unknown) => boolean {
  if (types.length > 1) return (value) => types.some((t) => hasType(t, value));
  switch (types[0]) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'integer':
      return (value) => typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return (value) => hasType(types[0]!, value);
  }
}

/** Compiles a schema for a mode, once: later calls reuse the closures. */
export function compile(schema: JsonSchema, mode: Mode): Checker {
  const cache = compiled[mode];
  let checker = cache.get(schema);
  if (checker) return checker;
  // A schema that refers back to itself meets this forwarder while its parts are compiled.
  let inner: Checker = () => true;
  cache.set(schema, (value, at, out) => inner(value, at, out));
  inner = build(schema, mode);
  // Later users call the built checker itself, with no forwarding call per value.
  cache.set(schema, inner);
  return inner;
}

function build(schema: JsonSchema, mode: Mode): Checker {
  if (schema.$ref !== undefined) return compile(resolve(schema), mode);
  const sensitive = schema['x-sensitive'] === true || schema.writeOnly === true;
  const fail: Fail = (kind, rule, value, at, out) => {
    out.push({ path: formatPath(at), kind, rule, value, sensitive });
    return false;
  };
  const rule = describeRule(schema);
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  const parts = [...scalarParts(schema, mode, rule, fail), ...combinators(schema, mode, fail)];
  const objectKeywords = [
    schema.properties,
    schema.required,
    schema.additionalProperties,
    schema.dependentRequired,
    schema['x-multipleOfParameter'],
  ];
  if (types?.includes('object') || objectKeywords.some((k) => k !== undefined)) parts.push(objectChecker(schema, mode));
  if (schema.items) parts.push(itemsChecker(compile(schema.items, mode)));
  const override = schema['x-rule'];
  const typeOk = types === undefined ? undefined : typeTest(types);
  const wrongType: Checker = (value, at, out) => fail('type', rule, value, at, out);
  // The common shapes get a closure of their own: these run for every field of every record.
  if (override === undefined && parts.length <= 1) {
    const only = parts[0];
    if (!typeOk) return only ?? (() => true);
    if (!only) return (value, at, out) => typeOk(value) || wrongType(value, at, out);
    return (value, at, out) => (typeOk(value) ? only(value, at, out) : wrongType(value, at, out));
  }
  return (value, at, out) => {
    // A value of the wrong type says it all: the other keywords would only repeat it.
    if (typeOk && !typeOk(value)) return wrongType(value, at, out);
    const found: Problem[] = override === undefined ? out : [];
    let ok = true;
    for (let i = 0; i < parts.length; i++) ok = parts[i]!(value, at, found) && ok;
    if (!ok && override !== undefined) fail('value', override, value, at, out);
    return ok;
  };
}

/** The keywords about one value: bounds, length, pattern, format, enum, const, well-formed text. */
function scalarParts(schema: JsonSchema, mode: Mode, rule: string, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string') && mode === 'request') {
    const words = 'must be well-formed Unicode text (it holds a lone surrogate)';
    parts.push((v, at, out) => typeof v !== 'string' || !LONE_SURROGATE.test(v) || fail('value', words, v, at, out));
  }
  const { min, max } = numberBounds(schema);
  if (min !== undefined || max !== undefined) {
    parts.push(
      (v, at, out) =>
        typeof v !== 'number' ||
        ((min === undefined || v >= min) && (max === undefined || v <= max)) ||
        fail('value', rule, v, at, out),
    );
  }
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const lo = schema.minLength ?? 0;
    const hi = schema.maxLength ?? Number.POSITIVE_INFINITY;
    parts.push((v, at, out) => {
      if (typeof v !== 'string') return true;
      // JSON Schema counts code points; a string twice as long as both bounds needs no count.
      const length = v.length > 2 * Math.max(lo, Number.isFinite(hi) ? hi : 0) ? v.length : [...v].length;
      return (length >= lo && length <= hi) || fail('value', rule, v, at, out);
    });
  }
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern, 'u');
    parts.push((v, at, out) => typeof v !== 'string' || pattern.test(v) || fail('value', rule, v, at, out));
  }
  if (schema.format === 'date-time') {
    const words = 'must be an RFC 3339 date-time';
    parts.push((v, at, out) => typeof v !== 'string' || DATE_TIME.test(v) || fail('format', words, v, at, out));
  }
  if (schema.enum) {
    const values = schema.enum;
    parts.push((v, at, out) => values.includes(v) || fail('value', rule, v, at, out));
  }
  if (schema.const !== undefined) {
    parts.push((v, at, out) => v === schema.const || fail('value', rule, v, at, out));
  }
  return parts;
}

function itemsChecker(item: Checker): Checker {
  return (v, at, out) => {
    if (!Array.isArray(v)) return true;
    let ok = true;
    for (let i = 0; i < v.length; i++) {
      at.push(i);
      ok = item(v[i], at, out) && ok;
      at.pop();
    }
    return ok;
  };
}

type Fail = (kind: ProblemKind, rule: string, value: unknown, at: Segment[], out: Problem[]) => boolean;

/** anyOf (with open enums), allOf, not, if/then/else. */
function combinators(schema: JsonSchema, mode: Mode, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  if (schema.allOf) {
    const all = schema.allOf.map((s) => compile(s, mode));
    parts.push((v, at, out) => all.reduce((ok, check) => check(v, at, out) && ok, true));
  }
  if (schema.anyOf) {
    const branches = schema.anyOf.map((s) => ({ enumerated: Boolean(resolve(s).enum), check: compile(s, mode) }));
    const values = documentedValues(schema);
    parts.push((v, at, out) => {
      let viaCatchAll = false;
      for (const branch of branches) {
        if (branch.check(v, at, IGNORE)) {
          if (branch.enumerated) return true;
          viaCatchAll = true;
        }
      }
      if (viaCatchAll) {
        if (mode === 'response' && values)
          out.push({
            path: formatPath(at),
            kind: 'unknown_value',
            rule: `is none of the documented values (${values.join(', ')})`,
            value: v,
            sensitive: false,
          });
        return true;
      }
      // Every branch failed (rare): run them again to report the branch with the fewest problems.
      let best: Problem[] = [];
      for (const [i, branch] of branches.entries()) {
        const found: Problem[] = [];
        branch.check(v, at, found);
        if (i === 0 || found.length <= best.length) best = found;
      }
      out.push(...best);
      return false;
    });
  }
  if (schema.not) {
    const not = compile(schema.not, mode);
    const rule = schema.not.enum
      ? `must not be ${schema.not.enum.map((x) => JSON.stringify(x)).join(' or ')}`
      : 'is not allowed';
    parts.push((v, at, out) => !not(v, at, IGNORE) || fail('value', rule, v, at, out));
  }
  if (schema.if && (schema.then || schema.else)) {
    const condition = compile(schema.if, mode);
    const when = conditionText(schema.if);
    const then = schema.then && compile(schema.then, mode);
    const otherwise = schema.else && compile(schema.else, mode);
    parts.push((v, at, out) => {
      const branch = condition(v, at, IGNORE) ? then : otherwise;
      if (!branch) return true;
      const found: Problem[] = [];
      if (branch(v, at, found)) return true;
      for (const p of found) out.push(branch === then && when ? { ...p, rule: `${p.rule} when ${when}` } : p);
      return false;
    });
  }
  return parts;
}

/** `type is swr-pro-internal` from `{ properties: { type: { const: swr-pro-internal } } }`. */
function conditionText(schema: JsonSchema): string | undefined {
  const terms = Object.entries(schema.properties ?? {})
    .filter(([, s]) => s.const !== undefined)
    .map(([field, s]) => `${field} is ${String(s.const)}`);
  return terms.length > 0 ? terms.join(' and ') : undefined;
}

function objectChecker(schema: JsonSchema, mode: Mode): Checker {
  const properties = Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    check: compile(s, mode),
    readOnly: resolve(s).readOnly === true,
    sensitive: resolve(s)['x-sensitive'] === true || resolve(s).writeOnly === true,
  }));
  const known = new Set(properties.map((p) => p.name));
  const required = schema.required ?? [];
  const closed = schema.additionalProperties === false && mode === 'request';
  const extra =
    typeof schema.additionalProperties === 'object' ? compile(schema.additionalProperties, mode) : undefined;
  const between = relationsChecker(schema);
  // Hot: run for every record of every page. No closure is made per call.
  return (v, at, out) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return true;
    const record = v as Record<string, unknown>;
    let ok = true;
    for (const field of required) {
      if (record[field] === undefined)
        ok = report(at, out, field, 'missing', mode === 'request' ? 'is required' : 'is missing', undefined);
    }
    for (const p of properties) {
      const value = record[p.name];
      if (value === undefined) continue;
      if (p.readOnly && mode === 'request') {
        ok = report(at, out, p.name, 'unexpected', 'is set by the service and cannot be sent', value, p.sensitive);
        continue;
      }
      at.push(p.name);
      ok = p.check(value, at, out) && ok;
      at.pop();
    }
    for (const field of closed || extra ? Object.keys(record) : []) {
      if (known.has(field) || record[field] === undefined) continue;
      if (closed) {
        ok = report(
          at,
          out,
          field,
          'unexpected',
          `is not a field here (known: ${[...known].join(', ')})`,
          record[field],
        );
      } else {
        at.push(field);
        ok = extra!(record[field], at, out) && ok;
        at.pop();
      }
    }
    return between(record, at, out) && ok;
  };
}

/** Reports a problem of one field of the object at `at`; returns false, for `ok = report(...)`. */
function report(
  at: Segment[],
  out: Problem[],
  field: string,
  kind: ProblemKind,
  rule: string,
  value: unknown,
  sensitive = false,
): false {
  at.push(field);
  out.push({ path: formatPath(at), kind, rule, value, sensitive });
  at.pop();
  return false;
}

/** The rules between fields: dependentRequired, x-multipleOfParameter. */
function relationsChecker(schema: JsonSchema) {
  const dependent = Object.entries(schema.dependentRequired ?? {});
  const multiples = Object.entries(schema['x-multipleOfParameter'] ?? {});
  return (record: Record<string, unknown>, at: Segment[], out: Problem[]): boolean => {
    let ok = true;
    for (const [field, needs] of dependent) {
      if (record[field] === undefined) continue;
      for (const other of needs) {
        if (record[other] === undefined)
          ok = report(at, out, field, 'value', `must be used together with ${other}`, record[field]);
      }
    }
    for (const [field, other] of multiples) {
      const [a, b] = [record[field], record[other]];
      if (typeof a === 'number' && typeof b === 'number' && b !== 0 && a % b !== 0) {
        ok = report(at, out, field, 'value', `must be 0 or a multiple of ${other} (${b})`, a);
      }
    }
    return ok;
  };
}

/** Every problem of a value against a schema (an empty list when it complies). */
export function check(schema: JsonSchema, value: unknown, mode: Mode, at: Segment[] = []): Problem[] {
  const out: Problem[] = [];
  compile(schema, mode)(value, at, out);
  return out;
}

/**
 * A string from a command line or a query string, as the value its schema expects: digits
 * become a number for an integer schema, `true`/`false` a boolean. Anything else stays a string,
 * for the schema check to refuse with its rule.
 */
export function coerce(schema: JsonSchema, text: string): unknown {
  const s = resolve(schema);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * A copy of `value` with every secret (x-sensitive or write-only) string replaced by
 * `mask(secret)`; everything else is shared, not copied. For printing and for answers.
 */
export function maskSensitive<T>(schema: JsonSchema, value: T, mask: (secret: string) => string): T {
  const s = resolve(schema);
  if (s['x-sensitive'] === true || s.writeOnly === true) return (typeof value === 'string' ? mask(value) : value) as T;
  if (s.items && Array.isArray(value)) return value.map((item) => maskSensitive(s.items!, item, mask)) as T;
  // The fields of an `allOf` part are the object's fields too (UpdateRegistryRequestBody is one).
  const masked = (s.allOf ?? []).reduce((v, part) => maskSensitive(part, v, mask), value);
  if (!s.properties || masked === null || typeof masked !== 'object' || Array.isArray(masked)) return masked;
  return maskFields(s.properties, masked, mask);
}

function maskFields<T>(
  properties: NonNullable<JsonSchema['properties']>,
  value: T,
  mask: (secret: string) => string,
): T {
  let copy: Record<string, unknown> | undefined;
  for (const [field, fieldSchema] of Object.entries(properties)) {
    const current = (value as Record<string, unknown>)[field];
    if (current === undefined) continue;
    const masked = maskSensitive(fieldSchema, current, mask);
    if (masked !== current) (copy ??= { ...(value as Record<string, unknown>) })[field] = masked;
  }
  return (copy ?? value) as T;
}
