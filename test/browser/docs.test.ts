import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveDocs, type DocsServer } from '../../src/cli/docs.js';
import { launchBrowser } from '../helpers/browser.js';

let browser: Browser;
let docs: DocsServer;

beforeAll(async () => {
  [browser, docs] = await Promise.all([launchBrowser(), serveDocs()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), docs?.close()]);
});

describe('the offline docs', () => {
  it('render the five operations, their parameters and examples with no request leaving 127.0.0.1', async () => {
    const context = await browser.newContext();
    const outside: string[] = [];
    // Cut the network: anything not bound for the local docs server is recorded and aborted.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      outside.push(url.href);
      return route.abort('internetdisconnected');
    });
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (!['127.0.0.1'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) outside.push(url.href);
    });
    const page = await context.newPage();
    await page.goto(docs.url, { waitUntil: 'load' });
    // Redoc renders an operation once it is chosen in the sidebar, as a reader would.
    await page.getByText('Image Replication', { exact: true }).first().click();
    await page.getByText('List target registries for image replication').first().click();
    await page.getByText('order_column', { exact: true }).first().waitFor({ timeout: 20_000 });
    const text = await page.locator('body').innerText();
    for (const name of ['project_id', 'instance_id', 'order_column', 'order_type', 'offset', 'limit']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('swr:instance:listRegistries');
    // The documented example response is on the page.
    expect(await page.content()).toContain('cn-cmcc1@R5172VW6FEW6MZFP2W1S');
    // The other four operations are there too, each with its IAM action and body rules.
    const operations: Array<[string, string]> = [
      ['Create a target registry for image replication', 'createRegistry'],
      ['Query a target registry for image replication', 'getRegistry'],
      ['Update a target registry for image replication', 'updateRegistry'],
      ['Delete a target registry for image replication', 'deleteRegistry'],
    ];
    for (const [summary, action] of operations) {
      await page.getByText(summary).first().click();
      await page.getByText(`swr:instance:${action}`).first().waitFor({ timeout: 20_000 });
    }
    expect(await page.locator('body').innerText()).toContain('access_secret');
    expect(await page.content()).toContain('harbor-dr.example.com');
    await page.waitForTimeout(500);
    expect(outside).toEqual([]);
    await context.close();
  });
});
