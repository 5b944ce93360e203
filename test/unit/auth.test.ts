// Credentials: how `auth` is resolved and checked, providers under the attempt's signal, the
// caches of providers, and the signer's key reuse. No network.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAuthorization } from '../../src/auth/canonical.js';
import { resolveAuth } from '../../src/auth/credentials.js';
import { cachedCredentials, cachedToken } from '../../src/auth/providers.js';
import { createHeaderSigner } from '../../src/auth/sign.js';
import { SwrValidationError } from '../../src/errors.js';
import { createRedactor } from '../../src/redact.js';

const URL_ = 'https://swr-api.example.com/v2/p/instances/i/registries';
const target = () => ({ method: 'GET', url: URL_, headers: new Headers() });
const context = (refresh = false, signal = new AbortController().signal) => ({ refresh, signal });
const resolve = (auth: unknown) => {
  const redactor = createRedactor();
  return { credentials: resolveAuth(auth, { projectId: 'p1', redactor }), redactor };
};
const refusal = (auth: unknown) => {
  try {
    resolve(auth);
  } catch (error) {
    return error as SwrValidationError;
  }
  throw new Error('accepted');
};

afterEach(() => vi.useRealTimers());

describe('resolveAuth', () => {
  it('a static token: set on every attempt, known to the redactor, no refresh', async () => {
    const { credentials, redactor } = resolve({ token: 'MII-TOKEN-1' });
    expect(credentials.refreshable).toBe(false);
    const t = target();
    await credentials.apply(t, context());
    expect(t.headers.get('x-auth-token')).toBe('MII-TOKEN-1');
    expect(redactor.text('MII-TOKEN-1')).toBe('[REDACTED]');
  });

  it('a token provider: asked every attempt with refresh, its tokens learnt by the redactor', async () => {
    const asked: boolean[] = [];
    const { credentials, redactor } = resolve({
      token: ({ refresh }: { refresh: boolean }) => (asked.push(refresh), `tok-${asked.length}-x`),
    });
    expect(credentials.refreshable).toBe(true);
    const t = target();
    await credentials.apply(t, context());
    await credentials.apply(t, context(true));
    expect(asked).toEqual([false, true]);
    expect(t.headers.get('x-auth-token')).toBe('tok-2-x');
    expect(redactor.text('tok-1-x tok-2-x')).toBe('[REDACTED] [REDACTED]');
  });

  it('AK/SK: signed with the project, the security token learnt by the redactor', async () => {
    const { credentials, redactor } = resolve({
      accessKey: 'AK1',
      secretKey: 'SECRET-KEY-1',
      securityToken: 'STS-TOKEN-1',
    });
    const t = target();
    await credentials.apply(t, context());
    expect(parseAuthorization(t.headers.get('authorization')!)).toMatchObject({
      accessKey: 'AK1',
      signedHeaders: ['host', 'x-project-id', 'x-sdk-date', 'x-security-token'],
    });
    expect(t.headers.get('x-project-id')).toBe('p1');
    expect(redactor.text('SECRET-KEY-1 STS-TOKEN-1')).toBe('[REDACTED] [REDACTED]');
  });

  it('an AK/SK provider: asked every attempt, its rotating keys used as they come', async () => {
    let n = 0;
    const { credentials, redactor } = resolve({
      credentials: async ({ refresh }: { refresh: boolean }) => ({
        accessKey: `AK${++n}`,
        secretKey: `SK-ROTATE-${n}`,
        ...(refresh && { securityToken: 'STS-NEW-1' }),
      }),
    });
    expect(credentials.refreshable).toBe(true);
    const first = target();
    await credentials.apply(first, context());
    const second = target();
    await credentials.apply(second, context(true));
    expect(parseAuthorization(first.headers.get('authorization')!)!.accessKey).toBe('AK1');
    expect(parseAuthorization(second.headers.get('authorization')!)!.accessKey).toBe('AK2');
    expect(second.headers.get('x-security-token')).toBe('STS-NEW-1');
    expect(redactor.text('SK-ROTATE-1 SK-ROTATE-2 STS-NEW-1')).toBe('[REDACTED] [REDACTED] [REDACTED]');
  });

  it.each([
    [{}, 'auth'],
    [null, 'auth'],
    [undefined, 'auth'],
    ['MII-token-as-a-string', 'auth'],
    [{ accessKey: 'AK' }, 'auth.secretKey'],
    [{ secretKey: 'SK' }, 'auth.accessKey'],
    [{ token: '' }, 'auth.token'],
    [{ token: 42 }, 'auth.token'],
    [{ token: 'MII\rrest' }, 'auth.token'],
    [{ token: 'MII rest' }, 'auth.token'],
    [{ accessKey: 'AK', secretKey: '' }, 'auth.secretKey'],
    [{ accessKey: '', secretKey: 'SK' }, 'auth.accessKey'],
    [{ accessKey: 'AK', secretKey: 'SK\n' }, 'auth.secretKey'],
    [{ accessKey: 'AK', secretKey: 'SK', securityToken: 'ST\u0000S' }, 'auth.securityToken'],
    [{ credentials: 'not a function' }, 'auth.credentials'],
  ])('refuses %j naming %s, never the value', (auth, field) => {
    const error = refusal(auth);
    expect(error).toBeInstanceOf(SwrValidationError);
    expect(error.field).toBe(field);
    for (const value of Object.values((auth ?? {}) as object)) {
      if (typeof value === 'string' && value.length > 2) expect(inspect(error)).not.toContain(value);
    }
  });

  it('words each refusal by its rule, and says when a provider gave the value', async () => {
    const rule = (auth: unknown) => refusal(auth).rule;
    expect(rule(undefined)).toBe(
      'must be { token }, { accessKey, secretKey, securityToken? } or { credentials: () => AK/SK }',
    );
    expect(rule({ token: '' })).toBe('must be a non-empty string');
    expect(rule({ token: 'a b' })).toBe(
      'must hold only visible ASCII characters, no spaces, line breaks or control characters',
    );
    expect(rule({ credentials: 42 })).toBe('must be a function');
    const provided = resolve({ credentials: () => null }).credentials;
    await expect(provided.apply(target(), context())).rejects.toMatchObject({
      field: 'auth.credentials',
      rule: 'must be { accessKey, secretKey, securityToken? } (from the auth.credentials provider)',
    });
    const empty = resolve({ token: () => '' }).credentials;
    await expect(empty.apply(target(), context())).rejects.toMatchObject({
      rule: 'must be a non-empty string (from the auth.token provider)',
    });
    // Static credentials cannot be refreshed: a 401 is not worth another attempt with them.
    expect(resolve({ accessKey: 'AK', secretKey: 'SK' }).credentials.refreshable).toBe(false);
    expect(resolve({ token: 'T' }).credentials.refreshable).toBe(false);
  });

  it('checks what a provider gives, naming the provider, never the value', async () => {
    const { credentials } = resolve({ token: () => 'MII-\r\n-INJECTED' });
    const error = (await Promise.resolve(credentials.apply(target(), context())).catch(
      (e: unknown) => e,
    )) as SwrValidationError;
    expect(error).toBeInstanceOf(SwrValidationError);
    expect(error.message).toMatch(/auth\.token must hold only visible ASCII.*\(from the auth\.token provider\)/);
    expect(inspect(error)).not.toContain('INJECTED');
    const aksk = resolve({ credentials: () => 'nope' }).credentials;
    await expect(aksk.apply(target(), context())).rejects.toMatchObject({ field: 'auth.credentials' });
    const half = resolve({ credentials: () => ({ accessKey: 'AK' }) }).credentials;
    await expect(half.apply(target(), context())).rejects.toMatchObject({ field: 'auth.secretKey' });
  });

  it("runs a provider under the attempt's signal: an abort ends the wait at once", async () => {
    const { credentials } = resolve({ token: () => new Promise<string>(() => undefined) });
    const control = new AbortController();
    const pending = credentials.apply(target(), context(false, control.signal));
    control.abort(new DOMException('attempt timed out', 'TimeoutError'));
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(credentials.apply(target(), context(false, AbortSignal.abort()))).rejects.toMatchObject({
      name: 'AbortError',
    });
    const failing = resolve({ token: async () => Promise.reject(new Error('IAM down')) }).credentials;
    await expect(failing.apply(target(), context())).rejects.toThrow('IAM down');
  });
});

