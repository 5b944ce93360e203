// Each resource the spec declares (`x-resource`), as the emulator and the CLI read it: which
// operations list, create, show, update and delete it, the schema of its items, its secrets (by
// the request's marks and the answer's alike) and the fields the service answers when an item
// has none. Built once from the generated table; the client's browser bundle leaves it out.
import { resources, type ResourceInfo } from '../../generated/operations.js';
import { isList, itemSchema, OPERATIONS, parametersIn, type ListOperation, type Operation } from './table.js';
import { resolve, secretPaths, type JsonSchema } from './validate.js';

/** What an operation does to its resource. */
export type Role = 'list' | 'create' | 'show' | 'update' | 'delete';

export interface ResourceModel {
  info: ResourceInfo;
  list: ListOperation;
  create?: Operation;
  show?: Operation;
  update?: Operation;
  remove?: Operation;
  /** The schema of one listed item. */
  item: JsonSchema;
  /** Dotted paths of the secret fields, by the request body's marks and the answer's alike. */
  secrets: string[];
  /** What an answer carries for a field the item lacks: `x-resource.answer`, a body's default, or `""` for a string (as SWR answers). */
  blanks: Record<string, unknown>;
  /** The path parameters that scope an item below the instance (an execution's tasks: `execution_id`). */
  scope: string[];
  /** The item's fields in the schema's order. */
  order: string[];
}

/** The path parameters every path has: the project and the instance. */
const INSTANCE = ['project_id', 'instance_id'];

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const s = resolve(schema);
  return Object.assign({}, ...(s.allOf ?? []).map(propertiesOf), s.properties ?? {});
}

function blanksOf(info: ResourceInfo, item: JsonSchema, body: JsonSchema | undefined): Record<string, unknown> {
  const blanks: Record<string, unknown> = {};
  const bodyFields = body ? propertiesOf(body) : {};
  for (const [field, schema] of Object.entries(propertiesOf(item))) {
    const s = resolve(schema);
    const fallback = bodyFields[field] && resolve(bodyFields[field]!).default;
    if (fallback !== undefined) blanks[field] = fallback;
    else if (s.type === 'string') blanks[field] = '';
  }
  return { ...blanks, ...info.answer };
}

function build(info: ResourceInfo): ResourceModel {
  const on = (path: string | undefined, method: string) =>
    path === undefined ? undefined : OPERATIONS.find((op) => op.path === path && op.method === method);
  const list = on(info.path, 'GET');
  if (!list || !isList(list)) throw new Error(`resource ${info.name}: no list operation on ${info.path}`);
  const create = on(info.path, 'POST');
  const item = itemSchema(list);
  return {
    info,
    list,
    ...(create && { create }),
    ...(on(info.item, 'GET') && { show: on(info.item, 'GET')! }),
    ...(on(info.item, 'PUT') && { update: on(info.item, 'PUT')! }),
    ...(on(info.item, 'DELETE') && { remove: on(info.item, 'DELETE')! }),
    item,
    secrets: [...new Set([...secretPaths(item), ...(create?.body ? secretPaths(create.body.schema) : [])])],
    blanks: blanksOf(info, item, create?.body?.schema),
    order: Object.keys(propertiesOf(item)),
    scope: parametersIn(list, 'path')
      .map((p) => p.name)
      .filter((name) => !INSTANCE.includes(name)),
  };
}

/** Every resource of the spec, by name. */
export const MODELS: ReadonlyMap<string, ResourceModel> = new Map(
  Object.values(resources).map((info) => [info.name, build(info)]),
);

/** The resource an operation acts on and how, or undefined for one no resource declares. */
export function roleOf(op: Operation): { model: ResourceModel; role: Role } | undefined {
  for (const model of MODELS.values()) {
    for (const role of ['list', 'create', 'show', 'update', 'remove'] as const) {
      if (model[role] === op) return { model, role: role === 'remove' ? 'delete' : role };
    }
  }
  return undefined;
}

/** The scope key of a request: the values of the resource's scoping path parameters. */
export function scopeOf(model: ResourceModel, params: Record<string, string>): string {
  return model.scope.length === 0 ? '' : JSON.stringify(model.scope.map((name) => Number(params[name])));
}
