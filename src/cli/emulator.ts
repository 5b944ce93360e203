// `swr-registries emulator`: the local SWR emulator, with ready-to-paste credentials.
import { EMULATOR_DEFAULTS, startEmulator, type Emulator } from '../emulator/index.js';
import { untilSignal } from './serve.js';
import { integerFlag, parse, type Io } from './usage.js';

export const EMULATOR_HELP = `Usage: swr-registries emulator [--port P] [--host H] [--registries N] [options]

Serve a local emulator of the registries API (create, list, show, update, delete), with token
and AK/SK checks, for tests and demos without a cloud account. Stops on Ctrl-C, SIGTERM, or when
the process that started it ends.

Options:
  --port P        TCP port (default 8080; 0 picks a free one)
  --host H        bind address (default 127.0.0.1)
  --registries N  how many registries the seeded instance holds (default 25)
  --random-seed N seed of the generated data, jitter and faults (default 1)
  --latency MS    added to every answer (default 0)
  --harbor-style  answer as Harbor does: leave out false, empty and nil fields
  --unstable-order order registries whose sort field is equal differently on each request,
                  as a database does
  -h, --help      this help
`;

/** `swr-registries emulator`: serves until Ctrl-C; returns the exit code. */
export async function runEmulator(args: string[], io: Io): Promise<number> {
  const emu = await startEmulatorCommand(args, io);
  return emu ? untilSignal(() => emu.close()) : 0;
}

/** Starts the emulator and prints how to use it; resolves once it listens. */
export async function startEmulatorCommand(args: string[], io: Io): Promise<Emulator | undefined> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    registries: { type: 'string' },
    'random-seed': { type: 'string' },
    'unstable-order': { type: 'boolean' },
    latency: { type: 'string' },
    'harbor-style': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(EMULATOR_HELP);
    return undefined;
  }
  const emu = await startEmulator({
    port: integerFlag('port', values.port, 0, 65535) ?? 8080,
    host: values.host ?? '127.0.0.1',
    seed: integerFlag('registries', values.registries, 0, 1_000_000) ?? 25,
    randomSeed: integerFlag('random-seed', values['random-seed'], 0, 2 ** 32 - 1) ?? 1,
    unstableOrder: values['unstable-order'] === true,
    latencyMs: integerFlag('latency', values.latency, 0, 600_000) ?? 0,
    harborStyle: values['harbor-style'] === true,
  });
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
      `  # or, for token auth: export SWR_AUTH_TOKEN=${EMULATOR_DEFAULTS.token}`,
      `  npx swr-registries list --instance-id ${emu.instanceId} --all`,
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  return emu;
}
