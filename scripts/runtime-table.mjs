// Builds generated/operations.{js,d.ts} from the bundled spec: per operation its method, path,
// client method name and arguments, parameters (path, query, header) with their schemas, the
// rules between query parameters, the request body and the success response schema; plus the
// component schemas they point to. Rules only, no prose: the table ships in browser bundles, and
// the words live in the docs (and openapi.json, for the CLI).
//
// Every keyword a schema uses must be one the validator (src/spec/validate.ts) honours: anything
// else fails generation, naming the keyword and its JSON pointer, so a maintainer never adds a
// rule that is silently ignored.

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
// Annotations that carry no rule for a validator. `default` stays: the emulator and the CLI apply it.
const PROSE = new Set([
  'description',
  'title',
  'summary',
  'example',
  'examples',
  'externalDocs',
  '$comment',
  'deprecated',
  'x-additionalPropertiesName',
]);

/** The keywords src/spec/validate.ts honours, and this project's own that its readers honour. */
export const KEYWORDS = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'format',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'readOnly',
  'writeOnly',
  // This project's: the words of a rule, a secret, a rule we only guessed, a multiple of
  // another parameter, what strict mode requires of an answer, and how the CLI shows a value
  // and reads a secret.
  'x-rule',
  'x-sensitive',
  'x-guess',
  'x-guess-keywords',
  'x-client-rules',
  'x-multipleOfParameter',
  'x-strict-required',
  'x-summary-fields',
  'x-cli-colours',
  'x-cli-flag',
  'x-cli-env',
]);
/** The formats the validator checks. */
export const FORMATS = new Set(['date-time', 'ipv4', 'uri', 'int32', 'int64']);
// Keywords whose value is a schema, a list of schemas, or a map of names to schemas.
const SCHEMA = ['items', 'not', 'if', 'then', 'else', 'propertyNames'];
const SCHEMA_LIST = ['allOf', 'anyOf', 'oneOf', 'x-client-rules'];
const SCHEMA_MAP = ['properties'];

