// `swr-registries list`: one page, or every registry with --all. A flag for every query
// parameter of ListInstanceRegistries, derived from the spec (see flags.ts).
import type { Registry } from '../../generated/schema.js';
import type { ListRegistriesQuery, PageQuery, SwrClient } from '../client.js';
import { operations } from '../operation.js';
import { asUsage, connect, CONNECTION_HELP, CONNECTION_OPTIONS, CREDENTIALS_HELP } from './connection.js';
import { flagHelp, flagName, flagOptions, parameterFlags, readFlags } from './flags.js';
import { csvHeader, FORMATS, writeRegistries, type Format } from './output.js';
import { createProgress } from './progress.js';
import { choiceFlag, integerFlag, parse, UsageError, type Io } from './usage.js';

const LIST = operations.ListInstanceRegistries;
const QUERY_FLAGS = parameterFlags(LIST, 'query');
const PAGING_FLAGS = [LIST.pagination.offset, LIST.pagination.limit].map(flagName);
const ORDER = LIST.pagination.walkOrder as ListRegistriesQuery;

/** The help of `list`; the query flags come from the spec. */
export function listHelp(): string {
  return `Usage: swr-registries list --instance-id ID [options]

List the target registries an SWR Enterprise Edition instance replicates images to, oldest first
unless you choose an order.

Options:
  --instance-id ID        the SWR EE instance (required)
${flagHelp(QUERY_FLAGS, LIST)}
  --all                   every registry, fetched concurrently after the first page
                          (not with ${PAGING_FLAGS.join(' or ')})
  --concurrency N         requests in flight with --all (default 8, at most 32)
  --output FORMAT         table | json | ndjson | csv (default: table on a terminal, json otherwise)
${CONNECTION_HELP}
  -h, --help              this help

${CREDENTIALS_HELP}

Exit codes: 0 success, 1 API or network failure, 2 usage error.
`;
}

/** Runs `list`; returns the exit code. */
export async function runList(args: string[], io: Io): Promise<number> {
  const { values: v } = parse(args, {
    'instance-id': { type: 'string' },
    ...CONNECTION_OPTIONS,
    ...flagOptions(QUERY_FLAGS),
    all: { type: 'boolean' },
    concurrency: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (v.help) {
    io.stdout.write(listHelp());
    return 0;
  }
  const instanceId = v['instance-id'];
  if (instanceId === undefined) throw new UsageError('--instance-id is required');
  const output: Format = choiceFlag('output', v.output, FORMATS) ?? (io.stdout.isTTY ? 'table' : 'json');
  const concurrency = integerFlag('concurrency', v.concurrency, 1, 32);
  const given = v as Record<string, unknown>;
  if (v.all && PAGING_FLAGS.some((flag) => given[flag.slice(2)] !== undefined))
    throw new UsageError(`--all fetches every page: drop ${PAGING_FLAGS.join(' and ')}`);
  if (!v.all && concurrency !== undefined) throw new UsageError('--concurrency goes with --all');
  const swr = connect(v, io);
  // One order for one page and for --all: the spec's walk order, unless the user chose one.
  const chosen = readFlags(QUERY_FLAGS, given, LIST) as ListRegistriesQuery;
  const query = chosen[LIST.pagination.sort] === undefined ? { ...ORDER, ...chosen } : chosen;
  try {
    if (v.all) await listAll(swr, instanceId, query as PageQuery, { io, output, concurrency });
    else await listPage(swr, instanceId, query, { io, output });
  } catch (error) {
    throw asUsage(error);
  }
  return 0;
}

interface Show {
  io: Io;
  output: Format;
  concurrency?: number | undefined;
}

async function listPage(swr: SwrClient, instanceId: string, query: ListRegistriesQuery, show: Show) {
  const page = await swr.listRegistries(instanceId, query);
  const registries = page.registries ?? [];
  writeRegistries(show, page.total, registries, { header: true });
  const total = page.total ?? 0;
  if (show.output === 'table' && show.io.stderr.isTTY && total > registries.length) {
    show.io.stderr.write(`more: --all lists every registry; ${PAGING_FLAGS.join(' and ')} choose another page\n`);
  }
}

async function listAll(swr: SwrClient, instanceId: string, query: PageQuery, show: Show) {
  const { io, output } = show;
  const progress = createProgress(io.stderr, Boolean(io.stderr.isTTY) && output !== 'ndjson');
  const buffered: Registry[] = [];
  let first = true;
  try {
    const walk = swr.pages(instanceId, query, {
      ...(show.concurrency !== undefined && { concurrency: show.concurrency }),
      onProgress: ({ fetched, total }) => progress.update(fetched, total),
    });
    for await (const page of walk) {
      if (output === 'ndjson' || output === 'csv') {
        // Streams as pages arrive.
        writeRegistries(show, page.total, page.registries, { header: first });
        first = false;
      } else buffered.push(...page.registries);
    }
  } finally {
    progress.clear();
  }
  if (output === 'table' || output === 'json') writeRegistries(show, buffered.length, buffered, { header: true });
  else if (first && output === 'csv') io.stdout.write(csvHeader());
}
