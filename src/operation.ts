// The operations of the runtime table, and what every user of it needs per operation: the
// request checked before it is sent (client, CLI), a query string parsed as the service would
// (emulator), and an answer read liberally, its differences from the spec listed (client).
import { operations, type JsonSchema, type ParameterInfo } from '../generated/operations.js';
import { SwrValidationError } from './errors.js';
import { check, coerce, compile, resolve, type Problem } from './validate.js';

export type { JsonSchema, ParameterInfo } from '../generated/operations.js';
export type OperationId = keyof typeof operations;
export type Operation = (typeof operations)[OperationId];
export { operations };

/** The parameters of an operation that live in one place (`path` or `query`). */
export function parametersIn(operation: Operation, where: ParameterInfo['in']): readonly ParameterInfo[] {
  return operation.parameters.filter((p) => p.in === where);
}

/** The path parameter that names one item (`registry_id`): the one its collection's path lacks. */
export function itemParameter(operation: Operation): ParameterInfo | undefined {
  const collection = operation.path.slice(0, operation.path.lastIndexOf('/'));
  return parametersIn(operation, 'path').find((p) => !collection.includes(`{${p.name}}`));
}

/** The schema of one listed item: the array that `x-pagination.items` names in the response. */
export function itemSchema(operation: Operation & { pagination: { items: string } }): JsonSchema {
  const items = resolve(operation.response.schema!).properties?.[operation.pagination.items];
  return resolve(items!).items!;
}

/** What a request is made of, in the spec's names. */
export interface RequestInput {
  path?: Record<string, unknown>;
  query?: unknown;
  body?: unknown;
}

/** A request that passed every rule: path values, the query without undefined entries, the body. */
export interface CheckedRequest {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
}

function throwFirst(problems: readonly Problem[]): void {
  const [first] = problems;
  if (!first) return;
  throw new SwrValidationError(first.path || 'body', first.rule, first.value, {
    sensitive: first.sensitive,
    problems,
  });
}

/** Checks a request against every rule of its operation; throws a SwrValidationError naming the first broken one. */
export function checkRequest(operation: Operation, input: RequestInput): CheckedRequest {
  const plan = planOf(operation);
  const problems: Problem[] = [];
  const at: Array<string | number> = [];
  const path: Record<string, string> = {};
  for (const p of plan.path) {
    const value = input.path?.[p.name];
    at[0] = p.name;
    p.check(value, at, problems);
    if (value === undefined) problems.push(missing(p.name));
    else path[p.name] = value as string;
  }
  throwFirst(problems);
  const query = checkQuery(operation, plan, input.query ?? {});
  if (!operation.body) return { path, query };
  if (input.body === undefined) {
    if (operation.body.required) throw new SwrValidationError('body', `is required by ${operation.operationId}`);
    return { path, query };
  }
  throwFirst(check(operation.body.schema, input.body, 'request'));
  return { path, query, body: input.body };
}

function missing(field: string): Problem {
  return { path: field, kind: 'missing', rule: 'is required', value: undefined, sensitive: false };
}

type Plan = ReturnType<typeof makePlan>;
const plans = new WeakMap<Operation, Plan>();

/** An operation's parameters, compiled once: every call of it checks them. */
function planOf(operation: Operation): Plan {
  let plan = plans.get(operation);
  if (!plan) plans.set(operation, (plan = makePlan(operation)));
  return plan;
}

function makePlan(operation: Operation) {
  const compiled = (p: ParameterInfo) => ({
    name: p.name,
    required: p.required === true,
    check: compile(p.schema, 'request'),
  });
  const query = new Map(parametersIn(operation, 'query').map((p) => [p.name, compiled(p)]));
  return {
    path: parametersIn(operation, 'path').map(compiled),
    query,
    required: [...query.values()].filter((p) => p.required),
    rules: 'querySchema' in operation ? compile(operation.querySchema, 'request') : undefined,
    known: [...query.keys()].join(', '),
  };
}

function checkQuery(operation: Operation, plan: Plan, query: unknown): Record<string, unknown> {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new SwrValidationError('query', 'must be an object of query parameters', query);
  }
  const out: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const at: Array<string | number> = [];
  for (const name in query) {
    const value = (query as Record<string, unknown>)[name];
    const p = plan.query.get(name);
    if (!p)
      throw new SwrValidationError(name, `is not a query parameter of ${operation.operationId} (known: ${plan.known})`);
    if (value === undefined) continue;
    at[0] = name;
    p.check(value, at, problems);
    out[name] = value;
  }
  for (const p of plan.required) if (out[p.name] === undefined) problems.push(missing(p.name));
  throwFirst(problems);
  if (plan.rules) {
    plan.rules(out, [], problems);
    throwFirst(problems);
  }
  return out;
}

