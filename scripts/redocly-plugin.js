// Redocly rules for the spec's own extensions, which the client, the emulator and the CLI read
// at run time: a misspelt name here would otherwise surface only as a runtime surprise.
//
//   swr/query-schema    x-query-schema names query parameters of its operation, and the words
//                       of each parameter's description mention the parameters it depends on
//   swr/pagination      x-pagination names parameters, enum values and response fields that exist
//   swr/filter          x-filter names fields of the listed items and a known way to match
//   swr/presentation    x-summary-fields names fields of its schema; x-cli-colours names its values
//   swr/conflict-lookup x-conflict-lookup names a required field of the request body and a list
//                       operation with a filter on that field
//   swr/names           every operation has an x-method and an x-cli command, each name used once
//   swr/resource        x-resource names its item path, fields of its items and other resources
//   swr/follow          x-follow names a list filtered by a field of the body, and a stop operation
//   swr/guesses         x-guess-keywords names keywords its schema has, each with a reason

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const MATCHES = ['contains', 'equals'];
const QUERY_SCHEMA_KEYWORDS = ['dependentRequired', 'x-multipleOfParameter'];
const SETTERS = ['created', 'updated', 'health:<url field>'];

/** Follows `$ref`s across files; returns the node and the file it lives in. */
function deref(ctx, node, from) {
  let current = node;
  let source = from;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
    const resolved = ctx.resolve(current, source);
    current = resolved.node;
    source = resolved.location?.source.absoluteRef ?? source;
  }
  return { node: current, from: source };
}

/** The operations of a path item with their parameters (path-level ones included), resolved. */
function operationsOf(pathItem, ctx) {
  const from = ctx.location.source.absoluteRef;
  const shared = (pathItem.parameters ?? []).map((p) => deref(ctx, p, from).node);
  return HTTP_METHODS.filter((m) => pathItem[m]).map((method) => {
    const operation = pathItem[method];
    const own = (operation.parameters ?? []).map((p) => deref(ctx, p, from).node);
    const parameters = [...shared, ...own].filter(Boolean);
    const schemaOf = (p) => deref(ctx, p.schema, from).node ?? {};
    return { method, operation, parameters, schemaOf, from, location: ctx.location.child([method]) };
  });
}

/** The JSON schema of a response's application/json content, resolved. */
function responseSchema(ctx, operation, from) {
  for (const status of ['200', '201', '202']) {
    const response = deref(ctx, operation.responses?.[status], from);
    const schema = response.node?.content?.['application/json']?.schema;
    if (schema) return deref(ctx, schema, response.from);
  }
  return { node: undefined, from };
}

/** A schema's properties, through allOf (with the file each came from). */
function propertiesOf(ctx, schema, from) {
  const { node, from: at } = deref(ctx, schema, from);
  const own = Object.fromEntries(Object.entries(node?.properties ?? {}).map(([k, v]) => [k, { node: v, from: at }]));
  return Object.assign({}, ...(node?.allOf ?? []).map((part) => propertiesOf(ctx, part, at)), own);
}

/** Whether a dotted path (`src_registry.id`) names a field of a schema. */
function hasField(ctx, schema, from, path) {
  let current = { node: schema, from };
  for (const key of path.split('.')) {
    const field = propertiesOf(ctx, current.node, current.from)[key];
    if (!field) return false;
    current = deref(ctx, field.node, field.from);
  }
  return true;
}

function QuerySchema() {
  return {
    PathItem: {
      enter(pathItem, ctx) {
        for (const { operation, parameters, schemaOf, location } of operationsOf(pathItem, ctx)) {
          const rules = operation['x-query-schema'];
          if (rules === undefined) continue;
          const at = location.child(['x-query-schema']);
          const report = (message) => ctx.report({ message, location: at });
          const query = new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
          for (const keyword of Object.keys(rules)) {
            if (!QUERY_SCHEMA_KEYWORDS.includes(keyword))
              report(`x-query-schema: unknown keyword "${keyword}" (known: ${QUERY_SCHEMA_KEYWORDS.join(', ')})`);
          }
          const known = (name) => {
            if (!query.has(name)) report(`x-query-schema names "${name}", which is not a query parameter here`);
            return query.get(name);
          };
          const mentions = (parameter, other, why) => {
            if (parameter && !(parameter.description ?? '').includes(`\`${other}\``)) {
              report(`the description of "${parameter.name}" must say in words that ${why} \`${other}\``);
            }
          };
          for (const [name, others] of Object.entries(rules.dependentRequired ?? {})) {
            const parameter = known(name);
            for (const other of others) {
              known(other);
              mentions(parameter, other, 'it is used together with');
            }
          }
          for (const [name, other] of Object.entries(rules['x-multipleOfParameter'] ?? {})) {
            const [a, b] = [known(name), known(other)];
            for (const p of [a, b]) {
              if (p && schemaOf(p).type !== 'integer')
                report(`x-multipleOfParameter: "${p.name}" must be an integer parameter`);
            }
            mentions(a, other, 'it is a multiple of');
          }
        }
      },
    },
  };
}

