// `swr-registries list`: one page, or every registry with --all. A flag for every query
// parameter of ListInstanceRegistries, derived from the spec (see flags.ts).
import { createSwrClient, REGIONS, SwrValidationError, type PageQuery, type SwrClient } from '../index.js';
import type { ListRegistriesQuery } from '../client.js';
import { operations } from '../operation.js';
import { flagHelp, flagName, flagOptions, parameterFlags, readFlags } from './flags.js';
import { csvHeader, csvRows, FORMATS, jsonDocument, ndjsonLines, table, type Format } from './output.js';
import { createProgress } from './progress.js';
import { choiceFlag, integerFlag, parse, UsageError, type Io } from './usage.js';

const LIST = operations.ListInstanceRegistries;
const QUERY_FLAGS = parameterFlags(LIST, 'query');
const PAGING_FLAGS = [LIST.pagination.offset, LIST.pagination.limit].map(flagName);

/** The help of `list`; the query flags come from the spec. */
export function listHelp(): string {
  return `Usage: swr-registries list --instance-id ID [options]

List the target registries an SWR Enterprise Edition instance replicates images to.

Options:
  --instance-id ID        the SWR EE instance (required)
  --project-id ID         IAM project id (default: $HUAWEICLOUD_SDK_PROJECT_ID)
  --region REGION         e.g. cn-north-4 (default: $HUAWEICLOUD_SDK_REGION)
  --endpoint URL          explicit API endpoint, e.g. an emulator's (default: $SWR_ENDPOINT)
${flagHelp(QUERY_FLAGS, LIST)}
  --all                   every registry, fetched concurrently after the first page
                          (not with ${PAGING_FLAGS.join(' or ')})
  --concurrency N         requests in flight with --all (default 8, at most 32)
  --output FORMAT         table | json | ndjson | csv (default: table on a terminal, json otherwise)
  --timeout MS            per-attempt timeout (default 30000)
  --debug                 show stack traces
  -h, --help              this help

Credentials, from the environment (as in Huawei's SDK samples):
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK   AK/SK request signing (or CLOUD_SDK_AK, CLOUD_SDK_SK)
  HUAWEICLOUD_SDK_SECURITY_TOKEN           with temporary AK/SK
  SWR_AUTH_TOKEN                           an IAM token instead (X-Auth-Token)
  --ak, --sk, --security-token, --token work too, but a secret on the command line stays in your
  shell history: prefer the environment.

Exit codes: 0 success, 1 API or network failure, 2 usage error.
`;
}

/** Flags that are the client's options rather than the operation's parameters. */
const OPTION_FLAG: Record<string, string> = { timeoutMs: '--timeout' };

