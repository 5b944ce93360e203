#!/usr/bin/env node
// Benchmarks, measured side by side in one run against the embedded emulator on loopback.
// Run with `npm run bench` (builds first). Prints a table and the ratios the issues set as goals.
import createClient from 'openapi-fetch';
import { build } from 'esbuild';
import { createSwrClient } from '../dist/index.js';
import { createHeaderSigner } from '../dist/auth/sign.js';
import { Worker } from 'node:worker_threads';
import { signByHand } from './hand-signer.mjs';

const gc = globalThis.gc ?? (() => {});
// `BENCH=3,5 npm run bench` runs only those benchmarks; all of them by default.
const only = process.env.BENCH?.split(',').map(Number);
const selected = (n) => !only || only.includes(n);
const ms = (n) => `${n.toFixed(0)} ms`;
const rows = [];
const checks = [];
const row = (bench, variant, value, note = '') => rows.push({ bench, variant, value, note });
const check = (name, ratio, goal, pass) => checks.push({ name, ratio, goal, pass });

function client(emu, extra = {}) {
  return createSwrClient({
    endpoint: emu.url,
    projectId: emu.projectId,
    auth: { accessKey: emu.credentials.accessKey, secretKey: emu.credentials.secretKey },
    ...extra,
  });
}

/** Starts the emulator in a worker thread; resolves to its address and credentials, plus close(). */
function startEmulator(options) {
  const worker = new Worker(new URL('./emulator-worker.mjs', import.meta.url), { workerData: options });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (info) => resolve({ ...info, close: () => worker.terminate() }));
  });
}

async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

