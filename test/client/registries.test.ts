// Create, show, update and delete through the client, against the emulator over loopback, with
// AK/SK signing and with a token; and a create that is safe to repeat under every fault the
// emulator can inject: no registry lost, none made twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner } from '../../src/auth/sign.js';
import { SwrApiError, SwrValidationError, type CreateRegistryBody } from '../../src/index.js';
import { startEmulator, type Emulator, type FaultSpec } from '../../src/emulator/index.js';
import { clientFor, harbor } from '../helpers/clients.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ items: { registry: 30 } });
});
afterAll(() => emu.close());

const named = (name: string) => emu.store.items(emu, 'registry')!.filter((r) => r.name === name);

describe.each([
  ['AK/SK signing', undefined],
  ['an IAM token', 'token'],
])('each operation, with %s', (_label, mode) => {
  const swr = () => clientFor(emu, mode === 'token' ? { auth: { token: emu.token } } : {});

  it('create, then list and show see it, the secret kept but answered blank', async () => {
    const body = harbor(`crud-${mode ?? 'aksk'}`);
    const created = await swr().createRegistry(emu.instanceId, body);
    expect(created).toMatchObject({ outcome: 'created', attempts: 1, differences: [] });
    expect(created.requestId).toMatch(/^[0-9a-f]{32}$/);
    const listed = await swr().listAllRegistries(emu.instanceId, { name: body.name });
    expect(listed.registries.map((r) => r.id)).toEqual([created.id]);
    const shown = await swr().getRegistry(emu.instanceId, created.id);
    expect(shown).toMatchObject({
      id: created.id,
      name: body.name,
      type: 'swr-pro',
      url: body.url,
      insecure: false,
      status: 'healthy',
      dns_conf: body.dns_conf,
      // A mask, never the secret: what the service answers (Terraform's passing tests see a non-empty one).
      credential: { type: 'basic', access_key: 'robot$replicator', access_secret: '*****' },
    });
    expect(emu.store.item(emu, 'registry', created.id)?.credential?.access_secret).toBe('robot-secret-0001');
  });

  it('update replaces the settings; status follows the URL', async () => {
    const body = harbor(`upd-${mode ?? 'aksk'}`);
    const { id } = await swr().createRegistry(emu.instanceId, body);
    const before = await swr().getRegistry(emu.instanceId, id);
    const result = await swr().updateRegistry(emu.instanceId, id, {
      ...body,
      url: 'https://gone.invalid',
      description: 'moved',
      dns_conf: { hosts: {} },
    });
    expect(result).toMatchObject({ attempts: 1, differences: [] });
    const after = await swr().getRegistry(emu.instanceId, id);
    expect(after).toMatchObject({ url: 'https://gone.invalid', description: 'moved', status: 'unhealthy' });
    expect(after.created_at).toBe(before.created_at);
  });

  it('delete removes it from list and show', async () => {
    const { id } = await swr().createRegistry(emu.instanceId, harbor(`del-${mode ?? 'aksk'}`));
    expect(await swr().deleteRegistry(emu.instanceId, id)).toMatchObject({ outcome: 'deleted', attempts: 1 });
    const error = await swr()
      .getRegistry(emu.instanceId, id)
      .catch((e: SwrApiError) => e);
    expect(error).toMatchObject({ kind: 'not_found', status: 404, errorCode: 'SVCSTG.SWR.4040003' });
    expect(emu.store.item(emu, 'registry', id)).toBeUndefined();
    await expect(swr().deleteRegistry(emu.instanceId, id)).rejects.toMatchObject({ kind: 'not_found', attempts: 1 });
  });
});