/** Runs `list`; returns the exit code. */
export async function runList(args: string[], io: Io): Promise<number> {
  const { values: v } = parse(args, {
    'instance-id': { type: 'string' },
    'project-id': { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    ...flagOptions(QUERY_FLAGS),
    all: { type: 'boolean' },
    concurrency: { type: 'string' },
    output: { type: 'string', short: 'o' },
    timeout: { type: 'string' },
    ak: { type: 'string' },
    sk: { type: 'string' },
    'security-token': { type: 'string' },
    token: { type: 'string' },
    debug: { type: 'boolean' },
  });
  if (v.help) {
    io.stdout.write(listHelp());
    return 0;
  }
  const env = io.env;
  for (const secret of ['sk', 'security-token', 'token'] as const) {
    if (v[secret] !== undefined) {
      io.stderr.write(
        `warning: --${secret} leaves a secret in your shell history; set it in the environment instead\n`,
      );
    }
  }
  const instanceId = v['instance-id'];
  if (instanceId === undefined) throw new UsageError('--instance-id is required');
  const projectId = v['project-id'] ?? env.HUAWEICLOUD_SDK_PROJECT_ID;
  if (!projectId) throw new UsageError('--project-id is required (or set HUAWEICLOUD_SDK_PROJECT_ID)');
  // A flag beats the environment: --region ignores SWR_ENDPOINT, --endpoint ignores HUAWEICLOUD_SDK_REGION.
  const endpoint = v.endpoint ?? (v.region === undefined ? env.SWR_ENDPOINT : undefined);
  const region = v.region ?? env.HUAWEICLOUD_SDK_REGION;
  if (v.endpoint !== undefined && v.region !== undefined)
    throw new UsageError('--region and --endpoint exclude each other');
  if (!endpoint && !region)
    throw new UsageError(
      `--region is required (or --endpoint, or set HUAWEICLOUD_SDK_REGION); regions: ${REGIONS.join(', ')}`,
    );
  const output: Format = choiceFlag('output', v.output, FORMATS) ?? (io.stdout.isTTY ? 'table' : 'json');
  const concurrency = integerFlag('concurrency', v.concurrency, 1, 32);
  const timeoutMs = integerFlag('timeout', v.timeout, 1, 3_600_000);
  const given = v as Record<string, unknown>;
  if (v.all && PAGING_FLAGS.some((flag) => given[flag.slice(2)] !== undefined))
    throw new UsageError(`--all fetches every page: drop ${PAGING_FLAGS.join(' and ')}`);
  if (!v.all && concurrency !== undefined) throw new UsageError('--concurrency goes with --all');

  const token = v.token || env.SWR_AUTH_TOKEN;
  const accessKey = v.ak || env.HUAWEICLOUD_SDK_AK || env.CLOUD_SDK_AK;
  const secretKey = v.sk || env.HUAWEICLOUD_SDK_SK || env.CLOUD_SDK_SK;
  const securityToken = v['security-token'] || env.HUAWEICLOUD_SDK_SECURITY_TOKEN;
  let auth: Parameters<typeof createSwrClient>[0]['auth'];
  if (token) auth = { token };
  else if (accessKey && secretKey) auth = { accessKey, secretKey, ...(securityToken && { securityToken }) };
  else {
    throw new UsageError(
      'no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK signing) or SWR_AUTH_TOKEN (an IAM token)',
    );
  }

  const query = readFlags(QUERY_FLAGS, given, LIST) as ListRegistriesQuery;

  let swr: SwrClient;
  try {
    swr = createSwrClient({
      projectId,
      auth,
      ...(endpoint ? { endpoint } : { region: region! }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    if (!v.all) {
      const page = await swr.listRegistries(instanceId, query);
      write(io, output, page.total, page.registries ?? [], { header: true });
      return 0;
    }
  } catch (error) {
    throw asUsage(error);
  }

  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in env);
  const progress = createProgress(io.stderr, Boolean(io.stderr.isTTY) && output !== 'ndjson');
  const buffered: Parameters<typeof write>[3][number][] = [];
  let first = true;
  try {
    const walk = swr.pages(instanceId, query as PageQuery, {
      ...(concurrency !== undefined && { concurrency }),
      onProgress: ({ fetched, total: t }) => progress.update(fetched, t),
    });
    for await (const page of walk) {
      if (output === 'ndjson' || output === 'csv') {
        // Streams as pages arrive.
        write(io, output, page.total, page.registries, { header: first });
        first = false;
      } else buffered.push(...page.registries);
    }
  } catch (error) {
    throw asUsage(error);
  } finally {
    progress.clear();
  }
  if (output === 'table' || output === 'json') write(io, output, buffered.length, buffered, { header: true, color });
  else if (first && output === 'csv') io.stdout.write(csvHeader());
  return 0;
}

function write(
  io: Io,
  output: Format,
  total: number | undefined,
  registries: readonly import('../../generated/schema.js').Registry[],
  options: { header: boolean; color?: boolean },
) {
  const color = options.color ?? (Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env));
  if (output === 'json') io.stdout.write(jsonDocument(total, registries));
  else if (output === 'ndjson') io.stdout.write(ndjsonLines(registries));
  else if (output === 'csv') io.stdout.write((options.header ? csvHeader() : '') + csvRows(registries));
  else {
    io.stdout.write(table(registries, { color }));
    io.stderr.write(`${registries.length} of ${total} registries\n`);
  }
}

/** A validation error from the client is the caller's mistake: name the flag it came from. */
function asUsage(error: unknown): unknown {
  if (!(error instanceof SwrValidationError)) return error;
  const flag = OPTION_FLAG[error.field] ?? flagName(error.field);
  return new UsageError(`${flag}: ${error.message.slice(error.field.length + 1)}`);
}
