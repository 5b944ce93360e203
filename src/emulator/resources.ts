// What the service does for the operations of a resource the spec declares (`x-resource`), with
// no code per resource: list (filters, order, paging), show, create, update and delete over the
// store. The rules are the spec's: bodies and IDs checked by the shared validator (the rules a
// source documents; a guess is the client's to warn about), unique fields answered 409,
// references to items that do not exist 400, deleting an item another still references 412
// (Harbor's answers; the codes are illustrative). Answers carry what the service sets, with
// secrets masked by the request's marks whatever the answer's schema says.
//
// Lists are fast and memory-bounded: per scope and order one sorted list (the orders are a
// finite enum), one serialised JSON text per item, and a small LRU of filtered lists.
import type { Operation } from '../spec/table.js';
import { check, coerce } from '../spec/validate.js';
import { swrError, type Answer } from './errors.js';
import { MODELS, type ResourceModel } from '../spec/resources.js';
import { filterKey, filterOf, orderOf, parseQueryString, valueAt } from './query.js';
import { healthOf, healthSource, setAt, timestamp } from './seed.js';
import type { EmulatorStore, InstanceRef, Item, View } from './store.js';

/** What the service answers for a secret it keeps, as Harbor does (`*****`); an empty one stays empty. */
export const SECRET_MASK = '*****';
const FILTERED_ENTRIES = 8;

/** Everything a resource operation needs besides the request. */
export interface ResourceContext {
  store: EmulatorStore;
  ref: InstanceRef;
  now: () => number;
  /** Answer as Harbor does: zero values left out. */
  harborStyle: boolean;
}

/** A request to a resource operation: its operation, path parameters and raw body. */
export interface ResourceRequest {
  op: Operation;
  params: Record<string, string>;
  search: string;
  body: Uint8Array;
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
export const invalid = (field: string, rule: string): Answer =>
  swrError(400, 'SVCSTG.SWR.4000014', `Invalid parameter ${field}: ${rule}`);
const notFound = (model: ResourceModel, id: unknown): Answer =>
  swrError(404, 'SVCSTG.SWR.4040003', `${capital(model.info.name)} ${String(id)} not found`);
const empty = (status: number): Answer => ({ status, body: {}, text: '' });
const nowText = (now: () => number) => timestamp(now(), (now() % 1000) * 1000);

/** Whether a value is an answer (rather than what a step produced). */
export const isAnswer = (value: unknown): value is Answer =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  typeof (value as Answer).status === 'number' &&
  'body' in value;

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

/** An item as the service answers it: its blanks filled, secrets masked, zero values dropped in Harbor style. */
export function render(model: ResourceModel, item: Item, harborStyle: boolean): Item {
  // In the schema's order, as the service's models write them; then anything else it holds.
  const answered: Item = {};
  for (const field of model.order) {
    const value = item[field] ?? model.blanks[field];
    if (value !== undefined) answered[field] = structuredClone(value);
  }
  for (const [field, value] of Object.entries(item)) if (!(field in answered)) answered[field] = value;
  for (const path of model.secrets) {
    const secret = valueAt(answered, path);
    if (secret !== undefined && secret !== '') setAt(answered, path, SECRET_MASK);
  }
  return harborStyle ? omitZeroValues(answered) : answered;
}

/** The item's ID from the path, read and checked as its schema says: the ID, or a 400. */
export function itemId(model: ResourceModel, op: Operation, params: Record<string, string>): number | Answer {
  const name = /\{([^}]+)\}$/.exec(op.path)![1]!;
  const parameter = op.parameters.find((p) => p.name === name && p.in === 'path')!;
  const text = params[name] ?? '';
  const id = coerce(parameter.schema, text);
  // The path is text: `5.0` and `05` are not the ID 5, whatever JSON numbers would say.
  if (typeof id !== 'number' || String(id) !== text) return invalid(name, 'must be an integer');
  const problem = check(parameter.schema, id, 'request', [name]).find((p) => p.guess === undefined);
  return problem ? invalid(name, problem.rule) : id;
}

/** Deep nesting no body of the spec needs: refused before anything reads it (or a JSON.stringify could overflow the stack). */
const MAX_DEPTH = 32;
function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === '}' || c === ']') depth -= 1;
  }
  return false;
}

/** The request body, parsed and checked against the rules a source documents: the body, or a 400. */
export function bodyOf(op: Operation, raw: Uint8Array): Item | Answer {
  let text: string;
  let body: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (tooDeep(text)) return invalid('body', `must not nest deeper than ${MAX_DEPTH} levels`);
    body = JSON.parse(text);
  } catch {
    return invalid('body', raw.byteLength === 0 ? 'is required' : 'must be a JSON object');
  }
  const problem = check(op.body!.schema, body, 'request').find((p) => p.guess === undefined);
  return problem ? invalid(problem.path || 'body', problem.rule) : (body as Item);
}

