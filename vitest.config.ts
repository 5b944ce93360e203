import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the sources: `#crypto` is the Node implementation there (package.json maps it to dist/).
  resolve: { alias: { '#crypto': fileURLToPath(new URL('./src/auth/crypto-node.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/temp-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