describe('cachedToken and cachedCredentials', () => {
  it('reuse a value until shortly before it expires, then fetch anew', async () => {
    let clock = 0;
    let fetched = 0;
    const provider = cachedToken(async () => ({ token: `t${++fetched}`, expiresAt: clock + 10 * 60_000 }), {
      now: () => clock,
    });
    expect(await provider({ refresh: false })).toBe('t1');
    clock += 4 * 60_000;
    expect(await provider({ refresh: false })).toBe('t1');
    clock += 60_001; // now within the 5 minutes of early refresh
    expect(await provider({ refresh: false })).toBe('t2');
  });

  it('fetch anew when asked to refresh (after a 401)', async () => {
    let fetched = 0;
    const provider = cachedToken(async () => ({ token: `t${++fetched}` }));
    expect(await provider({ refresh: false })).toBe('t1');
    expect(await provider({ refresh: true })).toBe('t2');
    expect(await provider({ refresh: false })).toBe('t2');
  });

  it('share one fetch among concurrent callers', async () => {
    let fetched = 0;
    let release!: () => void;
    const provider = cachedToken(() => new Promise((r) => (release = () => r({ token: `t${++fetched}` }))));
    const all = Promise.all([provider({ refresh: false }), provider({ refresh: false }), provider({ refresh: true })]);
    release();
    expect(await all).toEqual(['t1', 't1', 't1']);
    expect(fetched).toBe(1);
  });

  it('trust a value without expiry (or with one that does not parse) for the ttl', async () => {
    let clock = 0;
    let fetched = 0;
    const provider = cachedToken(async () => ({ token: `t${++fetched}`, expiresAt: 'tomorrow-ish' }), {
      now: () => clock,
      ttlMs: 60 * 60_000,
      earlyRefreshMs: 0,
    });
    await provider({ refresh: false });
    clock += 59 * 60_000;
    await provider({ refresh: false });
    expect(fetched).toBe(1);
    clock += 2 * 60_000;
    await provider({ refresh: false });
    expect(fetched).toBe(2);
  });

  it('cachedCredentials caches AK/SK the same way, without the expiry in what it returns', async () => {
    let fetched = 0;
    const provider = cachedCredentials(async () => ({
      accessKey: `AK${++fetched}`,
      secretKey: 'SK',
      securityToken: 'STS',
      expiresAt: new Date(Date.now() + 3600_000),
    }));
    expect(await provider({ refresh: false })).toEqual({ accessKey: 'AK1', secretKey: 'SK', securityToken: 'STS' });
    expect(await provider({ refresh: false })).toEqual({ accessKey: 'AK1', secretKey: 'SK', securityToken: 'STS' });
    expect((await provider({ refresh: true })).accessKey).toBe('AK2');
  });

  it('a failed fetch is not cached', async () => {
    let fetched = 0;
    const provider = cachedToken(async () => {
      if (++fetched === 1) throw new Error('IAM down');
      return { token: 'ok' };
    });
    await expect(provider({ refresh: false })).rejects.toThrow('IAM down');
    expect(await provider({ refresh: false })).toBe('ok');
  });
});