const pointer = (parts) => `#/${parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Throws naming the first keyword of a schema (or its subschemas) that no reader honours, and
 * a format the validator does not check.
 */
export function checkKeywords(schema, at) {
  if (schema === null || typeof schema !== 'object') return;
  for (const [key, value] of Object.entries(schema)) {
    const where = pointer([...at, key]);
    if (PROSE.has(key)) continue;
    if (!KEYWORDS.has(key)) throw new Error(`the keyword "${key}" at ${where} is not honoured by the validator`);
    if (key === 'format' && !FORMATS.has(value))
      throw new Error(`the format "${value}" at ${where} is not checked by the validator`);
    if (SCHEMA.includes(key)) checkKeywords(value, [...at, key]);
    if (SCHEMA_LIST.includes(key)) value.forEach((s, i) => checkKeywords(s, [...at, key, i]));
    if (SCHEMA_MAP.includes(key)) for (const [k, s] of Object.entries(value)) checkKeywords(s, [...at, key, k]);
    if (key === 'additionalProperties' && typeof value === 'object') checkKeywords(value, [...at, key]);
  }
}

/** A schema without its prose; `$ref`s to components stay as they are. */
function rulesOnly(node) {
  if (Array.isArray(node)) return node.map(rulesOnly);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (PROSE.has(key)) continue;
    // The client's own rules (not the service's, so kept out of the published schema's keywords)
    // are checked as any other part of the schema.
    if (key === 'x-client-rules') {
      out.allOf = [...(out.allOf ?? []), ...value.map(rulesOnly)];
      continue;
    }
    // `properties` maps field names to schemas: a field called `description` is not prose.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rulesOnly(v)]))
        : key === 'allOf' && out.allOf
          ? [...rulesOnly(value), ...out.allOf]
          : rulesOnly(value);
  }
  return out;
}

/** Follows a local `$ref` of the bundled document; returns the node and its pointer. */
export function deref(spec, node, at) {
  let current = node;
  let where = at;
  while (current && typeof current.$ref === 'string') {
    where = current.$ref
      .slice(2)
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = where.reduce((node, key) => node?.[key], spec);
  }
  return { node: current, at: where };
}

/** `registryId` for `registry_id`: an argument's name in the client's signatures. */
export const camel = (name) => name.replace(/[_-]+([a-z0-9])/g, (_, c) => c.toUpperCase());

function parameterEntry(spec, ref, at) {
  const { node: p, at: where } = deref(spec, ref, at);
  checkKeywords(p.schema, [...where, 'schema']);
  return {
    name: p.name,
    in: p.in,
    ...(p.required === true && { required: true }),
    schema: rulesOnly(p.schema),
    ...(p['x-filter'] && { filter: p['x-filter'] }),
    ...(p['x-client-option'] && { option: p['x-client-option'] }),
    ...(p['x-cli-env'] && { env: p['x-cli-env'] }),
  };
}

/** The JSON schema of a request body or response, with its pointer, after `$ref`s. */
function jsonContent(spec, node, at) {
  const { node: resolved, at: where } = deref(spec, node, at);
  const schema = resolved?.content?.['application/json']?.schema;
  return { resolved, schema, at: [...where, 'content', 'application/json', 'schema'] };
}

/**
 * The secrets of a request body (`x-sensitive` or write-only fields), through `allOf` and nested
 * objects: each one's field path, JSON pointer and schema.
 */
export function bodySecrets(spec, schema, at = [], path = []) {
  const { node: s, at: where } = deref(spec, schema, at);
  if (s === null || typeof s !== 'object') return [];
  if (s['x-sensitive'] === true || s.writeOnly === true) return [{ path, pointer: pointer(where), schema: s }];
  return [
    ...(s.allOf ?? []).flatMap((part, i) => bodySecrets(spec, part, [...where, 'allOf', i], path)),
    ...Object.entries(s.properties ?? {}).flatMap(([name, field]) =>
      bodySecrets(spec, field, [...where, 'properties', name], [...path, name]),
    ),
  ];
}

function operationEntry(spec, path, method, pathItem) {
  const operation = pathItem[method];
  const at = ['paths', path, method];
  const success = Object.keys(operation.responses ?? {})
    .filter((status) => /^2\d\d$/.test(status))
    .sort()[0];
  const response = success && jsonContent(spec, operation.responses[success], [...at, 'responses', success]);
  const body = operation.requestBody && jsonContent(spec, operation.requestBody, [...at, 'requestBody']);
  if (body?.schema) {
    checkKeywords(body.schema, body.at);
    for (const secret of bodySecrets(spec, body.schema, body.at))
      if (!secret.schema['x-cli-env'])
        throw new Error(`the secret at ${secret.pointer} names no x-cli-env (the variable the CLI reads it from)`);
  }
  if (response?.schema) checkKeywords(response.schema, response.at);
  if (operation['x-query-schema']) checkKeywords(operation['x-query-schema'], [...at, 'x-query-schema']);
  const parameters = [
    ...(pathItem.parameters ?? []).map((p, i) => parameterEntry(spec, p, ['paths', path, 'parameters', i])),
    ...(operation.parameters ?? []).map((p, i) => parameterEntry(spec, p, [...at, 'parameters', i])),
  ];
  if (!operation['x-method']) throw new Error(`${pointer(at)}: the operation has no x-method (its client method name)`);
  // The client's positional arguments: the path's parameters in order, but those the client's
  // options supply (project_id).
  const args = [...path.matchAll(/\{([^}]+)\}/g)]
    .map((m) => m[1])
    .filter((name) => !parameters.find((p) => p.name === name && p.in === 'path')?.option);
  return {
    operationId: operation.operationId,
    method: method.toUpperCase(),
    path,
    name: operation['x-method'],
    args,
    parameters,
    ...(operation['x-query-schema'] && { querySchema: rulesOnly(operation['x-query-schema']) }),
    ...(body && { body: { required: body.resolved.required === true, schema: rulesOnly(body.schema) } }),
    response: { status: Number(success), ...(response?.schema && { schema: rulesOnly(response.schema) }) },
    ...(operation['x-pagination'] && { pagination: operation['x-pagination'] }),
    ...(operation['x-walkers'] && { walkers: operation['x-walkers'] }),
    ...(operation['x-iam-action'] && { iamAction: operation['x-iam-action'] }),
    ...(operation['x-conflict-lookup'] && { conflictLookup: operation['x-conflict-lookup'] }),
    ...(operation['x-follow'] && { follow: operation['x-follow'] }),
  };
}

/** The example values of an operation's request body, in the spec's order. */
function bodyExamples(spec, operation) {
  const body = operation.requestBody && deref(spec, operation.requestBody, []).node;
  const examples = body?.content?.['application/json']?.examples ?? {};
  return Object.values(examples)
    .map((e) => deref(spec, e, []).node?.value)
    .filter((v) => v !== undefined);
}

/**
 * The resources of the spec (`x-resource` on a collection path), for the emulator: where they
 * live, what identifies them, what the service sets, and the create examples to seed them from.
 */
function resourcesOf(spec) {
  const out = {};
  for (const [path, pathItem] of Object.entries(spec.paths)) {
    const resource = pathItem['x-resource'];
    if (!resource) continue;
    out[resource.name] = {
      ...resource,
      path,
      examples: pathItem.post ? bodyExamples(spec, pathItem.post) : [],
    };
  }
  return out;
}

/** The CLI's command of each operation (`x-cli`), by operationId. */
function commandsOf(spec) {
  return Object.fromEntries(
    operationsOf(spec).map(([path, method, pathItem]) => [pathItem[method].operationId, pathItem[method]['x-cli']]),
  );
}

/** Every operation of the bundled spec, in the spec's order: `[path, method, pathItem]`. */
export function operationsOf(spec) {
  return Object.entries(spec.paths).flatMap(([path, pathItem]) =>
    METHODS.filter((m) => pathItem[m]).map((method) => [path, method, pathItem]),
  );
}

/** The runtime table as data: `{ operations, schemas, servers }`. */
export function buildTable(spec) {
  const operations = {};
  for (const [path, method, pathItem] of operationsOf(spec)) {
    const entry = operationEntry(spec, path, method, pathItem);
    operations[entry.operationId] = entry;
  }
  const names = Object.values(operations).flatMap((op) => [op.name, ...Object.values(op.walkers ?? {})]);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`the client method name "${twice}" is given twice (x-method, x-walkers)`);
  // Only the component schemas that the operations point to: error bodies, say, are read by
  // errors.ts, not validated, and would only weigh on browser bundles.
  const all = spec.components?.schemas ?? {};
  const needed = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const name = typeof node.$ref === 'string' ? node.$ref.replace('#/components/schemas/', '') : undefined;
    if (name !== undefined && all[name] && !needed.has(name)) {
      needed.add(name);
      visit(all[name]);
    }
    Object.values(node).forEach(visit);
  };
  visit(operations);
  for (const name of needed) checkKeywords(all[name], ['components', 'schemas', name]);
  const schemas = Object.fromEntries(
    Object.keys(all)
      .filter((name) => needed.has(name))
      .map((name) => [name, rulesOnly(all[name])]),
  );
  // The regions of each server: its `region` variable's values, or its `x-region`.
  const servers = (spec.servers ?? []).map((server) => ({
    url: server.url,
    regions: server.variables?.region?.enum ?? (server['x-region'] ? [server['x-region']] : []),
  }));
  return { operations, schemas, servers, resources: resourcesOf(spec), commands: commandsOf(spec) };
}

const HEADER = `// Generated by \`npm run generate\` (scripts/runtime-table.mjs) from the spec. Do not edit.\n`;