// 1. List all 10 000 registries with 25 ms latency per request.
if (selected(1)) {
  const LATENCY = 25;
  const emu = await startEmulator({ items: { registry: 10_000 }, latencyMs: LATENCY });
  // Token auth: the pagination strategy is what is measured here; AK/SK signing (Web Crypto on
  // both sides) adds its own cost per request, shown in its own row below.
  const swr = client(emu, { auth: { token: emu.token } });
  const signed = client(emu);
  const pages = Math.ceil(10_000 / 100);
  // What an official-SDK user writes: an offset loop, one page after another.
  const sequentialLoop = async () => {
    const all = [];
    for (let offset = 0; ; offset += 100) {
      const page = await swr.listRegistries(emu.instanceId, { offset, limit: 100 });
      all.push(...page.registries);
      if (offset + 100 >= page.total) break;
    }
    if (all.length !== 10_000) throw new Error(`sequential got ${all.length}`);
  };
  const ours = async () => {
    const n = (await swr.listAllRegistries(emu.instanceId)).registries.length;
    if (n !== 10_000) throw new Error(`listAll got ${n}`);
  };
  await ours(); // warm-up: JIT and connection pool
  // Median of three runs each, interleaved, to keep one noisy run from deciding.
  const runs = { sequential: [], concurrent: [] };
  for (let i = 0; i < 3; i++) {
    runs.sequential.push(await time(sequentialLoop));
    runs.concurrent.push(await time(ours));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[1];
  const signedRuns = [];
  for (let i = 0; i < 3; i++) {
    signedRuns.push(
      await time(async () => {
        if ((await signed.listAllRegistries(emu.instanceId)).registries.length !== 10_000) throw new Error('signed');
      }),
    );
  }
  const sequential = median(runs.sequential);
  const concurrent = median(runs.concurrent);
  const concurrency = 8;
  const floor = (1 + Math.ceil((pages - 1) / concurrency)) * LATENCY;
  row(
    '1. list-all 10 000, 25 ms latency',
    'sequential offset loop',
    ms(sequential),
    `${pages} requests one by one; median of 3`,
  );
  row(
    '1. list-all 10 000, 25 ms latency',
    `listAllRegistries (concurrency ${concurrency})`,
    ms(concurrent),
    'median of 3',
  );
  row('1. list-all 10 000, 25 ms latency', 'listAllRegistries, AK/SK signed', ms(median(signedRuns)), 'median of 3');
  row(
    '1. list-all 10 000, 25 ms latency',
    'latency floor',
    ms(floor),
    `(1 + ceil(${pages - 1}/${concurrency})) × ${LATENCY} ms`,
  );
  check('ours / floor', concurrent / floor, '≤ 1.30', concurrent / floor <= 1.3);
  check('ours (AK/SK) / floor', median(signedRuns) / floor, '≤ 1.30', median(signedRuns) / floor <= 1.3);
  check('sequential / ours', sequential / concurrent, '≥ 5', sequential / concurrent >= 5);
  await emu.close();
}

// 2. Memory: stream 100 000 registries; peak heap growth while streaming vs one page set.
if (selected(2)) {
  const emu = await startEmulator({ items: { registry: 100_000 } });
  const swr = client(emu);
  const sample = await swr.listRegistries(emu.instanceId, { offset: 0, limit: 100 });
  // Retained heap, not garbage: sampled after a forced GC every 50 pages while streaming.
  const settle = async () => {
    gc();
    await new Promise((r) => setTimeout(r, 10));
    gc();
    return process.memoryUsage().heapUsed;
  };
  const base = await settle();
  let peak = base;
  let rawPeak = base;
  let count = 0;
  for await (const page of swr.pages(emu.instanceId)) {
    count += page.registries.length;
    rawPeak = Math.max(rawPeak, process.memoryUsage().heapUsed);
    if (page.index % 50 === 49) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  if (count !== 100_000) throw new Error(`streamed ${count}`);
  const baseAll = await settle();
  const all = await swr.listAllRegistries(emu.instanceId);
  const held = (await settle()) - baseAll;
  const pageJson = Buffer.byteLength(JSON.stringify(sample));
  const pageSet = pageJson * 8;
  const growth = peak - base;
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  row(
    '2. stream 100 000 registries',
    'peak retained heap growth, streaming',
    mb(growth),
    `${count} registries, 1000 pages, GC every 50`,
  );
  row(
    '2. stream 100 000 registries',
    'peak heap incl. garbage, streaming',
    mb(rawPeak - base),
    'young-generation garbage not yet collected',
  );
  row(
    '2. stream 100 000 registries',
    'one page set (8 pages of JSON)',
    mb(pageSet),
    `one page = ${(pageJson / 1024).toFixed(0)} kB of JSON`,
  );
  row(
    '2. stream 100 000 registries',
    'listAllRegistries holding all',
    mb(held),
    `${all.registries.length} registries in memory`,
  );
  check('streaming growth / holding all', growth / held, '< 0.10 (bounded)', growth < held / 10);
  await emu.close();
}

// 3. Per-request overhead: 2 000 sequential single-page calls, interleaved in rounds.
if (selected(3)) {
  const emu = await startEmulator({ items: { registry: 50 } });
  const path = `/v2/${emu.projectId}/instances/${emu.instanceId}/registries`;
  const url = `${emu.url}${path}?limit=10&offset=0`;
  const token = emu.token;
  const ours = client(emu, { auth: { token } });
  const oursSigned = client(emu);
  const plain = createClient({ baseUrl: emu.url, headers: { 'X-Auth-Token': token } });
  // The peer a user would pick instead of us: openapi-fetch with the token added by a middleware.
  const peer = createClient({ baseUrl: emu.url });
  peer.use({ onRequest: ({ request }) => void request.headers.set('X-Auth-Token', token) });
  const variants = {
    'raw fetch + JSON.parse': async () => {
      const response = await fetch(url, { headers: { 'X-Auth-Token': token } });
      const body = await response.json();
      if (body.registries.length !== 10) throw new Error('raw');
    },
    'plain openapi-fetch': async () => {
      const { data } = await plain.GET('/v2/{project_id}/instances/{instance_id}/registries', {
        params: { path: { project_id: emu.projectId, instance_id: emu.instanceId }, query: { limit: 10, offset: 0 } },
      });
      if (data.registries.length !== 10) throw new Error('plain');
    },
    'openapi-fetch + token middleware': async () => {
      const { data } = await peer.GET('/v2/{project_id}/instances/{instance_id}/registries', {
        params: { path: { project_id: emu.projectId, instance_id: emu.instanceId }, query: { limit: 10, offset: 0 } },
      });
      if (data.registries.length !== 10) throw new Error('peer');
    },
    'swr-registries (token)': async () => {
      const page = await ours.listRegistries(emu.instanceId, { limit: 10, offset: 0 });
      if (page.registries.length !== 10) throw new Error('ours');
    },
    'swr-registries (AK/SK signed)': async () => {
      const page = await oursSigned.listRegistries(emu.instanceId, { limit: 10, offset: 0 });
      if (page.registries.length !== 10) throw new Error('signed');
    },
    'raw fetch + hand-made signing': async () => {
      const headers = new Headers();
      signByHand(url, headers, { ...emu.credentials, projectId: emu.projectId });
      const body = await (await fetch(url, { headers })).json();
      if (body.registries.length !== 10) throw new Error('raw signed');
    },
  };
  // Interleaved call by call, in rotating order, so a noisy moment on this shared machine hits
  // every variant alike; the median per call is reported (the mean next to it).
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  for (const fn of Object.values(variants)) for (let i = 0; i < 200; i++) await fn(); // warm-up
  for (let i = 0; i < 2000; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      const t0 = performance.now();
      await variants[name]();
      samples[name].push((performance.now() - t0) * 1000);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const per = (name) => median(samples[name]);
  for (const name of names) {
    row(
      '3. 2 000 sequential single-page calls',
      name,
      `${per(name).toFixed(0)} µs/call`,
      `median; mean ${mean(samples[name]).toFixed(0)} µs`,
    );
  }
  const ratio = per('swr-registries (token)') / per('openapi-fetch + token middleware');
  check('ours (token) / openapi-fetch + middleware', ratio, '≤ 1.10', ratio <= 1.1);
  check('ours (token) / raw fetch', per('swr-registries (token)') / per('raw fetch + JSON.parse'), '(reference)', true);
  check(
    'plain openapi-fetch / raw fetch',
    per('plain openapi-fetch') / per('raw fetch + JSON.parse'),
    '(reference)',
    true,
  );
  const signedRatio = per('swr-registries (AK/SK signed)') / per('raw fetch + hand-made signing');
  check('ours (AK/SK) / raw fetch, hand-signed', signedRatio, '≤ 1.15', signedRatio <= 1.15);
  await emu.close();
}

// 4. A hostile server: every page after the first is endless. The walk's memory must stay within
// concurrency × maxResponseBytes plus a small constant, measured as the client process's peak RSS.
if (selected(4)) {
  const { createServer } = await import('node:http');
  const { execFile } = await import('node:child_process');
  const first = JSON.stringify({
    total: 100_000,
    registries: Array.from({ length: 100 }, (_, i) => ({
      id: i + 1,
      name: `r${i + 1}`,
      type: 'swr-pro',
      url: 'https://x',
    })),
  });
  const chunk = Buffer.alloc(256 * 1024, 32);
  let served = 0;
  const server = createServer((req, res) => {
    const offset = Number(new URL(req.url, 'http://x').searchParams.get('offset'));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (offset === 0) return void res.end(first);
    served += 1;
    res.write('{"total":100000,"registries":[');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const cap = 1024 * 1024;
  const concurrency = 8;
  const out = await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        '--expose-gc',
        new URL('./oversized-walk.mjs', import.meta.url).pathname,
        `http://127.0.0.1:${server.address().port}`,
        String(cap),
        String(concurrency),
      ],
      { encoding: 'utf8' },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    ),
  );
  server.closeAllConnections();
  server.close();
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const bound = concurrency * cap;
  const slack = 24 * 1024 * 1024;
  row(
    '4. endless pages, concurrency 8',
    'peak RSS added by the walk',
    mb(out.growth),
    `${out.outcome.split(':')[0]} after ${out.ms.toFixed(0)} ms; ${served} endless pages served`,
  );
  row('4. endless pages, concurrency 8', 'concurrency × maxResponseBytes', mb(bound), 'maxResponseBytes 1 MiB');
  check(
    'walk peak RSS / (concurrency × cap)',
    out.growth / bound,
    `≤ 1 + ${mb(slack)} slack`,
    out.growth <= bound + slack,
  );
}

// 5. Signing alone, per request: ours in Node (node:crypto), ours through Web Crypto (the build
// browsers get), and the hand-written node:crypto floor, interleaved batch by batch.
if (selected(5)) {
  const url =
    'https://swr-api.cn-north-4.myhuaweicloud.com/v2/3f6c1d9e2b7a4c8d9e0f1a2b3c4d5e6f/instances/9a1c7e42-5b3d-4f6e-8a2b-0c1d2e3f4a5b/registries?limit=100&offset=200&order_column=created_at&order_type=asc';
  const credentials = { accessKey: 'BENCHACCESSKEY000001', secretKey: 'bench-secret-key-0000000000000000000000' };
  const projectId = '3f6c1d9e2b7a4c8d9e0f1a2b3c4d5e6f';
  // The signer as a browser bundle gets it: #crypto resolves to Web Crypto (the `default` condition).
  const bundled = await build({
    entryPoints: [new URL('../src/auth/sign.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // package.json's #crypto conditions pick Web Crypto; tsconfig's `paths` (for tsc) must not.
    tsconfigRaw: {},
    write: false,
    logLevel: 'silent',
  });
  const web = await import(`data:text/javascript,${encodeURIComponent(bundled.outputFiles[0].text)}`);
  const node = createHeaderSigner({ projectId });
  const webSigner = web.createHeaderSigner({ projectId });
  const variants = {
    'ours, node:crypto': () => node({ method: 'GET', url, headers: new Headers() }, credentials),
    'ours, Web Crypto': () => webSigner({ method: 'GET', url, headers: new Headers() }, credentials),
    'hand-written node:crypto': () => signByHand(url, new Headers(), { ...credentials, projectId }),
  };
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  const BATCH = 200;
  for (const fn of Object.values(variants)) for (let i = 0; i < 2000; i++) await fn(); // warm-up
  for (let round = 0; round < 60; round++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length];
      const t0 = performance.now();
      for (let i = 0; i < BATCH; i++) await variants[name]();
      samples[name].push(((performance.now() - t0) * 1000) / BATCH);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const name of names)
    row(
      '5. signing alone, per request',
      name,
      `${median(samples[name]).toFixed(1)} µs`,
      `median of 60 batches of ${BATCH}`,
    );
  const ratio = median(samples['ours, node:crypto']) / median(samples['hand-written node:crypto']);
  check('signing: ours (Node) / hand-written', ratio, '≤ 1.50', ratio <= 1.5);
  check(
    'signing: Web Crypto / ours (Node)',
    median(samples['ours, Web Crypto']) / median(samples['ours, node:crypto']),
    '(what Node saves)',
    true,
  );
}

// 6. Following a run (runPolicy): what each poll costs when the policy already has 10 or 10 000
// earlier executions. The run is found on the first small page of the newest-first list, so the
// polls cost the same; they back off while nothing changes.
if (selected(6)) {
  const setups = { 10: null, 10_000: null };
  for (const earlier of Object.keys(setups)) {
    setups[earlier] = await startEmulator({
      items: { registry: 2, policy: 1, execution: Number(earlier) },
      replication: { durationMs: 3000 },
    });
  }
  const results = {};
  for (let round = 0; round < 3; round++) {
    for (const [earlier, emu] of Object.entries(setups)) {
      // Each list request the follower makes, timed to its answer's headers (the server's work).
      const requests = [];
      let counting = false;
      const timed = async (input, init) => {
        const t0 = performance.now();
        const response = await fetch(input, init);
        if (counting && (init?.method ?? 'GET') === 'GET') requests.push(performance.now() - t0);
        return response;
      };
      const swr = client(emu, { auth: { token: emu.token }, fetch: timed });
      const [policy] = (await swr.listPolicies(emu.instanceId)).policies;
      counting = true;
      const t0 = performance.now();
      const run = await swr.runPolicy(emu.instanceId, { policy_id: policy.id }, { intervalMs: 100 });
      const ms = performance.now() - t0;
      if (!run.succeeded) throw new Error(`the run ended ${run.row.status}`);
      (results[earlier] ??= []).push({
        polls: run.polls,
        pages: run.pages,
        requests: requests.length,
        ms,
        perPoll: requests,
      });
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [earlier, runs] of Object.entries(results)) {
    const last = runs[runs.length - 1];
    const perPoll = median(runs.flatMap((r) => r.perPoll));
    row(
      '6. following a run (runPolicy)',
      `${Number(earlier).toLocaleString('en')} earlier executions`,
      `${perPoll.toFixed(2)} ms/poll`,
      `${last.polls} polls, ${last.requests} list requests (${(last.requests / last.polls).toFixed(1)} per poll), run followed in ${last.ms.toFixed(0)} ms`,
    );
  }
  const cost = (earlier) => median(results[earlier].flatMap((r) => r.perPoll));
  const pagesPerPoll = (earlier) => median(results[earlier].map((r) => r.pages / r.polls));
  // The time is the emulator's own (it filters its 10 000 executions at each poll, as a service
  // without an index would); what the client decides is one request for one small page a poll.
  check('poll time: 10 000 earlier / 10', cost('10000') / cost('10'), "(reference: the emulator's filtering)", true);
  check('pages per poll, 10 000 earlier', pagesPerPoll('10000'), '= 1', pagesPerPoll('10000') === 1);
  for (const emu of Object.values(setups)) await emu.close();
}

const width = (key, list) => Math.max(...list.map((r) => String(r[key]).length));
const w = { bench: width('bench', rows), variant: width('variant', rows), value: width('value', rows) };
console.log(`swr-registries benchmarks — node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
for (const r of rows)
  console.log(`${r.bench.padEnd(w.bench)}  ${r.variant.padEnd(w.variant)}  ${r.value.padStart(w.value)}  ${r.note}`);
console.log('\nratio                              measured  goal');
for (const c of checks)
  console.log(`${c.name.padEnd(34)} ${c.ratio.toFixed(2).padStart(8)}  ${c.goal} ${c.pass ? '✔' : '✘'}`);
