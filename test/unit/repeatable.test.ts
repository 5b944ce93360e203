// The policy of a create made safe to repeat, alone: which failures may have been applied, when a
// lookup runs, what counts as the same registry, how often the create is sent; plus the redactor's
// handling of secrets that request bodies bring. (The loopback tests run it against the emulator.)
import { describe, expect, it, vi } from 'vitest';
import { SwrApiError, type SwrErrorKind } from '../../src/errors.js';
import { createRetryQuota } from '../../src/request/retry-policy.js';
import type { CallContext } from '../../src/request/retrying-fetch.js';
import { operations } from '../../src/spec/table.js';
import { differingFields, outcomeUnknown, repeatable } from '../../src/workflows/repeatable-create.js';

const CREATE = operations.CreateInstanceRegistry;
const error = (kind: SwrErrorKind, status?: number, reached = true) =>
  new SwrApiError({
    kind,
    status,
    retryable: false,
    mayHaveReachedService: reached,
    attempts: 1,
    message: `${kind} ${status ?? ''}`,
    requestId: 'r-1',
  });
const body = {
  name: 'dr',
  type: 'swr-pro',
  url: 'https://dr.example.com',
  credential: { type: 'basic', access_key: 'robot', access_secret: 'pw-1234' },
  dns_conf: { hosts: { 'dr.example.com': '192.0.2.1' } },
  insecure: false,
};

describe('outcomeUnknown', () => {
  it('is false whenever the error says the request surely did not reach the service', () => {
    for (const [kind, status] of [
      ['network', undefined],
      ['timeout', undefined],
      ['server', 503],
    ] as const)
      expect(outcomeUnknown(error(kind, status, false))).toBe(false);
  });
  it.each([
    ['network', undefined, true],
    ['timeout', undefined, true],
    ['server', 500, true],
    ['server', 503, true],
    ['invalid_response', 200, true],
    ['invalid_response', 201, true],
    ['invalid_response', undefined, true],
    ['invalid_response', 307, false],
    ['invalid_response', 199, false],
    ['invalid_response', 300, false],
    ['bad_request', 400, false],
    ['auth', 401, false],
    ['permission', 403, false],
    ['not_found', 404, false],
    ['conflict', 409, false],
    ['throttled', 429, false],
    ['timeout', 408, true],
  ] as Array<[SwrErrorKind, number | undefined, boolean]>)('%s %s: %s', (kind, status, unknown) => {
    expect(outcomeUnknown(error(kind, status))).toBe(unknown);
  });
});

describe('differingFields', () => {
  const answered = {
    id: 7,
    name: 'dr',
    description: '',
    type: 'swr-pro',
    url: 'https://dr.example.com',
    credential: { type: 'basic', access_key: 'robot', access_secret: '' },
    dns_conf: { hosts: { 'dr.example.com': '192.0.2.1' } },
    insecure: false,
    status: 'healthy',
  };
  it('is empty for the same settings: the secret and zero values aside', () => {
    expect(differingFields(CREATE.body.schema, body, answered)).toEqual([]);
    const { insecure: _i, description: _d, ...harborStyle } = answered;
    expect(differingFields(CREATE.body.schema, body, harborStyle)).toEqual([]);
  });
  it('counts a field the answer leaves out as its zero value: a setting sent but not answered differs', () => {
    expect(differingFields(CREATE.body.schema, { ...body, region_id: 'x' }, answered)).toEqual(['region_id']);
    const { insecure: _i, dns_conf: _d, ...harborStyle } = answered;
    expect(differingFields(CREATE.body.schema, { ...body, insecure: true }, harborStyle)).toEqual([
      'dns_conf.hosts',
      'insecure',
    ]);
  });
  it("takes Harbor's zero values for nothing: an empty string, list or map sent, and the field left out", () => {
    const { description: _d, dns_conf: _h, ...harborStyle } = answered;
    const sent = { ...body, description: '', dns_conf: { hosts: {} } };
    expect(differingFields(CREATE.body.schema, sent, harborStyle)).toEqual([]);
    const policy = operations.CreateInstanceReplicationPolicy.body.schema;
    const rule = { name: 'p', filters: [], trigger: { type: 'manual' }, enabled: true };
    expect(differingFields(policy, rule, { name: 'p', trigger: { type: 'manual' }, enabled: true })).toEqual([]);
    expect(differingFields(policy, { ...rule, filters: [{ type: 'name', value: 'a/**' }] }, rule)).toEqual(['filters']);
  });

  it('compares a field sent inside nothing, or answered inside nothing, as its zero value', () => {
    const { dns_conf: _d, ...withoutPin } = body;
    expect(differingFields(CREATE.body.schema, withoutPin, answered)).toEqual(['dns_conf.hosts']);
    expect(differingFields(CREATE.body.schema, body, { ...answered, dns_conf: 'unreadable' })).toEqual([
      'dns_conf.hosts',
    ]);
  });

  it('never compares a secret, whether the spec marks it write-only or sensitive', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string', writeOnly: true }, b: { type: 'string', 'x-sensitive': true } },
    } as const;
    expect(differingFields(schema, { a: 'one', b: 'two' }, {})).toEqual([]);
  });

  it('names each field that differs, nested ones by path', () => {
    const other = {
      ...answered,
      url: 'https://elsewhere.example.com',
      insecure: true,
      credential: { ...answered.credential, access_key: 'someone' },
      dns_conf: { hosts: {} },
    };
    expect(differingFields(CREATE.body.schema, body, other)).toEqual([
      'url',
      'credential.access_key',
      'dns_conf.hosts',
      'insecure',
    ]);
    expect(differingFields(CREATE.body.schema, { ...body, description: 'x' }, answered)).toEqual(['description']);
    expect(
      differingFields(operations.UpdateInstanceRegistry.body.schema, body, { ...answered, name: 'other' }),
    ).toEqual(['name']);
  });
});

