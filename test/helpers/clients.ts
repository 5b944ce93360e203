import { createSwrClient, type CreateRegistryBody, type SwrClientOptions } from '../../src/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/** A client for an emulator, AK/SK-signed unless `auth` says otherwise; fast retries for tests. */
export function clientFor(emu: Emulator, overrides: Partial<SwrClientOptions> = {}) {
  return createSwrClient({
    endpoint: emu.url,
    projectId: emu.projectId,
    auth: { accessKey: emu.credentials!.accessKey, secretKey: emu.credentials!.secretKey },
    retry: { baseDelayMs: 1, throttleBaseDelayMs: 1, ...(overrides.retry === false ? {} : overrides.retry) },
    ...overrides,
    ...(overrides.retry === false && { retry: false }),
  });
}

/** A client for any loopback server (a fake one, say), signed with throwaway AK/SK. */
export function clientAt(url: string, overrides: Partial<SwrClientOptions> = {}) {
  return clientFor({ url, projectId: 'p', credentials: { accessKey: 'a', secretKey: 'b' } } as Emulator, overrides);
}

/** Starts a throwaway node:http server answering every request with `handler`. */
export async function startServer(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A valid body for a Harbor (`swr-pro`) target registry named `name`, secret included. */
export const harbor = (name: string): CreateRegistryBody => ({
  name,
  type: 'swr-pro',
  url: `https://${name}.example.com`,
  credential: { type: 'basic', access_key: 'robot$replicator', access_secret: 'robot-secret-0001' },
  dns_conf: { hosts: { [`${name}.example.com`]: '192.0.2.10' } },
  insecure: false,
});
