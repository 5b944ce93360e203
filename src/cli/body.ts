// Command-line flags derived from a request body's schema, as flags.ts derives them from
// parameters. A field is `--field-name`; a nested one joins the names (`--credential-access-key`)
// unless the spec gives its flag (`x-cli-flag`); a map takes KEY=VALUE again and again (`none`
// for an empty one); a list of tagged pairs (`filters: [{ type, value }]`) takes TYPE=VALUE again
// and again (`--filter name=library/**`); a list of words takes a word again and again; a boolean
// `true` or `false`. A field whose flag would clash with a flag of the command gets the prefix
// `--target-` (the body's `instance_id` is the target's, `--instance-id` the path's). A required
// field that allows one value only (`credential.type: basic`) needs no flag.
//
// Secrets (x-sensitive or write-only fields) never come from the command line, where they would
// stay in the shell's history and in `ps`: from the environment variable the spec names
// (`x-cli-env`: `SWR_REGISTRY_ACCESS_SECRET`), a file (`--access-secret-file PATH`) or standard input
// (`--access-secret-stdin`). Every value remembers its source, for error messages.
import type { Operation } from '../spec/table.js';
import { coerce, documentedValues, isSecret, resolve, type JsonSchema } from '../spec/validate.js';
import { fieldWords, flagName } from './flags.js';
import { readSecret } from './secret-input.js';
import type { Io } from './usage.js';

/** One body field a command can take, and where from. */
export interface BodyField {
  /** `credential.access_key`. */
  path: string[];
  schema: JsonSchema;
  /** Without dashes: `credential-access-key`; undefined for a secret and a fixed field. */
  flag?: string;
  /** An older spelling still accepted, not listed. */
  alias?: string;
  /**
   * `value` a scalar; `map` KEY=VALUE pairs; `pairs` tagged pairs TYPE=VALUE (`tag` and `text`
   * name their fields); `words` a list of scalars; `secret` from a file, stdin or a variable;
   * `fixed` required with one allowed value, which is filled in.
   */
  kind: 'value' | 'map' | 'pairs' | 'words' | 'secret' | 'fixed';
  tag?: string;
  text?: string;
  /** For a secret: its variable. */
  variable?: string;
  /** Whether the field is required where it sits (for the help). */
  required: boolean;
}

/** Where each value of a body came from, by dotted path: `--url`, `key "url" of body.yaml`, `$SWR_…`. */
export type Sources = Map<string, string>;

/** The properties of a schema, through `allOf`. */
function propertiesOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const s = resolve(schema);
  const parts = (s.allOf ?? []).map(propertiesOf);
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties), s.properties ?? {}),
    required: [...parts.flatMap((p) => p.required), ...(s.required ?? [])],
  };
}

/** A list of tagged pairs: items with a required enum field and one other required string field. */
function taggedPair(items: JsonSchema | undefined): { tag: string; text: string } | undefined {
  if (!items) return undefined;
  const { properties, required } = propertiesOf(items);
  const names = Object.keys(properties);
  if (names.length !== 2 || !names.every((n) => required.includes(n))) return undefined;
  const tag = names.find((n) => documentedValues(properties[n]!) !== undefined);
  const text = names.find((n) => n !== tag && resolve(properties[n]!).type === 'string');
  return tag && text ? { tag, text } : undefined;
}