function Pagination() {
  return {
    PathItem: {
      enter(pathItem, ctx) {
        for (const { operation, parameters, schemaOf, from, location } of operationsOf(pathItem, ctx)) {
          const paging = operation['x-pagination'];
          if (paging === undefined) continue;
          const at = location.child(['x-pagination']);
          const report = (message) => ctx.report({ message, location: at });
          const query = new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
          const sorted = paging.sort !== undefined;
          const roles = sorted ? ['offset', 'limit', 'sort', 'direction'] : ['offset', 'limit'];
          for (const role of roles) {
            if (!query.has(paging[role]))
              report(`x-pagination.${role}: "${paging[role]}" is not a query parameter here`);
          }
          const enumOf = (name) => (query.has(name) ? (schemaOf(query.get(name)).enum ?? []) : []);
          if (sorted) {
            for (const role of ['ascending', 'descending']) {
              if (!enumOf(paging.direction).includes(paging[role]))
                report(`x-pagination.${role}: "${paging[role]}" is not a value of ${paging.direction}`);
            }
            for (const order of ['walkOrder', 'tieFreeOrder']) {
              for (const [name, value] of Object.entries(paging[order] ?? {})) {
                if (!enumOf(name).includes(value))
                  report(`x-pagination.${order}: "${value}" is not a value of ${name}`);
              }
            }
          } else if (!paging.order || !['asc', 'desc'].includes(paging.order.direction)) {
            report(
              'x-pagination: a list without sort parameters states its order (order: { field, direction: asc | desc })',
            );
          }
          const item = itemSchema(ctx, operation, paging, from, report);
          if (item === undefined) continue;
          if (!hasField(ctx, item.node, item.from, paging.id))
            report(`x-pagination.id: the items have no field "${paging.id}"`);
          if (paging.order && !hasField(ctx, item.node, item.from, paging.order.field))
            report(`x-pagination.order: the items have no field "${paging.order.field}"`);
          for (const sortable of sorted ? enumOf(paging.sort) : []) {
            if (!hasField(ctx, item.node, item.from, sortable))
              report(`x-pagination.sort: "${sortable}", a value of ${paging.sort}, is not a field of the items`);
          }
        }
      },
    },
  };
}

/** The schema of one listed item, through x-pagination's `items` field of the response. */
function itemSchema(ctx, operation, paging, from, report) {
  const body = responseSchema(ctx, operation, from);
  const fields = body.node?.properties ?? {};
  if (!fields[paging.total]) report(`x-pagination.total: the response has no field "${paging.total}"`);
  if (paging.alias !== undefined && !fields[paging.alias])
    report(`x-pagination.alias: the response has no field "${paging.alias}"`);
  const items = deref(ctx, fields[paging.items], body.from);
  if (items.node?.type !== 'array') {
    report(`x-pagination.items: "${paging.items}" is not an array field of the response`);
    return undefined;
  }
  return deref(ctx, items.node.items, items.from);
}

function Filter() {
  return {
    PathItem: {
      enter(pathItem, ctx) {
        for (const { operation, parameters, from, location } of operationsOf(pathItem, ctx)) {
          const filtered = parameters.filter((p) => p['x-filter'] !== undefined);
          if (filtered.length === 0) continue;
          const report = (message) => ctx.report({ message, location });
          const paging = operation['x-pagination'];
          if (paging === undefined) {
            report('x-filter needs x-pagination on its operation: it filters the listed items');
            continue;
          }
          const item = itemSchema(ctx, operation, paging, from, () => undefined);
          for (const parameter of filtered) {
            const { field, fields, match } = parameter['x-filter'];
            if (parameter.in !== 'query') report(`x-filter of "${parameter.name}": only query parameters filter`);
            const named = fields ?? (field === undefined ? [] : [field]);
            if (named.length === 0) report(`x-filter of "${parameter.name}": give field or fields`);
            for (const f of named) {
              if (item && !hasField(ctx, item.node, item.from, f))
                report(`x-filter of "${parameter.name}": the items have no field "${f}"`);
            }
            if (!MATCHES.includes(match))
              report(`x-filter of "${parameter.name}": match must be one of ${MATCHES.join(', ')}`);
          }
        }
      },
    },
  };
}

const COLOURS = ['green', 'red', 'yellow'];

