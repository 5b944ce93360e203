// Seed data from the spec's own examples: each seeded item is a create body example (cycled),
// its unique fields made unique by the item's id, its references pointed at items that exist,
// and the fields the service sets filled as the service would: creation times spread three hours
// apart (every seventh ties with the one before, so sorting needs its tie-break), and, for a
// registry's health, one in six with a URL under `.invalid` (RFC 2606: a host that never resolves).
import { createRandom } from './random.js';
import type { ResourceModel } from '../spec/resources.js';
import { valueAt } from './query.js';
import type { Item } from './store.js';

const EPOCH = Date.UTC(2021, 1, 5, 9, 31, 0);

/** Formats a time the way SWR does: RFC 3339 in UTC with microseconds. */
export function timestamp(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

/** Sets `value` at a dotted path of `item`, making the objects on the way. */
export function setAt(item: Item, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = item;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    at = (at[key] = next !== null && typeof next === 'object' ? { ...next } : {}) as Item;
  }
  at[keys[keys.length - 1]!] = value;
}

/** A URL whose host is made the item's own (`harbor-dr-00007.example.com`), or unresolvable for an unhealthy one. */
function seededUrl(url: string, suffix: string, unhealthy: boolean): string {
  try {
    const parsed = new URL(url);
    const [label, ...rest] = parsed.hostname.split('.');
    parsed.hostname = unhealthy ? `${label}-${suffix}.invalid` : [`${label}-${suffix}`, ...rest].join('.');
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

export interface SeedOptions {
  /** The generator's seed: the same data every run. */
  seed: number;
  /** The first item's id. */
  firstId: number;
  /** Ids of items of each other resource, for references. */
  existing: (resource: string) => readonly number[];
}

/** `count` items of a resource built from its create examples, or none when it has no examples. */
export function seedItems(model: ResourceModel, count: number, options: SeedOptions): Item[] {
  const { info } = model;
  const examples = info.examples as Item[];
  if (examples.length === 0) return [];
  const out: Item[] = [];
  for (let k = 0; k < count; k++) {
    const id = options.firstId + k;
    const random = createRandom(options.seed * 1_000_003 + id);
    const item: Item = { [info.id]: id, ...structuredClone(examples[k % examples.length]!) };
    const suffix = String(id).padStart(5, '0');
    for (const field of info.unique ?? []) {
      const value = valueAt(item, field);
      if (typeof value === 'string') setAt(item, field, `${value}-${suffix}`);
    }
    let usable = true;
    for (const ref of info.references ?? []) {
      const value = valueAt(item, ref.field);
      if (value === undefined || value === ref.local) continue;
      const ids = options.existing(ref.resource);
      if (ids.length === 0) usable = false;
      else setAt(item, ref.field, ids[k % ids.length]);
    }
    if (!usable) continue;
    const slot = id % 7 === 0 ? id - 1 : id;
    const created = EPOCH + slot * 3 * 3600_000;
    const micros = (slot * 7919) % 1_000_000;
    for (const [field, how] of Object.entries(info.set ?? {})) {
      if (how === 'created') item[field] = timestamp(created, micros);
      if (how === 'updated')
        item[field] = timestamp(created + Math.floor(random() * 30 * 86400_000), (micros + 1) % 1e6);
      const source = healthSource(how);
      if (source !== undefined) {
        const url = valueAt(item, source);
        if (typeof url === 'string') setAt(item, source, seededUrl(url, suffix, id % 6 === 5));
        item[field] = healthOf(valueAt(item, source));
      }
    }
    out.push(item);
  }
  return out;
}

/** The URL field a `health:<field>` setter reads, or undefined for another setter. */
export const healthSource = (how: string): string | undefined =>
  how.startsWith('health:') ? how.slice('health:'.length) : undefined;

/**
 * A registry's health as the emulator derives it, so that tests can see both values: a URL whose
 * host ends in `.invalid` (RFC 2606: a name that can never resolve) is `unhealthy`, any other
 * `healthy`. The service instead probes the registry now and then.
 */
export function healthOf(url: unknown): 'healthy' | 'unhealthy' {
  let host = '';
  try {
    host = new URL(String(url)).hostname;
  } catch {
    return 'unhealthy';
  }
  return host === 'invalid' || host.endsWith('.invalid') ? 'unhealthy' : 'healthy';
}
