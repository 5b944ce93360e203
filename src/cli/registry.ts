// `swr-registries get | create | update | delete`: one registry at a time, with the same
// connection flags, output formats and exit codes as `list`. The registry ID is the positional
// argument; the body's flags come from the spec's request body schema (see body.ts).
import { readFile } from 'node:fs/promises';
import type { Registry } from '../../generated/schema.js';
import type { CreateRegistryBody, RegistryId, UpdateRegistryBody } from '../client.js';
import { SwrValidationError } from '../errors.js';
import { itemParameter, operations } from '../operation.js';
import { coerce } from '../validate.js';
import { bodyFields, bodyHelp, bodyOptions, readBody, setAt, sourceOf, valueAt, type BodyField } from './body.js';
import { asUsage, connect, CONNECTION_HELP, CONNECTION_OPTIONS, CREDENTIALS_HELP } from './connection.js';
import { FORMATS, writeRegistry, type Format } from './output.js';
import { visible } from './terminal.js';
import { choiceFlag, parse, UsageError, type Io } from './usage.js';

const { ShowInstanceRegistry: SHOW, CreateInstanceRegistry: CREATE, UpdateInstanceRegistry: UPDATE } = operations;
const ID = itemParameter(SHOW)!;

const COMMON = {
  'instance-id': { type: 'string' },
  ...CONNECTION_OPTIONS,
  output: { type: 'string', short: 'o' },
} as const;
const OWN = ['help', 'from-file', 'yes', ...Object.keys(COMMON)];
const CREATE_FIELDS = bodyFields(CREATE, OWN);
const UPDATE_FIELDS = bodyFields(UPDATE, OWN);
const COMMON_HELP = `  --instance-id ID        the SWR EE instance (required)
  --output FORMAT         ${FORMATS.join(' | ')} (default: table on a terminal, json otherwise)
${CONNECTION_HELP}
  -h, --help              this help`;
const TAIL = `${CREDENTIALS_HELP}

Exit codes: 0 success, 1 API or network failure, 2 usage error.
`;

type Values = Record<string, unknown> & { help?: boolean; 'instance-id'?: string; output?: string };

/** What every one of these commands reads first: the instance, the format, the registry ID. */
function common(v: Values, positionals: string[], io: Io, needsId: boolean) {
  const instanceId = v['instance-id'];
  if (instanceId === undefined) throw new UsageError('--instance-id is required');
  const output: Format = choiceFlag('output', v.output, FORMATS) ?? (io.stdout.isTTY ? 'table' : 'json');
  if (positionals.length > (needsId ? 1 : 0) || (needsId && positionals.length === 0)) {
    throw new UsageError(needsId ? 'give one registry ID (e.g. `get 24`)' : `unexpected argument: ${positionals[0]}`);
  }
  const id = needsId ? (coerce(ID.schema, positionals[0]!) as RegistryId) : undefined;
  return { instanceId, output, id, swr: connect(v as Parameters<typeof connect>[0], io) };
}

/** Runs a call; a validation error becomes a usage error naming the flag, variable or argument. */
async function guarded<T>(run: () => Promise<T>, fields: readonly BodyField[] = []): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const field = error instanceof SwrValidationError ? error.field : undefined;
    const source = field === ID.name ? 'ID' : field !== undefined ? sourceOf(fields, field) : undefined;
    throw asUsage(error, field !== undefined && source !== undefined ? { [field]: source } : {});
  }
}

/** Prints the outcome of a change: a line on a terminal, an object for a pipe. */
function done(io: Io, output: Format, fields: Record<string, unknown>, line: string): void {
  if (output === 'json') io.stdout.write(`${JSON.stringify(fields, null, 2)}\n`);
  else if (output === 'ndjson') io.stdout.write(`${JSON.stringify(fields)}\n`);
  else if (output === 'csv')
    io.stdout.write(`${Object.keys(fields).join(',')}\r\n${Object.values(fields).map(String).join(',')}\r\n`);
  else io.stdout.write(`${visible(line)}\n`);
}

/** The whole text of standard input (a secret piped in). */
async function readStdin(io: Io): Promise<string> {
  const stdin = io.stdin ?? process.stdin;
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  return text;
}

/** A body from --from-file: JSON or YAML (YAML is a superset of JSON), one object. */
async function fromFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--from-file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // Loaded on demand: only --from-file needs a YAML parser.
  const { parse: parseYaml } = await import('yaml');
  let body: unknown;
  try {
    body = parseYaml(text);
  } catch (error) {
    throw new UsageError(`--from-file: ${path} is neither JSON nor YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new UsageError(`--from-file: ${path} must hold one object, the registry's fields`);
  return body as Record<string, unknown>;
}

/** A registry as answered, reduced to what a body can send: the fields of `fields`, secrets left out. */
function editable(registry: Registry, fields: readonly BodyField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.kind === 'secret') continue;
    let value = valueAt(registry as Record<string, unknown>, f.path);
    // Harbor leaves `false` out of answers: a required boolean that is missing was false.
    if (value === undefined && f.required && f.schema.type === 'boolean') value = false;
    if (value !== undefined) setAt(out, f.path, value);
  }
  return out;
}

