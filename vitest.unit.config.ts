// The fast tests of the policy parts (no network, no waiting on real time), for mutation testing:
// `npm run mutation` runs them once per mutant of the modules they pin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the sources: `#crypto` is the Node implementation there (package.json maps it to dist/).
  resolve: { alias: { '#crypto': fileURLToPath(new URL('./src/auth/crypto-node.ts', import.meta.url)) } },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/auth/signing.test.ts'],
    // Not a policy test: it runs a whole vitest of its own.
    exclude: ['test/unit/temp-guard.test.ts'],
    testTimeout: 10_000,
  },
});