describe('the emulator as a store', () => {
  it('refuses a name already taken with 409, on create and on update', async () => {
    const swr = clientFor(emu);
    const a = await swr.createRegistry(emu.instanceId, harbor('taken-a'));
    const b = await swr.createRegistry(emu.instanceId, harbor('taken-b'));
    // Another URL under a taken name: not the same registry, so a conflict, naming what differs.
    const conflict = await swr
      .createRegistry(emu.instanceId, { ...harbor('taken-a'), url: 'https://elsewhere.example.com' })
      .catch((e: SwrApiError) => e);
    expect(conflict).toMatchObject({ kind: 'conflict', status: 409, errorCode: 'SVCSTG.SWR.4090001' });
    expect(conflict.message).toMatch(new RegExp(`already exists \\(id ${a.id}\\) with other settings: url`));
    const renamed = await swr
      .updateRegistry(emu.instanceId, b.id, { ...harbor('taken-b'), name: 'taken-a' })
      .catch((e: SwrApiError) => e);
    expect(renamed).toMatchObject({ kind: 'conflict', status: 409 });
    expect(named('taken-a')).toHaveLength(1);
  });

  it('answers 400 naming the field for a body the client would not send', async () => {
    const url = `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`;
    const send = (body: string) =>
      fetch(url, { method: 'POST', headers: { 'X-Auth-Token': emu.token, 'Content-Type': 'application/json' }, body });
    const cases: Array<[string, RegExp]> = [
      ['', /Invalid parameter body: is required/],
      ['{"name":', /Invalid parameter body: must be a JSON object/],
      [JSON.stringify({ ...harbor('x'), insecure: 'yes' }), /Invalid parameter insecure: must be true or false/],
      [
        JSON.stringify({ ...harbor('x'), type: 'swr-pro-internal' }),
        /Invalid parameter project_id: is required when type is swr-pro-internal/,
      ],
    ];
    for (const [body, message] of cases) {
      const response = await send(body);
      expect(response.status).toBe(400);
      expect((await response.json()).error_msg).toMatch(message);
    }
    const badId = await fetch(`${url}/abc`, { headers: { 'X-Auth-Token': emu.token } });
    expect(badId.status).toBe(400);
    expect((await badId.json()).error_msg).toMatch(/Invalid parameter registry_id: must be an integer/);
  });

  it('checks the body hash of an AK/SK signature: a body changed after signing is refused', async () => {
    const url = `${emu.url}/v2/${emu.projectId}/instances/${emu.instanceId}/registries`;
    const sign = createSigner(emu.credentials, { projectId: emu.projectId });
    const signed = await sign(
      new Request(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(harbor('signed')),
      }),
    );
    const tampered = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: JSON.stringify({ ...harbor('signed'), url: 'https://attacker.example.com' }),
    });
    expect(tampered.status).toBe(401);
    expect(named('signed')).toHaveLength(0);
    const honest = await fetch(signed);
    expect(honest.status).toBe(201);
    expect(named('signed')).toHaveLength(1);
  });

  it('refuses every operation an IAM policy does not allow, naming the action', async () => {
    const readOnly = await startEmulator({
      items: { registry: 2 },
      tokens: [{ token: 'auditor', actions: ['swr:instance:listRegistries', 'swr:instance:getRegistry'] }],
    });
    try {
      const swr = clientFor(readOnly, { auth: { token: 'auditor' } });
      await expect(swr.getRegistry(readOnly.instanceId, 1)).resolves.toMatchObject({ id: 1 });
      const denied = (await swr.deleteRegistry(readOnly.instanceId, 1).catch((e: unknown) => e)) as SwrApiError;
      expect(denied).toMatchObject({ kind: 'permission', status: 403 });
      expect(Buffer.from(denied.encodedAuthorizationMessage!, 'base64').toString()).toContain(
        'swr:instance:deleteRegistry',
      );
      expect(readOnly.store.item(readOnly, 'registry', 1)).toBeDefined();
    } finally {
      await readOnly.close();
    }
  });
});

describe('checks before the network', () => {
  it('a body breaking a rule is refused with its path, and nothing is sent', async () => {
    const swr = clientFor(emu);
    emu.resetStats();
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => swr.createRegistry(emu.instanceId, { ...harbor('long'), name: 'n'.repeat(65) }), 'name'],
      [() => swr.createRegistry(emu.instanceId, { ...harbor('ee'), type: 'swr-pro-internal' }), 'project_id'],
      [
        () =>
          swr.updateRegistry(emu.instanceId, 1, {
            ...harbor('x'),
            credential: { type: 'basic', access_key: 'k' } as never,
          }),
        'credential.access_secret',
      ],
      [() => swr.getRegistry(emu.instanceId, 2 ** 31), 'registry_id'],
      [() => swr.deleteRegistry(emu.instanceId, 1.5), 'registry_id'],
    ];
    for (const [run, field] of cases) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SwrValidationError);
      expect((error as SwrValidationError).field).toBe(field);
    }
    expect(emu.stats.requests).toBe(0);
  });
});