function Presentation() {
  return {
    Schema: {
      enter(schema, ctx) {
        const from = ctx.location.source.absoluteRef;
        for (const field of schema['x-summary-fields'] ?? []) {
          if (!hasField(ctx, schema, from, field))
            ctx.report({
              message: `x-summary-fields: "${field}" is not a field here`,
              location: ctx.location.child(['x-summary-fields']),
            });
        }
        for (const field of schema['x-strict-required'] ?? []) {
          if (!schema.properties?.[field])
            ctx.report({
              message: `x-strict-required: "${field}" is not a field here`,
              location: ctx.location.child(['x-strict-required']),
            });
        }
        const colours = schema['x-cli-colours'];
        if (colours === undefined) return;
        const values = schema.enum ?? (schema.anyOf ?? []).flatMap((branch) => deref(ctx, branch).node?.enum ?? []);
        for (const [value, colour] of Object.entries(colours)) {
          const location = ctx.location.child(['x-cli-colours', value]);
          if (!values.includes(value))
            ctx.report({ message: `x-cli-colours: "${value}" is not a documented value`, location });
          if (!COLOURS.includes(colour))
            ctx.report({ message: `x-cli-colours: the colour must be one of ${COLOURS.join(', ')}`, location });
        }
      },
    },
  };
}

function Guesses() {
  return {
    Schema: {
      enter(schema, ctx) {
        const guessed = schema['x-guess-keywords'];
        if (guessed === undefined) return;
        for (const [keyword, reason] of Object.entries(guessed)) {
          const location = ctx.location.child(['x-guess-keywords', keyword]);
          if (!(keyword in schema))
            ctx.report({ message: `x-guess-keywords: "${keyword}" is not a keyword of this schema`, location });
          if (typeof reason !== 'string' || reason.trim().length < 10)
            ctx.report({ message: 'x-guess-keywords: say why the rule is there (a sentence)', location });
        }
      },
    },
  };
}

/** Every operation of the document, by operationId, with where it lives; filled as path items are seen. */
function createIndex() {
  const byId = new Map();
  const paths = new Map();
  return {
    PathItem(pathItem, ctx) {
      paths.set(ctx.key, { pathItem, ctx });
      for (const entry of operationsOf(pathItem, ctx))
        byId.set(entry.operation.operationId, { ...entry, ctx, path: ctx.key });
    },
    byId,
    paths,
  };
}

function ConflictLookup() {
  const index = createIndex();
  return {
    PathItem: { enter: index.PathItem },
    // After every path item is seen: the lookup may name an operation of another path.
    Root: {
      leave() {
        for (const { operation, from, location, ctx } of index.byId.values()) {
          if (operation['x-conflict-lookup'] === undefined) continue;
          const { field, operation: listId } = operation['x-conflict-lookup'];
          const report = (message) => ctx.report({ message, location: location.child(['x-conflict-lookup']) });
          const body = deref(ctx, operation.requestBody, from);
          const schema = deref(ctx, body.node?.content?.['application/json']?.schema, body.from).node ?? {};
          if (!schema.properties?.[field] || !(schema.required ?? []).includes(field))
            report(`x-conflict-lookup.field: "${field}" is not a required field of the request body`);
          const list = index.byId.get(listId);
          if (!list?.operation['x-pagination']) {
            report(`x-conflict-lookup.operation: "${listId}" is not a list operation (with x-pagination)`);
            continue;
          }
          if (!list.parameters.some((p) => p['x-filter']?.field === field))
            report(`x-conflict-lookup.operation: no parameter of ${listId} filters on "${field}"`);
        }
      },
    },
  };
}

function Names() {
  const index = createIndex();
  return {
    PathItem: { enter: index.PathItem },
    Root: {
      leave() {
        const seen = new Map();
        const once = (name, what, report) => {
          if (seen.has(name)) report(`${what} "${name}" is used twice (also by ${seen.get(name)})`);
          else seen.set(name, what);
        };
        const commands = new Map();
        for (const { operation, location, ctx } of index.byId.values()) {
          const report = (message) => ctx.report({ message, location });
          const method = operation['x-method'];
          if (typeof method !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(method))
            report('x-method: every operation names its client method in camelCase');
          else once(method, `the client method of ${operation.operationId}`, report);
          for (const name of Object.values(operation['x-walkers'] ?? {}))
            once(name, `a walker of ${operation.operationId}`, report);
          if (operation['x-walkers'] && !operation['x-pagination'])
            report('x-walkers: only a list (x-pagination) has walkers');
          const cli = operation['x-cli'];
          if (!cli || typeof cli.command !== 'string' || !/^[a-z]+ [a-z][a-z-]*$/.test(cli.command)) {
            report('x-cli.command: every operation names its CLI command as "noun verb"');
            continue;
          }
          for (const name of [cli.command, cli.alias].filter(Boolean)) {
            if (commands.has(name)) report(`x-cli: the command "${name}" is used twice`);
            commands.set(name, operation.operationId);
          }
        }
      },
    },
  };
}

