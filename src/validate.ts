// The documented rules of ListInstanceRegistries, checked before any request, and the shape of
// its answer, checked before any caller sees it.
import type { components, operations } from '../generated/schema.js';
import { SwrValidationError } from './errors.js';

/** The query of ListInstanceRegistries, exactly as the spec names and types it. */
export type ListRegistriesQuery = NonNullable<operations['ListInstanceRegistries']['parameters']['query']>;
/** One page as the service answers it. */
export type ListRegistriesBody = components['schemas']['ListInstanceRegistriesResponse'];

type OrderColumn = NonNullable<ListRegistriesQuery['order_column']>;
type OrderType = NonNullable<ListRegistriesQuery['order_type']>;

// Runtime copies of the spec's enums. The `Exhaustive` checks below fail `tsc` when the spec gains
// a value these lists lack, so they cannot drift from the generated types.
export const ORDER_COLUMNS = ['created_at', 'updated_at', 'name'] as const satisfies readonly OrderColumn[];
export const ORDER_TYPES = ['desc', 'asc'] as const satisfies readonly OrderType[];
type Exhaustive<Listed, All> = [Exclude<All, Listed>] extends [never] ? true : false;
const ordersExhaustive: Exhaustive<(typeof ORDER_COLUMNS)[number], OrderColumn> &
  Exhaustive<(typeof ORDER_TYPES)[number], OrderType> = true;
void ordersExhaustive;

const QUERY_KEYS = [
  'order_column',
  'order_type',
  'name',
  'type',
  'offset',
  'limit',
] as const satisfies readonly (keyof ListRegistriesQuery)[];
const INT32_MAX = 2147483647;

/** Checks a path id: a non-empty string that cannot turn into `.` or `..` once in a URL. */
export function validateId(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new SwrValidationError(field, 'must be a non-empty string', value);
  if (value === '.' || value === '..')
    throw new SwrValidationError(field, 'must not be "." or ".." (the URL would resolve it away)', value);
  if (value.trim() !== value) throw new SwrValidationError(field, 'must not start or end with white space', value);
  return value;
}

/** Checks a query against the documented rules and returns a copy without undefined entries. */
export function validateListQuery(query: unknown = {}): ListRegistriesQuery {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new SwrValidationError('query', 'must be an object of query parameters', query);
  }
  const input = query as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) {
      throw new SwrValidationError(
        key,
        `is not a query parameter of ListInstanceRegistries (known: ${QUERY_KEYS.join(', ')})`,
      );
    }
  }
  const out: ListRegistriesQuery = {};
  const { order_column, order_type, name, type, offset, limit } = input;
  if (order_column !== undefined) {
    if (!(ORDER_COLUMNS as readonly unknown[]).includes(order_column)) {
      throw new SwrValidationError('order_column', `must be one of ${ORDER_COLUMNS.join(', ')}`, order_column);
    }
    out.order_column = order_column as OrderColumn;
  }
  if (order_type !== undefined) {
    if (!(ORDER_TYPES as readonly unknown[]).includes(order_type)) {
      throw new SwrValidationError('order_type', `must be one of ${ORDER_TYPES.join(', ')}`, order_type);
    }
    if (order_column === undefined)
      throw new SwrValidationError('order_type', 'must be used together with order_column');
    out.order_type = order_type as OrderType;
  }
  for (const [field, value] of [
    ['name', name],
    ['type', type],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new SwrValidationError(field, 'must be a string', value);
    out[field] = value;
  }
  if (limit !== undefined) {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new SwrValidationError('limit', 'must be an integer from 1 to 100', limit);
    }
    out.limit = limit;
  }
  if (offset !== undefined) {
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > INT32_MAX) {
      throw new SwrValidationError('offset', `must be an integer from 0 to ${INT32_MAX}`, offset);
    }
    out.offset = offset;
  }
  if (limit !== undefined && offset === undefined)
    throw new SwrValidationError('offset', 'must be given together with limit');
  if (offset !== undefined && limit === undefined)
    throw new SwrValidationError('limit', 'must be given together with offset');
  if (out.offset !== undefined && out.limit !== undefined && out.offset % out.limit !== 0) {
    throw new SwrValidationError('offset', `must be 0 or a multiple of limit (${out.limit})`, out.offset);
  }
  return out;
}

/** Why a 200 body is not a documented ListInstanceRegistries answer; undefined when it is. */
export function checkListBody(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body is not a JSON object';
  const { registries, total } = body as Record<string, unknown>;
  if (!Array.isArray(registries)) return '`registries` is not an array';
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0)
    return '`total` is not a non-negative integer';
  for (let i = 0; i < registries.length; i++) {
    const problem = checkRegistry(registries[i]);
    if (problem) return `registries[${i}]: ${problem}`;
  }
  return undefined;
}

const REGISTRY_FIELDS: ReadonlyArray<[keyof components['schemas']['Registry'], 'string' | 'boolean' | 'object']> = [
  ['name', 'string'],
  ['type', 'string'],
  ['url', 'string'],
  ['insecure', 'boolean'],
  ['status', 'string'],
  ['created_at', 'string'],
  ['updated_at', 'string'],
  ['credential', 'object'],
];

function checkRegistry(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return 'is not an object';
  const registry = value as Record<string, unknown>;
  if (typeof registry.id !== 'number' || !Number.isInteger(registry.id)) return '`id` is not an integer';
  for (const [field, type] of REGISTRY_FIELDS) {
    if (typeof registry[field] !== type || registry[field] === null) return `\`${field}\` is not a ${type}`;
  }
  return undefined;
}
