// Command-line flags derived from an operation's parameters: one flag per query or header
// parameter (`order_column` is `--order-column`), and per path parameter that a variable may
// supply (`--instance-id`, `$SWR_INSTANCE_ID`); the other path parameters are positional
// arguments. Choices, ranges and defaults come from the schemas, words from the spec's
// descriptions. A spec edit and `npm run generate` change the flags and the help with no code here.
import { readFileSync } from 'node:fs';
import { parametersIn, type Operation, type ParameterInfo } from '../spec/table.js';
import { coerce, documentedValues, isOpenEnum, numberBounds, resolve } from '../spec/validate.js';

/** The bundled spec, for the words of the help (the runtime table holds rules only). */
const SPEC_FILE = new URL('../../generated/openapi.json', import.meta.url);
type Described = {
  name?: string;
  summary?: string;
  description?: string;
  $ref?: string;
  parameters?: Described[];
  properties?: Record<string, Described>;
  allOf?: Described[];
};
let spec: Record<string, unknown> | undefined;
const loadSpec = () => (spec ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Record<string, unknown>);

/** Follows a local `$ref` of the bundled spec. */
function deref(node: Described | undefined): Described | undefined {
  let current = node;
  while (current?.$ref !== undefined) {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (at, key) => (at as Record<string, unknown>)?.[key.replace(/~1/g, '/')],
        loadSpec(),
      ) as Described;
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

/** The flags of an operation's parameters: query and header ones, and path ones a variable supplies. */
export function parameterFlags(op: Operation): ParameterFlag[] {
  return op.parameters
    .filter((p) => p.in === 'query' || p.in === 'header' || (p.in === 'path' && p.env !== undefined))
    .map((parameter) => ({ flag: flagName(parameter.name).slice(2), parameter }));
}

/** The path parameters an operation takes as positional arguments, in the path's order. */
export function positionalParameters(op: Operation): ParameterInfo[] {
  return op.args
    .map((name) => op.parameters.find((p) => p.name === name && p.in === 'path')!)
    .filter((p) => p.env === undefined);
}

/** The parseArgs options of the flags: each takes a string. */
export function flagOptions(flags: readonly ParameterFlag[]): Record<string, { type: 'string' }> {
  return Object.fromEntries(flags.map((f) => [f.flag, { type: 'string' as const }]));
}

/**
 * The parameters given as flags (or their variables), as the values their schemas expect, split
 * by where they go, with where each came from. The request check then names the flag back.
 */
export function readFlags(
  flags: readonly ParameterFlag[],
  values: Record<string, unknown>,
  op: Operation,
  env: NodeJS.ProcessEnv,
) {
  const out: Record<'path' | 'query' | 'header', Record<string, unknown>> = { path: {}, query: {}, header: {} };
  const sources = new Map<string, string>();
  for (const { flag, parameter } of flags) {
    const fromFlag = values[flag];
    const fromEnv = parameter.env !== undefined ? env[parameter.env] || undefined : undefined;
    const text = typeof fromFlag === 'string' ? fromFlag : fromEnv;
    if (text === undefined) continue;
    out[parameter.in as 'path' | 'query' | 'header'][parameter.name] = coerce(parameter.schema, text);
    sources.set(parameter.name, typeof fromFlag === 'string' ? `--${flag}` : `$${parameter.env}`);
  }
  // A parameter that must come with another gets the other's default when only it was given:
  // `--limit 20` alone means offset 0.
  for (const [name, needs] of Object.entries(op.querySchema?.dependentRequired ?? {})) {
    if (out.query[name] === undefined) continue;
    for (const other of needs) {
      const fallback = flags.find((f) => f.parameter.name === other)?.parameter.schema;
      const value = fallback && resolve(fallback).default;
      if (out.query[other] === undefined && value !== undefined) out.query[other] = value;
    }
  }
  return { ...out, sources };
}

/** The first sentence (or clause before a colon) of a description, without markdown. */
export function firstSentence(description: string | undefined): string {
  const text = (description ?? '')
    .replace(/`|\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return /^.*?(?=[.:](?:\s|$)|$)/.exec(text)![0].trim();
}

/** An operation's summary and description, from the bundled spec. */
export function operationWords(op: Operation): { summary: string; description: string } {
  const pathItem = (loadSpec().paths as Record<string, Record<string, Described>>)[op.path];
  const method = pathItem?.[op.method.toLowerCase()];
  return { summary: method?.summary ?? op.operationId, description: method?.description ?? '' };
}

/** The first sentence of a parameter's description. */
function words(parameter: ParameterInfo, op: Operation): string {
  const pathItem = (loadSpec().paths as Record<string, Described & Record<string, Described>>)[op.path];
  const method = pathItem?.[op.method.toLowerCase()];
  const candidates = [...(pathItem?.parameters ?? []), ...(method?.parameters ?? [])];
  return firstSentence(candidates.map(deref).find((p) => p?.name === parameter.name)?.description);
}

/** The first sentence of the description of a field of a schema (`$ref` and a dotted path), from the bundled spec. */
export function fieldWords(ref: string, path: readonly string[]): string {
  let node = deref({ $ref: ref });
  let words: string | undefined;
  for (const key of path) {
    const owners: Described[] = node ? [node, ...(node.allOf ?? []).map((p) => deref(p)!)] : [];
    const field = owners.map((o) => o?.properties?.[key]).find(Boolean);
    // The only field of an object (`dest_registry.id`) is best described by the object's words.
    const only = owners.reduce((n, o) => n + Object.keys(o?.properties ?? {}).length, 0) === 1;
    node = deref(field);
    // A field's own words beat those of the schema it refers to.
    words = only && words !== undefined ? words : (field?.description ?? node?.description);
  }
  return firstSentence(words);
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
export function flagHelp(flags: readonly ParameterFlag[], op: Operation, width = 26): string {
  const dependent = op.querySchema?.dependentRequired ?? {};
  return flags
    .map(({ flag, parameter }) => {
      const fallback = resolve(parameter.schema).default;
      const needs = (dependent[parameter.name] ?? []).map(flagName);
      const notes = [
        fallback !== undefined && `default ${String(fallback)}`,
        needs.length > 0 && `with ${needs.join(', ')}`,
        parameter.env !== undefined && `or $${parameter.env}`,
        parameter.required && parameter.in !== 'path' && 'required',
      ].filter(Boolean);
      const hint = valueHint(parameter);
      const type = resolve(parameter.schema).type;
      const placeholder = documentedValues(parameter.schema)
        ? 'VALUE'
        : type === 'integer'
          ? 'N'
          : parameter.in === 'path'
            ? 'ID'
            : 'TEXT';
      const left = `  --${flag} ${placeholder}`;
      const accepts = placeholder === 'TEXT' || placeholder === 'ID' ? '' : `: ${hint}`;
      const text = `${words(parameter, op)}${accepts}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
      return left.length < width ? `${left.padEnd(width)}${text}` : `${left}\n${''.padEnd(width)}${text}`;
    })
    .join('\n');
}