describe('repeatable', () => {
  const contextOf = (signal?: AbortSignal): CallContext => ({
    deadline: Date.now() + 60_000,
    signal,
    attempts: 0,
    json: true,
  });
  /** A create whose sends play `outcomes`, each counted as one attempt of the call. */
  function setup(outcomes: Array<SwrApiError | number>, found?: Record<string, unknown>, maxAttempts = 3) {
    const calls = { create: 0, find: 0 };
    const context = contextOf();
    return {
      calls,
      context,
      run: (quota = createRetryQuota(500)) =>
        repeatable(
          {
            operation: CREATE,
            create: async () => {
              context.attempts += 1;
              const next = outcomes[calls.create++];
              if (next instanceof SwrApiError) throw next;
              return next;
            },
            find: async (value) => {
              calls.find += 1;
              expect(value).toBe('dr');
              return found;
            },
            context,
            maxAttempts,
            deadlineMs: 60_000,
            quota,
          },
          body,
        ),
    };
  }

  it('a create that succeeds is neither looked up nor repeated', async () => {
    const s = setup([11]);
    expect(await s.run()).toEqual({ outcome: 'created', result: 11 });
    expect(s.calls).toEqual({ create: 1, find: 0 });
  });

  it('an ambiguous failure: found with the same settings, returned, not sent again', async () => {
    const s = setup([error('timeout')], { id: 7, ...body, credential: { ...body.credential, access_secret: '' } });
    expect(await s.run()).toMatchObject({ outcome: 'found', item: { id: 7 } });
    expect(s.calls).toEqual({ create: 1, find: 1 });
  });

  it('an unknown outcome: not found, sent again while the call has attempts left, then the error', async () => {
    const s = setup([error('server', 503), 12]);
    expect(await s.run()).toEqual({ outcome: 'created', result: 12 });
    expect(s.calls).toEqual({ create: 2, find: 1 });
    const failing = setup([error('network'), error('network'), error('network'), 13], undefined, 3);
    await expect(failing.run()).rejects.toMatchObject({ kind: 'network' });
    expect(failing.calls).toEqual({ create: 3, find: 3 });
  });

  it('a conflict: found and the same, returned; found and different, a conflict naming what differs', async () => {
    const same = setup([error('conflict', 409)], { id: 7, ...body });
    expect(await same.run()).toMatchObject({ outcome: 'found' });
    const other = setup([error('conflict', 409)], { id: 8, ...body, url: 'https://x.example.com' });
    const e = (await other.run().catch((x: unknown) => x)) as SwrApiError;
    expect(e).toMatchObject({ kind: 'conflict', status: 409, requestId: 'r-1' });
    expect(e.message).toBe('name "dr" already exists (id 8) with other settings: url (request id r-1, 1 attempt)');
    expect(other.calls).toEqual({ create: 1, find: 1 });
  });

  it('a conflict on a name nobody holds is the service’s error, not sent again', async () => {
    const s = setup([error('conflict', 409), 14]);
    await expect(s.run()).rejects.toMatchObject({ kind: 'conflict', message: 'conflict 409' });
    expect(s.calls).toEqual({ create: 1, find: 1 });
  });

  it('a failure that was surely not applied is thrown at once', async () => {
    for (const kind of ['bad_request', 'auth', 'permission', 'throttled'] as const) {
      const s = setup([error(kind, 400)]);
      await expect(s.run()).rejects.toMatchObject({ kind });
      expect(s.calls).toEqual({ create: 1, find: 0 });
    }
    // A refused connection never reached the service: no lookup, whatever its kind.
    const refused = setup([error('network', undefined, false)]);
    await expect(refused.run()).rejects.toMatchObject({ kind: 'network' });
    expect(refused.calls).toEqual({ create: 1, find: 0 });
  });

  it('a re-send draws on the retry quota; a spent quota stops it, and says so', async () => {
    const s = setup([error('server', 503), 12]);
    const quota = createRetryQuota(4); // less than a retry costs
    const e = (await s.run(quota).catch((x: unknown) => x)) as SwrApiError;
    expect(e.message).toMatch(/not retried: the client's retry quota is spent/);
    expect(s.calls).toEqual({ create: 1, find: 1 });
  });

  it("the deadline is the call's: past it, no more sends", async () => {
    const s = setup([error('server', 503), 12]);
    (s.context as { deadline: number }).deadline = Date.now() - 1;
    const e = (await s.run().catch((x: unknown) => x)) as SwrApiError;
    expect(e.message).toMatch(/gave up: another attempt would pass the 60000 ms deadline/);
    expect(s.calls).toEqual({ create: 1, find: 1 });
  });

  it('at its deadline to the millisecond, no more sends either', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const s = setup([error('server', 503), 12]);
      (s.context as { deadline: number }).deadline = Date.now();
      await expect(s.run()).rejects.toThrow(/gave up: another attempt would pass the 60000 ms deadline/);
      expect(s.calls).toEqual({ create: 1, find: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("an abort while the lookup runs ends the call with the abort, not the lookup's failure", async () => {
    const controller = new AbortController();
    const reason = new DOMException('stopped', 'AbortError');
    const run = repeatable(
      {
        operation: CREATE,
        create: async () => Promise.reject(error('timeout')),
        find: async () => {
          controller.abort(reason);
          throw new Error('lookup cut short');
        },
        context: contextOf(controller.signal),
        maxAttempts: 3,
        deadlineMs: 60_000,
        quota: createRetryQuota(500),
      },
      body,
    );
    await expect(run).rejects.toThrow('lookup cut short');
    await expect(run).rejects.not.toBeInstanceOf(SwrApiError);
  });

  it('a lookup that fails too: the create’s error, saying so', async () => {
    const e = (await repeatable(
      {
        operation: CREATE,
        create: async () => Promise.reject(error('timeout')),
        find: async () => Promise.reject(new Error('list down')),
        context: contextOf(),
        maxAttempts: 3,
        deadlineMs: 60_000,
        quota: createRetryQuota(500),
      },
      body,
    ).catch((x: unknown) => x)) as SwrApiError;
    expect(e).toMatchObject({ kind: 'timeout' });
    expect(e.message).toBe('timeout ; looking name "dr" up to see whether it was created failed too: list down');
  });

  it('an aborted call is not looked up', async () => {
    const controller = new AbortController();
    controller.abort();
    let found = 0;
    await expect(
      repeatable(
        {
          operation: CREATE,
          create: async () => Promise.reject(error('timeout')),
          find: async () => ((found += 1), undefined),
          context: contextOf(controller.signal),
          maxAttempts: 3,
          deadlineMs: 60_000,
          quota: createRetryQuota(500),
        },
        body,
      ),
    ).rejects.toMatchObject({ kind: 'timeout' });
    expect(found).toBe(0);
  });
});