/** generated/operations.js: the table as an ES module. */
export function tableModule(table) {
  return (
    `${HEADER}// The runtime description of the API: what the client checks before sending, what the emulator\n` +
    `// enforces and what the CLI offers, read from one place.\n\n` +
    `export const operations = ${JSON.stringify(table.operations, null, 2)};\n\n` +
    `export const schemas = ${JSON.stringify(table.schemas, null, 2)};\n\n` +
    `export const servers = ${JSON.stringify(table.servers, null, 2)};\n\n` +
    `// For the emulator and the CLI (a browser bundle of the client leaves them out).\n` +
    `export const resources = ${JSON.stringify(table.resources, null, 2)};\n\n` +
    `export const commands = ${JSON.stringify(table.commands, null, 2)};\n`
  );
}

const TYPES = `import type { operations as Operations, paths } from './schema.js';

/** A JSON Schema (2020-12) as the runtime table keeps it: the rules, without the prose. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly required?: readonly string[];
  readonly properties?: { readonly [field: string]: JsonSchema };
  readonly additionalProperties?: boolean | JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly dependentRequired?: { readonly [field: string]: readonly string[] };
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly not?: JsonSchema;
  readonly if?: JsonSchema;
  readonly then?: JsonSchema;
  readonly else?: JsonSchema;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  /** This project's keyword: the value of each key is a multiple of the named parameter's value. */
  readonly 'x-multipleOfParameter'?: { readonly [field: string]: string };
  /** The subschema's rule in words, for error messages. */
  readonly 'x-rule'?: string;
  /** A secret: never shown, logged or echoed. */
  readonly 'x-sensitive'?: boolean;
  /** A rule no source documents, and why it is there: it warns, and refuses only in strict mode. */
  readonly 'x-guess'?: string;
  /** Keywords of this schema that no source documents, each with why it is there (as x-guess, keyword by keyword). */
  readonly 'x-guess-keywords'?: { readonly [keyword: string]: string };
  /** Fields that strict mode requires of an answer, although the tolerant reader does not. */
  readonly 'x-strict-required'?: readonly string[];
  /** Fields that summarise an object in one line (the CLI's table). */
  readonly 'x-summary-fields'?: readonly string[];
  /** The colour of each value in the CLI's table. */
  readonly 'x-cli-colours'?: { readonly [value: string]: 'green' | 'red' | 'yellow' };
  /** The CLI's flag for a body field, when the derived one would mislead. */
  readonly 'x-cli-flag'?: string;
  /** The environment variable the CLI reads a secret from (every secret names one). */
  readonly 'x-cli-env'?: string;
}

/** How a query parameter filters the listed items: by one field, or by any of several (dotted paths). */
export interface FilterInfo {
  readonly field?: string;
  readonly fields?: readonly string[];
  /** \`contains\`: case-insensitive substring; \`equals\`: exact. */
  readonly match: 'contains' | 'equals';
}

export interface ParameterInfo {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: true;
  readonly schema: JsonSchema;
  readonly filter?: FilterInfo;
  /** The client option that supplies this parameter (\`projectId\`), not an argument of a method. */
  readonly option?: string;
  /** For the CLI, a flag that this variable may supply (\`SWR_INSTANCE_ID\`), not a positional argument. */
  readonly env?: string;
}

/** Offset paging of a list operation: which parameters and fields play which part. */
export interface PaginationInfo {
  readonly offset: string;
  readonly limit: string;
  /** The response field that holds the page's items. */
  readonly items: string;
  /** The response field that counts every matching item. */
  readonly total: string;
  /** The item field that identifies an item. */
  readonly id: string;
  readonly sort?: string;
  readonly direction?: string;
  readonly ascending?: string;
  readonly descending?: string;
  /** The walkers' default order. */
  readonly walkOrder?: { readonly [parameter: string]: unknown };
  /** An order without ties. */
  readonly tieFreeOrder?: { readonly [parameter: string]: unknown };
  /** The order of a list that takes no sort parameters. */
  readonly order?: { readonly field: string; readonly direction: 'asc' | 'desc' };
  /** Another response field that may hold the items (an older SDK's key), read when \`items\` is absent. */
  readonly alias?: string;
}

/** How to follow what an asynchronous operation started, through a list (\`x-follow\`). */
export interface FollowInfo {
  /** The client's workflow method. */
  readonly method: string;
  /** The list that shows it. */
  readonly list: string;
  /** The list's filter parameters, each given the request body field of the same run. */
  readonly by: { readonly [parameter: string]: string };
  /** The item field that says where it is. */
  readonly status: string;
  /** Values of \`status\` while it runs, and those of a success. */
  readonly running: readonly string[];
  readonly succeeded: readonly string[];
  /** Item fields that count its progress. */
  readonly progress?: readonly string[];
  /** The operation that stops it. */
  readonly stop?: string;
}

/** A resource the emulator keeps (\`x-resource\` on its collection path). */
export interface ResourceInfo {
  readonly name: string;
  /** The collection path. */
  readonly path: string;
  /** The item path, whose last parameter is the item's id. */
  readonly item?: string;
  /** The item field that identifies it. */
  readonly id: string;
  /** Fields no two items of an instance share (409). */
  readonly unique?: readonly string[];
  /** Fields the service sets, and how: at creation, at each change, or \`health:<url field>\` (the emulator's health check). */
  readonly set?: { readonly [field: string]: string };
  /** What answers carry where the item has no such field. */
  readonly answer?: { readonly [field: string]: unknown };
  /**
   * Fields that name an item of another resource: it cannot be deleted while named, unless the
   * naming items go with it (\`onDelete: cascade\`); \`local\` is the value that names the instance itself.
   */
  readonly references?: readonly {
    readonly field: string;
    readonly resource: string;
    readonly local?: unknown;
    readonly onDelete?: 'refuse' | 'cascade';
  }[];
  /** The emulator's behaviour for what no spec states. */
  readonly behaviour?: string;
  /** Items that only the service makes (no create). */
  readonly produced?: boolean;
  /** The create body's examples, to seed from. */
  readonly examples: readonly unknown[];
}

/** The CLI command of an operation (\`x-cli\`). */
export interface CommandInfo {
  /** \`noun verb\`. */
  readonly command: string;
  /** A top-level shortcut kept for scripts (\`list\`). */
  readonly alias?: string;
  /** Parameters or body fields taken as positional arguments, in order. */
  readonly arguments?: readonly string[];
}

/** The names of a list's walkers on the client. */
export interface WalkerNames {
  readonly items: string;
  readonly pages: string;
  readonly all: string;
}

export interface OperationInfo {
  readonly operationId: keyof Operations;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS' | 'TRACE';
  readonly path: keyof paths;
  /** The client method's name. */
  readonly name: string;
  /** The path parameters a method takes as arguments, in order. */
  readonly args: readonly string[];
  readonly parameters: readonly ParameterInfo[];
  /** Rules between query parameters, as a JSON Schema over the query object. */
  readonly querySchema?: JsonSchema;
  readonly body?: { readonly required: boolean; readonly schema: JsonSchema };
  /** The documented success status and its body's schema. */
  readonly response: { readonly status: number; readonly schema?: JsonSchema };
  readonly pagination?: PaginationInfo;
  readonly walkers?: WalkerNames;
  /** The IAM action the operation needs, e.g. \`swr:instance:listRegistries\`. */
  readonly iamAction?: string;
  /** A create made safe to repeat: \`field\` is unique, and \`operation\` filters on it. */
  readonly conflictLookup?: { readonly field: string; readonly operation: keyof Operations };
  /** How to follow what the operation started. */
  readonly follow?: FollowInfo;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type PathOf<Id extends keyof Operations> = Operations[Id] extends { parameters: { path: infer P } } ? P : never;
/** What a method of the client answers: a JSON body, or nothing. */
export type ResultKind = 'json' | 'none';
/** A method's extra outcome: a create made safe to repeat, or a delete that may find its target gone. */
export type OutcomeKind = 'create' | 'delete' | 'none';
`;

