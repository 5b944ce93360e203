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

/** The query without its paging parameters: what decides the whole result, not a page of it. */
export function resultQuery(query: ListQuery): Record<string, unknown> {
  const { [PAGING.offset]: _offset, [PAGING.limit]: _limit, ...rest } = query as Record<string, unknown>;
  return rest;
}

function compare(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === undefined || x === null) return -1;
  if (y === undefined || y === null) return 1;
  return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
}

/**
 * Filters and sorts: the whole result of a query. `tieBreak` orders registries whose sort field
 * is equal: by id by default, so pages never overlap.
 */
export function matchAndSort(
  all: readonly Registry[],
  query: Record<string, unknown>,
  tieBreak: (a: Registry, b: Registry) => number = (a, b) => a.id - b.id,
): Registry[] {
  const tests = FILTERS.flatMap((p) => {
    const wanted = query[p.name];
    if (wanted === undefined || wanted === '') return [];
    const { field, match } = p.filter!;
    if (match === 'contains') {
      const needle = String(wanted).toLowerCase();
      return [
        (r: Registry) =>
          String((r as Record<string, unknown>)[field] ?? '')
            .toLowerCase()
            .includes(needle),
      ];
    }
    return [(r: Registry) => (r as Record<string, unknown>)[field] === wanted];
  });
  const matching = all.filter((r) => tests.every((test) => test(r)));
  const column = String(query[PAGING.sort]);
  const sign = query[PAGING.direction] === PAGING.ascending ? 1 : -1;
  return matching.sort((a, b) => {
    const byColumn = compare((a as Record<string, unknown>)[column], (b as Record<string, unknown>)[column]);
    return sign * (byColumn || tieBreak(a, b));
  });
}