describe('a create is safe to repeat', () => {
  // Each fault hits the first request of the create; every kind the emulator can inject.
  const faults: Array<[string, FaultSpec, 'created' | 'found']> = [
    ['the answer is lost after the create', { kind: 'lost', times: 1 }, 'found'],
    ['the 201 is cut short', { kind: 'truncate', times: 1 }, 'found'],
    ['a 503 before the create', { kind: 'status', status: 503, times: 1 }, 'created'],
    ['a 500 before the create', { kind: 'status', status: 500, times: 1 }, 'created'],
    ['a reset before the create', { kind: 'reset', times: 1 }, 'created'],
    ['the gateway throttles', { kind: 'throttle', retryAfter: 0, times: 1 }, 'created'],
    ['a proxy answers a 502 page', { kind: 'html', times: 1 }, 'created'],
    ['a slow answer past the timeout', { kind: 'latency', delayMs: 400, times: 1 }, 'created'],
  ];

  it.each(faults)('when %s: one registry, its id returned', async (label, fault, outcome) => {
    const swr = clientFor(emu, { timeoutMs: 200 });
    const body = harbor(`fault-${label.replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64));
    emu.faults.clear();
    emu.faults.add(fault);
    const result = await swr.createRegistry(emu.instanceId, body).catch((e: unknown) => e);
    emu.faults.clear();
    expect(result).toMatchObject({ outcome });
    const stored = named(body.name);
    expect(stored).toHaveLength(1);
    expect((result as { id: number }).id).toBe(stored[0]!.id);
  });

  it('repeated by hand after a lost answer: the same registry, not a second', async () => {
    const swr = clientFor(emu, { retry: { maxAttempts: 1 } });
    const body = harbor('by-hand');
    emu.faults.add({ kind: 'lost', times: 1 });
    const first = await swr.createRegistry(emu.instanceId, body).catch((e: unknown) => e);
    expect(first).toMatchObject({ outcome: 'found' });
    const again = await swr.createRegistry(emu.instanceId, body);
    expect(again).toMatchObject({ outcome: 'found', id: (first as { id: number }).id });
    expect(named('by-hand')).toHaveLength(1);
  });

  it('under a 30% fault rate, 40 creates make exactly 40 registries', async () => {
    // No fault hangs (a lost answer is a reset connection), so a timeout only measures the
    // machine: a generous one. Six attempts make an error here rare (0.4^6 a create).
    const swr = clientFor(emu, { timeoutMs: 10_000, retry: { maxAttempts: 6 } });
    emu.faults.clear();
    for (const kind of ['lost', 'truncate', 'reset'] as const) emu.faults.add({ kind, rate: 0.1 });
    emu.faults.add({ kind: 'status', status: 503, rate: 0.1 });
    const names = Array.from({ length: 40 }, (_, i) => `rate-${i}`);
    const results = await Promise.all(
      names.map((name) => swr.createRegistry(emu.instanceId, harbor(name)).catch((e: unknown) => e)),
    );
    emu.faults.clear();
    const failed = results.filter((r) => r instanceof Error);
    // A create that succeeds made exactly its one registry; one that ends in an error made nothing,
    // or the error says it could not tell (the lookup failed too); none made two.
    for (const [i, name] of names.entries()) {
      const result = results[i];
      const stored = named(name);
      expect(stored.length).toBeLessThanOrEqual(1);
      if (!(result instanceof Error)) expect(stored.map((r) => r.id)).toEqual([(result as { id: number }).id]);
      else if (stored.length === 1) expect(result.message).toMatch(/to see whether it was created failed too/);
    }
    expect(failed.length).toBeLessThan(4);
  });

  it('a lost delete answer: the retry finds it gone and says so', async () => {
    const swr = clientFor(emu);
    const { id } = await swr.createRegistry(emu.instanceId, harbor('lost-delete'));
    emu.faults.add({ kind: 'lost', times: 1 });
    expect(await swr.deleteRegistry(emu.instanceId, id)).toMatchObject({ outcome: 'gone', attempts: 2 });
    expect(named('lost-delete')).toHaveLength(0);
  });

  it('a lost update answer: the PUT is retried, the registry updated once', async () => {
    const swr = clientFor(emu);
    const { id } = await swr.createRegistry(emu.instanceId, harbor('lost-update'));
    emu.faults.add({ kind: 'lost', times: 1 });
    expect(await swr.updateRegistry(emu.instanceId, id, { ...harbor('lost-update'), description: 'v2' })).toMatchObject(
      {
        attempts: 2,
      },
    );
    expect(named('lost-update')[0]?.description).toBe('v2');
  });
});