function Resource() {
  const index = createIndex();
  return {
    PathItem: { enter: index.PathItem },
    Root: {
      leave() {
        const names = new Map();
        for (const { pathItem, ctx } of index.paths.values()) {
          if (pathItem['x-resource']) names.set(pathItem['x-resource'].name, pathItem['x-resource']);
        }
        for (const [path, { pathItem, ctx }] of index.paths) {
          const resource = pathItem['x-resource'];
          if (!resource) continue;
          const location = ctx.location.child(['x-resource']);
          const report = (message) => ctx.report({ message, location });
          const list = operationsOf(pathItem, ctx).find((o) => o.method === 'get');
          if (!list?.operation['x-pagination']) {
            report('x-resource: the collection path lists its items (a get with x-pagination)');
            continue;
          }
          const item = itemSchema(ctx, list.operation, list.operation['x-pagination'], list.from, () => undefined);
          const field = (f) => item && hasField(ctx, item.node, item.from, f);
          if (!field(resource.id)) report(`x-resource.id: the items have no field "${resource.id}"`);
          for (const f of resource.unique ?? [])
            if (!field(f)) report(`x-resource.unique: the items have no field "${f}"`);
          for (const [f, how] of Object.entries(resource.set ?? {})) {
            if (!field(f)) report(`x-resource.set: the items have no field "${f}"`);
            const source = typeof how === 'string' && how.startsWith('health:') ? how.slice(7) : undefined;
            if (source !== undefined && !field(source))
              report(`x-resource.set.${f}: the items have no field "${source}"`);
            if (source === undefined && !SETTERS.includes(how))
              report(`x-resource.set.${f}: "${how}" is not a known way (${SETTERS.join(', ')})`);
          }
          for (const f of Object.keys(resource.answer ?? {}))
            if (!field(f)) report(`x-resource.answer: the items have no field "${f}"`);
          for (const ref of resource.references ?? []) {
            if (!field(ref.field)) report(`x-resource.references: the items have no field "${ref.field}"`);
            if (!names.has(ref.resource)) report(`x-resource.references: no resource is named "${ref.resource}"`);
            if (ref.onDelete !== undefined && !['refuse', 'cascade'].includes(ref.onDelete))
              report('x-resource.references: onDelete is refuse or cascade');
          }
          if (resource.item !== undefined) {
            const target = index.paths.get(resource.item);
            if (!target) report(`x-resource.item: "${resource.item}" is not a path of the spec`);
            else if (!resource.item.startsWith(`${path}/{`) || resource.item.slice(path.length + 1).includes('/'))
              report('x-resource.item: the item path is the collection path and one parameter');
          }
        }
      },
    },
  };
}

function Follow() {
  const index = createIndex();
  return {
    PathItem: { enter: index.PathItem },
    Root: {
      leave() {
        for (const { operation, location, from, ctx } of index.byId.values()) {
          const follow = operation['x-follow'];
          if (!follow) continue;
          const report = (message) => ctx.report({ message, location: location.child(['x-follow']) });
          const list = index.byId.get(follow.list);
          if (!list?.operation['x-pagination']) report(`x-follow.list: "${follow.list}" is not a list operation`);
          const body = deref(ctx, operation.requestBody, from);
          const schema = deref(ctx, body.node?.content?.['application/json']?.schema, body.from).node ?? {};
          for (const [parameter, bodyField] of Object.entries(follow.by ?? {})) {
            if (list && !list.parameters.some((p) => p.name === parameter && p.in === 'query'))
              report(`x-follow.by: "${parameter}" is not a query parameter of ${follow.list}`);
            if (!schema.properties?.[bodyField])
              report(`x-follow.by: "${bodyField}" is not a field of the request body`);
          }
          if (list) {
            const item = itemSchema(ctx, list.operation, list.operation['x-pagination'], list.from, () => undefined);
            for (const f of [follow.status, ...(follow.progress ?? [])]) {
              if (item && !hasField(ctx, item.node, item.from, f))
                report(`x-follow: the items of ${follow.list} have no field "${f}"`);
            }
          }
          if (follow.stop !== undefined && !index.byId.has(follow.stop))
            report(`x-follow.stop: no operation "${follow.stop}"`);
          if (!Array.isArray(follow.running) || !Array.isArray(follow.succeeded))
            report('x-follow: give running and succeeded (lists of status values)');
        }
      },
    },
  };
}

export default function swrPlugin() {
  return {
    id: 'swr',
    rules: {
      oas3: {
        'query-schema': QuerySchema,
        pagination: Pagination,
        filter: Filter,
        presentation: Presentation,
        'conflict-lookup': ConflictLookup,
        names: Names,
        resource: Resource,
        follow: Follow,
        guesses: Guesses,
      },
    },
  };
}
