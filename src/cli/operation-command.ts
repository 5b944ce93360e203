// One CLI command per operation of the spec, named by its `x-cli` (`registry list`, `policy run`),
// with no code per operation: positional arguments from its path (or `x-cli.arguments`), flags
// from its query, header and path parameters and from its body's fields, `--from-file` for a
// body, and output through the shared writers. Every mistake of a command, in flags, arguments,
// the file's keys, variables or the spec's rules, is reported at once, each named by where it
// came from. What an operation does decides the rest: a list pages (`--all` walks), a delete
// asks, an update starts from the current settings, a run can be followed to its end (`--wait`).
import { commands } from '../../generated/operations.js';
import type { SwrClient } from '../client.js';
import { SwrApiError, SwrValidationError } from '../errors.js';
import { checkRequest } from '../spec/check-request.js';
import { roleOf, type ResourceModel, type Role } from '../spec/resources.js';
import { operation, parametersIn, takesParams, type Operation } from '../spec/table.js';
import { check, coerce, resolve, type Problem } from '../spec/validate.js';
import type { FollowResult } from '../workflows/follow.js';
import {
  bodyFields,
  bodyHelp,
  bodyOptions,
  noteSources,
  readBody,
  setAt,
  sourceOf,
  unsafeKeys,
  valueAt,
  type BodyField,
  type Sources,
} from './body.js';
import { connect, CONNECTION_HELP, CONNECTION_OPTIONS, CREDENTIALS_HELP } from './connection.js';
import {
  flagHelp,
  flagName,
  flagOptions,
  operationWords,
  parameterFlags,
  positionalParameters,
  readFlags,
} from './flags.js';
import { FORMATS, writeItem, writeItems, writeOutcome, type Format, type Shape } from './output.js';
import { createProgress } from './progress.js';
import { MAX_FILE_BYTES, readFileCapped } from './secret-input.js';
import { didYouMean } from './suggest.js';
import { visible } from './terminal.js';
import { choiceFlag, integerFlag, parse, UsageError, type Flags, type Io, type Values } from './usage.js';

/** A command of the CLI. */
export interface Command {
  /** `registry list`. */
  name: string;
  /** A top-level shortcut (`list`). */
  alias?: string;
  summary: string;
  run(args: string[], io: Io): Promise<number>;
}

/** What a command of an operation is made of, worked out once. */
interface Plan {
  op: Operation;
  name: string;
  noun: string;
  verb: string;
  role: Role | undefined;
  model: ResourceModel | undefined;
  /** Positional arguments: path parameters or body fields, in order. */
  args: string[];
  params: ReturnType<typeof parameterFlags>;
  fields: BodyField[];
  flags: Flags;
}

const OUTPUT = { output: { type: 'string' as const, short: 'o' } };
const EXIT_ABORTED = 130;

/** `stopped` for `stop`, `updated` for `update`: what a change did, for its one-line outcome. */
const done = (verb: string) =>
  verb.endsWith('e') ? `${verb}d` : /[^aeiou][aeiou][bdgmnpt]$/.test(verb) ? `${verb}${verb.at(-1)}ed` : `${verb}ed`;

/** `POLICY_ID` for `policy_id`: a positional argument's placeholder. */
const placeholder = (name: string) => name.toUpperCase().replace(/-/g, '_');

function plan(op: Operation): Plan {
  const info = commands[op.operationId]!;
  const [noun, verb] = info.command.split(' ') as [string, string];
  const resolved = roleOf(op);
  const params = parameterFlags(op);
  const args = [...(info.arguments ?? positionalParameters(op).map((p) => p.name))];
  const taken = [
    ...Object.keys(CONNECTION_OPTIONS),
    ...Object.keys(OUTPUT),
    ...params.map((p) => p.flag),
    'from-file',
    'yes',
    'all',
    'wait',
    'help',
  ];
  const fields = op.body ? bodyFields(op, taken).filter((f) => !args.includes(f.path.join('.'))) : [];
  const flags: Flags = {
    ...CONNECTION_OPTIONS,
    ...OUTPUT,
    ...flagOptions(params),
    ...(op.body && { ...bodyOptions(fields), 'from-file': { type: 'string' } }),
    ...(op.pagination && { all: { type: 'boolean' }, concurrency: { type: 'string' } }),
    ...(resolved?.role === 'delete' && { yes: { type: 'boolean', short: 'y' } }),
    ...(op.follow && { wait: { type: 'boolean' }, 'stop-on-abort': { type: 'boolean' } }),
  };
  return {
    op,
    name: info.command,
    noun,
    verb,
    role: resolved?.role,
    model: resolved?.model,
    args,
    params,
    fields,
    flags,
  };
}