/** `get ID`. */
export async function runGet(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, COMMON, true);
  if (v.help) return help(io, `get ID --instance-id ID [options]\n\nShow one registry.\n\nOptions:\n${COMMON_HELP}`);
  const { instanceId, output, id, swr } = common(v, positionals, io, true);
  const {
    requestId: _r,
    attempts: _a,
    differences: _d,
    ...registry
  } = await guarded(() => swr.getRegistry(instanceId, id!));
  writeRegistry({ io, output }, registry);
  return 0;
}

/** What `create` and `update` take: their fields' flags and --from-file, and their help. */
interface BodyCommand {
  operation: typeof CREATE | typeof UPDATE;
  fields: readonly BodyField[];
  usage: string;
  words: string;
  needsId: boolean;
}

const CREATE_COMMAND: BodyCommand = {
  operation: CREATE,
  fields: CREATE_FIELDS,
  usage: 'create --instance-id ID [fields] [options]',
  words:
    "Create a registry from flags, a file, or both (flags win). Safe to repeat: when the\nname is taken by a registry with the same settings, that one's ID is printed.",
  needsId: false,
};
const UPDATE_COMMAND: BodyCommand = {
  operation: UPDATE,
  fields: UPDATE_FIELDS,
  usage: 'update ID --instance-id ID [fields] [options]',
  words:
    "Change a registry: its current settings, with the file's and the flags' on top. An update\nreplaces the whole registry, so the secret is needed again.",
  needsId: true,
};

/** Parses a body command's arguments; undefined when it only printed its help. */
function bodyInput(command: BodyCommand, args: string[], io: Io) {
  const { fields } = command;
  const options = { ...COMMON, ...bodyOptions(fields), 'from-file': { type: 'string' as const } };
  const { values: v, positionals } = parse(args, options, true);
  if (v.help) {
    const list = `${bodyHelp(command.operation, fields)}\n  --from-file PATH        the fields as JSON or YAML`;
    help(io, `${command.usage}\n\n${command.words}\n\nFields:\n${list}\n\nOptions:\n${COMMON_HELP}`);
    return undefined;
  }
  const given = common(v, positionals, io, command.needsId);
  /** The body: `base`, then the file's fields, then the flags' and the secret. */
  const read = async (base: Record<string, unknown> = {}) =>
    readBody(fields, v, io.env, () => readStdin(io), {
      ...base,
      ...(await fromFile(v['from-file'] as string | undefined)),
    });
  return { ...given, read };
}

/** `create`. */
export async function runCreate(args: string[], io: Io): Promise<number> {
  const input = bodyInput(CREATE_COMMAND, args, io);
  if (!input) return 0;
  const { instanceId, output, swr } = input;
  const body = (await input.read()) as CreateRegistryBody;
  const result = await guarded(() => swr.createRegistry(instanceId, body), CREATE_FIELDS);
  const how = result.outcome === 'created' ? 'created' : 'found (already there, same settings)';
  done(io, output, { id: result.id, outcome: result.outcome }, `registry ${result.id}: ${how}`);
  return 0;
}

/** `update ID`: the current settings, the file, then the flags; the secret again. */
export async function runUpdate(args: string[], io: Io): Promise<number> {
  const input = bodyInput(UPDATE_COMMAND, args, io);
  if (!input) return 0;
  const { instanceId, output, swr } = input;
  const id = input.id!;
  const current = await guarded(() => swr.getRegistry(instanceId, id));
  const body = (await input.read(editable(current, UPDATE_FIELDS))) as UpdateRegistryBody;
  await guarded(() => swr.updateRegistry(instanceId, id, body), UPDATE_FIELDS);
  done(io, output, { id, outcome: 'updated' }, `registry ${id}: updated`);
  return 0;
}

/** `delete ID`: asks on a terminal; elsewhere only with --yes. */
export async function runDelete(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, { ...COMMON, yes: { type: 'boolean', short: 'y' } }, true);
  if (v.help)
    return help(
      io,
      `delete ID --instance-id ID [--yes] [options]\n\nDelete a registry. On a terminal it asks first; elsewhere it needs --yes.\n\nOptions:\n  -y, --yes               delete without asking\n${COMMON_HELP}`,
    );
  const { instanceId, output, id, swr } = common(v, positionals, io, true);
  if (!v.yes) {
    if (!io.stdin?.isTTY)
      throw new UsageError('delete needs --yes when it cannot ask (standard input is not a terminal)');
    const registry = await guarded(() => swr.getRegistry(instanceId, id!));
    if (!(await confirm(io, `Delete registry ${id} (${visible(registry.name)})? [y/N] `))) {
      io.stderr.write('not deleted\n');
      return 1;
    }
  }
  const result = await guarded(() => swr.deleteRegistry(instanceId, id!));
  const how = result.outcome === 'deleted' ? 'deleted' : 'already gone (a retried delete)';
  done(io, output, { id, outcome: result.outcome }, `registry ${id}: ${how}`);
  return 0;
}

/** Asks a yes/no question on the terminal. */
async function confirm(io: Io, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin!, output: io.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function help(io: Io, text: string): number {
  io.stdout.write(`Usage: swr-registries ${text}\n\n${TAIL}`);
  return 0;
}
