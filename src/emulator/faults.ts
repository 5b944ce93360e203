import type { ServerResponse } from 'node:http';
import { gatewayError, swrError, type Answer } from './errors.js';
import { CORS_HEADERS, count, send, sleep, type EmulatorStats } from './http.js';
import { createRandom } from './random.js';

/**
 * A fault to inject:
 * - `latency`: delay the answer by `delayMs` (+ up to `jitterMs`);
 * - `status`: answer `status` (default 503) with an SWR error body;
 * - `throttle`: 429 `APIGW.0308` with `Retry-After: retryAfter` seconds (default 1);
 * - `reset`: send the headers and half the body, then reset the connection;
 * - `truncate`: a well-framed 200 whose JSON body is cut in half;
 * - `html`: a 502 HTML page, as a proxy in front of the service would send;
 * - `drip`: a valid 200 body sent a few bytes at a time, `delayMs` apart (default 50);
 * - `lost`: the request is carried out (a create creates), then the connection is reset before
 *   any answer: the client cannot know whether it happened.
 */
export interface FaultSpec {
  kind: 'latency' | 'status' | 'throttle' | 'reset' | 'truncate' | 'html' | 'drip' | 'lost';
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

// Rendering: how each fault reaches the wire.

const THROTTLE_MESSAGE =
  'The throttling threshold has been reached: policy user over ratelimit,limit:200,time:1 second';
const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>nginx</p></body></html>';

/**
 * Answers with the fault itself when it replaces the answer (status, throttle, html, reset);
 * returns false for one that changes how the answer is sent (truncate, drip, lost).
 */
export async function renderFault(
  fault: FaultSpec,
  res: ServerResponse,
  requestId: string,
  stats: EmulatorStats,
): Promise<boolean> {
  switch (fault.kind) {
    case 'status': {
      const status = fault.status ?? 503;
      send(
        stats,
        res,
        status === 429
          ? gatewayError(429, 'APIGW.0308', THROTTLE_MESSAGE, requestId)
          : swrError(
              status,
              `SVCSTG.SWR.${status}0001`,
              status >= 500 ? 'Internal error (injected)' : 'Injected error',
            ),
      );
      return true;
    }
    case 'throttle':
      send(stats, res, {
        ...gatewayError(429, 'APIGW.0308', THROTTLE_MESSAGE, requestId),
        headers: { 'Retry-After': String(fault.retryAfter ?? 1) },
      });
      return true;
    case 'html':
      res
        .writeHead(fault.status ?? 502, { ...CORS_HEADERS, 'Content-Type': 'text/html; charset=utf-8' })
        .end(HTML_PAGE);
      count(stats, fault.status ?? 502);
      return true;
    case 'reset': {
      const text =
        '{"total":1,"registries":[{"id":1,"name":"cut-short","type":"swr-pro","url":"https://cut.example"}]}';
      res.writeHead(200, {
        ...CORS_HEADERS,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.write(text.slice(0, text.length >> 1));
      await sleep(5, res);
      res.socket?.resetAndDestroy();
      count(stats, 0);
      return true;
    }
    default:
      return false;
  }
}

/** Sends an answer as the fault says: cut in half, a few bytes at a time, or not at all. */
export async function sendWithFault(
  fault: FaultSpec | undefined,
  res: ServerResponse,
  answer: Answer,
  stats: EmulatorStats,
) {
  if (fault?.kind === 'truncate') return send(stats, res, answer, { truncate: true });
  if (fault?.kind === 'lost') {
    res.socket?.resetAndDestroy();
    return count(stats, 0);
  }
  if (fault?.kind !== 'drip') return send(stats, res, answer);
  const text = Buffer.from(answer.text ?? JSON.stringify(answer.body));
  res.writeHead(answer.status, { ...CORS_HEADERS, 'Content-Type': 'application/json', 'Content-Length': text.length });
  for (let i = 0; i < text.length && !res.destroyed; i += 64) {
    res.write(text.subarray(i, i + 64));
    await sleep(fault.delayMs ?? 50, res);
  }
  res.end();
  count(stats, answer.status);
}