/** How a command's items print: its resource's item schema and secrets, or its answer's schema. */
function shapeOf(p: Plan): Shape {
  if (p.model && (p.role === 'list' || p.role === 'show'))
    return { schema: p.model.item, secrets: p.model.secrets, noun: p.noun };
  return { schema: p.op.response.schema ?? {}, secrets: [], noun: p.noun };
}

/** The example a `--from-file` help shows: the spec's first example of the body, as YAML. */
async function fileExample(model: ResourceModel | undefined, fields: readonly BodyField[]): Promise<string> {
  const example = model?.info.examples[0];
  if (example === undefined) return '';
  const { stringify } = await import('yaml');
  const text = stringify(example)
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  const secrets = fields.some((f) => f.kind === 'secret')
    ? ' (a secret may come from its flags or variable instead)'
    : '';
  return `\n    for example${secrets}:\n${text}`;
}

async function help(p: Plan, io: Io): Promise<number> {
  const words = operationWords(p.op);
  const usage = `${p.name}${p.args.map((a) => ` ${placeholder(a)}`).join('')} [options]`;
  const update = p.role === 'update' && p.model?.show !== undefined;
  const sections = [
    `Usage: swr-registries ${usage}`,
    '',
    words.summary.replace(/^./, (c) => c.toUpperCase()) + '.',
    update ? 'It starts from the current settings: give only what changes, and any secret again.' : '',
    p.op.follow ? 'With --wait, it follows the run to its end: progress on stderr, the last state on stdout.' : '',
  ];
  if (p.fields.length > 0) {
    const file = `  --from-file PATH        the fields as a JSON or YAML file (flags win)${await fileExample(p.model, p.fields)}`;
    sections.push('', 'Fields:', bodyHelp(p.op, p.fields, { markRequired: !update }), file);
  }
  const own = [
    flagHelp(p.params, p.op),
    p.op.pagination &&
      '  --all                   every item, fetched concurrently after the first page\n  --concurrency N         requests in flight with --all (default 8, at most 32)',
    p.role === 'delete' && '  -y, --yes               do it without asking (needed when it cannot ask)',
    p.op.follow &&
      '  --wait                  follow the run to its end (exit 0 when it succeeds, 1 when not)\n  --stop-on-abort         with --wait, stop the run on Ctrl-C (else it goes on)',
    `  -o, --output FORMAT     ${FORMATS.join(' | ')} (default: table on a terminal, json otherwise)`,
    CONNECTION_HELP,
    '  -h, --help              this help',
  ].filter(Boolean);
  sections.push(
    '',
    'Options:',
    own.join('\n'),
    '',
    CREDENTIALS_HELP,
    '',
    'Exit codes: 0 success, 1 API or network failure, 2 usage error, 130 interrupted.',
    '',
  );
  io.stdout.write(`${sections.filter((s, i, all) => s !== '' || all[i - 1] !== '').join('\n')}\n`);
  return 0;
}

