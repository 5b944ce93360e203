import { createRandom } from './random.js';

/**
 * A fault to inject:
 * - `latency`: delay the answer by `delayMs` (+ up to `jitterMs`);
 * - `status`: answer `status` (default 503) with an SWR error body;
 * - `throttle`: 429 `APIGW.0308` with `Retry-After: retryAfter` seconds (default 1);
 * - `reset`: send the headers and half the body, then reset the connection;
 * - `truncate`: a well-framed 200 whose JSON body is cut in half;
 * - `html`: a 502 HTML page, as a proxy in front of the service would send;
 * - `drip`: a valid 200 body sent a few bytes at a time, `delayMs` apart (default 50).
 */
export interface FaultSpec {
  kind: 'latency' | 'status' | 'throttle' | 'reset' | 'truncate' | 'html' | 'drip';
  /** Applies to the next N matching requests, then stops. */
  times?: number;
  /** Applies to each request with this probability (0..1), from the seeded generator. */
  rate?: number;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  jitterMs?: number;
}

/** Faults chosen for one request: a total delay, and at most one answer-changing fault. */
export interface FaultPlan {
  delayMs: number;
  answer?: FaultSpec;
}

/** Runtime control of fault injection. */
export interface FaultController {
  /** Adds a fault; with neither `times` nor `rate` it applies to every request. */
  add(spec: FaultSpec): void;
  /** Removes every fault. */
  clear(): void;
  /** Decides the faults of the next request (consumes `times`). */
  next(): FaultPlan;
}

/** Creates the fault list, deterministic for a given seed. */
export function createFaults(initial: readonly FaultSpec[] = [], seed = 1): FaultController {
  const random = createRandom(seed);
  let faults: Array<FaultSpec & { left?: number }> = initial.map((f) => ({
    ...f,
    ...(f.times !== undefined && { left: f.times }),
  }));
  return {
    add: (spec) => void faults.push({ ...spec, ...(spec.times !== undefined && { left: spec.times }) }),
    clear: () => void (faults = []),
    next() {
      const plan: FaultPlan = { delayMs: 0 };
      for (const fault of faults) {
        if (plan.answer && fault.kind !== 'latency') continue;
        let applies: boolean;
        if (fault.left !== undefined) {
          applies = fault.left > 0;
          if (applies) fault.left -= 1;
        } else if (fault.rate !== undefined) applies = random() < fault.rate;
        else applies = true;
        if (!applies) continue;
        if (fault.kind === 'latency') plan.delayMs += (fault.delayMs ?? 0) + random() * (fault.jitterMs ?? 0);
        else plan.answer = fault;
      }
      faults = faults.filter((f) => f.left === undefined || f.left > 0);
      return plan;
    },
  };
}
