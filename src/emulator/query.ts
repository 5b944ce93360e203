// The documented query semantics of ListInstanceRegistries, implemented from the reference page
// on its own (not shared with the client's validation), so the two check each other.
import type { operations, Registry } from '../../generated/schema.js';

type Query = NonNullable<operations['ListInstanceRegistries']['parameters']['query']>;

/** A validated query with the documented defaults filled in. */
export interface ListQuery {
  order_column: NonNullable<Query['order_column']>;
  order_type: NonNullable<Query['order_type']>;
  name?: string;
  type?: string;
  offset: number;
  limit: number;
}

const ORDER_COLUMNS = ['created_at', 'updated_at', 'name'] as const;
const ORDER_TYPES = ['desc', 'asc'] as const;
const KNOWN = new Set(['order_column', 'order_type', 'name', 'type', 'offset', 'limit']);
const INT32_MAX = 2147483647;

/** A rule broken by the query: the parameter and a message naming the rule. */
export interface QueryError {
  parameter: string;
  message: string;
}

/** Parses a raw query string (with `?` or without) strictly; the first broken rule is reported. */
export function parseListQuery(search: string): { query: ListQuery } | { error: QueryError } {
  const raw = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return fail('query', 'malformed percent-encoding in the query string');
    }
    if (!KNOWN.has(key)) continue; // like the service, ignore parameters it does not know
    if (raw.has(key)) return fail(key, 'must be given at most once');
    raw.set(key, value);
  }

  const order_column = raw.get('order_column');
  if (order_column !== undefined && !includes(ORDER_COLUMNS, order_column)) {
    return fail('order_column', `must be one of ${ORDER_COLUMNS.join(', ')} (got ${JSON.stringify(order_column)})`);
  }
  const order_type = raw.get('order_type');
  if (order_type !== undefined && !includes(ORDER_TYPES, order_type)) {
    return fail('order_type', `must be one of ${ORDER_TYPES.join(', ')} (got ${JSON.stringify(order_type)})`);
  }
  if (order_type !== undefined && order_column === undefined) {
    return fail('order_type', 'must be used together with order_column');
  }

  const limitText = raw.get('limit');
  const offsetText = raw.get('offset');
  let limit = 10;
  let offset = 0;
  if (limitText !== undefined) {
    if (!/^\d{1,10}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100) {
      return fail('limit', `must be an integer from 1 to 100 (got ${JSON.stringify(limitText)})`);
    }
    limit = Number(limitText);
  }
  if (offsetText !== undefined) {
    if (!/^\d{1,10}$/.test(offsetText) || Number(offsetText) > INT32_MAX) {
      return fail('offset', `must be an integer from 0 to ${INT32_MAX} (got ${JSON.stringify(offsetText)})`);
    }
    offset = Number(offsetText);
  }
  if (limitText !== undefined && offsetText === undefined)
    return fail('offset', 'offset and limit must be used together');
  if (offsetText !== undefined && limitText === undefined)
    return fail('limit', 'offset and limit must be used together');
  if (offset % limit !== 0)
    return fail('offset', `must be 0 or a multiple of limit (offset ${offset}, limit ${limit})`);

  const query: ListQuery = {
    order_column: (order_column as ListQuery['order_column'] | undefined) ?? 'created_at',
    order_type: (order_type as ListQuery['order_type'] | undefined) ?? 'desc',
    offset,
    limit,
  };
  const name = raw.get('name');
  const type = raw.get('type');
  if (name) query.name = name;
  if (type) query.type = type;
  return { query };
}

/** Filters and sorts (with `id` as the tie-break, so pages never overlap): the whole result of a query. */
export function matchAndSort(all: readonly Registry[], query: Omit<ListQuery, 'offset' | 'limit'>): Registry[] {
  const needle = query.name?.toLowerCase();
  const matching = all.filter(
    (r) =>
      (needle === undefined || r.name.toLowerCase().includes(needle)) &&
      (query.type === undefined || r.type === query.type),
  );
  const column = query.order_column;
  const sign = query.order_type === 'asc' ? 1 : -1;
  return matching.sort((a, b) => {
    const x = a[column];
    const y = b[column];
    const byColumn = x < y ? -1 : x > y ? 1 : 0;
    return sign * (byColumn || a.id - b.id);
  });
}

function fail(parameter: string, rule: string): { error: QueryError } {
  return { error: { parameter, message: `Invalid parameter ${parameter}: ${rule}` } };
}

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