/** The fields of a body schema, flattened, with the flags they get beside the command's own. */
export function bodyFields(op: Operation, taken: readonly string[]): BodyField[] {
  const out: BodyField[] = [];
  // A field is required only when every object on its way is: `dest_registry.id` is not.
  const walk = (schema: JsonSchema, path: string[], parentRequired = true) => {
    const { properties, required } = propertiesOf(schema);
    for (const [name, field] of Object.entries(properties)) {
      const s = resolve(field);
      const at = [...path, name];
      const isRequired = parentRequired && required.includes(name);
      const derived = flagName(at.join('_')).slice(2);
      const named = field['x-cli-flag'] ?? s['x-cli-flag'];
      let flag = named ?? derived;
      if (taken.includes(flag)) flag = `target-${flag}`;
      const alias = named !== undefined && named !== derived && !taken.includes(derived) ? derived : undefined;
      const base = { path: at, schema: s, required: isRequired, ...(alias && { alias }) };
      if (isSecret(s)) {
        out.push({ ...base, kind: 'secret', variable: s['x-cli-env']! });
      } else if (s.properties || s.allOf) walk(s, at, isRequired);
      else if (isRequired && documentedValues(s)?.length === 1) out.push({ ...base, kind: 'fixed' });
      else if (typeof s.additionalProperties === 'object') out.push({ ...base, flag, kind: 'map' });
      else if (s.type === 'array') {
        const pair = taggedPair(s.items && resolve(s.items));
        out.push(pair ? { ...base, flag, kind: 'pairs', ...pair } : { ...base, flag, kind: 'words' });
      } else out.push({ ...base, flag, kind: 'value' });
    }
  };
  walk(op.body!.schema, []);
  return out;
}

const secretFlag = (f: BodyField) => flagName(f.path[f.path.length - 1]!).slice(2);

/** The parseArgs options of the body flags, and of the secrets' file and stdin flags. */
export function bodyOptions(fields: readonly BodyField[]) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; alias?: string }> = {};
  for (const f of fields) {
    if (f.kind === 'fixed') continue;
    if (f.kind === 'secret') {
      options[`${secretFlag(f)}-file`] = { type: 'string' };
      options[`${secretFlag(f)}-stdin`] = { type: 'boolean' };
      continue;
    }
    const multiple = f.kind === 'map' || f.kind === 'pairs' || f.kind === 'words';
    options[f.flag!] = { type: 'string', ...(multiple && { multiple: true }) };
    if (f.alias) options[f.alias] = { type: 'string', ...(multiple && { multiple: true }), alias: f.flag! };
  }
  return options;
}

/** The help lines of the body flags, in the spec's words; required fields marked unless `optional` (update). */
export function bodyHelp(
  op: Operation,
  fields: readonly BodyField[],
  options: { markRequired: boolean },
  width = 26,
): string {
  const ref = op.body!.schema.$ref!;
  const line = (left: string, text: string) =>
    left.length < width ? `${left.padEnd(width)}${text}` : `${left}\n${''.padEnd(width)}${text}`;
  return fields
    .filter((f) => f.kind !== 'fixed')
    .map((f) => {
      const words = `${fieldWords(ref, f.path)}${f.required && options.markRequired ? ' (required)' : ''}`;
      if (f.kind === 'secret') {
        const base = `--${secretFlag(f)}`;
        return [
          line(`  ${base}-file PATH`, `${words}, read from a file`),
          line(`  ${base}-stdin`, `... or from standard input, or $${f.variable}; never a flag's value`),
        ].join('\n');
      }
      const values = documentedValues(f.schema);
      if (f.kind === 'map') return line(`  --${f.flag} KEY=VALUE`, `${words} (again for more; none for an empty map)`);
      if (f.kind === 'pairs') {
        const tags = documentedValues(propertiesOf(resolve(f.schema).items!).properties[f.tag!]!) ?? [];
        return line(`  --${f.flag} ${tags.join('|').toUpperCase() || 'TYPE'}=VALUE`, `${words} (again for more)`);
      }
      if (f.kind === 'words') return line(`  --${f.flag} VALUE`, `${words} (again for more)`);
      const type = f.schema.type;
      const placeholder = values
        ? 'VALUE'
        : type === 'boolean'
          ? 'BOOL'
          : type === 'integer' || type === 'number'
            ? 'N'
            : 'TEXT';
      const accepts = values ? `: ${values.join(' | ')}` : f.schema.type === 'boolean' ? ': true | false' : '';
      return line(`  --${f.flag} ${placeholder}`, `${words}${accepts}`);
    })
    .join('\n');
}

/** The value at `path` in `target`, or undefined. */
export function valueAt(target: Record<string, unknown>, path: readonly string[]): unknown {
  let at: unknown = target;
  for (const key of path) at = (at as Record<string, unknown> | undefined)?.[key];
  return at;
}

