// The fast tests of the policy parts (no network, no waiting on real time), for mutation testing:
// `npm run mutation` runs them once per mutant of the modules they pin.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/auth/signing.test.ts'],
    testTimeout: 10_000,
  },
});
