// What every API command needs: where to send (a region or an endpoint), as which project, with
// which credentials, and how to name a mistake in the flag or variable it came from. Flags beat
// the environment; an endpoint beats a region; a token beats AK/SK at the same level.
import { createSwrClient, REGIONS, SwrValidationError, type Auth, type SwrClient, type SwrLogEvent } from '../index.js';
import { flagName } from './flags.js';
import { didYouMean } from './suggest.js';
import { visible } from './terminal.js';
import { integerFlag, UsageError, type Io } from './usage.js';

/** The parseArgs options every API command takes. */
export const CONNECTION_OPTIONS = {
  'project-id': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  timeout: { type: 'string' },
  ak: { type: 'string' },
  sk: { type: 'string' },
  'security-token': { type: 'string' },
  token: { type: 'string' },
  debug: { type: 'boolean' },
} as const;

/** The help lines of those options. */
export const CONNECTION_HELP = `  --project-id ID         IAM project id (default: $HUAWEICLOUD_SDK_PROJECT_ID)
  --region REGION         e.g. cn-north-4 (default: $HUAWEICLOUD_SDK_REGION)
  --endpoint URL          explicit API endpoint, e.g. an emulator's (default: $SWR_ENDPOINT)
  --timeout MS            per-attempt timeout (default 30000)
  --debug                 show stack traces`;

export const CREDENTIALS_HELP = `Credentials, from the environment (as in Huawei's SDK samples):
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK   AK/SK request signing (or CLOUD_SDK_AK, CLOUD_SDK_SK)
  HUAWEICLOUD_SDK_SECURITY_TOKEN           with temporary AK/SK
  SWR_AUTH_TOKEN                           an IAM token instead (X-Auth-Token); beats AK/SK
  --ak, --sk, --security-token, --token work too and beat the environment, but a secret on the
  command line stays in your shell history: prefer the environment.
Where: --region or --endpoint beat HUAWEICLOUD_SDK_REGION and SWR_ENDPOINT; an endpoint beats a region.`;

