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
 * Reads a success body liberally: only an answer that cannot be used at all is unusable (not an
 * object; items that are not an array, or more of them than the query's limit asked for).
 */
export function readAnswer(op: Operation, body: unknown, query: Record<string, unknown> = {}): ReadAnswer {
  const schema = op.response.schema;
  if (!schema) return { differences: [] };
  const top = resolve(schema);
  if (top.type === 'object' && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    return { unusable: 'the body is not a JSON object', differences: [] };
  }
  if (op.pagination) {
    const { items: field, limit } = op.pagination;
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
