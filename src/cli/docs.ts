import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { untilSignal } from './serve.js';
import { integerFlag, parse, UsageError, type Io } from './usage.js';

/** Where `npm run generate` writes the offline HTML docs, relative to this module (src/ or dist/). */
export const DOCS_FILE = fileURLToPath(new URL('../../generated/docs/index.html', import.meta.url));

export interface DocsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the generated single-file docs (and the bundled spec beside them) on loopback. */
export async function serveDocs(options: { port?: number; host?: string; file?: string } = {}): Promise<DocsServer> {
  const file = options.file ?? DOCS_FILE;
  const html = await readFile(file);
  const specDir = new URL('../', `file://${file}`);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, type: string, body: Buffer | string) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (path === '/' || path === '/index.html') return send(200, 'text/html; charset=utf-8', html);
    if (path === '/openapi.json' || path === '/openapi.yaml') {
      const type = path.endsWith('.json') ? 'application/json' : 'application/yaml';
      readFile(new URL(`.${path}`, specDir)).then(
        (body) => send(200, type, body),
        () => send(404, 'text/plain; charset=utf-8', 'not found\n'),
      );
      return;
    }
    send(404, 'text/plain; charset=utf-8', 'not found\n');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const DOCS_HELP = `Usage: swr-registries docs [--port P] [--host H]

Serve the offline API docs (generated/docs/index.html) on loopback and print the URL. Ctrl-C stops it.

Options:
  --port P      TCP port (default 8081; 0 picks a free one)
  --host H      bind address (default 127.0.0.1)
  -h, --help    this help
`;

/** `swr-registries docs`: serves the docs until Ctrl-C; returns the exit code. */
export async function runDocs(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, host: { type: 'string' } });
  if (values.help) {
    io.stdout.write(DOCS_HELP);
    return 0;
  }
  const problems: string[] = [];
  const port = integerFlag('port', values.port, 0, 65535, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const docs = await serveDocs({ port: port ?? 8081, host: (values.host as string | undefined) ?? '127.0.0.1' });
  io.stdout.write(`API docs on ${docs.url} (Ctrl-C stops)\n`);
  return untilSignal(() => docs.close());
}
