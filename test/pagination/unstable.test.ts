// Issue #12, finding 11: offset paging over an order with ties that a database orders differently
// on each request. The walk must still deliver every registry exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../generated/schema.js';
import { startEmulator } from '../../src/emulator/index.js';
import { clientFor } from '../helpers/clients.js';

/** Registries whose created_at takes only `stamps` values: many ties, as bulk-created data has. */
function tied(count: number, stamps: number): Registry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `registry-${String(i + 1).padStart(4, '0')}`,
    type: 'swr-pro',
    url: `https://h${i + 1}.example.com`,
    created_at: new Date(Date.UTC(2024, 0, 1 + (i % stamps))).toISOString(),
  }));
}

describe('exact listings under unstable ordering', () => {
  it('without verification a walk over unstable ties misses registries (the emulator does reorder them)', async () => {
    const emu = await startEmulator({ items: { registry: tied(300, 3) }, unstableOrder: true, randomSeed: 11 });
    try {
      const result = await clientFor(emu, { auth: { token: emu.token } }).listAllRegistries(
        emu.instanceId,
        {},
        {
          pageSize: 25,
          concurrency: 4,
          verify: false,
        },
      );
      expect(new Set(result.registries.map((r) => r.id)).size).toBeLessThan(300);
      expect(result.duplicatesDropped).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  });

  it('with verification (the default) every walk gets exactly the emulator’s set of ids', async () => {
    let recoveredSome = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 3, max: 100 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (count, stamps, pageSize, concurrency, seed) => {
          const data = tied(count, stamps);
          const emu = await startEmulator({ items: { registry: data }, unstableOrder: true, randomSeed: seed });
          try {
            const result = await clientFor(emu, { auth: { token: emu.token } }).listAllRegistries(
              emu.instanceId,
              {},
              {
                pageSize,
                concurrency,
              },
            );
            const ids = result.registries.map((r) => r.id);
            expect(ids).toHaveLength(count);
            expect(new Set(ids)).toEqual(new Set(data.map((r) => r.id)));
            if ((result.verification?.recovered ?? 0) > 0) recoveredSome += 1;
          } finally {
            await emu.close();
          }
        },
      ),
      { numRuns: 60, seed: 2026 },
    );
    expect(recoveredSome).toBeGreaterThan(0);
  });
});
