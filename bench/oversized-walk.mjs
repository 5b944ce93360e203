// Run by bench/run.mjs in a process of its own: a walk against a server (in the parent) whose
// pages after the first are far larger than maxResponseBytes. Prints the peak RSS the walk added.
import { createSwrClient } from '../dist/index.js';

const [url, cap, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const swr = createSwrClient({
  endpoint: url,
  projectId: 'p',
  auth: { token: 'bench-token' },
  maxResponseBytes: cap,
  retry: false,
});
const rss = () => process.memoryUsage().rss;
// Warm up on the first page alone (the server answers it normally), so the baseline holds the
// code and the connection pool, not the walk.
await swr.listRegistries('i', { offset: 0, limit: 100 });
globalThis.gc?.();
const baseline = rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 2);
const t0 = performance.now();
const outcome = await swr.listAllRegistries('i', {}, { concurrency }).then(
  () => 'completed',
  (error) => `${error.kind}: ${error.message.slice(0, 100)}`,
);
const ms = performance.now() - t0;
// The kernel's own high-water mark too, in case a peak fell between two samples.
peak = Math.max(peak, rss(), process.resourceUsage().maxRSS * 1024);
clearInterval(sampler);
process.stdout.write(JSON.stringify({ baseline, peak, growth: peak - baseline, ms, outcome }));