type Values = {
  [K in keyof typeof CONNECTION_OPTIONS]?: (typeof CONNECTION_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Where each setting came from (by the client's field names), so a mistake names what the user wrote. */
type Sources = Record<string, string>;

/** A token or AK/SK pair: each value from its flag first, then the environment; a half pair is named. */
function credentials(v: Values, env: NodeJS.ProcessEnv): { auth: Auth; sources: Sources } {
  const akFlagged = v.ak !== undefined || v.sk !== undefined;
  if (v.token !== undefined && akFlagged) throw new UsageError('give --token or --ak with --sk, not both');
  if (v.token !== undefined) return { auth: { token: v.token }, sources: { 'auth.token': '--token' } };
  if (!akFlagged && env.SWR_AUTH_TOKEN) {
    return { auth: { token: env.SWR_AUTH_TOKEN }, sources: { 'auth.token': 'SWR_AUTH_TOKEN' } };
  }
  // Huawei's SDKs read HUAWEICLOUD_SDK_*; the reference page's samples use CLOUD_SDK_*.
  const prefix =
    env.HUAWEICLOUD_SDK_AK || env.HUAWEICLOUD_SDK_SK || !(env.CLOUD_SDK_AK || env.CLOUD_SDK_SK)
      ? 'HUAWEICLOUD_SDK'
      : 'CLOUD_SDK';
  const from = (flag: string, value: string | undefined, variable: string): Named =>
    value !== undefined ? [flag, value] : [variable, env[variable] || undefined];
  const ak = from('--ak', v.ak, `${prefix}_AK`);
  const sk = from('--sk', v.sk, `${prefix}_SK`);
  if (!ak[1] && !sk[1]) {
    throw new UsageError(
      'no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK signing) or SWR_AUTH_TOKEN (an IAM token)',
    );
  }
  return pair(ak, sk, from('--security-token', v['security-token'], 'HUAWEICLOUD_SDK_SECURITY_TOKEN'));
}

type Named = [name: string, value: string | undefined];

function pair(ak: Named, sk: Named, sts: Named): { auth: Auth; sources: Sources } {
  if (!ak[1]) throw new UsageError(`${sk[0]} is set but ${ak[0]} is not: AK/SK signing needs both`);
  if (!sk[1]) throw new UsageError(`${ak[0]} is set but ${sk[0]} is not: AK/SK signing needs both`);
  return {
    auth: { accessKey: ak[1], secretKey: sk[1], ...(sts[1] && { securityToken: sts[1] }) },
    sources: { 'auth.accessKey': ak[0], 'auth.secretKey': sk[0], 'auth.securityToken': sts[0] },
  };
}

/** Says on stderr each rule we only guessed that a request breaks, once: it is sent all the same. */
const warnGuesses = (io: Io) => (event: SwrLogEvent) => {
  if (event.type === 'warning')
    io.stderr.write(
      `warning: ${visible(event.field)} ${visible(event.rule)} (a rule we only guessed: ${visible(event.guess.trim())}); sent as given\n`,
    );
};

/** Creates the client from the flags and the environment, or throws a UsageError naming what is wrong. */
export function connect(v: Values, io: Io): SwrClient {
  const env = io.env;
  for (const secret of ['sk', 'security-token', 'token'] as const) {
    if (v[secret] !== undefined)
      io.stderr.write(
        `warning: --${secret} leaves a secret in your shell history; set it in the environment instead\n`,
      );
  }
  const projectId = v['project-id'] ?? env.HUAWEICLOUD_SDK_PROJECT_ID;
  if (!projectId) throw new UsageError('--project-id is required (or set HUAWEICLOUD_SDK_PROJECT_ID)');
  if (v.endpoint !== undefined && v.region !== undefined)
    throw new UsageError('--region and --endpoint exclude each other');
  const flagged = v.endpoint !== undefined || v.region !== undefined;
  const endpoint = flagged ? v.endpoint : env.SWR_ENDPOINT || undefined;
  const region = flagged ? v.region : env.HUAWEICLOUD_SDK_REGION || undefined;
  if (!endpoint && !region) {
    throw new UsageError('--region is required (or --endpoint, or set HUAWEICLOUD_SDK_REGION or SWR_ENDPOINT)');
  }
  if (region && !endpoint && !(REGIONS as readonly string[]).includes(region)) {
    const from = v.region !== undefined ? '--region' : 'HUAWEICLOUD_SDK_REGION';
    throw new UsageError(
      `${from}: must be one of the ${REGIONS.length} SWR regions (got ${JSON.stringify(visible(region))})${didYouMean(region, REGIONS)}`,
    );
  }
  const problems: string[] = [];
  const timeoutMs = integerFlag('timeout', v.timeout, 1, 3_600_000, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const { auth, sources } = credentials(v, env);
  sources.region = v.region !== undefined ? '--region' : 'HUAWEICLOUD_SDK_REGION';
  sources.endpoint = v.endpoint !== undefined ? '--endpoint' : 'SWR_ENDPOINT';
  sources.projectId = v['project-id'] !== undefined ? '--project-id' : 'HUAWEICLOUD_SDK_PROJECT_ID';
  try {
    return createSwrClient({
      projectId,
      auth,
      ...(endpoint ? { endpoint } : { region: region! }),
      ...(timeoutMs !== undefined && { timeoutMs }),
      logger: warnGuesses(io),
    });
  } catch (error) {
    throw asUsage(error, sources);
  }
}

/** Flags that are the client's options rather than an operation's parameters. */
const OPTION_FLAG: Record<string, string> = { timeoutMs: '--timeout' };

/** A validation error from the client is the caller's mistake: name the flag or variable it came from. */
export function asUsage(error: unknown, sources: Sources = {}): unknown {
  if (!(error instanceof SwrValidationError)) return error;
  const where = sources[error.field] ?? OPTION_FLAG[error.field] ?? flagName(error.field);
  return new UsageError(`${where}: ${error.rule}${error.got === undefined ? '' : ` (got ${visible(error.got)})`}`);
}
