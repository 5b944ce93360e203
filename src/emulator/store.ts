// The emulator's data: the items of every resource the spec declares (`x-resource`), per instance,
// and, for items only the service makes (an execution's tasks), per parent (`scope`, the values
// of the parent's path parameters). Tests and users' CI may change it while the emulator serves.
// IDs are unique per resource across the whole store, as in SWR.

/** Where items live: instances belong to projects. */
export interface InstanceRef {
  projectId: string;
  instanceId: string;
}

import type { ResourceTable } from '../../generated/operations.js';
import type { ResourceItem, ResourceName } from '../client-types.js';

/** A stored item: the fields the service keeps, secrets in clear. */
export type Item = Record<string, unknown>;
/** A stored item of a resource, typed as its list answers it when the spec declares the resource; it always has its id. */
export type Stored<R extends string> = R extends ResourceName
  ? ResourceItem<R> & Item & { [K in ResourceTable[R]['id']]: number }
  : Item;

/** A scope's items, read-only, with a version that changes on every change: for caching. */
export interface View {
  readonly list: readonly Item[];
  readonly version: number;
}

/** The emulator's data, which tests may change while it serves (to walk pages under change). */
export interface EmulatorStore {
  /** Adds an empty instance (its project too). */
  addInstance(ref: InstanceRef): void;
  /** Whether a project exists (has at least one instance). */
  hasProject(projectId: string): boolean;
  /** Whether an instance exists. */
  hasInstance(ref: InstanceRef): boolean;
  /** A snapshot of a resource's items in an instance (and scope), or undefined for an unknown instance. */
  items<R extends string>(ref: InstanceRef, resource: R, scope?: string): Stored<R>[] | undefined;
  /** The items themselves, read-only, with a version for caching; undefined for an unknown instance. */
  view(ref: InstanceRef, resource: string, scope?: string): View | undefined;
  /** One item as stored, or undefined. */
  item<R extends string>(ref: InstanceRef, resource: R, id: number, scope?: string): Stored<R> | undefined;
  /** Stores an item under its own id when it carries one, else a fresh one; returns it as stored. */
  insert(ref: InstanceRef, resource: string, item: Item, scope?: string): Item;
  /** Replaces a stored item (same id); returns whether it was there. */
  replace(ref: InstanceRef, resource: string, item: Item, scope?: string): boolean;
  /** Removes an item by id; returns whether it was there. */
  remove(ref: InstanceRef, resource: string, id: number, scope?: string): boolean;
  /** Every scope that holds items of a resource in an instance (the parents of produced items). */
  scopes(ref: InstanceRef, resource: string): string[];
  /** The id the next new item of a resource gets. */
  nextId(resource: string): number;
}

type Scopes = Map<string, { byId: Map<number, Item>; view?: View }>;

/** The store: per project, per instance, per resource, per scope, items by id. */
class MemoryStore implements EmulatorStore {
  readonly #projects = new Map<string, Map<string, Map<string, Scopes>>>();
  readonly #nextId = new Map<string, number>();
  #version = 0;

  constructor(private readonly idField: (resource: string) => string) {}

  addInstance(ref: InstanceRef): void {
    let instances = this.#projects.get(ref.projectId);
    if (!instances) this.#projects.set(ref.projectId, (instances = new Map()));
    if (!instances.has(ref.instanceId)) instances.set(ref.instanceId, new Map());
    this.#version += 1;
  }

  hasProject(projectId: string): boolean {
    return this.#projects.has(projectId);
  }

  hasInstance(ref: InstanceRef): boolean {
    return this.#projects.get(ref.projectId)?.has(ref.instanceId) ?? false;
  }

  items<R extends string>(ref: InstanceRef, resource: R, scope = ''): Stored<R>[] | undefined {
    const entry = this.#scoped(ref, resource, scope);
    // Typed by the caller's resource name: what the store holds is what the spec's lists answer.
    return (entry === undefined ? undefined : [...(entry?.byId.values() ?? [])]) as never;
  }

  view(ref: InstanceRef, resource: string, scope = ''): View | undefined {
    const entry = this.#scoped(ref, resource, scope);
    if (entry === undefined) return undefined;
    if (entry === null) return { list: [], version: this.#version };
    if (entry.view?.version !== this.#version) entry.view = { list: [...entry.byId.values()], version: this.#version };
    return entry.view;
  }

  item<R extends string>(ref: InstanceRef, resource: R, id: number, scope = ''): Stored<R> | undefined {
    return this.#scoped(ref, resource, scope)?.byId.get(id) as never;
  }

  insert(ref: InstanceRef, resource: string, fields: Item, scope = ''): Item {
    const entry = this.#scoped(ref, resource, scope, true);
    if (!entry) throw new Error(`unknown instance ${ref.projectId}/${ref.instanceId}`);
    const field = this.idField(resource);
    const given = fields[field];
    const id = this.#take(
      resource,
      typeof given === 'number' && Number.isInteger(given) && given > 0 ? given : undefined,
    );
    const item = { [field]: id, ...fields, [field]: id };
    entry.byId.set(id, item);
    this.#version += 1;
    return item;
  }

  replace(ref: InstanceRef, resource: string, item: Item, scope = ''): boolean {
    const entry = this.#scoped(ref, resource, scope);
    const id = item[this.idField(resource)] as number;
    if (!entry?.byId.has(id)) return false;
    entry.byId.set(id, item);
    this.#version += 1;
    return true;
  }

  remove(ref: InstanceRef, resource: string, id: number, scope = ''): boolean {
    const removed = this.#scoped(ref, resource, scope)?.byId.delete(id) ?? false;
    if (removed) this.#version += 1;
    return removed;
  }

  scopes(ref: InstanceRef, resource: string): string[] {
    return [...(this.#projects.get(ref.projectId)?.get(ref.instanceId)?.get(resource)?.keys() ?? [])];
  }

  nextId(resource: string): number {
    return this.#nextId.get(resource) ?? 1;
  }

  /** A scope's entry: undefined for an unknown instance, null for a scope with nothing yet (unless `create`). */
  #scoped(ref: InstanceRef, resource: string, scope: string, create = false) {
    const instance = this.#projects.get(ref.projectId)?.get(ref.instanceId);
    if (!instance) return undefined;
    let scopes = instance.get(resource);
    if (!scopes) {
      if (!create) return null;
      instance.set(resource, (scopes = new Map()));
    }
    let entry = scopes.get(scope);
    if (!entry) {
      if (!create) return null;
      scopes.set(scope, (entry = { byId: new Map() }));
    }
    return entry;
  }

  /** An item's id: the one it brings (kept unique), else the next. */
  #take(resource: string, id?: number): number {
    const next = this.#nextId.get(resource) ?? 1;
    const chosen = id ?? next;
    this.#nextId.set(resource, Math.max(next, chosen + 1));
    return chosen;
  }
}

/** Creates an empty store. `idField` names each resource's id field (`id`). */
export function createStore(idField: (resource: string) => string = () => 'id'): EmulatorStore {
  return new MemoryStore(idField);
}
