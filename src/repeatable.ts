// A create made safe to repeat, as the operation's `x-conflict-lookup` says: its `field` is unique
// (the service answers 409 for a taken value), and a list operation filters on it. A create that
// failed without telling whether it was applied (the connection broke, a timeout, a 5xx, a 2xx cut
// short), or that meets a conflict, looks the value up: a registry with the same settings is the
// one an earlier attempt made (or one already there), and is returned instead of a duplicate.
import { SwrApiError, tail, type SwrErrorKind } from './errors.js';
import { differingFields, type Operation } from './operation.js';

/** What a repeatable create needs: the create itself, and a search by the unique field. */
export interface RepeatableSetup<Result> {
  operation: Operation & { conflictLookup: { field: string }; body: { schema: unknown } };
  create: () => Promise<Result>;
  /** The item whose `field` equals `value` exactly, or undefined. */
  find: (value: unknown) => Promise<Record<string, unknown> | undefined>;
  /** How many times the create may be sent in all (the retry policy's maxAttempts). */
  sends: number;
  signal: AbortSignal | undefined;
}

/** The create's result, or the matching item that was already there. */
export type Repeated<Result> =
  { outcome: 'created'; result: Result } | { outcome: 'found'; item: Record<string, unknown>; error: SwrApiError };

// Failures after which the create may or may not have been applied.
const AMBIGUOUS = new Set<SwrErrorKind>(['network', 'timeout', 'server', 'invalid_response']);

/** Whether a failed create may have been applied by the service. */
export function mayHaveApplied(error: SwrApiError): boolean {
  if (!AMBIGUOUS.has(error.kind)) return false;
  // invalid_response covers redirects and error pages too: only a 2xx (or no answer) is ambiguous.
  return error.kind !== 'invalid_response' || error.status === undefined || (error.status >= 200 && error.status < 300);
}

/** Runs a create; after a conflict or an ambiguous failure, looks the unique value up before sending again. */
export async function repeatable<Result>(
  setup: RepeatableSetup<Result>,
  body: Record<string, unknown>,
): Promise<Repeated<Result>> {
  const { field } = setup.operation.conflictLookup;
  const value = body[field];
  for (let sent = 1; ; sent++) {
    let error: SwrApiError;
    try {
      return { outcome: 'created', result: await setup.create() };
    } catch (caught) {
      if (!(caught instanceof SwrApiError) || setup.signal?.aborted) throw caught;
      error = caught;
    }
    const conflict = error.kind === 'conflict';
    if (!conflict && !mayHaveApplied(error)) throw error;
    let item: Record<string, unknown> | undefined;
    try {
      item = await setup.find(value);
    } catch (lookup) {
      throw error.with({
        message: `${error.message}; looking ${field} ${JSON.stringify(value)} up to see whether it was created failed too: ${(lookup as Error).message}`,
      });
    }
    if (item) {
      const differing = differingFields(setup.operation.body.schema as never, body, item);
      if (differing.length === 0) return { outcome: 'found', item, error };
      throw error.with({
        kind: 'conflict',
        retryable: false,
        message: `a registry with ${field} ${JSON.stringify(value)} already exists (id ${String(item.id)}) with other settings: ${differing.join(', ')} ${tail({ method: '', path: '', attempts: error.attempts, requestId: error.requestId })}`,
      });
    }
    // Not there: a conflict on a value nobody holds is the service's to explain; an ambiguous
    // failure was not applied, so one more send cannot duplicate it.
    if (conflict || sent >= setup.sends) throw error;
  }
}
