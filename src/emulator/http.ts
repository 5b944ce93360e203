// The emulator's HTTP transport over node:http: it listens, reads bodies within a limit, answers
// every request it can parse (and most it cannot) with the JSON error shape of the API gateway,
// reaps slow and idle connections, caps how many it holds, and counts what it answered.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gatewayError, type Answer } from './errors.js';

/** Live counters: requests seen, answers by status, and how many are being served right now. */
export interface EmulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  statuses: Record<number, number>;
}

/** One request as the routes see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  /** The URL as received (path and query untouched). */
  url: URL;
  body: Uint8Array;
}

export interface HttpOptions {
  port?: number | undefined;
  host?: string | undefined;
  /** Largest request body accepted (413 above). */
  maxBodyBytes: number;
  /** Time for a client to send its headers; slower connections are closed (default 10 s). */
  headersTimeoutMs?: number | undefined;
  /** Time for a whole request to arrive (default 30 s). */
  requestTimeoutMs?: number | undefined;
  /** Connections held at once; more are refused until some close (default 1024). */
  maxConnections?: number | undefined;
}

export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-Request-Id, Retry-After',
};
const MAX_HEADER_BYTES = 16 * 1024;

/** Counts an answer by status (0 for a connection reset). */
export function count(stats: EmulatorStats, status: number): void {
  stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
}

/** Sends a JSON answer once; a response already answered or gone is left alone. */
export function send(
  stats: EmulatorStats,
  res: ServerResponse,
  answer: Answer,
  how: { close?: boolean; truncate?: boolean } = {},
): void {
  if (res.headersSent || res.destroyed) return;
  let text = answer.text ?? JSON.stringify(answer.body);
  if (how.truncate) text = text.slice(0, Math.max(1, text.length >> 1));
  res.writeHead(answer.status, {
    ...CORS_HEADERS,
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    ...(how.close && { Connection: 'close' }),
    ...answer.headers,
  });
  res.end(text);
  count(stats, answer.status);
}

/** Waits, but gives up at once when the client hangs up. */
export function sleep(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}

/** Reads the whole body: `too_large` past `limit` bytes, `broken` when the request itself breaks. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too_large' | 'broken'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too_large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve('broken'));
    req.on('aborted', () => resolve('broken'));
  });
}

/** The request's URL, or undefined when its Host or target cannot make one. */
function urlOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host}`);
  } catch {
    return undefined;
  }
}

/** Creates the server: `handle` sees each well-formed request; everything else gets a JSON error here. */
export function createHttpServer(
  options: HttpOptions,
  stats: EmulatorStats,
  handle: (exchange: Exchange) => Promise<void>,
): Server {
  // The response a socket is writing, so a parse error on that socket can answer through it.
  const current = new WeakMap<Socket, ServerResponse>();
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      requireHostHeader: false,
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs ?? 1000),
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
      const requestId = randomUUID().replace(/-/g, '');
      res.setHeader('X-Request-Id', requestId);
      track(stats, res);
      current.set(req.socket, res);
      res.once('close', () => current.delete(req.socket));
      serve(req, res, requestId, options, stats, handle).catch(() => {
        // A bug must never take the server down: answer 500 in the SWR format and go on.
        send(stats, res, { status: 500, body: { error_code: 'SVCSTG.SWR.5000001', error_msg: 'Internal error' } });
      });
    },
  );
  server.maxConnections = options.maxConnections ?? 1024;
  server.on('checkExpectation', (req, res) => {
    const requestId = randomUUID().replace(/-/g, '');
    res.setHeader('X-Request-Id', requestId);
    track(stats, res);
    const expectation = JSON.stringify(req.headers.expect ?? '').slice(0, 80);
    send(stats, res, gatewayError(417, 'APIGW.0201', `Expectation ${expectation} cannot be met`, requestId), {
      close: true,
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
    answerClientError(error, socket, current.get(socket), stats),
  );
  return server;
}

/**
 * Bytes that are not (or no longer) HTTP: answered with the gateway's JSON 400 (431 for headers
 * too large), through the response under way when there is one, then the connection is closed.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  pending: ServerResponse | undefined,
  stats: EmulatorStats,
): void {
  const requestId = randomUUID().replace(/-/g, '');
  const [status, reason, words] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'Request header fields too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'Request timeout: the request did not arrive in time']
        : [400, 'Bad Request', 'Bad request: malformed HTTP'];
  const answer = gatewayError(status, 'APIGW.0201', words, requestId);
  if (pending && !pending.headersSent) {
    send(stats, pending, answer, { close: true });
    pending.once('finish', () => socket.destroy());
  } else if (pending) {
    pending.once('close', () => socket.destroy());
    setTimeout(() => socket.destroy(), 10_000).unref();
  } else if (socket.writable) {
    const body = JSON.stringify(answer.body);
    // Closed as soon as the answer is out, whether or not the client reads it: the slot is freed.
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  } else socket.destroy();
}

function track(stats: EmulatorStats, res: ServerResponse): void {
  stats.requests += 1;
  stats.inFlight += 1;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  res.once('close', () => {
    stats.inFlight -= 1;
  });
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  options: HttpOptions,
  stats: EmulatorStats,
  handle: (exchange: Exchange) => Promise<void>,
): Promise<void> {
  const refuse = (status: number, message: string, close = false) =>
    send(stats, res, gatewayError(status, 'APIGW.0201', message, requestId), { close });
  if (!req.headers.host) return refuse(400, 'Bad request: the Host header is missing');
  const url = urlOf(req);
  if (!url) return refuse(400, 'Bad request: the Host header or the request target is malformed');
  const body = await readBody(req, options.maxBodyBytes);
  if (body === 'too_large') return refuse(413, 'Request entity too large', true);
  if (body === 'broken') return; // clientError answers a request that broke mid-body
  await handle({ req, res, requestId, url, body });
}

/** Starts listening; resolves to the base URL once it does. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`, port: bound };
}
