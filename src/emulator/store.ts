import type { Registry } from '../../generated/schema.js';
import { createRandom } from './random.js';

/** Where a registry lives: instances belong to projects. */
export interface InstanceRef {
  projectId: string;
  instanceId: string;
}

/** The emulator's data, which tests may change while it serves (to walk pages under change). */
export interface EmulatorStore {
  /** Adds an (empty) instance, or replaces its registries when given. */
  addInstance(ref: InstanceRef, registries?: readonly Registry[]): void;
  /** Whether a project exists (has at least one instance). */
  hasProject(projectId: string): boolean;
  /** A snapshot of an instance's registries as stored (secrets in clear), or undefined if unknown. */
  registries(ref: InstanceRef): Registry[] | undefined;
  /** The stored list itself, read-only, with a version that changes on every change: for caching. */
  view(ref: InstanceRef): { list: readonly Registry[]; version: number } | undefined;
  /** Adds a registry with a fresh id; omitted fields are filled in realistically. */
  addRegistry(ref: InstanceRef, fields?: Partial<Registry>): Registry;
  /** Removes a registry by id; returns whether it was there. */
  removeRegistry(ref: InstanceRef, id: number): boolean;
  /** One registry as stored, or undefined. */
  registry(ref: InstanceRef, id: number): Registry | undefined;
  /** Stores a registry built around a fresh id (as the API creates one), exactly as built. */
  insertRegistry(ref: InstanceRef, build: (id: number) => Registry): Registry;
  /** Replaces a stored registry (same id); returns whether it was there. */
  replaceRegistry(ref: InstanceRef, registry: Registry): boolean;
}

/** Creates an empty store; ids are unique across the whole store, as in SWR. */
export function createStore(): EmulatorStore {
  const projects = new Map<string, Map<string, Map<number, Registry>>>();
  let nextId = 1;
  let version = 0;
  const lists = new WeakMap<Map<number, Registry>, { list: readonly Registry[]; version: number }>();
  const instance = ({ projectId, instanceId }: InstanceRef) => projects.get(projectId)?.get(instanceId);
  return {
    addInstance(ref, registries = []) {
      let instances = projects.get(ref.projectId);
      if (!instances) projects.set(ref.projectId, (instances = new Map()));
      const byId = new Map<number, Registry>();
      for (const registry of registries) {
        byId.set(registry.id, structuredClone(registry));
        nextId = Math.max(nextId, registry.id + 1);
      }
      instances.set(ref.instanceId, byId);
      version += 1;
    },
    hasProject: (projectId) => projects.has(projectId),
    registries: (ref) => {
      const byId = instance(ref);
      return byId && [...byId.values()];
    },
    view(ref) {
      const byId = instance(ref);
      if (!byId) return undefined;
      let cached = lists.get(byId);
      if (!cached || cached.version !== version) lists.set(byId, (cached = { list: [...byId.values()], version }));
      return cached;
    },
    addRegistry(ref, fields = {}) {
      const byId = instance(ref);
      if (!byId) throw new Error(`unknown instance ${ref.projectId}/${ref.instanceId}`);
      const id = fields.id ?? nextId;
      nextId = Math.max(nextId, id + 1);
      const registry = { ...seedRegistry(id, 1, { now: Date.now() }), ...fields, id };
      byId.set(id, registry);
      version += 1;
      return structuredClone(registry);
    },
    registry: (ref, id) => instance(ref)?.get(id),
    insertRegistry(ref, build) {
      const byId = instance(ref);
      if (!byId) throw new Error(`unknown instance ${ref.projectId}/${ref.instanceId}`);
      const registry = build(nextId++);
      byId.set(registry.id, registry);
      version += 1;
      return registry;
    },
    replaceRegistry(ref, registry) {
      const byId = instance(ref);
      if (!byId?.has(registry.id)) return false;
      byId.set(registry.id, registry);
      version += 1;
      return true;
    },
    removeRegistry: (ref, id) => {
      const removed = instance(ref)?.delete(id) ?? false;
      if (removed) version += 1;
      return removed;
    },
  };
}

const TYPES = ['swr-pro', 'swr-pro-internal', 'huawei-SWR'] as const;
const SITES = ['prod', 'dr', 'eu', 'edge', 'backup', 'mirror', 'staging', 'ci'];
const REGIONS = ['cn-north-4', 'cn-east-3', 'ap-southeast-1', 'eu-west-0', 'af-south-1'];
const EPOCH = Date.UTC(2021, 1, 5, 9, 31, 0);

/** Formats a time the way SWR does: RFC 3339 in UTC with microseconds. */
export function timestamp(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

/**
 * Builds registry number `id` of a seeded set: deterministic for a given seed, with the three
 * documented types, both statuses, both `insecure` values and spread timestamps. Every seventh
 * shares its predecessor's `created_at`, so sorting needs its tie-break. One Harbor registry in
 * four is anonymous (public): it has no credential at all, as Harbor answers a nil one.
 */
export function seedRegistry(id: number, seed: number, options: { now?: number } = {}): Registry {
  const random = createRandom(seed * 1_000_003 + id);
  const type = TYPES[id % TYPES.length]!;
  const site = SITES[Math.floor(random() * SITES.length)]!;
  const region = REGIONS[id % REGIONS.length]!;
  const slot = id % 7 === 0 ? id - 1 : id;
  const created = options.now ?? EPOCH + slot * 3 * 3600_000;
  const createdMicros = options.now ? 0 : (slot * 7919) % 1_000_000;
  const updated = created + Math.floor(random() * 30 * 86400_000);
  const name = `${type === 'swr-pro' ? 'harbor' : type === 'huawei-SWR' ? 'swr-basic' : 'swr-ee'}-${site}-${String(id).padStart(5, '0')}`;
  const url =
    type === 'swr-pro'
      ? `https://harbor-${site}-${id}.example.com`
      : type === 'huawei-SWR'
        ? `https://swr.${region}.myhuaweicloud.com`
        : `https://ee-${id}.swr-pro.${region}.myhuaweicloud.com`;
  const credential = {
    type: 'basic',
    access_key: type === 'swr-pro' ? `robot$replicator-${id}` : `${region}@AK${String(id).padStart(8, '0')}`,
    access_secret: `seed-secret-${id}-${Math.floor(random() * 1e9).toString(36)}`,
  };
  return {
    id,
    name,
    description: id % 3 === 0 ? '' : `Replication target in ${region} (${site})`,
    type,
    url,
    ...(!(type === 'swr-pro' && id % 4 === 3) && { credential }),
    insecure: id % 4 === 0,
    status: random() < 0.15 ? 'unhealthy' : 'healthy',
    created_at: timestamp(created, createdMicros),
    updated_at: timestamp(updated, (createdMicros + 1) % 1_000_000),
    region_id: type === 'swr-pro-internal' ? region : '',
    instance_id: type === 'swr-pro-internal' ? `ee-${id.toString(16).padStart(8, '0')}-target` : '',
  };
}

/** `count` seeded registries with ids `firstId`, `firstId + 1`, ... */
export function seedRegistries(count: number, options: { seed?: number; firstId?: number } = {}): Registry[] {
  const first = options.firstId ?? 1;
  return Array.from({ length: count }, (_, i) => seedRegistry(first + i, options.seed ?? 1));
}