/** A body from --from-file: JSON or YAML (YAML is a superset of JSON), one object, keys recorded as sources. */
async function fromFile(
  path: string | undefined,
  sources: Sources,
  problems: string[],
): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  let text: string | 'too_large';
  try {
    text = await readFileCapped(path, MAX_FILE_BYTES);
  } catch (error) {
    problems.push(`--from-file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  if (text === 'too_large') {
    problems.push(`--from-file: ${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    return {};
  }
  // Loaded on demand: only --from-file needs a YAML parser.
  const { parse: parseYaml } = await import('yaml');
  let body: unknown;
  try {
    body = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    problems.push(`--from-file: ${path} is neither JSON nor YAML (${(error as Error).message.split('\n')[0]})`);
    return {};
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    problems.push(`--from-file: ${path} must hold one object, the fields of the body`);
    return {};
  }
  for (const key of unsafeKeys(body))
    problems.push(`--from-file: the key ${JSON.stringify(key)} of ${path} is not allowed`);
  noteSources(sources, body as Record<string, unknown>, (key) => `key ${JSON.stringify(key)} of ${path}`);
  return body as Record<string, unknown>;
}

/**
 * An item as answered, reduced to what its update sends: the body's fields, secrets left out, a
 * required boolean the answer left out as false (Harbor omits false), and a reference to the
 * instance itself (`src_registry: { id: 0 }` of a push policy) left out, as it was never given.
 */
function editable(
  current: Record<string, unknown>,
  fields: readonly BodyField[],
  model: ResourceModel,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const local = (model.info.references ?? []).filter(
    (r) => r.local !== undefined && valueAt(current, r.field.split('.')) === r.local,
  );
  for (const f of fields) {
    if (f.kind === 'secret' || local.some((r) => r.field.split('.')[0] === f.path[0])) continue;
    let value = valueAt(current, f.path);
    if (value === undefined && f.required && f.schema.type === 'boolean') value = false;
    if (value !== undefined) setAt(out, f.path, value);
  }
  return out;
}

/** The words of one problem of the request check, named by where its value came from. */
function describeProblem(p: Plan, problem: Problem, where: (path: string) => string): string {
  const field = problem.path || 'body';
  if (field === 'body') {
    // A rule about the body as a whole names fields: say which flags give them.
    const named = problem.rule.replace(/\b[a-z][a-z0-9_]*\b/g, (name) => {
      const flags = p.fields.filter((f) => f.path[0] === name && f.flag).map((f) => `--${f.flag}`);
      return flags.length > 0 ? `${name} (${flags.join(', ')})` : name;
    });
    return `the body ${named}`;
  }
  const got =
    problem.value === undefined || problem.sensitive ? '' : ` (got ${visible(JSON.stringify(problem.value))})`;
  const values = /^must be one of (.+)$/.exec(problem.rule)?.[1]?.split(', ');
  const near = values && typeof problem.value === 'string' ? didYouMean(problem.value, values) : '';
  return `${where(field)}: ${problem.rule}${got}${near}`;
}

/** Runs one command of an operation. */
async function run(p: Plan, args: string[], io: Io): Promise<number> {
  const problems: string[] = [];
  const { values, positionals } = parse(args, p.flags, problems);
  if (values.help) return help(p, io);
  if (positionals.length !== p.args.length) {
    const expected = p.args.map(placeholder).join(' ');
    problems.push(
      positionals.length > p.args.length
        ? `unexpected argument: ${visible(positionals[p.args.length]!)}${expected ? ` (${p.name} takes ${expected})` : ''}`
        : `give ${expected} (e.g. \`${p.name} ${p.args.map(() => '24').join(' ')}\`)`,
    );
  }
  const format: Format = choiceFlag('output', values.output, FORMATS, problems) ?? (io.stdout.isTTY ? 'table' : 'json');
  const params = readFlags(p.params, values, p.op, io.env);
  const argument: Record<string, unknown> = {};
  p.args.forEach((name, i) => {
    const text = positionals[i];
    if (text === undefined) return;
    const schema = p.op.parameters.find((x) => x.name === name)?.schema ?? resolveBodyField(p.op, name);
    argument[name] = schema ? coerce(schema, text) : text;
  });
  const concurrency = integerFlag('concurrency', values.concurrency, 1, 32, problems);
  if (values.all) {
    const paging = [p.op.pagination!.offset, p.op.pagination!.limit];
    const given = paging.filter((name) => params.query[name] !== undefined && params.sources.has(name));
    if (given.length > 0)
      problems.push(`--all fetches every page: drop ${given.map((n) => flagName(n)).join(' and ')}`);
  } else if (concurrency !== undefined) problems.push('--concurrency goes with --all');
  let swr: SwrClient | undefined;
  try {
    swr = connect(values as Parameters<typeof connect>[0], io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    problems.push(...error.problems);
  }
  if (!swr) throw new UsageError(problems);
  return execute(p, { swr, values, params, argument, format, io }, problems);
}

/** The schema of a top-level body field (a positional argument that goes into the body). */
function resolveBodyField(op: Operation, name: string) {
  const body = op.body && resolve(op.body.schema);
  const parts = [body, ...(body?.allOf ?? []).map(resolve)];
  return parts.map((s) => s?.properties?.[name]).find(Boolean);
}

interface Call {
  swr: SwrClient;
  values: Values;
  params: ReturnType<typeof readFlags>;
  argument: Record<string, unknown>;
  format: Format;
  io: Io;
}

type Method = (...args: unknown[]) => Promise<Record<string, unknown>>;
const methodOf = (swr: SwrClient, name: string) => (swr as unknown as Record<string, Method>)[name]!;

/** Builds the request, checks it (every problem named by its source), and runs it. */
async function execute(p: Plan, c: Call, problems: string[]): Promise<number> {
  const sources: Sources = new Map();
  const path = pathOf(p, c);
  const callArgs = (op: Operation) => op.args.map((name) => path[name]);
  const body = p.op.body ? await bodyFor(p, c, path, sources, problems) : undefined;
  checkParameters(p, c, path, problems);
  if (body && p.op.body) {
    const where = (field: string) => bodySource(p, sources, field);
    const found = check(p.op.body.schema, body, 'request').filter((x) => x.guess === undefined);
    problems.push(...found.map((x) => describeProblem(p, x, where)));
  }
  if (problems.length > 0) throw new UsageError(problems);
  // One page and --all list in the same order: the spec's walk order, unless one was chosen.
  const { sort, walkOrder } = p.op.pagination ?? {};
  const ordered =
    sort !== undefined && c.params.query[sort] === undefined ? { ...walkOrder, ...c.params.query } : c.params.query;
  const params = { ...ordered, ...c.params.header };
  if (p.op.follow && c.values.wait) return follow(p, c, [...callArgs(p.op), body], path);
  if (p.op.pagination && c.values.all) return walk(p, c, [...callArgs(p.op), params]);
  if (p.role === 'delete' && !c.values.yes && !(await confirm(p, c, path))) return 1;
  const args = [...callArgs(p.op), ...(body ? [body] : []), ...(takesParams(p.op) ? [params] : [])];
  const result = await methodOf(c.swr, p.op.name)(...args, { ...(c.io.signal && { signal: c.io.signal }) });
  return print(p, c, result, path);
}

/** The path values: the positional arguments, the flags and variables, the client's project. */
function pathOf(p: Plan, c: Call): Record<string, unknown> {
  const path: Record<string, unknown> = { ...c.params.path };
  for (const name of p.args)
    if (p.op.parameters.some((x) => x.name === name && x.in === 'path')) path[name] = c.argument[name];
  for (const x of parametersIn(p.op, 'path')) if (x.option === 'projectId') path[x.name] = c.swr.projectId;
  return path;
}

/** The body: an update starts from the item as it is; then --from-file, then the flags; positional body fields last. */
async function bodyFor(p: Plan, c: Call, path: Record<string, unknown>, sources: Sources, problems: string[]) {
  const show = p.role === 'update' ? p.model?.show : undefined;
  const current = show && (await methodOf(c.swr, show.name)(...show.args.map((n) => path[n]), { signal: c.io.signal }));
  const base = current ? editable(current, p.fields, p.model!) : {};
  const file = await fromFile(c.values['from-file'] as string | undefined, sources, problems);
  const body = await readBody(p.fields, c.values, c.io, { ...base, ...file }, sources, problems);
  for (const name of p.args) if (!(name in path)) setAt(body, [name], c.argument[name]);
  return body;
}

/**
 * The parameters' problems, each named by its flag, variable or argument. They are checked apart
 * from the body, so that a body field never takes a parameter's name for its own (the body's
 * `project_id` is the target's).
 */
function checkParameters(p: Plan, c: Call, path: Record<string, unknown>, problems: string[]): void {
  const given = positionalsGiven(c, p);
  const where = (name: string): string => {
    if (p.args.includes(name)) return placeholder(name);
    const param = p.op.parameters.find((x) => x.name === name);
    return c.params.sources.get(name) ?? (param?.env ? `${flagName(name)} (or $${param.env})` : flagName(name));
  };
  try {
    checkRequest(p.op, { path, query: c.params.query, header: c.params.header });
  } catch (error) {
    if (!(error instanceof SwrValidationError)) throw error;
    const own = error.problems.filter(
      (x) => x.path !== 'body' && !(x.kind === 'missing' && p.args.includes(x.path) && !given.has(x.path)),
    );
    problems.push(...own.map((x) => describeProblem(p, x, where)));
  }
}

/** Where a body field's value came from: its own source, else the source of what holds it (`filters[0].type` came with `filters`). */
function bodySource(p: Plan, sources: Sources, field: string): string {
  if (field === 'body') return 'the body';
  const top = field.split('.')[0]!.replace(/\[\d+\]$/, '');
  if (p.args.includes(top)) return placeholder(top);
  const parts = field.split(/\.|(?=\[)/);
  for (let n = parts.length; n > 0; n--) {
    const prefix = parts.slice(0, n).join('.').replace(/\.\[/g, '[');
    const found =
      sources.get(prefix) ??
      (n === parts.length ? [...sources].find(([k]) => k.startsWith(`${prefix}.`))?.[1] : undefined);
    // A file's key names the very field (`filters[0].type`), not only the key that holds it.
    if (found) return found.replace(/^key "[^"]*" of /, `key "${field}" of `);
  }
  return sourceOf(p.fields, field.replace(/\[\d+\]/g, '')) ?? flagName(field);
}

/** The positional arguments the command was given. */
function positionalsGiven(c: Call, p: Plan): Set<string> {
  return new Set(p.args.filter((name) => c.argument[name] !== undefined));
}

/** Asks before a delete on a terminal; elsewhere a delete needs --yes. */
async function confirm(p: Plan, c: Call, path: Record<string, unknown>): Promise<boolean> {
  const id = path[p.args[p.args.length - 1]!];
  if (!c.io.stdin?.isTTY)
    throw new UsageError(`${p.name} needs --yes when it cannot ask (standard input is not a terminal)`);
  // Named as a person knows it: its unique field (a registry's name), when it can be shown.
  const show = p.model?.show;
  const unique = p.model?.info.unique?.[0];
  const swr = c.swr as unknown as Record<string, (...a: unknown[]) => Promise<Record<string, unknown>>>;
  const item = show && unique ? await swr[show.name]!(...show.args.map((n) => path[n]), {}) : undefined;
  const named = item?.[unique!] === undefined ? '' : ` (${visible(String(item[unique!]))})`;
  c.io.stderr.write(`Delete ${p.noun} ${String(id)}${named}? [y/N] `);
  if (/^y(es)?$/i.test((await readLine(c.io.stdin as NodeJS.ReadableStream)).trim())) return true;
  c.io.stderr.write(`not deleted\n`);
  return false;
}

/** One line typed on standard input (an answer). */
function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string) => {
      text += String(chunk);
      if (!text.includes('\n')) return;
      finish();
    };
    const finish = () => {
      stdin.off('data', onData).off('end', finish);
      (stdin as { pause?: () => void }).pause?.();
      resolve(text.split('\n')[0]!);
    };
    stdin.on('data', onData).on('end', finish);
  });
}