/** Sets `value` at `path` in `target`, making the objects on the way (as own data properties, whatever the key). */
export function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    const copy = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
    Object.defineProperty(at, key, { value: copy, enumerable: true, writable: true, configurable: true });
    at = copy as Record<string, unknown>;
  }
  Object.defineProperty(at, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** Keys that would reach an object's prototype, in any input: refused by name. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The unsafe keys of a value from a file, by dotted path. */
export function unsafeKeys(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((k) => {
    const path = at ? `${at}.${k}` : k;
    return UNSAFE_KEYS.has(k) ? [path] : unsafeKeys((value as Record<string, unknown>)[k], path);
  });
}

/** Every dotted path of a value's leaves (and empty objects), for sources. */
function leaves(value: unknown, at: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0)
    return [at];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
}

/** Records where each leaf of `value` came from. */
export function noteSources(sources: Sources, value: Record<string, unknown>, source: (path: string) => string): void {
  for (const path of leaves(value)) if (path.length > 0) sources.set(path.join('.'), source(path.join('.')));
}

/** What the flags, the secret sources and the environment give, laid over `base`; every problem gathered. */
export async function readBody(
  fields: readonly BodyField[],
  values: Record<string, unknown>,
  io: Io,
  base: Record<string, unknown>,
  sources: Sources,
  problems: string[],
): Promise<Record<string, unknown>> {
  const body = structuredClone(base);
  for (const f of fields) {
    const dotted = f.path.join('.');
    if (f.kind === 'fixed') {
      if (valueAt(body, f.path) === undefined) setAt(body, f.path, documentedValues(f.schema)![0]);
      continue;
    }
    if (f.kind === 'secret') {
      const secret = await readSecret(secretFlag(f), f.variable!, values, io, problems);
      if (secret) {
        setAt(body, f.path, secret.value);
        sources.set(dotted, secret.source);
      }
      continue;
    }
    const given = values[f.flag!];
    if (given === undefined) continue;
    const value = flagValue(f, given, problems);
    if (value === undefined) continue;
    setAt(body, f.path, value);
    sources.set(dotted, `--${f.flag}`);
  }
  return body;
}

/** A flag's value as its field expects: a scalar coerced, a map or a list of pairs from KEY=VALUE. */
function flagValue(f: BodyField, given: unknown, problems: string[]): unknown {
  const texts = (Array.isArray(given) ? given : [given]) as string[];
  if (f.kind === 'value') return coerce(f.schema, texts[0]!);
  if (f.kind === 'words') return texts.map((t) => coerce(resolve(f.schema.items ?? {}), t));
  const pairs: Array<[string, string]> = [];
  for (const text of texts) {
    if (f.kind === 'map' && text === 'none' && texts.length === 1) return {};
    const eq = text.indexOf('=');
    if (eq <= 0) {
      const form = f.kind === 'map' ? 'KEY=VALUE (or none for an empty map)' : 'TYPE=VALUE';
      problems.push(`--${f.flag} takes ${form} (got ${JSON.stringify(text)})`);
      continue;
    }
    const key = text.slice(0, eq);
    if (UNSAFE_KEYS.has(key)) {
      problems.push(`--${f.flag}: ${JSON.stringify(key)} is not allowed as a key`);
      continue;
    }
    pairs.push([key, text.slice(eq + 1)]);
  }
  if (f.kind === 'map') return Object.fromEntries(pairs);
  // The tags' rule is the spec's, checked with the rest of the request.
  return pairs.map(([tag, text]) => ({ [f.tag!]: tag, [f.text!]: text }));
}

/** Where a field's value comes from, for a problem with no recorded source: its flag, or the secret's sources. */
export function sourceOf(fields: readonly BodyField[], path: string): string | undefined {
  const exact = fields.find((f) => f.path.join('.') === path);
  const field = exact ?? fields.find((f) => f.path.join('.').startsWith(`${path}.`));
  if (!field) return undefined;
  if (field.kind === 'fixed') return `${path} (--from-file)`;
  if (field.kind === 'secret') {
    const base = `--${secretFlag(field)}`;
    return `${path} ($${field.variable}, ${base}-file or ${base}-stdin)`;
  }
  return exact ? `--${field.flag}` : `${path} (--${field.flag} or --from-file)`;
}
