// One validator for the client, the emulator and the CLI: an interpreter of the JSON Schema
// keywords the spec uses, compiled once per schema into closures. It reads every rule from the
// generated runtime table, so a spec edit and `npm run generate` change what it checks; a keyword
// it does not honour fails generation (scripts/runtime-table.mjs), never passes in silence.
//
// Two modes. `request` is strict (what we send): unknown fields, read-only fields and malformed
// text are refused. `response` is liberal (what we accept): it only reports how an answer differs
// from the spec, including values of an open enum that the spec does not list. A problem found
// inside a subschema marked `x-guess` (a rule no source documents) carries that mark, so that its
// reader can warn instead of refusing.
import { schemas, type JsonSchema } from '../../generated/operations.js';

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
  /** The rule is a guess (`x-guess`, with its reason): it warns, and refuses only in strict mode. */
  readonly guess?: string;
}

type Segment = string | number;
/** A compiled schema: checks `value`, pushes what it finds to `out`, returns whether it passed. */
type Checker = (value: unknown, at: Segment[], out: Problem[]) => boolean;
type Fail = (keyword: string, kind: ProblemKind, rule: string, value: unknown, at: Segment[], out: Problem[]) => false;

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: -(2 ** 63), max: 2 ** 63 };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORMATS: Record<string, { test: (v: string) => boolean; words: string }> = {
  'date-time': {
    test: (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(v),
    words: 'must be an RFC 3339 date-time',
  },
  ipv4: {
    test: (v) => /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v),
    words: 'must be an IPv4 address (four numbers from 0 to 255, dot-separated)',
  },
  uri: {
    test: (v) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\\^`{|}"<>]*$/.test(v),
    words: 'must be an absolute URI (scheme:rest, no spaces)',
  },
};
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

/** The inclusive bounds of an integer or number schema (int32 and int64 imply their own). */
export function numberBounds(schema: JsonSchema): { min?: number; max?: number } {
  const s = resolve(schema);
  const implied = s.format === 'int32' ? INT32 : s.format === 'int64' ? INT64 : undefined;
  const min = s.minimum ?? implied?.min;
  const max = s.maximum ?? implied?.max;
  return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
}

/** The values an enum-like schema documents: its `enum`, its `const`, or the enum branch of an open `anyOf`. */
export function documentedValues(schema: JsonSchema): readonly unknown[] | undefined {
  const s = resolve(schema);
  if (s.enum) return s.enum;
  if (s.const !== undefined) return [s.const];
  const branch = (s.anyOf ?? s.oneOf)?.map(resolve).find((b) => b.enum);
  return branch?.enum;
}

/** Whether an enum-like schema also takes values it does not list (an `anyOf` with a catch-all). */
export function isOpenEnum(schema: JsonSchema): boolean {
  const s = resolve(schema);
  return Boolean(s.anyOf?.some((b) => resolve(b).enum) && s.anyOf.some((b) => !resolve(b).enum));
}

const NOUNS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

/** `must be an integer from 1 to 100`: the words of a numeric schema's bounds. */
function boundsWords(s: JsonSchema, noun: string): string {
  const { min, max } = numberBounds(s);
  const low = s.exclusiveMinimum !== undefined ? `greater than ${s.exclusiveMinimum}` : undefined;
  const high = s.exclusiveMaximum !== undefined ? `less than ${s.exclusiveMaximum}` : undefined;
  if (low || high) {
    const parts = [low ?? (min !== undefined && `at least ${min}`), high ?? (max !== undefined && `at most ${max}`)];
    return `must be ${noun} ${parts.filter(Boolean).join(' and ')}`;
  }
  if (min !== undefined && max !== undefined) return `must be ${noun} from ${min} to ${max}`;
  if (min !== undefined) return `must be ${noun} of at least ${min}`;
  if (max !== undefined) return `must be ${noun} of at most ${max}`;
  return `must be ${noun}`;
}

/** `must be a string of 1 to 64 characters`: the words of a string schema's length. */
function lengthWords(lo: number | undefined, hi: number | undefined): string {
  if (lo !== undefined && hi !== undefined) return `must be a string of ${lo} to ${hi} characters`;
  if (lo === 1) return 'must be a non-empty string';
  if (lo !== undefined) return `must be a string of at least ${lo} characters`;
  if (hi !== undefined) return `must be a string of at most ${hi} characters`;
  return 'must be a string';
}

/** `must have 1 to 5 items`, or with another noun. */
function countWords(lo: number | undefined, hi: number | undefined, noun: string): string {
  if (lo !== undefined && hi !== undefined) return `must have ${lo} to ${hi} ${noun}`;
  if (lo !== undefined) return `must have at least ${lo} ${noun}`;
  return `must have at most ${hi} ${noun}`;
}

/** The rule of a schema in words, as error messages and the CLI's help state it. */
export function describeRule(schema: JsonSchema): string {
  const s = resolve(schema);
  if (s['x-rule']) return s['x-rule'];
  const values = documentedValues(s);
  if (values && s.const === undefined && !isOpenEnum(s)) return `must be one of ${values.join(', ')}`;
  if (s.const !== undefined) return `must be ${String(s.const)}`;
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  // Several types: the first one's rule, then the others by name (`an integer from 0 to 1, or null`).
  if (types.length > 1) {
    const others = types.slice(1).map((t) => NOUNS[t] ?? t);
    return `${describeRule({ ...s, type: types[0] })}, or ${others.join(' or ')}`;
  }
  const type = types[0] ?? impliedType(s);
  if (type === 'integer' || type === 'number') return boundsWords(s, NOUNS[type]!);
  if (type === 'string') {
    if (s.minLength !== undefined || s.maxLength !== undefined) return lengthWords(s.minLength, s.maxLength);
    if (s.format && FORMATS[s.format]) return FORMATS[s.format]!.words;
    if (s.pattern !== undefined) return `must match ${s.pattern}`;
    return 'must be a string';
  }
  if (type && NOUNS[type]) return `must be ${NOUNS[type]}`;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return describeRule(branches[branches.length - 1]!);
  return 'is not valid here';
}

/** The type that a schema's keywords imply when it names none: bounds are numbers', lengths strings'. */
function impliedType(s: JsonSchema): string | undefined {
  if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) return 'number';
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined || s.enum) return 'string';
  return undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A type test compiled once; the common single types without a call per value through typeOf. */
function typeTest(types: readonly string[]): (value: unknown) => boolean {
  const one = (type: string): ((value: unknown) => boolean) => {
    switch (type) {
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
        return (value) => typeOf(value) === type;
    }
  };
  if (types.length === 1) return one(types[0]!);
  const tests = types.map(one);
  return (value) => tests.some((test) => test(value));
}

/** JSON equality, for enum, const and uniqueItems: key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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

/** The keywords about an object's fields: a schema with one of them checks objects. */
const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'x-multipleOfParameter',
  'x-strict-required',
] as const;

function build(schema: JsonSchema, mode: Mode): Checker {
  const sensitive = schema['x-sensitive'] === true || schema.writeOnly === true;
  const guessed = schema['x-guess-keywords'];
  // A keyword we only guessed (x-guess-keywords) marks its own problems, and no other's.
  const fail: Fail = (keyword, kind, rule, value, at, out) => {
    const guess = guessed?.[keyword];
    out.push({ path: formatPath(at), kind, rule, value, sensitive, ...(guess !== undefined && { guess }) });
    return false;
  };
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  const parts: Checker[] = [
    ...(schema.$ref !== undefined ? [compile(resolve(schema), mode)] : []),
    ...scalarParts(schema, mode, fail),
    ...arrayParts(schema, mode, fail),
    ...combinators(schema, mode, fail),
  ];
  if (types?.includes('object') || OBJECT_KEYWORDS.some((k) => schema[k] !== undefined))
    parts.push(objectChecker(schema, mode));
  const override = schema['x-rule'];
  const guess = schema['x-guess'];
  const typeOk = types === undefined ? undefined : typeTest(types);
  const typeRule = types === undefined ? '' : describeRule(schema);
  const wrongType: Checker = (value, at, out) => fail('type', 'type', typeRule, value, at, out);
  // The common shapes get a closure of their own: these run for every field of every record.
  if (override === undefined && guess === undefined && parts.length <= 1) {
    const only = parts[0];
    if (!typeOk) return only ?? (() => true);
    if (!only) return (value, at, out) => typeOk(value) || wrongType(value, at, out);
    return (value, at, out) => (typeOk(value) ? only(value, at, out) : wrongType(value, at, out));
  }
  const run: Checker = (value, at, out) => {
    // A value of the wrong type says it all: the other keywords would only repeat it.
    if (typeOk && !typeOk(value)) return wrongType(value, at, out);
    let ok = true;
    for (let i = 0; i < parts.length; i++) ok = parts[i]!(value, at, out) && ok;
    return ok;
  };
  if (override === undefined && guess === undefined) return run;
  return (value, at, out) => {
    // Most values pass: that is found out without collecting anything; a failure is run again to collect.
    if (run(value, at, IGNORE)) return true;
    if (out === IGNORE) return false;
    const found: Problem[] = [];
    run(value, at, found);
    // x-rule words the failure once; x-guess marks every problem found beneath it.
    const problems =
      override === undefined
        ? found
        : [{ path: formatPath(at), kind: 'value' as const, rule: override, value, sensitive, ...guessOf(found) }];
    for (const p of problems) out.push(guess === undefined || p.guess !== undefined ? p : { ...p, guess });
    return false;
  };
}

/** The guess mark that a list of problems shares, if every one of them carries one. */
function guessOf(problems: readonly Problem[]): { guess?: string } {
  const first = problems[0]?.guess;
  return first !== undefined && problems.every((p) => p.guess !== undefined) ? { guess: first } : {};
}

/** The keywords about one value: bounds, multiples, length, pattern, format, enum, const, well-formed text. */
function scalarParts(schema: JsonSchema, mode: Mode, fail: Fail): Checker[] {
  return [...numberParts(schema, fail), ...stringParts(schema, mode, fail), ...valueParts(schema, fail)];
}

/** Bounds (inclusive, exclusive, and those int32 and int64 imply) and multiples. */
function numberParts(schema: JsonSchema, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const { min, max } = numberBounds(schema);
  const { exclusiveMinimum: above, exclusiveMaximum: below } = schema;
  if (min !== undefined || max !== undefined || above !== undefined || below !== undefined) {
    // Which bound a value breaks, for x-guess-keywords: a guessed minimum is not a guessed maximum.
    const boundKeyword = (v: number) =>
      (min !== undefined && v < min) || (above !== undefined && v <= above)
        ? schema.minimum !== undefined
          ? 'minimum'
          : above !== undefined
            ? 'exclusiveMinimum'
            : 'format'
        : schema.maximum !== undefined
          ? 'maximum'
          : below !== undefined
            ? 'exclusiveMaximum'
            : 'format';
    const words = boundsWords(schema, NOUNS[types.includes('integer') ? 'integer' : 'number']!);
    parts.push(
      (v, at, out) =>
        typeof v !== 'number' ||
        ((min === undefined || v >= min) &&
          (max === undefined || v <= max) &&
          (above === undefined || v > above) &&
          (below === undefined || v < below)) ||
        fail(boundKeyword(v), 'value', words, v, at, out),
    );
  }
  if (schema.multipleOf !== undefined) {
    const step = schema.multipleOf;
    const words = `must be a multiple of ${step}`;
    // JSON Schema means the quotient, not binary floating point: 0.3 / 0.1 is 2.9999999999999996
    // in floats and 3 in fact, so a quotient within rounding of a whole number passes.
    const whole = (v: number) => {
      const q = v / step;
      return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q));
    };
    parts.push((v, at, out) => typeof v !== 'number' || whole(v) || fail('multipleOf', 'value', words, v, at, out));
  }
  return parts;
}

/** Well-formed text (requests), length in code points, pattern, format. */
function stringParts(schema: JsonSchema, mode: Mode, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string') && mode === 'request') {
    const words = 'must be well-formed Unicode text (it holds a lone surrogate)';
    parts.push(
      (v, at, out) => typeof v !== 'string' || !LONE_SURROGATE.test(v) || fail('type', 'value', words, v, at, out),
    );
  }
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const lo = schema.minLength ?? 0;
    const hi = schema.maxLength ?? Number.POSITIVE_INFINITY;
    const words = lengthWords(schema.minLength, schema.maxLength);
    parts.push((v, at, out) => {
      if (typeof v !== 'string') return true;
      // JSON Schema counts code points; a string twice as long as both bounds needs no count.
      const length = v.length > 2 * Math.max(lo, Number.isFinite(hi) ? hi : 0) ? v.length : [...v].length;
      if (length >= lo && length <= hi) return true;
      return fail(length < lo ? 'minLength' : 'maxLength', 'value', words, v, at, out);
    });
  }
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern, 'u');
    const words = `must match ${schema.pattern}`;
    parts.push((v, at, out) => typeof v !== 'string' || pattern.test(v) || fail('pattern', 'value', words, v, at, out));
  }
  const format = schema.format === undefined ? undefined : FORMATS[schema.format];
  if (format) {
    parts.push(
      (v, at, out) => typeof v !== 'string' || format.test(v) || fail('format', 'format', format.words, v, at, out),
    );
  }
  return parts;
}

/** enum and const. */
function valueParts(schema: JsonSchema, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  if (schema.enum) {
    const values = schema.enum;
    const words = `must be one of ${values.join(', ')}`;
    // A plain value is looked up; only an object or array needs JSON equality.
    const plain = new Set(values.filter((x) => x === null || typeof x !== 'object'));
    const listed = (v: unknown) =>
      v === null || typeof v !== 'object' ? plain.has(v) : values.some((x) => jsonEqual(x, v));
    parts.push((v, at, out) => listed(v) || fail('enum', 'value', words, v, at, out));
  }
  if (schema.const !== undefined) {
    const words = `must be ${String(schema.const)}`;
    parts.push((v, at, out) => jsonEqual(v, schema.const) || fail('const', 'value', words, v, at, out));
  }
  return parts;
}

/** items, minItems, maxItems, uniqueItems. */
function arrayParts(schema: JsonSchema, mode: Mode, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  if (schema.items) {
    const item = compile(schema.items, mode);
    parts.push((v, at, out) => {
      if (!Array.isArray(v)) return true;
      let ok = true;
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        ok = item(v[i], at, out) && ok;
        at.pop();
      }
      return ok;
    });
  }
  if (schema.minItems !== undefined || schema.maxItems !== undefined) {
    const [lo, hi] = [schema.minItems ?? 0, schema.maxItems ?? Number.POSITIVE_INFINITY];
    const words = countWords(schema.minItems, schema.maxItems, 'items');
    parts.push(
      (v, at, out) =>
        !Array.isArray(v) ||
        (v.length >= lo && v.length <= hi) ||
        fail(v.length < lo ? 'minItems' : 'maxItems', 'value', words, v, at, out),
    );
  }
  if (schema.uniqueItems === true) {
    const words = 'must not hold the same item twice';
    parts.push(
      (v, at, out) =>
        !Array.isArray(v) ||
        v.every((x, i) => v.findIndex((y) => jsonEqual(x, y)) === i) ||
        fail('uniqueItems', 'value', words, v, at, out),
    );
  }
  return parts;
}

/** anyOf (with open enums), oneOf, allOf, not, if/then/else. */
function combinators(schema: JsonSchema, mode: Mode, fail: Fail): Checker[] {
  const parts: Checker[] = [];
  if (schema.allOf) {
    const all = schema.allOf.map((s) => compile(s, mode));
    parts.push((v, at, out) => all.reduce((ok, check) => check(v, at, out) && ok, true));
  }
  if (schema.anyOf) parts.push(anyOf(schema, schema.anyOf, mode));
  if (schema.oneOf) {
    const branches = schema.oneOf.map((s) => compile(s, mode));
    // Branches that only require fields say "exactly one of these fields", in those words.
    const fields = schema.oneOf.every((s) => Object.keys(s).every((k) => k === 'required') && s.required?.length === 1)
      ? schema.oneOf.map((s) => s.required![0]!)
      : undefined;
    const names = fields ?? schema.oneOf.map((s, i) => (s.$ref ? s.$ref.split('/').pop()! : `alternative ${i + 1}`));
    parts.push((v, at, out) => {
      const passing = branches.filter((check) => check(v, at, IGNORE));
      if (passing.length === 1) return true;
      if (fields)
        return fail(
          'oneOf',
          passing.length > 1 ? 'value' : 'missing',
          `must have exactly one of ${fields.join(', ')}`,
          v,
          at,
          out,
        );
      if (passing.length > 1) {
        const words = `must match exactly one of ${names.join(', ')}, but matches ${passing.length}`;
        return fail('oneOf', 'value', words, v, at, out);
      }
      out.push(...closest(branches, v, at));
      return false;
    });
  }
  if (schema.not) {
    const not = compile(schema.not, mode);
    const words = schema.not.enum
      ? `must not be ${schema.not.enum.map((x) => JSON.stringify(x)).join(' or ')}`
      : schema.not.const !== undefined
        ? `must not be ${JSON.stringify(schema.not.const)}`
        : 'is not allowed';
    parts.push((v, at, out) => !not(v, at, IGNORE) || fail('not', 'value', words, v, at, out));
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

/** The problems of the branch that comes closest: the fewest problems, the last on a tie. */
function closest(branches: readonly Checker[], v: unknown, at: Segment[]): Problem[] {
  let best: Problem[] = [];
  for (const [i, check] of branches.entries()) {
    const found: Problem[] = [];
    check(v, at, found);
    if (i === 0 || found.length <= best.length) best = found;
  }
  return best;
}

/** anyOf: a value passes when a branch does; an open enum's catch-all is reported in answers. */
function anyOf(schema: JsonSchema, list: readonly JsonSchema[], mode: Mode): Checker {
  const branches = list.map((s) => ({ enumerated: Boolean(resolve(s).enum), check: compile(s, mode) }));
  const values = documentedValues(schema);
  return (v, at, out) => {
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
    out.push(
      ...closest(
        branches.map((b) => b.check),
        v,
        at,
      ),
    );
    return false;
  };
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
  // What strict mode requires of an answer is reported (never refused) by the tolerant reader.
  const required = [...(schema.required ?? []), ...(mode === 'response' ? (schema['x-strict-required'] ?? []) : [])];
  const guessed = schema['x-guess-keywords'] ?? {};
  const between = relationsChecker(schema, guessed);
  const others = otherFieldsChecker(schema, mode, new Set(properties.map((p) => p.name)), guessed);
  // Hot: run for every record of every page. No closure is made per call.
  return (v, at, out) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return true;
    const record = v as Record<string, unknown>;
    let ok = true;
    for (const field of required) {
      if (record[field] === undefined) {
        const words = mode === 'request' ? 'is required' : 'is missing';
        ok = report(at, out, field, 'missing', words, undefined, { guess: guessed.required });
      }
    }
    for (const p of properties) {
      const value = record[p.name];
      if (value === undefined) continue;
      if (p.readOnly && mode === 'request') {
        const words = 'is set by the service and cannot be sent';
        ok = report(at, out, p.name, 'unexpected', words, value, { sensitive: p.sensitive });
        continue;
      }
      at.push(p.name);
      ok = p.check(value, at, out) && ok;
      at.pop();
    }
    if (others) ok = others(record, at, out) && ok;
    return between(record, at, out) && ok;
  };
}

type RecordCheck = (record: Record<string, unknown>, at: Segment[], out: Problem[]) => boolean;

/**
 * The keywords about the fields a schema does not name, and their count: additionalProperties,
 * propertyNames, minProperties and maxProperties. Undefined when the schema has none of them.
 */
function otherFieldsChecker(
  schema: JsonSchema,
  mode: Mode,
  known: ReadonlySet<string>,
  guessed: { readonly [keyword: string]: string },
): RecordCheck | undefined {
  const closed = schema.additionalProperties === false && mode === 'request';
  const extra =
    typeof schema.additionalProperties === 'object' ? compile(schema.additionalProperties, mode) : undefined;
  const names = schema.propertyNames && compile(schema.propertyNames, mode);
  const counted = schema.minProperties !== undefined || schema.maxProperties !== undefined;
  if (!closed && !extra && !names && !counted) return undefined;
  const [lo, hi] = [schema.minProperties ?? 0, schema.maxProperties ?? Number.POSITIVE_INFINITY];
  const countRule = countWords(schema.minProperties, schema.maxProperties, 'entries');
  return (record, at, out) => {
    let ok = true;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    if (counted && (keys.length < lo || keys.length > hi)) {
      const guess = guessed[keys.length < lo ? 'minProperties' : 'maxProperties'];
      const path = formatPath(at);
      out.push({
        path,
        kind: 'value',
        rule: countRule,
        value: record,
        sensitive: false,
        ...(guess !== undefined && { guess }),
      });
      ok = false;
    }
    for (const field of keys) {
      if (names) {
        const found: Problem[] = [];
        if (!names(field, [], found)) {
          const words = `is not an allowed name: ${found[0]?.rule ?? 'refused'}`;
          ok = report(at, out, field, 'value', words, field, { guess: guessed.propertyNames ?? found[0]?.guess });
          continue;
        }
      }
      if (known.has(field)) continue;
      if (closed) {
        const words = `is not a field here (known: ${[...known].join(', ')})`;
        ok = report(at, out, field, 'unexpected', words, record[field], { guess: guessed.additionalProperties });
      } else if (extra) {
        at.push(field);
        ok = extra(record[field], at, out) && ok;
        at.pop();
      }
    }
    return ok;
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
  options: { sensitive?: boolean; guess?: string | undefined } = {},
): false {
  at.push(field);
  const { sensitive = false, guess } = options;
  out.push({ path: formatPath(at), kind, rule, value, sensitive, ...(guess !== undefined && { guess }) });
  at.pop();
  return false;
}

/** The rules between fields: dependentRequired, x-multipleOfParameter. */
function relationsChecker(schema: JsonSchema, guessed: { readonly [keyword: string]: string }) {
  const dependent = Object.entries(schema.dependentRequired ?? {});
  const multiples = Object.entries(schema['x-multipleOfParameter'] ?? {});
  return (record: Record<string, unknown>, at: Segment[], out: Problem[]): boolean => {
    let ok = true;
    for (const [field, needs] of dependent) {
      if (record[field] === undefined) continue;
      for (const other of needs) {
        if (record[other] === undefined) {
          const words = `must be used together with ${other}`;
          ok = report(at, out, field, 'value', words, record[field], { guess: guessed.dependentRequired });
        }
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
 * A string from a command line, a query string or a header, as the value its schema expects:
 * digits become a number for an integer schema, `true`/`false` a boolean. Anything else stays a
 * string, for the schema check to refuse with its rule.
 */
export function coerce(schema: JsonSchema, text: string): unknown {
  const s = resolve(schema);
  const type = Array.isArray(s.type) ? s.type[0] : (s.type ?? impliedType(s));
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Whether a schema marks a secret: x-sensitive or write-only. */
export const isSecret = (schema: JsonSchema): boolean => {
  const s = resolve(schema);
  return s['x-sensitive'] === true || s.writeOnly === true;
};

/**
 * A copy of `value` with every secret (x-sensitive or write-only) replaced by `mask(secret)`,
 * whatever the secret's value is (a string, an array, an object); everything else is shared,
 * not copied. For printing and for answers.
 */
export function maskSensitive<T>(schema: JsonSchema, value: T, mask: (secret: unknown) => unknown): T {
  const s = resolve(schema);
  if (value === undefined) return value;
  if (s['x-sensitive'] === true || s.writeOnly === true) return mask(value) as T;
  if (s.items && Array.isArray(value)) return value.map((item) => maskSensitive(s.items!, item, mask)) as T;
  // The fields of an `allOf` part are the object's fields too (UpdateRegistryRequestBody is one).
  const masked = (s.allOf ?? []).reduce((v, part) => maskSensitive(part, v, mask), value);
  if (!s.properties || masked === null || typeof masked !== 'object' || Array.isArray(masked)) return masked;
  let copy: Record<string, unknown> | undefined;
  for (const [field, fieldSchema] of Object.entries(s.properties)) {
    const current = (masked as Record<string, unknown>)[field];
    if (current === undefined) continue;
    const inner = maskSensitive(fieldSchema, current, mask);
    if (inner !== current) (copy ??= { ...(masked as Record<string, unknown>) })[field] = inner;
  }
  return (copy ?? masked) as T;
}

/** The dotted paths of every secret field of a schema (`credential.access_secret`). */
export function secretPaths(schema: JsonSchema, prefix = ''): string[] {
  const s = resolve(schema);
  if (isSecret(s)) return [prefix];
  const parts = (s.allOf ?? []).flatMap((part) => secretPaths(part, prefix));
  const fields = Object.entries(s.properties ?? {}).flatMap(([name, field]) =>
    secretPaths(field, prefix ? `${prefix}.${name}` : name),
  );
  return [...new Set([...parts, ...fields])];
}
