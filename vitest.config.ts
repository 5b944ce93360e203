import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the sources: `#crypto` is the Node implementation there (package.json maps it to dist/).
  resolve: { alias: { '#crypto': fileURLToPath(new URL('./src/auth/crypto-node.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/temp-guard.ts'],
    // One worker per core, not vitest's default of one fewer: many tests wait on child processes
    // and loopback servers, so a 2-core machine runs two files at once with time to spare.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