describe('the header signer', () => {
  it('signs with the date of its clock and replaces a stale Authorization and security token', async () => {
    const sign = createHeaderSigner({ projectId: 'p1', now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    const headers = new Headers({ Authorization: 'stale', 'X-Security-Token': 'old' });
    await sign({ method: 'GET', url: URL_, headers }, { accessKey: 'AK', secretKey: 'SK' });
    expect(headers.get('x-sdk-date')).toBe('20260102T030405Z');
    expect(headers.has('x-security-token')).toBe(false);
    expect(parseAuthorization(headers.get('authorization')!)!.signedHeaders).toEqual([
      'host',
      'x-project-id',
      'x-sdk-date',
    ]);
  });

  it('gives each secret key its own signature, and the same key the same one', async () => {
    const sign = createHeaderSigner({ now: () => new Date(0) });
    const signatureWith = async (secretKey: string) => {
      const headers = new Headers();
      await sign({ method: 'GET', url: URL_, headers }, { accessKey: 'AK', secretKey });
      return parseAuthorization(headers.get('authorization')!)!.signature;
    };
    const a = await signatureWith('SK-A');
    const b = await signatureWith('SK-B');
    expect(a).not.toBe(b);
    expect(await signatureWith('SK-A')).toBe(a);
  });

  it('hashes the exact body bytes', async () => {
    const sign = createHeaderSigner({ now: () => new Date(0) });
    const signature = async (body: string) => {
      const headers = new Headers({ 'Content-Type': 'application/json' });
      await sign(
        { method: 'POST', url: URL_, headers, body: new TextEncoder().encode(body) },
        { accessKey: 'AK', secretKey: 'SK' },
      );
      return parseAuthorization(headers.get('authorization')!)!.signature;
    };
    expect(await signature('{"a":1}')).not.toBe(await signature('{"a":1}\n'));
  });
});
