// Command-line flags derived from a request body's schema, as flags.ts derives them from query
// parameters: a field is `--field-name`, a nested one joins the names (`--credential-access-key`),
// a map takes KEY=VALUE again and again (`--dns-conf-hosts harbor.example.com=192.0.2.10`), a
// boolean `true` or `false`. A field whose flag would clash with a flag of the command gets the
// prefix `--target-` (the body's `instance_id` is the target's, `--instance-id` the path's). A
// required field that allows one value only (`credential.type: basic`) needs no flag.
//
// Secrets (x-sensitive or write-only fields) never come from the command line, where they would
// stay in the shell's history and in `ps`: from an environment variable
// (`SWR_REGISTRY_ACCESS_SECRET`), a file (`--access-secret-file PATH`) or standard input
// (`--access-secret-stdin`).
import { readFile } from 'node:fs/promises';
import type { Operation } from '../operation.js';
import { coerce, documentedValues, resolve, type JsonSchema } from '../validate.js';
import { fieldWords, flagName } from './flags.js';
import { UsageError } from './usage.js';

/** One body field a command can take, and where from. */
export interface BodyField {
  /** `credential.access_key`. */
  path: string[];
  schema: JsonSchema;
  /** Without dashes: `credential-access-key`; undefined for a secret. */
  flag?: string;
  /** `fixed`: required, with one allowed value, which is filled in (`credential.type: basic`). */
  kind: 'value' | 'map' | 'secret' | 'fixed';
  /** For a secret: its variable and flags. */
  variable?: string;
  /** Whether the field is required where it sits (for the help). */
  required: boolean;
}

/** The properties of a schema, through `allOf` (UpdateRegistryRequestBody is an allOf of the create body). */
function propertiesOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const s = resolve(schema);
  const parts = (s.allOf ?? []).map(propertiesOf);
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties), s.properties ?? {}),
    required: [...parts.flatMap((p) => p.required), ...(s.required ?? [])],
  };
}

const isSecret = (s: JsonSchema) => s['x-sensitive'] === true || s.writeOnly === true;

/** The fields of a body schema, flattened, with the flags they get beside the command's own. */
export function bodyFields(operation: Operation, taken: readonly string[]): BodyField[] {
  const out: BodyField[] = [];
  const walk = (schema: JsonSchema, path: string[]) => {
    const { properties, required } = propertiesOf(schema);
    for (const [name, field] of Object.entries(properties)) {
      const s = resolve(field);
      const at = [...path, name];
      const isRequired = required.includes(name);
      if (isSecret(s)) {
        const variable = `SWR_REGISTRY_${name.toUpperCase()}`;
        out.push({ path: at, schema: s, kind: 'secret', variable, required: isRequired });
      } else if (s.properties || s.allOf) walk(s, at);
      else if (isRequired && documentedValues(s)?.length === 1)
        out.push({ path: at, schema: s, kind: 'fixed', required: true });
      else {
        let flag = flagName(at.join('_')).slice(2);
        if (taken.includes(flag)) flag = `target-${flag}`;
        const kind = typeof s.additionalProperties === 'object' ? 'map' : 'value';
        out.push({ path: at, schema: s, flag, kind, required: isRequired });
      }
    }
  };
  walk(operation.body!.schema, []);
  return out;
}

/** The parseArgs options of the body flags, and of the secrets' file and stdin flags. */
export function bodyOptions(fields: readonly BodyField[]) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const f of fields) {
    if (f.kind === 'fixed') continue;
    if (f.kind === 'secret') {
      const base = flagName(f.path[f.path.length - 1]!).slice(2);
      options[`${base}-file`] = { type: 'string' };
      options[`${base}-stdin`] = { type: 'boolean' };
    } else options[f.flag!] = f.kind === 'map' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  return options;
}

