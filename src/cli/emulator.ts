// `swr-registries emulator`: the local SWR emulator, with ready-to-paste credentials.
import { EMULATOR_DEFAULTS, startEmulator, type Emulator } from '../emulator/index.js';
import { integerFlag, parse, type Io } from './usage.js';

export const EMULATOR_HELP = `Usage: swr-registries emulator [--port P] [--host H] [--seed N] [--latency MS] [--harbor-style]

Serve a local emulator of GET /v2/{project_id}/instances/{instance_id}/registries, with token and
AK/SK checks, for tests and demos without a cloud account. Stops on Ctrl-C.

Options:
  --port P        TCP port (default 8080; 0 picks a free one)
  --host H        bind address (default 127.0.0.1)
  --seed N        registries in the seeded instance (default 25)
  --latency MS    added to every answer (default 0)
  --harbor-style  answer as Harbor does: leave out false, empty and nil fields
  -h, --help      this help
`;

/** Starts the emulator and prints how to use it; resolves once it listens. */
export async function startEmulatorCommand(args: string[], io: Io): Promise<Emulator | undefined> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
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
    seed: integerFlag('seed', values.seed, 0, 1_000_000) ?? 25,
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
      `  swr-registries list --instance-id ${emu.instanceId} --all`,
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  return emu;
}