/** A query parameter the emulator refuses: which one, the rule, and the text it was given. */
export interface QueryError {
  parameter: string;
  rule: string;
  raw?: string | undefined;
}

/**
 * Parses a query string as the service does: unknown parameters are ignored, each known one is
 * read as its schema's type and checked, then the rules between them; defaults fill the rest.
 */
export function parseQueryString(
  operation: Operation,
  search: string,
): { query: Record<string, unknown> } | { error: QueryError } {
  const raw = new Map<string, string>();
  const known = new Map(parametersIn(operation, 'query').map((p) => [p.name, p]));
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return { error: { parameter: 'query', rule: 'malformed percent-encoding in the query string' } };
    }
    if (!known.has(name)) continue;
    if (raw.has(name)) return { error: { parameter: name, rule: 'must be given at most once', raw: value } };
    raw.set(name, value);
  }
  const query: Record<string, unknown> = {};
  for (const [name, text] of raw) {
    const p = known.get(name)!;
    const value = coerce(p.schema, text);
    const [problem] = check(p.schema, value, 'request', [name]);
    if (problem) return { error: { parameter: name, rule: problem.rule, raw: text } };
    query[name] = value;
  }
  if ('querySchema' in operation) {
    const [problem] = check(operation.querySchema, query, 'request');
    if (problem) return { error: { parameter: problem.path, rule: problem.rule, raw: raw.get(problem.path) } };
  }
  for (const p of known.values()) {
    const fallback = resolve(p.schema).default;
    if (query[p.name] === undefined && fallback !== undefined) query[p.name] = fallback;
  }
  return { query };
}

/** How an answer differs from the spec, once per field: `registries[].insecure`, not one per record. */
export interface Difference {
  /** The field, with array positions folded: `registries[].insecure`. */
  field: string;
  kind: Problem['kind'];
  rule: string;
  /** The JSON type that arrived (never the value: it could be a secret). */
  received: string;
  /** How many values of this field differ in the answer. */
  count: number;
}

/** An answer as the client reads it: usable or not, and its differences from the spec. */
export interface ReadAnswer {
  /** Why the answer cannot be used at all; undefined when it can. */
  unusable?: string;
  differences: Difference[];
}

function jsonType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Reads a success body liberally: only an answer that cannot be used at all is unusable (not an
 * object; items that are not an array, or more of them than the query's limit asked for).
 */
export function readAnswer(operation: Operation, body: unknown, query: Record<string, unknown> = {}): ReadAnswer {
  const schema = operation.response.schema;
  if (!schema) return { differences: [] };
  const top = resolve(schema);
  if (top.type === 'object' && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    return { unusable: 'the body is not a JSON object', differences: [] };
  }
  if ('pagination' in operation) {
    const { items: field, limit } = operation.pagination;
    const items = (body as Record<string, unknown>)[field];
    if (items !== undefined && !Array.isArray(items))
      return { unusable: `\`${field}\` is not an array`, differences: [] };
    const asked = query[limit];
    if (Array.isArray(items) && typeof asked === 'number' && items.length > asked) {
      return { unusable: `${items.length} ${field}, more than the ${limit} of ${asked}`, differences: [] };
    }
  }
  const byField = new Map<string, Difference>();
  for (const problem of check(schema, body, 'response')) {
    const field = problem.path.replace(/\[\d+\]/g, '[]');
    const key = `${field}\u0000${problem.kind}`;
    const seen = byField.get(key);
    if (seen) seen.count += 1;
    else
      byField.set(key, { field, kind: problem.kind, rule: problem.rule, received: jsonType(problem.value), count: 1 });
  }
  return { differences: [...byField.values()] };
}

const isZero = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === false ||
  v === 0 ||
  (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isZero));

/**
 * The fields of a request body whose values an item the service answered does not share: every
 * non-secret field of `schema` that the item carries, compared with zero values equal to nothing
 * (Harbor leaves them out). A field the item does not carry cannot be compared and is not listed.
 */
export function differingFields(schema: JsonSchema, sent: unknown, found: unknown, at = ''): string[] {
  const s = resolve(schema);
  if (s['x-sensitive'] === true || s.writeOnly === true || found === undefined) return [];
  // A condition (if/then) declares no fields of its own: they are compared where they are declared.
  if (s.if !== undefined && !s.properties) return [];
  const out = (s.allOf ?? []).flatMap((part) => differingFields(part, sent, found, at));
  if (s.properties) {
    const [mine, theirs] = [asRecord(sent), asRecord(found)];
    for (const [field, fieldSchema] of Object.entries(s.properties)) {
      out.push(...differingFields(fieldSchema, mine?.[field], theirs?.[field], at ? `${at}.${field}` : field));
    }
    return out;
  }
  if (s.allOf) return out;
  const same = (isZero(sent) && isZero(found)) || JSON.stringify(sent) === JSON.stringify(found);
  return same ? [] : [at];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