/** generated/operations.d.ts: the table's types, each entry checked against \`paths\`. */
export function tableTypes(table, spec) {
  const entries = Object.values(table.operations);
  const q = JSON.stringify;
  const declarations = entries
    .map((op) => {
      const known = [
        `readonly operationId: ${q(op.operationId)}`,
        `readonly path: ${q(op.path)}`,
        `readonly method: ${q(op.method)}`,
        `readonly name: ${q(op.name)}`,
        ...(op.querySchema ? ['readonly querySchema: JsonSchema'] : []),
        ...(op.body ? ['readonly body: { readonly required: boolean; readonly schema: JsonSchema }'] : []),
        ...(op.pagination ? ['readonly pagination: PaginationInfo'] : []),
        ...(op.walkers ? ['readonly walkers: WalkerNames'] : []),
        ...(op.conflictLookup
          ? [
              `readonly conflictLookup: { readonly field: ${q(op.conflictLookup.field)}; readonly operation: ${q(op.conflictLookup.operation)} }`,
            ]
          : []),
      ];
      return `  readonly ${op.operationId}: OperationInfo & {\n${known.map((k) => `    ${k};`).join('\n')}\n  };`;
    })
    .join('\n');
  const checks = entries
    .map(
      (op) => `  Check<Same<paths[${q(op.path)}][${q(op.method.toLowerCase())}], Operations[${q(op.operationId)}]>>,`,
    )
    .join('\n');
  const summary = (op) => {
    const text = spec.paths[op.path][op.method.toLowerCase()].summary ?? op.operationId;
    return text.replace(/\*\//g, '*\\/');
  };
  const argsOf = (op) =>
    `[${op.args.map((name) => `${camel(name)}: PathOf<${q(op.operationId)}>[${q(name)}]`).join(', ')}]`;
  const methods = entries
    .map((op) => {
      const outcome = op.conflictLookup ? 'create' : op.method === 'DELETE' ? 'delete' : 'none';
      const params = op.parameters.some((p) => p.in === 'query' || p.in === 'header');
      return (
        `  /** ${summary(op)} (\`${op.operationId}\`). */\n` +
        `  readonly ${op.name}: { readonly operationId: ${q(op.operationId)}; readonly args: ${argsOf(op)}; ` +
        `readonly params: ${params}; readonly result: ${q(op.response.schema ? 'json' : 'none')}; readonly outcome: ${q(outcome)} };`
      );
    })
    .join('\n');
  const walkerWords = {
    items: 'Every item of',
    pages: 'Every page of',
    all: 'Every item, collected, with what the walk observed, of',
  };
  const walkers = entries
    .filter((op) => op.walkers)
    .flatMap((op) =>
      Object.entries(op.walkers).map(
        ([kind, name]) =>
          `  /** ${walkerWords[kind]} \`${op.operationId}\`, in order; concurrent after the first page. */\n` +
          `  readonly ${name}: { readonly operationId: ${q(op.operationId)}; readonly args: ${argsOf(op)}; readonly kind: ${q(kind)}; ` +
          `readonly items: ${q(op.pagination.items)}; readonly paging: ${q(op.pagination.offset)} | ${q(op.pagination.limit)} };`,
      ),
    )
    .join('\n');
  const follows = entries
    .filter((op) => op.follow)
    .map((op) => {
      const list = table.operations[op.follow.list];
      return (
        `  /** Runs \`${op.operationId}\` and follows what it started to its end, in \`${list.operationId}\`. */\n` +
        `  readonly ${op.follow.method}: { readonly operationId: ${q(op.operationId)}; readonly args: ${argsOf(op)}; ` +
        `readonly list: ${q(list.operationId)}; readonly items: ${q(list.pagination.items)} };`
      );
    })
    .join('\n');
  const stored = Object.values(table.resources)
    .map((resource) => [resource, entries.find((op) => op.path === resource.path && op.pagination)])
    .filter(([, list]) => list)
    .map(
      ([resource, list]) =>
        `  /** One \`${resource.name}\`, as \`${list.operationId}\` lists it. */\n` +
        `  readonly ${resource.name}: { readonly list: ${q(list.operationId)}; readonly items: ${q(list.pagination.items)}; readonly id: ${q(resource.id)} };`,
    )
    .join('\n');
  return (
    `${HEADER}${TYPES}\n/** Every operation of the spec, by operationId. */\nexport declare const operations: {\n${declarations}\n};\n\n` +
    `/** The component schemas that the operations' schemas point to with \`$ref\`. */\n` +
    `export declare const schemas: { readonly ${Object.keys(table.schemas)
      .map((name) => `${name}: JsonSchema`)
      .join('; readonly ')} };\n\n` +
    `/** The servers of the spec and the regions each one serves. */\n` +
    `export declare const servers: readonly [\n${table.servers
      .map(
        (server) =>
          `  { readonly url: ${q(server.url)}; readonly regions: readonly [${server.regions.map(q).join(', ')}] },`,
      )
      .join('\n')}\n];\n\n` +
    `/** The resources the emulator keeps, by name. */\n` +
    `export declare const resources: { readonly [name: string]: ResourceInfo };\n\n` +
    `/** The CLI command of each operation, by operationId. */\n` +
    `export declare const commands: { readonly [operationId: string]: CommandInfo };\n\n` +
    `/** The client's methods, one per operation: the arguments it takes and what it answers. */\n` +
    `export interface MethodTable {\n${methods}\n}\n\n` +
    `/** The walkers over each list operation. */\n` +
    `export interface WalkerTable {\n${walkers}\n}\n\n` +
    `/** The workflows that follow what an operation started (\`x-follow\`). */\n` +
    `export interface FollowTable {\n${follows}\n}\n\n` +
    `/** The resources the emulator keeps, each typed as its list operation answers it. */\n` +
    `export interface ResourceTable {\n${stored}\n}\n\n` +
    `/** Compile-time proof that each entry's path and method name its operation in \`paths\`. */\n` +
    `export type PathsAgree = [\n${checks}\n];\n`
  );
}