/** Prints a result as its operation calls for: a list's items, an item, or what a change did. */
function print(p: Plan, c: Call, result: Record<string, unknown>, path: Record<string, unknown>): number {
  const { io, format } = c;
  const shape = shapeOf(p);
  if (p.op.pagination) {
    const items = (result[p.op.pagination.items] ?? result[p.op.pagination.alias ?? '']) as unknown[] | undefined;
    const total = result[p.op.pagination.total] as number | undefined;
    writeItems(io, format, shape, items ?? [], { header: true, total, key: p.op.pagination.items });
    if (format === 'table' && io.stderr.isTTY && (total ?? 0) > (items?.length ?? 0))
      io.stderr.write('more: --all lists every item; --limit and --offset choose another page\n');
    return 0;
  }
  const id = path[p.args[p.args.length - 1] ?? ''] ?? result[p.model?.info.id ?? 'id'];
  if ('outcome' in result) {
    const words: Record<string, string> = {
      found: 'found (already there, same settings)',
      gone: 'already gone (a retried delete)',
    };
    const outcome = String(result.outcome);
    writeOutcome(io, format, { id, outcome }, `${p.noun} ${String(id)}: ${words[outcome] ?? outcome}`);
    return 0;
  }
  if (p.op.response.schema) {
    const { requestId: _r, attempts: _a, differences: _d, ...answer } = result;
    writeItem(io, format, shape, answer);
    if (p.op.follow && io.stderr.isTTY)
      io.stderr.write(`follow it: swr-registries ${p.name} ... --wait, or list it with its list command\n`);
    return 0;
  }
  writeOutcome(io, format, { id, outcome: done(p.verb) }, `${p.noun} ${String(id)}: ${done(p.verb)}`);
  return 0;
}

