// Command-line flags derived from an operation's parameters: one flag per parameter (`order_column`
// is `--order-column`), its choices, range and default from the schema, its words from the spec's
// description. A spec edit and `npm run generate` change the flags and the help with no code here.
import { readFileSync } from 'node:fs';
import { parametersIn, type Operation, type ParameterInfo } from '../operation.js';
import { coerce, documentedValues, isOpenEnum, numberBounds, resolve } from '../validate.js';

/** The bundled spec, for the words of the help (the runtime table holds rules only). */
const SPEC_FILE = new URL('../../generated/openapi.json', import.meta.url);
type Described = { name?: string; description?: string; $ref?: string; parameters?: Described[] };
let spec: Record<string, unknown> | undefined;

/** Follows a local `$ref` of the bundled spec. */
function deref(node: Described | undefined): Described | undefined {
  let current = node;
  while (current?.$ref !== undefined) {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key.replace(/~1/g, '/')], spec) as Described;
  }
  return current;
}

export interface ParameterFlag {
  /** `order-column` for `order_column`. */
  flag: string;
  parameter: ParameterInfo;
}

/** `--order-column` for `order_column`, `--project-id` for `projectId`. */
export function flagName(field: string): string {
  return `--${field
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase()}`;
}

/** One flag per parameter of the operation in `where`, except those named in `except`. */
export function parameterFlags(
  operation: Operation,
  where: ParameterInfo['in'],
  except: readonly string[] = [],
): ParameterFlag[] {
  return parametersIn(operation, where)
    .filter((p) => !except.includes(p.name))
    .map((parameter) => ({ flag: flagName(parameter.name).slice(2), parameter }));
}

/** The parseArgs options of the flags: each takes a string. */
export function flagOptions(flags: readonly ParameterFlag[]): Record<string, { type: 'string' }> {
  return Object.fromEntries(flags.map((f) => [f.flag, { type: 'string' as const }]));
}

/**
 * The parameters given as flags, as the values their schemas expect. The client checks them
 * against every rule; its errors name the parameter, which names the flag back.
 */
export function readFlags(
  flags: readonly ParameterFlag[],
  values: Record<string, unknown>,
  operation: Operation,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { flag, parameter } of flags) {
    const text = values[flag];
    if (typeof text === 'string') out[parameter.name] = coerce(parameter.schema, text);
  }
  // A parameter that must come with another gets the other's default when only it was given:
  // `--limit 20` alone means offset 0.
  const dependent = 'querySchema' in operation ? (operation.querySchema.dependentRequired ?? {}) : {};
  for (const [name, needs] of Object.entries(dependent)) {
    if (out[name] === undefined) continue;
    for (const other of needs) {
      const fallback = flags.find((f) => f.parameter.name === other)?.parameter.schema;
      const value = fallback && resolve(fallback).default;
      if (out[other] === undefined && value !== undefined) out[other] = value;
    }
  }
  return out;
}

/** The first sentence (or clause before a colon) of a description, without markdown. */
function firstSentence(description: string | undefined): string {
  const text = (description ?? '')
    .replace(/`|\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return /^.*?(?=[.:](?:\s|$)|$)/.exec(text)![0].trim();
}

function loadSpec(): Record<string, unknown> {
  return (spec ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Record<string, unknown>);
}

/** The first sentence of a parameter's description. */
function words(parameter: ParameterInfo, operation: Operation): string {
  const pathItem = (loadSpec().paths as Record<string, Described & Record<string, Described>>)[operation.path];
  const method = pathItem?.[operation.method.toLowerCase()];
  const candidates = [...(pathItem?.parameters ?? []), ...(method?.parameters ?? [])];
  return firstSentence(candidates.map(deref).find((p) => p?.name === parameter.name)?.description);
}

type SchemaNode = Described & { properties?: Record<string, SchemaNode>; allOf?: SchemaNode[] };

/** The first sentence of the description of a field of a schema (`$ref` and a dotted path), from the bundled spec. */
export function fieldWords(ref: string, path: readonly string[]): string {
  loadSpec();
  let node = deref({ $ref: ref }) as SchemaNode | undefined;
  for (const key of path) {
    const owners: SchemaNode[] = node ? [node, ...(node.allOf ?? []).map((p) => deref(p) as SchemaNode)] : [];
    const field = owners.map((o) => o?.properties?.[key]).find(Boolean);
    // A field's own words beat those of the schema it refers to.
    node = field && (field.description !== undefined ? field : (deref(field) as SchemaNode));
  }
  return firstSentence(node?.description);
}

/** What a flag accepts, from its schema: `created_at | updated_at | name`, `1..100`, `TEXT`. */
export function valueHint(parameter: ParameterInfo): string {
  const values = documentedValues(parameter.schema);
  if (values) return `${values.join(' | ')}${isOpenEnum(parameter.schema) ? ' | ...' : ''}`;
  const s = resolve(parameter.schema);
  if (s.type === 'integer' || s.type === 'number') {
    const { min, max } = numberBounds(s);
    return `${min ?? ''}..${max ?? ''}`;
  }
  return s.type === 'boolean' ? 'true | false' : 'TEXT';
}

/** Help lines for the flags: `--order-column VALUE   Sorting field: created_at | updated_at | name (default ...)`. */
export function flagHelp(flags: readonly ParameterFlag[], operation: Operation, width = 26): string {
  const dependent = 'querySchema' in operation ? (operation.querySchema.dependentRequired ?? {}) : {};
  return flags
    .map(({ flag, parameter }) => {
      const fallback = resolve(parameter.schema).default;
      const needs = (dependent[parameter.name] ?? []).map(flagName);
      const notes = [
        fallback !== undefined && `default ${String(fallback)}`,
        needs.length > 0 && `with ${needs.join(', ')}`,
      ].filter(Boolean);
      const hint = valueHint(parameter);
      const type = resolve(parameter.schema).type;
      const placeholder = documentedValues(parameter.schema) ? 'VALUE' : type === 'integer' ? 'N' : 'TEXT';
      const left = `  --${flag} ${placeholder}`;
      const accepts = placeholder === 'TEXT' ? '' : `: ${hint}`;
      const text = `${words(parameter, operation)}${accepts}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
      return `${left.padEnd(width)}${text}`;
    })
    .join('\n');
}
