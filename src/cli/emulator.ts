// `swr-registries emulator`: the local SWR emulator, seeded from the spec's examples, with
// ready-to-paste credentials.
import { commands, resources } from '../../generated/operations.js';
import { OPERATIONS } from '../spec/table.js';
import { EMULATOR_DEFAULTS, startEmulator, type Emulator } from '../emulator/index.js';
import { untilSignal } from './serve.js';
import { didYouMean } from './suggest.js';
import { integerFlag, parse, UsageError, type Io } from './usage.js';

const SEEDABLE = Object.values(resources)
  .filter((r) => !r.produced)
  .map((r) => r.name);
const DEFAULT_ITEMS = { [SEEDABLE[0]!]: 25 };

export const EMULATOR_HELP = `Usage: swr-registries emulator [--port P] [--host H] [--items RESOURCE=N] [options]

Serve a local emulator of the whole API (${SEEDABLE.join(', ')}; runs that copy images and
end), with token and AK/SK checks, for tests and demos without a cloud account. Stops on Ctrl-C,
SIGTERM, or when the process that started it ends.

Options:
  --port P             TCP port (default 8080; 0 picks a free one)
  --host H             bind address (default 127.0.0.1)
  --items RESOURCE=N   seed N items of a resource from the spec's examples, again for more
                       (${SEEDABLE.join(', ')}; default ${Object.entries(DEFAULT_ITEMS)
                         .map(([k, v]) => `${k}=${v}`)
                         .join(' ')})
  --random-seed N      seed of the generated data, jitter and faults (default 1)
  --latency MS         added to every answer (default 0)
  --run-ms MS          how long a replication run takes (default 2000)
  --failure-rate R     the share of a run's tasks that fail, 0 to 1 (default 0)
  --harbor-style       answer as Harbor does: leave out false, empty and nil fields
  --unstable-order     order items whose sort field is equal differently on each request,
                       as a database does
  -h, --help           this help
`;

/** `swr-registries emulator`: serves until Ctrl-C; returns the exit code. */
export async function runEmulator(args: string[], io: Io): Promise<number> {
  const emu = await startEmulatorCommand(args, io);
  return emu ? untilSignal(() => emu.close()) : 0;
}

/** `RESOURCE=N` pairs, every mistake a problem. */
function readItems(given: unknown, problems: string[]): Record<string, number> | undefined {
  if (given === undefined) return undefined;
  const items: Record<string, number> = {};
  for (const pair of given as string[]) {
    const [name, count] = pair.split('=');
    if (!name || !SEEDABLE.includes(name)) {
      problems.push(
        `--items: ${JSON.stringify(name ?? pair)} is not a resource (${SEEDABLE.join(', ')})${didYouMean(name ?? '', SEEDABLE)}`,
      );
      continue;
    }
    const n = integerFlag(`items ${name}`, count, 0, 1_000_000, problems);
    if (n !== undefined) items[name] = n;
  }
  return items;
}

/** Starts the emulator and prints how to use it; resolves once it listens. */
export async function startEmulatorCommand(args: string[], io: Io): Promise<Emulator | undefined> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    items: { type: 'string', multiple: true },
    'random-seed': { type: 'string' },
    'unstable-order': { type: 'boolean' },
    latency: { type: 'string' },
    'run-ms': { type: 'string' },
    'failure-rate': { type: 'string' },
    'harbor-style': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(EMULATOR_HELP);
    return undefined;
  }
  const problems: string[] = [];
  const failureRate = values['failure-rate'] === undefined ? undefined : Number(values['failure-rate']);
  if (failureRate !== undefined && !(failureRate >= 0 && failureRate <= 1))
    problems.push(`--failure-rate must be a number from 0 to 1 (got ${JSON.stringify(values['failure-rate'])})`);
  const options = {
    port: integerFlag('port', values.port, 0, 65535, problems) ?? 8080,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    items: readItems(values.items, problems) ?? DEFAULT_ITEMS,
    randomSeed: integerFlag('random-seed', values['random-seed'], 0, 2 ** 32 - 1, problems) ?? 1,
    unstableOrder: values['unstable-order'] === true,
    latencyMs: integerFlag('latency', values.latency, 0, 600_000, problems) ?? 0,
    harborStyle: values['harbor-style'] === true,
    replication: {
      durationMs: integerFlag('run-ms', values['run-ms'], 0, 3_600_000, problems) ?? 2000,
      ...(failureRate !== undefined && { failureRate }),
    },
  };
  if (problems.length > 0) throw new UsageError(problems);
  const emu = await startEmulator(options);
  // What the spec says a variable gives (the instance), and its first list, to try first.
  const instanceVariable = OPERATIONS.flatMap((op) => op.parameters).find((p) => p.env)?.env;
  const list = OPERATIONS.find((op) => op.pagination && commands[op.operationId]);
  io.stdout.write(
    [
      `SWR emulator listening on ${emu.url}`,
      `  project ${emu.projectId}, instance ${emu.instanceId}`,
      '',
      "Paste into another shell (these are the emulator's own fake credentials):",
      `  export SWR_ENDPOINT=${emu.url}`,
      `  export HUAWEICLOUD_SDK_PROJECT_ID=${emu.projectId}`,
      `  export HUAWEICLOUD_SDK_AK=${EMULATOR_DEFAULTS.accessKey}`,
      `  export HUAWEICLOUD_SDK_SK=${EMULATOR_DEFAULTS.secretKey}`,
      ...(instanceVariable ? [`  export ${instanceVariable}=${emu.instanceId}`] : []),
      `  # or, for token auth: export SWR_AUTH_TOKEN=${EMULATOR_DEFAULTS.token}`,
      ...(list ? [`  npx swr-registries ${commands[list.operationId]!.command} --all`] : []),
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  return emu;
}
