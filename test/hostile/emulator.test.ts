// Issue #12, finding 10: the emulator (which people run in their CI) against malformed requests,
// many distinct queries and slow connections. Loopback only.
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { responseValidator } from '../helpers/spec.js';

let emu: Emulator | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await emu?.close();
  emu = undefined;
});

/** Sends raw bytes; resolves with the status line, the JSON body and how long the answer took. */
function raw(port: number, bytes: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body = ''] = data.split('\r\n\r\n');
      const text = /transfer-encoding: chunked/i.test(head!)
        ? body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, '')
        : body;
      try {
        resolve({ status: Number(head!.split(' ')[1]), body: JSON.parse(text), ms: performance.now() - t0 });
      } catch {
        reject(new Error(`not a JSON answer: ${JSON.stringify(data)}`));
      }
    });
  });
}

describe('10. requests the emulator can parse get the JSON error shape, at once', () => {
  it.each([
    ['a missing Host', 'GET /v2/p/instances/i/registries HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
    ['a malformed Host', 'GET /v2/p/instances/i/registries HTTP/1.1\r\nHost: a b[::\r\nConnection: close\r\n\r\n', 400],
    ['an unknown Expect', 'GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-banana\r\nConnection: close\r\n\r\n', 417],
    [
      'a bad chunk',
      'POST /v2/p/instances/i/registries HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n',
      400,
    ],
  ])('%s', async (_label, bytes, status) => {
    emu = await startEmulator({ items: { registry: 3 } });
    const answer = await raw(emu.port, bytes);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error_code: 'APIGW.0201' });
    expect(typeof answer.body.error_msg).toBe('string');
    expect(answer.ms).toBeLessThan(1000);
    if (status === 400) expect(responseValidator(400)(answer.body)).toBe(true);
  });
});

describe('10. memory does not grow with the number of distinct queries', () => {
  it('48 distinct queries over 20 000 registries hold about what 8 do', async () => {
    // In a child process, with a garbage collector the test can call.
    const script = fileURLToPath(new URL('./emulator-memory.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
    const { after8, after48, data } = JSON.parse(stdout) as { after8: number; after48: number; data: number };
    // Before the fix every distinct query kept its own serialised copy: 40 more copies of the data.
    expect(after48 - after8).toBeLessThan(data);
  }, 60_000);
});

describe('10. slow connections are reaped, and capped', () => {
  it('clients that never finish their headers do not lock normal clients out', async () => {
    emu = await startEmulator({ items: { registry: 3 }, maxConnections: 40, headersTimeoutMs: 300 });
    const closed: number[] = [];
    for (let i = 0; i < 60; i++) {
      const socket = connect(emu.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n'));
      socket.on('error', () => undefined);
      socket.on('data', () => undefined); // a slow client that still reads, so it sees the server close
      socket.on('close', () => closed.push(i));
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      status = await fetch(`${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`, {
        headers: { 'X-Auth-Token': emu.token },
        signal: AbortSignal.timeout(1000),
      }).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(10_000);
    for (let i = 0; i < 30 && closed.length < 60; i++) await new Promise((r) => setTimeout(r, 100));
    expect(closed.length).toBe(60);
  });
});
