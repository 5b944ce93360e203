// The client in a real browser (chromium from npm): token auth and AK/SK signing through Web Crypto,
// against the emulator on another 127.0.0.1 port (so CORS is exercised too).
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { launchBrowser } from '../helpers/browser.js';

let browser: Browser;
let emu: Emulator;
let server: Server;
let pageUrl: string;

async function bundle(entry: string, minify: boolean): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    minify,
    format: 'esm',
    platform: 'browser',
    // package.json's #crypto conditions pick Web Crypto; tsconfig's `paths` (for tsc) must not.
    tsconfigRaw: {},
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

beforeAll(async () => {
  const script = await bundle('./app.ts', true);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>registries</title></head><body>
<table id="registries"><thead><tr><th>id</th><th>name</th><th>type</th><th>status</th></tr></thead><tbody></tbody></table>
<script type="module" src="/app.js"></script></body></html>`;
  server = createServer((req, res) => {
    if (req.url === '/app.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/`;
  [browser, emu] = await Promise.all([launchBrowser(), startEmulator({ items: { registry: 57 } })]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), emu?.close(), new Promise((r) => server?.close(r))]);
});

describe('the client in chromium', () => {
  it.each(['token', 'AK/SK'])('lists every registry with %s auth and renders them', async (kind) => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).hostname !== '127.0.0.1') outside.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pageUrl);
    await page.waitForFunction(() => typeof window.listRegistries === 'function');
    const auth =
      kind === 'token'
        ? { token: emu.token! }
        : { accessKey: emu.credentials!.accessKey, secretKey: emu.credentials!.secretKey };
    const result = await page.evaluate(
      ([endpoint, projectId, instanceId, auth]) =>
        window.listRegistries({ endpoint, projectId, auth } as never, instanceId),
      [emu.url, emu.projectId, emu.instanceId, auth] as const,
    );
    expect(result).toEqual({ count: 57, total: 57, signed: kind === 'AK/SK' });
    expect(await page.locator('#registries tbody tr').count()).toBe(57);
    const expectedFirst = [...emu.store.items(emu, 'registry')!].sort((a, b) => (a.name! < b.name! ? -1 : 1))[0]!.name;
    expect(await page.locator('#registries tbody tr >> nth=0 >> td >> nth=1').textContent()).toBe(expectedFirst);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('runs with web security on: a server that sends no CORS headers is out of reach', async () => {
    const plain = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    try {
      await page.goto(pageUrl);
      const port = (plain.address() as import('node:net').AddressInfo).port;
      const outcome = await page.evaluate(
        (url) =>
          fetch(url).then(
            () => 'reached',
            (error: Error) => error.name,
          ),
        `http://127.0.0.1:${port}/`,
      );
      expect(outcome).toBe('TypeError');
    } finally {
      await page.close();
      await new Promise((r) => plain.close(r));
    }
  });

  it('the bundled client stays within its size budget', async () => {
    const budget = JSON.parse(readFileSync(new URL('./size-budget.json', import.meta.url), 'utf8')).clientMinGzipBytes;
    const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      // package.json's #crypto conditions pick Web Crypto; tsconfig's `paths` (for tsc) must not.
      tsconfigRaw: {},
      write: false,
      logLevel: 'silent',
    });
    const gzipped = gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
    console.log(
      `client bundle: ${result.outputFiles[0]!.contents.length} B minified, ${gzipped} B gzip (budget ${budget} B)`,
    );
    expect(gzipped).toBeLessThanOrEqual(budget);
    // Web Crypto, not node:crypto: nothing Node-only reaches the browser bundle.
    expect(new TextDecoder().decode(result.outputFiles[0]!.contents)).not.toMatch(/node:/);
  });
});
