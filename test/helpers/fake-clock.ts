// A fake clock for the policy tests: every test of a file runs on vitest's fake timers.
import { afterEach, beforeEach, vi } from 'vitest';

/** Puts every test of the file on fake timers, and back on real ones after. */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Runs a promise to its end, fast-forwarding the fake clock; resolves to its value or its error. */
export async function settle<T>(promise: Promise<T>): Promise<T | unknown> {
  const outcome = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  await vi.runAllTimersAsync();
  return outcome;
}
