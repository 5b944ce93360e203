// A list operation's query as the service reads it, from the spec: the query string parsed and
// checked, which parameters filter which fields and how (`x-filter`), and the order of the items
// (the sort parameters of `x-pagination`, or its fixed `order`), ties broken by id.
import type { ListOperation, Operation } from '../spec/table.js';
import { parametersIn } from '../spec/table.js';
import { check, coerce, resolve } from '../spec/validate.js';
import type { Item } from './store.js';

/** A query parameter the emulator refuses: which one, the rule, and the text it was given. */
export interface QueryError {
  parameter: string;
  rule: string;
  raw?: string | undefined;
}

/** The value at a dotted path of an item (`src_registry.id`). */
export function valueAt(item: unknown, path: string): unknown {
  let at = item;
  for (const key of path.split('.')) at = (at as Record<string, unknown> | null | undefined)?.[key];
  return at;
}

/**
 * Parses a query string as the service does: unknown parameters are ignored, each known one is
 * read as its schema's type and checked (documented rules only: a guess is the client's), then
 * the rules between them; defaults fill the rest.
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
    const problem = check(p.schema, value, 'request', [name]).find((x) => x.guess === undefined);
    if (problem) return { error: { parameter: name, rule: problem.rule, raw: text } };
    query[name] = value;
  }
  if (operation.querySchema) {
    const problem = check(operation.querySchema, query, 'request').find((x) => x.guess === undefined);
    if (problem) return { error: { parameter: problem.path, rule: problem.rule, raw: raw.get(problem.path) } };
  }
  for (const p of known.values()) {
    const fallback = resolve(p.schema).default;
    if (query[p.name] === undefined && fallback !== undefined) query[p.name] = fallback;
  }
  return { query };
}

/** The query's filters as one test; an empty filter value filters nothing, as the service does. */
export function filterOf(op: Operation, query: Record<string, unknown>): ((item: Item) => boolean) | undefined {
  const tests = parametersIn(op, 'query').flatMap((p) => {
    const wanted = query[p.name];
    if (!p.filter || wanted === undefined || wanted === '') return [];
    const fields = p.filter.fields ?? [p.filter.field!];
    if (p.filter.match === 'contains') {
      const needle = String(wanted).toLowerCase();
      return [
        (item: Item) =>
          fields.some((f) =>
            String(valueAt(item, f) ?? '')
              .toLowerCase()
              .includes(needle),
          ),
      ];
    }
    return [(item: Item) => fields.some((f) => valueAt(item, f) === wanted)];
  });
  return tests.length === 0 ? undefined : (item) => tests.every((test) => test(item));
}

/** The key of a query's filters (what decides the matching set, whatever the order or page). */
export function filterKey(op: Operation, query: Record<string, unknown>): string {
  return JSON.stringify(parametersIn(op, 'query').map((p) => (p.filter ? (query[p.name] ?? '') : '')));
}

function compareValues(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === undefined || x === null) return -1;
  if (y === undefined || y === null) return 1;
  return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
}

/** The order the query asks for (or the list's fixed one), ties broken by id. */
export function orderOf(op: ListOperation, query: Record<string, unknown>) {
  const paging = op.pagination;
  const column = paging.sort !== undefined ? String(query[paging.sort]) : (paging.order?.field ?? paging.id);
  const ascending =
    paging.sort !== undefined
      ? query[paging.direction!] === paging.ascending
      : (paging.order?.direction ?? 'asc') === 'asc';
  const sign = ascending ? 1 : -1;
  const id = paging.id;
  /** Compares by the column alone: 0 for a tie. */
  const byColumn = (a: Item, b: Item) => sign * compareValues(valueAt(a, column), valueAt(b, column));
  return {
    key: `${column}\u0000${sign}`,
    column,
    ascending,
    byColumn,
    compare: (a: Item, b: Item) => byColumn(a, b) || sign * ((a[id] as number) - (b[id] as number)),
  };
}
