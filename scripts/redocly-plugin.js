// Redocly rules for the spec's own extensions, which the client, the emulator and the CLI read
// at run time: a misspelt name here would otherwise surface only as a runtime surprise.
//
//   swr/query-schema    x-query-schema names query parameters of its operation, and the words
//                       of each parameter's description mention the parameters it depends on
//   swr/pagination      x-pagination names parameters, enum values and response fields that exist
//   swr/filter          x-filter names a field of the listed items and a known way to match
//   swr/presentation    x-summary-fields names fields of its schema; x-cli-colours names its values
//   swr/conflict-lookup x-conflict-lookup names a required field of the request body and a list
//                       operation with a filter on that field

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const MATCHES = ['contains', 'equals'];
const QUERY_SCHEMA_KEYWORDS = ['dependentRequired', 'x-multipleOfParameter'];

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
  for (const status of ['200', '201']) {
    const response = deref(ctx, operation.responses?.[status], from);
    const schema = response.node?.content?.['application/json']?.schema;
    if (schema) return deref(ctx, schema, response.from);
  }
  return { node: undefined, from };
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
          for (const role of ['offset', 'limit', 'sort', 'direction']) {
            if (!query.has(paging[role]))
              report(`x-pagination.${role}: "${paging[role]}" is not a query parameter here`);
          }
          const enumOf = (name) => (query.has(name) ? (schemaOf(query.get(name)).enum ?? []) : []);
          for (const role of ['ascending', 'descending']) {
            if (!enumOf(paging.direction).includes(paging[role]))
              report(`x-pagination.${role}: "${paging[role]}" is not a value of ${paging.direction}`);
          }
          for (const order of ['walkOrder', 'tieFreeOrder']) {
            for (const [name, value] of Object.entries(paging[order] ?? {})) {
              if (!enumOf(name).includes(value)) report(`x-pagination.${order}: "${value}" is not a value of ${name}`);
            }
          }
          const item = itemSchema(ctx, operation, paging, from, report);
          if (item === undefined) continue;
          if (!item.properties?.[paging.id]) report(`x-pagination.id: the items have no field "${paging.id}"`);
          for (const sortable of enumOf(paging.sort)) {
            if (!item.properties?.[sortable])
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
  const items = deref(ctx, fields[paging.items], body.from);
  if (items.node?.type !== 'array') {
    report(`x-pagination.items: "${paging.items}" is not an array field of the response`);
    return undefined;
  }
  return deref(ctx, items.node.items, items.from).node ?? {};
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
          const item = itemSchema(ctx, operation, paging, from, () => undefined) ?? {};
          for (const parameter of filtered) {
            const { field, match } = parameter['x-filter'];
            if (parameter.in !== 'query') report(`x-filter of "${parameter.name}": only query parameters filter`);
            if (!item.properties?.[field])
              report(`x-filter of "${parameter.name}": the items have no field "${field}"`);
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
        const fields = schema['x-summary-fields'];
        for (const field of fields ?? []) {
          if (!schema.properties?.[field])
            ctx.report({
              message: `x-summary-fields: "${field}" is not a field here`,
              location: ctx.location.child(['x-summary-fields']),
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

function ConflictLookup() {
  const lists = new Map();
  const lookups = [];
  return {
    PathItem: {
      enter(pathItem, ctx) {
        for (const entry of operationsOf(pathItem, ctx)) {
          lists.set(entry.operation.operationId, entry);
          if (entry.operation['x-conflict-lookup'] !== undefined) lookups.push({ ...entry, ctx });
        }
      },
    },
    // After every path item is seen: the lookup may name an operation of another path.
    Root: {
      leave() {
        for (const { operation, from, location, ctx } of lookups) {
          const { field, operation: listId } = operation['x-conflict-lookup'];
          const report = (message) => ctx.report({ message, location: location.child(['x-conflict-lookup']) });
          const body = deref(ctx, operation.requestBody, from);
          const schema = deref(ctx, body.node?.content?.['application/json']?.schema, body.from).node ?? {};
          if (!schema.properties?.[field] || !(schema.required ?? []).includes(field))
            report(`x-conflict-lookup.field: "${field}" is not a required field of the request body`);
          const list = lists.get(listId);
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
      },
    },
  };
}