/** `--all`: every page, streamed in NDJSON and CSV, collected for a table and JSON. */
async function walk(p: Plan, c: Call, args: unknown[]): Promise<number> {
  const { io, format, swr } = c;
  const shape = shapeOf(p);
  const progress = createProgress(io.stderr, Boolean(io.stderr.isTTY) && format !== 'ndjson', p.op.pagination!.items);
  const pages = (
    swr as unknown as Record<string, (...a: unknown[]) => AsyncGenerator<{ items: unknown[]; total?: number }>>
  )[p.op.walkers!.pages]!;
  const concurrency = integerFlag('concurrency', c.values.concurrency, 1, 32, []);
  const buffered: unknown[] = [];
  let first = true;
  try {
    const walker = pages(...args, {
      ...(concurrency !== undefined && { concurrency }),
      ...(io.signal && { signal: io.signal }),
      onProgress: ({ fetched, total }: { fetched: number; total: number | undefined }) =>
        progress.update(fetched, total),
    });
    for await (const page of walker) {
      if (format === 'ndjson' || format === 'csv') {
        writeItems(io, format, shape, page.items, { header: first, total: page.total });
        first = false;
      } else buffered.push(...page.items);
    }
  } finally {
    progress.clear();
  }
  if (format === 'table' || format === 'json')
    writeItems(io, format, shape, buffered, { header: true, total: buffered.length, key: p.op.pagination!.items });
  else if (first && format === 'csv') writeItems(io, format, shape, [], { header: true });
  return 0;
}

