// The emulator's fault schedule alone: which request gets which fault, repeatably for a seed.
import { describe, expect, it } from 'vitest';
import { createFaults } from '../../src/emulator/faults.js';

const plans = (faults: ReturnType<typeof createFaults>, n: number) => Array.from({ length: n }, () => faults.next());

describe('the fault schedule', () => {
  it('jittered latency repeats for the same seed, differs for another, and stays within its bounds', () => {
    const spec = [{ kind: 'latency' as const, delayMs: 10, jitterMs: 40 }];
    const a = plans(createFaults(spec, 7), 20).map((p) => p.delayMs);
    const b = plans(createFaults(spec, 7), 20).map((p) => p.delayMs);
    const c = plans(createFaults(spec, 8), 20).map((p) => p.delayMs);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((d) => d >= 10 && d < 50)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(10);
  });

  it('`times` applies to the next N requests, then stops; a fault without times or rate to every one', () => {
    const faults = createFaults([{ kind: 'status', status: 503, times: 2 }]);
    expect(plans(faults, 4).map((p) => p.answer?.status)).toEqual([503, 503, undefined, undefined]);
    faults.add({ kind: 'throttle' });
    expect(plans(faults, 3).map((p) => p.answer?.kind)).toEqual(['throttle', 'throttle', 'throttle']);
    faults.clear();
    expect(faults.next()).toEqual({ delayMs: 0 });
  });

  it('one answer-changing fault per request, the first that applies; latencies add up', () => {
    const faults = createFaults([
      { kind: 'latency', delayMs: 5 },
      { kind: 'html', times: 1 },
      { kind: 'reset', times: 1 },
      { kind: 'latency', delayMs: 7 },
    ]);
    expect(faults.next()).toEqual({ delayMs: 12, answer: { kind: 'html', times: 1, left: 0 } });
    expect(faults.next()).toMatchObject({ delayMs: 12, answer: { kind: 'reset' } });
    expect(faults.next()).toEqual({ delayMs: 12 });
  });

  it('a rate applies to about that share of requests, the same ones for the same seed', () => {
    const pattern = (seed: number) =>
      plans(createFaults([{ kind: 'status', rate: 0.3 }], seed), 200).map((p) => Boolean(p.answer));
    const hits = pattern(99).filter(Boolean).length;
    expect(pattern(99)).toEqual(pattern(99));
    expect(hits).toBeGreaterThan(40);
    expect(hits).toBeLessThan(80);
  });
});
