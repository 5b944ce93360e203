// The tolerant reader: a success body read liberally (Huawei's SDKs treat every field as
// optional, and Harbor leaves zero values out), its differences from the spec listed field by
// field, and only an answer that cannot be used at all called unusable.
import type { Operation } from '../spec/table.js';
import { check, resolve, type Problem } from '../spec/validate.js';

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
 * Why a success body cannot be used at all (not an object; items that are not an array, or more
 * of them than the query's limit asked for), or undefined when it can.
 */
export function unusableReason(op: Operation, body: unknown, query: Record<string, unknown> = {}): string | undefined {
  const schema = op.response.schema;
  if (!schema) return undefined;
  if (resolve(schema).type === 'object' && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    return 'the body is not a JSON object';
  }
  if (!op.pagination) return undefined;
  const { items: field, limit } = op.pagination;
  const items = (body as Record<string, unknown>)[field];
  if (items !== undefined && !Array.isArray(items)) return `\`${field}\` is not an array`;
  const asked = query[limit];
  if (Array.isArray(items) && typeof asked === 'number' && items.length > asked) {
    return `${items.length} ${field}, more than the ${limit} of ${asked}`;
  }
  return undefined;
}

/** Reads a success body liberally: whether it can be used, and how it differs from the spec. */
export function readAnswer(op: Operation, body: unknown, query: Record<string, unknown> = {}): ReadAnswer {
  const unusable = unusableReason(op, body, query);
  return unusable === undefined ? { differences: differencesOf(op, body) } : { unusable, differences: [] };
}

/** How a usable success body differs from the spec, once per field. */
export function differencesOf(op: Operation, body: unknown): Difference[] {
  const schema = op.response.schema;
  if (!schema) return [];
  const byField = new Map<string, Difference>();
  for (const problem of check(schema, body, 'response')) {
    const field = problem.path.replace(/\[\d+\]/g, '[]');
    const key = `${field}\u0000${problem.kind}`;
    const seen = byField.get(key);
    if (seen) seen.count += 1;
    else
      byField.set(key, { field, kind: problem.kind, rule: problem.rule, received: jsonType(problem.value), count: 1 });
  }
  return [...byField.values()];
}
