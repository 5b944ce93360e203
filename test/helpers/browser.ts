// A headless chromium for the browser tests, with nothing preinstalled: the npm package
// @sparticuz/chromium carries a brotli-packed Linux x64 build, unpacked once into
// node_modules/.cache (never the temp folder). CHROMIUM_PATH picks another browser.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');

/** The chromium to drive: CHROMIUM_PATH, or the npm package's, unpacked on first use. */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('the npm chromium is built for Linux x64: set CHROMIUM_PATH to a chromium or Chrome binary');
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const folder = join(root, '..', '..', '.cache', 'swr-registries', `chromium-${version}`);
  const binary = join(folder, 'chromium');
  if (existsSync(binary)) return binary;
  // The package unpacks into os.tmpdir(): point that at a fresh folder of ours, then move the
  // folder into place at once, so test files that start together never see half a browser.
  const partial = `${folder}.partial-${process.pid}-${Date.now()}`;
  mkdirSync(partial, { recursive: true });
  try {
    await promisify(execFile)(
      process.execPath,
      ['-e', "import('@sparticuz/chromium').then((m) => m.default.executablePath())"],
      { cwd: root, env: { ...process.env, TMPDIR: partial } },
    );
    if (!existsSync(binary)) renameSync(partial, folder);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return binary;
}

/**
 * Launches headless chromium with web security on (so CORS is tested for real) and every
 * background network feature off (this machine has no network beyond loopback).
 */
export async function launchBrowser(): Promise<Browser> {
  // Chromium's own temporary files (.org.chromium.Chromium.*) go to a folder of this browser's,
  // removed once it has closed: chromium does not always clean them up itself.
  const own = mkdtempSync(join(tmpdir(), 'swr-chromium-'));
  const browser = await chromium.launch({
    env: { ...process.env, TMPDIR: own },
    executablePath: await chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const close = browser.close.bind(browser);
  browser.close = async (...args: Parameters<Browser['close']>) => {
    await close(...args);
    rmSync(own, { recursive: true, force: true });
  };
  return browser;
}