/**
 * A scope's items in a list's order. Items are stored as they were made, by rising id, so an
 * order by id is the stored one or its reverse: no sort, however many items (an execution's
 * history, read at every poll of a run).
 */
function inOrder(items: readonly Item[], order: ReturnType<typeof orderOf>, id: string): Item[] {
  const rising =
    order.column === id && items.every((item, i) => i === 0 || (items[i - 1]![id] as number) < (item[id] as number));
  if (!rising) return [...items].sort(order.compare);
  return order.ascending ? [...items] : [...items].reverse();
}

/** Creates the operations of the resources over a store. */
export function createResources(context: Omit<ResourceContext, 'ref'>) {
  const texts = new WeakMap<Item, string>();
  const sorted = new Map<string, { version: number; list: Item[] }>();
  const filtered = new Map<string, { version: number; list: Item[] }>();

  const text = (model: ResourceModel, item: Item) => {
    let cached = texts.get(item);
    if (cached === undefined) texts.set(item, (cached = JSON.stringify(render(model, item, context.harborStyle))));
    return cached;
  };

  /** Every item of the scope in the query's order, filtered. */
  function ordered(model: ResourceModel, ref: InstanceRef, scope: string, view: View, query: Record<string, unknown>) {
    const order = orderOf(model.list, query);
    const sortKey = JSON.stringify([ref.projectId, ref.instanceId, model.info.name, scope, order.key]);
    let all = sorted.get(sortKey);
    if (!all || all.version !== view.version)
      sorted.set(sortKey, (all = { version: view.version, list: inOrder(view.list, order, model.list.pagination.id) }));
    const test = filterOf(model.list, query);
    if (!test) return { list: all.list, order };
    const key = `${sortKey}\u0000${filterKey(model.list, query)}`;
    let hit = filtered.get(key);
    if (hit && hit.version === view.version)
      filtered.delete(key); // most recently used goes last
    else hit = { version: view.version, list: all.list.filter(test) };
    filtered.set(key, hit);
    if (filtered.size > FILTERED_ENTRIES) filtered.delete(filtered.keys().next().value!);
    return { list: hit.list, order };
  }

  /** One page of a list: its JSON text, `{ total, <items> }`. */
  function list(model: ResourceModel, ref: InstanceRef, scope: string, search: string, window: Window): Answer {
    const parsed = parseQueryString(model.list, search);
    if ('error' in parsed) {
      const { parameter, rule, raw } = parsed.error;
      return invalid(parameter, `${rule}${raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`}`);
    }
    const view = context.store.view(ref, model.info.name, scope) ?? { list: [], version: 0 };
    const { list: items, order } = ordered(model, ref, scope, view, parsed.query);
    const { offset, limit, total, items: field } = model.list.pagination;
    const page = window(items, parsed.query[offset] as number, parsed.query[limit] as number, order.byColumn);
    return {
      status: 200,
      body: {},
      text: `{"${total}":${items.length},"${field}":[${page.map((i) => text(model, i)).join(',')}]}`,
    };
  }

  return { list, text };
}

/** The items of a page: `[offset, offset + limit)`, or with ties reordered (an unstable order). */
export type Window = (
  list: readonly Item[],
  offset: number,
  limit: number,
  byColumn: (a: Item, b: Item) => number,
) => readonly Item[];

/** The plain window: what a stable order gives. */
export const stableWindow: Window = (list, offset, limit) => list.slice(offset, offset + limit);

/**
 * A window whose ties come in a different order on every request, as a database orders rows
 * whose sort column is equal: exactly what offset paging meets at page edges in real life.
 */
export function unstableWindow(random: () => number): Window {
  return (list, offset, limit, byColumn) => {
    let start = Math.min(offset, list.length);
    let end = Math.min(offset + limit, list.length);
    while (start > 0 && start < list.length && byColumn(list[start - 1]!, list[start]!) === 0) start -= 1;
    while (end > 0 && end < list.length && byColumn(list[end - 1]!, list[end]!) === 0) end += 1;
    const wide = list.slice(start, end);
    for (let i = 0; i < wide.length;) {
      let j = i + 1;
      while (j < wide.length && byColumn(wide[i]!, wide[j]!) === 0) j += 1;
      for (let k = j - 1; k > i; k--) {
        const m = i + Math.floor(random() * (k - i + 1));
        [wide[k], wide[m]] = [wide[m]!, wide[k]!];
      }
      i = j;
    }
    return wide.slice(offset - start, offset - start + limit);
  };
}

/** 409 when another item of the instance already holds a unique value. */
function taken(context: ResourceContext, model: ResourceModel, body: Item, except?: number): Answer | undefined {
  const { id } = model.info;
  for (const field of model.info.unique ?? []) {
    const value = valueAt(body, field);
    const holder = context.store
      .view(context.ref, model.info.name)
      ?.list.find((i) => i[id] !== except && valueAt(i, field) === value);
    if (holder)
      return swrError(
        409,
        'SVCSTG.SWR.4090001',
        `${capital(model.info.name)} ${field} ${String(value)} already exists in this instance`,
      );
  }
  return undefined;
}

/** 400 when the body names an item of another resource that does not exist. */
export function dangling(context: ResourceContext, model: ResourceModel, body: Item): Answer | undefined {
  for (const ref of model.info.references ?? []) {
    const value = valueAt(body, ref.field);
    if (value === undefined || value === ref.local) continue;
    if (typeof value !== 'number' || !context.store.item(context.ref, ref.resource, value))
      return invalid(ref.field, `no ${ref.resource} ${String(value)} in this instance`);
  }
  return undefined;
}

/**
 * 412 when another item still references this one (Harbor refuses to delete a registry a policy
 * uses); references that go with what they name (`onDelete: cascade`) do not count.
 */
function referenced(context: ResourceContext, model: ResourceModel, id: number): Answer | undefined {
  for (const other of MODELS.values()) {
    for (const ref of other.info.references ?? []) {
      if (ref.resource !== model.info.name || ref.onDelete === 'cascade') continue;
      const holder = context.store.view(context.ref, other.info.name)?.list.find((i) => valueAt(i, ref.field) === id);
      if (holder)
        return swrError(
          412,
          'SVCSTG.SWR.4120002',
          `the ${model.info.name} ${id} is referenced by ${other.info.name} ${String(holder[other.info.id])}`,
        );
    }
  }
  return undefined;
}

/** An item as a body describes it, with the fields only the service sets. */
export function stored(model: ResourceModel, body: Item, previous: Item | undefined, now: () => number): Item {
  const item: Item = { ...(previous && { [model.info.id]: previous[model.info.id] }), ...body };
  const at = nowText(now);
  for (const [field, how] of Object.entries(model.info.set ?? {})) {
    if (how === 'created') item[field] = previous?.[field] ?? at;
    else if (how === 'updated') item[field] = at;
    else {
      const source = healthSource(how);
      if (source !== undefined) item[field] = healthOf(valueAt(item, source));
    }
  }
  return item;
}

/** Show, create, update and delete of a resource, generic over its model. */
export const single = {
  show(
    context: ResourceContext,
    model: ResourceModel,
    request: ResourceRequest,
    render: (item: Item) => string,
  ): Answer {
    const id = itemId(model, request.op, request.params);
    if (isAnswer(id)) return id;
    const item = context.store.item(context.ref, model.info.name, id);
    return item ? { status: 200, body: {}, text: render(item) } : notFound(model, id);
  },

  create(context: ResourceContext, model: ResourceModel, request: ResourceRequest): Answer {
    const body = bodyOf(request.op, request.body);
    if (isAnswer(body)) return body;
    const refused = taken(context, model, body) ?? dangling(context, model, body);
    if (refused) return refused;
    const item = context.store.insert(context.ref, model.info.name, stored(model, body, undefined, context.now));
    return { status: request.op.response.status, body: { [model.info.id]: item[model.info.id] } };
  },

  update(context: ResourceContext, model: ResourceModel, request: ResourceRequest): Answer {
    const id = itemId(model, request.op, request.params);
    if (isAnswer(id)) return id;
    const old = context.store.item(context.ref, model.info.name, id);
    if (!old) return notFound(model, id);
    const body = bodyOf(request.op, request.body);
    if (isAnswer(body)) return body;
    const refused = taken(context, model, body, id) ?? dangling(context, model, body);
    if (refused) return refused;
    context.store.replace(context.ref, model.info.name, stored(model, body, old, context.now));
    return empty(request.op.response.status);
  },

  delete(context: ResourceContext, model: ResourceModel, request: ResourceRequest): Answer {
    const id = itemId(model, request.op, request.params);
    if (isAnswer(id)) return id;
    if (!context.store.item(context.ref, model.info.name, id)) return notFound(model, id);
    const refused = referenced(context, model, id);
    if (refused) return refused;
    context.store.remove(context.ref, model.info.name, id);
    // What goes with it: the items whose cascading references name it.
    for (const other of MODELS.values()) {
      for (const ref of other.info.references ?? []) {
        if (ref.resource !== model.info.name || ref.onDelete !== 'cascade') continue;
        for (const item of context.store.items(context.ref, other.info.name) ?? []) {
          if (valueAt(item, ref.field) === id)
            context.store.remove(context.ref, other.info.name, item[other.info.id] as number);
        }
      }
    }
    return empty(request.op.response.status);
  },
};
