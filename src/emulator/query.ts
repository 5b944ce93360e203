// The listing semantics of ListInstanceRegistries, read from the spec: which parameters filter
// which field and how (`x-filter`), which parameter names the field to sort by and in which
// direction (`x-pagination`). The rules of the query itself are the shared validator's.
import type { operations as Operations, Registry } from '../../generated/schema.js';
import { operations, parametersIn } from '../operation.js';

const LIST = operations.ListInstanceRegistries;
const PAGING = LIST.pagination;
const FILTERS = parametersIn(LIST, 'query').filter((p) => p.filter !== undefined);

/** A query that passed every rule, with the spec's defaults filled in. */
export type ListQuery = NonNullable<Operations['ListInstanceRegistries']['parameters']['query']> & {
  offset: number;
  limit: number;
};

const field = (r: Registry, name: string): unknown => (r as Record<string, unknown>)[name];

/** The query's filters as one test; an empty filter value filters nothing, as the service does. */
export function filterOf(query: Record<string, unknown>): ((r: Registry) => boolean) | undefined {
  const tests = FILTERS.flatMap((p) => {
    const wanted = query[p.name];
    if (wanted === undefined || wanted === '') return [];
    const { field: name, match } = p.filter!;
    if (match === 'contains') {
      const needle = String(wanted).toLowerCase();
      return [
        (r: Registry) =>
          String(field(r, name) ?? '')
            .toLowerCase()
            .includes(needle),
      ];
    }
    return [(r: Registry) => field(r, name) === wanted];
  });
  return tests.length === 0 ? undefined : (r) => tests.every((test) => test(r));
}

/** The key of a query's filters (what decides the matching set, whatever the order or page). */
export function filterKey(query: Record<string, unknown>): string {
  return JSON.stringify(FILTERS.map((p) => query[p.name] ?? ''));
}

function compareValues(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === undefined || x === null) return -1;
  if (y === undefined || y === null) return 1;
  return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
}

/** The sort the query asks for: the column it names and its direction, ties broken by id. */
export function orderOf(query: Record<string, unknown>) {
  const column = String(query[PAGING.sort]);
  const sign = query[PAGING.direction] === PAGING.ascending ? 1 : -1;
  /** Compares by the column alone: 0 for a tie. */
  const byColumn = (a: Registry, b: Registry) => sign * compareValues(field(a, column), field(b, column));
  return {
    key: `${column}\u0000${sign}`,
    byColumn,
    compare: (a: Registry, b: Registry) => byColumn(a, b) || sign * (a.id - b.id),
  };
}

/** Filters and sorts: the whole result of a query, ties broken by id. */
export function matchAndSort(all: readonly Registry[], query: Record<string, unknown>): Registry[] {
  const test = filterOf(query);
  return (test ? all.filter(test) : [...all]).sort(orderOf(query).compare);
}
