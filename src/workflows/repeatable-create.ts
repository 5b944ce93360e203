// A create made safe to repeat, as the operation's `x-conflict-lookup` says: its `field` is unique
// (the service answers 409 for a taken value), and a list operation filters on it. A create whose
// outcome is unknown (it may have reached the service and no answer said what happened: the
// connection broke, a timeout, a 5xx, a 2xx cut short), or that meets a conflict, looks the value
// up: an item with the same settings is the one an earlier attempt made (or one already there),
// and is returned instead of a duplicate. A create that surely did not reach the service (the
// error says so) is not looked up. Sends, lookups and waits share the call's one deadline, its
// signal and its attempts, and every re-send draws on the client's retry quota.
import { lookupFailedError, settingsConflictError, stoppedError, SwrApiError } from '../errors.js';
import type { CallContext } from '../request/retrying-fetch.js';
import type { RetryQuota } from '../request/retry-policy.js';
import type { Operation } from '../spec/table.js';
import { jsonEqual, resolve, type JsonSchema } from '../spec/validate.js';

/** What a repeatable create needs: the create itself, a search by the unique field, and the call's budget. */
export interface RepeatableSetup<Result> {
  operation: Operation & { conflictLookup: { field: string }; body: { schema: JsonSchema } };
  /** Sends the create once more, within the call's context. */
  create: () => Promise<Result>;
  /** The item whose `field` equals `value` exactly, or undefined. */
  find: (value: unknown) => Promise<Record<string, unknown> | undefined>;
  /** The logical call: its deadline, signal and attempts so far. */
  context: CallContext;
  /** Attempts of the logical call in all (the retry policy's maxAttempts). */
  maxAttempts: number;
  deadlineMs: number;
  quota: RetryQuota;
}

/** The create's result, or the matching item that was already there. */
export type Repeated<Result> =
  { outcome: 'created'; result: Result } | { outcome: 'found'; item: Record<string, unknown>; error: SwrApiError };

/**
 * Whether a failed create's outcome is unknown: it may have reached the service, and no answer
 * said it failed (no answer at all, a 5xx or 408, or a 2xx that could not be read).
 */
export function outcomeUnknown(error: SwrApiError): boolean {
  if (!error.mayHaveReachedService) return false;
  const { status } = error;
  return status === undefined || status >= 500 || status === 408 || (status >= 200 && status < 300);
}

/** Runs a create; after a conflict or an unknown outcome, looks the unique value up before sending again. */
export async function repeatable<Result>(
  setup: RepeatableSetup<Result>,
  body: Record<string, unknown>,
): Promise<Repeated<Result>> {
  const { field } = setup.operation.conflictLookup;
  const { context } = setup;
  const value = body[field];
  const what = `${field} ${JSON.stringify(value)}`;
  for (;;) {
    let error: SwrApiError;
    try {
      return { outcome: 'created', result: await setup.create() };
    } catch (caught) {
      if (!(caught instanceof SwrApiError) || context.signal?.aborted) throw caught;
      error = caught;
    }
    const conflict = error.kind === 'conflict';
    if (!conflict && !outcomeUnknown(error)) throw error;
    let item: Record<string, unknown> | undefined;
    try {
      item = await setup.find(value);
    } catch (lookup) {
      if (context.signal?.aborted) throw lookup;
      throw lookupFailedError(error, what, lookup);
    }
    if (item) {
      const differing = differingFields(setup.operation.body.schema, body, item);
      if (differing.length === 0) return { outcome: 'found', item, error };
      throw settingsConflictError(error, what, item.id, differing);
    }
    // Not there: a conflict on a value nobody holds is the service's to explain; an unknown
    // outcome was not applied, so one more send cannot duplicate it, while the budget lasts.
    if (conflict || context.attempts >= setup.maxAttempts) throw error;
    if (Date.now() >= context.deadline) throw stoppedError(error, 'deadline', setup.deadlineMs);
    if (setup.quota.take(error.kind) === undefined) throw stoppedError(error, 'quota', setup.deadlineMs);
  }
}

/**
 * A zero value: what Harbor (Go's `omitempty`) leaves out of an answer: `false`, `0`, `""`,
 * null, an empty list, an object of zero values.
 */
const isZero = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === false ||
  v === 0 ||
  (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.values(v).every(isZero));

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The fields of a request body whose values an item the service answered does not share: every
 * non-secret field of `schema`. A field the answer leaves out counts as its zero value (Harbor
 * omits zero values), so a non-zero value sent and nothing answered differ: never a match on a
 * field that cannot be seen.
 */
export function differingFields(schema: JsonSchema, sent: unknown, found: unknown, at = ''): string[] {
  const s = resolve(schema);
  if (s['x-sensitive'] === true || s.writeOnly === true) return [];
  // A condition (if/then) declares no fields of its own: they are compared where they are declared.
  if (s.if !== undefined && !s.properties) return [];
  const out = (s.allOf ?? []).flatMap((part) => differingFields(part, sent, found, at));
  if (s.properties) {
    const [mine, theirs] = [asRecord(sent), asRecord(found)];
    for (const [field, fieldSchema] of Object.entries(s.properties)) {
      out.push(...differingFields(fieldSchema, mine?.[field], theirs?.[field], at ? `${at}.${field}` : field));
    }
    return [...new Set(out)];
  }
  if (s.allOf) return out;
  const same = (isZero(sent) && isZero(found)) || jsonEqual(sent, found);
  return same ? [] : [at];
}
