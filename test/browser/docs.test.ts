import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Where the screenshots go (reports/ is kept out of git): printed in the test output. */
const SHOTS = fileURLToPath(new URL('../../reports/screenshots/', import.meta.url));

describe('the offline docs', () => {
  it('render every operation, grouped by resource, with samples, parameters and examples, no request leaving 127.0.0.1', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
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
    // The landing page starts with the emulator quick start and how to authenticate.
    await page.getByText('Quick start, without a cloud account').first().waitFor({ timeout: 30_000 });
    const landing = await page.locator('body').innerText();
    expect(landing).toContain('npx swr-registries emulator');
    expect(landing).toMatch(/Authentication/);
    expect(landing).toMatch(/12 of them/);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'landing.png') });
    // The sidebar groups the operations by resource.
    for (const tag of ['Target registries', 'Replication policies', 'Replication executions'])
      expect(landing).toContain(tag);

    // Redoc renders an operation once it is chosen in the sidebar, as a reader would.
    await page.getByText('Target registries', { exact: true }).first().click();
    await page.getByText('List target registries for image replication').first().click();
    await page.getByText('order_column', { exact: true }).first().waitFor({ timeout: 30_000 });
    const text = await page.locator('body').innerText();
    for (const name of ['project_id', 'instance_id', 'order_column', 'order_type', 'offset', 'limit']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('swr:instance:listRegistries');
    // No regular expression noise on the path parameters, no notes for tool builders.
    expect(text).not.toContain('^\\S(?:[\\s\\S]*\\S)?$');
    expect(text).not.toContain('Machine-readable rules');
    // The documented example response is on the page.
    expect(await page.content()).toContain('cn-cmcc1@R5172VW6FEW6MZFP2W1S');

    // An operation with its three samples: TypeScript, the CLI and curl.
    await page.getByText('Create a target registry for image replication').first().click();
    await page.getByText('swr:instance:createRegistry').first().waitFor({ timeout: 30_000 });
    // The samples panel: TypeScript first, the CLI and curl one pick away.
    await page.getByText('swr.createRegistry(instanceId, body)').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'operation-create-registry.png') });
    const create = await page.locator('body').innerText();
    expect(create).toContain('access_secret');
    // Body variants carry their titles.
    expect(create).not.toMatch(/case 1|case 2/);
    // Maps say what their keys are (x-additionalPropertiesName), in the page's own copy of the spec.
    expect(await page.content()).toContain('host name → IP address');
    expect(await page.content()).toContain('harbor-dr.example.com');
    await page.getByText('TypeScript (swr-registries)', { exact: true }).first().click();
    await page.getByText('CLI', { exact: true }).first().click();
    await page
      .getByText('npx swr-registries registry create --from-file registry.yaml')
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByText('CLI', { exact: true }).first().click();
    await page.getByText('curl', { exact: true }).first().click();
    await page.getByText('--fail-with-body', { exact: false }).first().waitFor({ state: 'visible', timeout: 30_000 });
    console.log(`docs screenshots: ${join(SHOTS, 'landing.png')}, ${join(SHOTS, 'operation-create-registry.png')}`);

    // Every operation is there, under its resource, each with its own IAM action.
    const groups: Array<[string | undefined, Array<[string, string]>]> = [
      [
        undefined,
        [
          ['Query a target registry for image replication', 'getRegistry'],
          ['Update a target registry for image replication', 'updateRegistry'],
          ['Delete a target registry for image replication', 'deleteRegistry'],
        ],
      ],
      ['Replication policies', [['Create a replication policy', 'createReplicationPolicy']]],
      [
        'Replication executions',
        [
          ['Run a replication policy', 'executeReplicationPolicy'],
          ['List the sub-tasks of a task', 'listReplicationPolicyExecSubTasks'],
        ],
      ],
    ];
    for (const [group, operations] of groups) {
      if (group) await page.getByText(group, { exact: true }).first().click();
      for (const [summary, action] of operations) {
        await page.getByText(summary, { exact: true }).first().click();
        await page.getByText(`swr:instance:${action}`).first().waitFor({ timeout: 30_000 });
      }
    }
    await page.waitForTimeout(500);
    expect(outside).toEqual([]);
    await context.close();
  }, 150_000);
});