/** The help lines of the body flags, in the spec's words; a required field is marked. */
export function bodyHelp(operation: Operation, fields: readonly BodyField[], width = 26): string {
  const ref = operation.body!.schema.$ref!;
  const line = (left: string, text: string) =>
    left.length < width ? `${left.padEnd(width)}${text}` : `${left}\n${''.padEnd(width)}${text}`;
  return fields
    .filter((f) => f.kind !== 'fixed')
    .map((f) => {
      const words = `${fieldWords(ref, f.path)}${f.required ? ' (required)' : ''}`;
      if (f.kind === 'secret') {
        const base = flagName(f.path[f.path.length - 1]!);
        return [
          line(`  ${base}-file PATH`, `${words}, read from a file`),
          line(`  ${base}-stdin`, `... or from standard input, or $${f.variable}; never a flag's value`),
        ].join('\n');
      }
      const s = resolve(f.schema);
      const values = documentedValues(s);
      const placeholder = f.kind === 'map' ? 'KEY=VALUE' : values ? 'VALUE' : s.type === 'boolean' ? 'BOOL' : 'TEXT';
      const accepts = values ? `: ${values.join(' | ')}` : s.type === 'boolean' ? ': true | false' : '';
      const again = f.kind === 'map' ? ' (again for more)' : '';
      return line(`  --${f.flag} ${placeholder}`, `${words}${accepts}${again}`);
    })
    .join('\n');
}

/** The value at `path` in `target`, or undefined. */
export function valueAt(target: Record<string, unknown>, path: readonly string[]): unknown {
  let at: unknown = target;
  for (const key of path) at = (at as Record<string, unknown> | undefined)?.[key];
  return at;
}

/** Sets `value` at `path` in `target`, making the objects on the way. */
export function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    at = (at[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {}) as Record<
      string,
      unknown
    >;
  }
  at[path[path.length - 1]!] = value;
}

/** What the flags, the secret sources and the environment give, laid over `base`. */
export async function readBody(
  fields: readonly BodyField[],
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  stdin: () => Promise<string>,
  base: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const body = structuredClone(base);
  for (const f of fields) {
    if (f.kind === 'fixed') {
      if (valueAt(body, f.path) === undefined) setAt(body, f.path, documentedValues(f.schema)![0]);
      continue;
    }
    if (f.kind === 'secret') {
      const secret = await readSecret(f, values, env, stdin);
      if (secret !== undefined) setAt(body, f.path, secret);
      continue;
    }
    const given = values[f.flag!];
    if (given === undefined) continue;
    if (f.kind === 'map') {
      const map: Record<string, string> = {};
      for (const pair of given as string[]) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--${f.flag} takes KEY=VALUE (got ${JSON.stringify(pair)})`);
        map[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      setAt(body, f.path, map);
    } else setAt(body, f.path, coerce(f.schema, given as string));
  }
  return body;
}

/** A secret from its file, standard input or variable; more than one source is a mistake. */
async function readSecret(
  field: BodyField,
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  stdin: () => Promise<string>,
): Promise<string | undefined> {
  const base = flagName(field.path[field.path.length - 1]!).slice(2);
  const file = values[`${base}-file`] as string | undefined;
  const fromStdin = values[`${base}-stdin`] === true;
  if (file !== undefined && fromStdin) throw new UsageError(`give --${base}-file or --${base}-stdin, not both`);
  // A trailing newline is the file's or the terminal's, not the secret's.
  const trim = (text: string) => text.replace(/\r?\n$/, '');
  if (file !== undefined) {
    try {
      return trim(await readFile(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`--${base}-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (fromStdin) return trim(await stdin());
  return env[field.variable!] || undefined;
}

/** Where a body field's value comes from, for error messages: its flag, or the secret's sources. */
export function sourceOf(fields: readonly BodyField[], path: string): string | undefined {
  const exact = fields.find((f) => f.path.join('.') === path);
  const field = exact ?? fields.find((f) => f.path.join('.').startsWith(`${path}.`));
  if (!field) return undefined;
  if (field.kind === 'fixed') return `${path} (--from-file)`;
  if (field.kind === 'secret') {
    const base = flagName(field.path[field.path.length - 1]!);
    return `${path} ($${field.variable}, ${base}-file or ${base}-stdin)`;
  }
  return exact ? `--${field.flag}` : `${path} (--${field.flag} or --from-file)`;
}
