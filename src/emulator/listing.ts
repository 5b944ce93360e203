// List answers, fast and with bounded memory: per instance and order one sorted list (the orders
// are a finite enum), one serialised JSON text per registry object, and a small LRU of filtered
// lists. However many distinct queries arrive, memory stays a small multiple of the data itself.
//
// `unstableOrder` orders ties differently from one request to the next, as a database does when
// the sort column has equal values: exactly what offset paging meets at page edges in real life.
import { schemas } from '../../generated/operations.js';
import type { Registry } from '../../generated/schema.js';
import { operations } from '../operation.js';
import { maskSensitive } from '../validate.js';
import { filterKey, filterOf, orderOf, type ListQuery } from './query.js';
import type { InstanceRef } from './store.js';

const PAGING = operations.ListInstanceRegistries.pagination;
const REGISTRY = schemas.Registry;
const FILTERED_ENTRIES = 8;

export interface ListingOptions {
  /** Leave out zero values and empty objects, as Harbor does. */
  harborStyle: boolean;
  /** Order ties differently on every request. */
  unstableOrder: boolean;
  random: () => number;
}

/**
 * Harbor's JSON (Go's `omitempty`): a field whose value is `false`, `0`, an empty string or null
 * is left out, and so is an object that has nothing left.
 */
export function omitZeroValues<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    const kept = omitZeroValues(inner);
    if (kept === false || kept === '' || kept === 0 || kept === null || kept === undefined) continue;
    if (typeof kept === 'object' && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
    out[field] = kept;
  }
  return out as T;
}

type View = { list: readonly Registry[]; version: number };

/** Creates the listing of a store's instances. */
export function createListing(options: ListingOptions) {
  const texts = new WeakMap<Registry, string>();
  const sorted = new Map<string, { version: number; list: Registry[] }>();
  const filtered = new Map<string, { version: number; list: Registry[] }>();

  /** A registry as the service answers it: secrets blanked, zero values dropped in Harbor style. */
  function render(registry: Registry): Registry {
    const answered = maskSensitive(REGISTRY, registry, () => '');
    return options.harborStyle ? omitZeroValues(answered) : answered;
  }

  function text(registry: Registry): string {
    let cached = texts.get(registry);
    if (cached === undefined) texts.set(registry, (cached = JSON.stringify(render(registry))));
    return cached;
  }

  /** Every registry of the instance in the query's order, filtered. */
  function ordered(ref: InstanceRef, view: View, query: Record<string, unknown>): Registry[] {
    const order = orderOf(query);
    const sortKey = JSON.stringify([ref.projectId, ref.instanceId, order.key]);
    let all = sorted.get(sortKey);
    if (!all || all.version !== view.version)
      sorted.set(sortKey, (all = { version: view.version, list: [...view.list].sort(order.compare) }));
    const test = filterOf(query);
    if (!test) return all.list;
    const key = `${sortKey}\u0000${filterKey(query)}`;
    let hit = filtered.get(key);
    if (hit && hit.version === view.version) {
      filtered.delete(key); // most recently used goes last
    } else {
      hit = { version: view.version, list: all.list.filter(test) };
    }
    filtered.set(key, hit);
    if (filtered.size > FILTERED_ENTRIES) filtered.delete(filtered.keys().next().value!);
    return hit.list;
  }

  return {
    render,
    /** The JSON body of one page of the instance's registries. */
    page(ref: InstanceRef, view: View, query: ListQuery): string {
      const list = ordered(ref, view, query);
      const page = window(list, query, options);
      return `{"${PAGING.total}":${list.length},"${PAGING.items}":[${page.map(text).join(',')}]}`;
    },
  };
}

/** One page of a list: the registries in [offset, offset + limit), ties shuffled if the order is unstable. */
function window(list: readonly Registry[], query: ListQuery, options: ListingOptions): Registry[] {
  const offset = (query as Record<string, unknown>)[PAGING.offset] as number;
  const limit = (query as Record<string, unknown>)[PAGING.limit] as number;
  if (!options.unstableOrder) return list.slice(offset, offset + limit);
  const { byColumn } = orderOf(query);
  // Widen the window to whole groups of ties, shuffle each group, then cut the page out.
  let start = Math.min(offset, list.length);
  let end = Math.min(offset + limit, list.length);
  while (start > 0 && start < list.length && byColumn(list[start - 1]!, list[start]!) === 0) start -= 1;
  while (end > 0 && end < list.length && byColumn(list[end - 1]!, list[end]!) === 0) end += 1;
  const wide = list.slice(start, end);
  for (let i = 0; i < wide.length;) {
    let j = i + 1;
    while (j < wide.length && byColumn(wide[i]!, wide[j]!) === 0) j += 1;
    shuffle(wide, i, j, options.random);
    i = j;
  }
  return wide.slice(offset - start, offset - start + limit);
}

/** Fisher-Yates over [from, to). */
function shuffle<T>(items: T[], from: number, to: number, random: () => number): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + Math.floor(random() * (i - from + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