/** `--wait`: runs and follows to the end; progress on stderr; exit 0 on success, 1 otherwise, 130 on Ctrl-C. */
async function follow(p: Plan, c: Call, args: unknown[], path: Record<string, unknown>): Promise<number> {
  const { io, format, swr } = c;
  const info = p.op.follow!;
  const list = roleOf(operation(info.list));
  const shape: Shape = list
    ? { schema: list.model.item, secrets: list.model.secrets, noun: list.model.info.name }
    : shapeOf(p);
  const run = (swr as unknown as Record<string, (...a: unknown[]) => Promise<FollowResult>>)[info.method]!;
  let started: unknown;
  const terminal = Boolean(io.stderr.isTTY);
  const counts = (row: Record<string, unknown>) =>
    (info.progress ?? []).map((f) => `${f} ${String(row[f] ?? '?')}`).join(', ');
  try {
    const result = await run(...args, {
      ...(io.signal && { signal: io.signal }),
      stopOnAbort: c.values['stop-on-abort'] === true,
      onStart: (answer: Record<string, unknown>) => {
        started = answer[list?.model.info.id ?? 'id'];
        io.stderr.write(`${shape.noun} ${String(started)} started\n`);
      },
      onProgress: (row: Record<string, unknown>) =>
        io.stderr.write(
          `${terminal ? '\r\x1b[2K' : ''}${visible(String(row[info.status]))}: ${counts(row)}${terminal ? '' : '\n'}`,
        ),
    });
    if (terminal) io.stderr.write('\n');
    writeItem(io, format, shape, result.row);
    return result.succeeded ? 0 : 1;
  } catch (error) {
    if (!io.signal?.aborted) throw error;
    if (terminal) io.stderr.write('\n');
    const stopCommand = info.stop && commands[info.stop]?.command;
    const instance = Object.entries(path).find(([name]) =>
      operation(info.stop ?? info.list).parameters.some((x) => x.name === name && x.env),
    )?.[1];
    io.stderr.write(
      c.values['stop-on-abort']
        ? `interrupted: ${shape.noun} ${String(started)} was asked to stop\n`
        : `interrupted: ${shape.noun} ${String(started)} goes on${stopCommand ? `; stop it with: swr-registries ${stopCommand} ${String(started)}${instance ? ` --instance-id ${String(instance)}` : ''}` : ''}\n`,
    );
    return EXIT_ABORTED;
  }
}

/** One command per operation of the spec. */
export function operationCommands(): Command[] {
  return Object.keys(commands).map((id) => {
    const p = plan(operation(id));
    const info = commands[id]!;
    return {
      name: p.name,
      ...(info.alias && { alias: info.alias }),
      summary: operationWords(p.op).summary,
      run: (args: string[], io: Io) =>
        run(p, args, io).catch((error: unknown) => {
          if (io.signal?.aborted && !(error instanceof SwrApiError) && !(error instanceof UsageError)) {
            io.stderr.write('interrupted\n');
            return EXIT_ABORTED;
          }
          throw error;
        }),
    };
  });
}
