// Credentials that change over time: a token provider (IAM tokens live 24 h) or an AK/SK provider
// (temporary STS keys rotate). The client calls a provider before every attempt; these helpers
// cache what it fetched until shortly before it expires, or until the service answers 401.

/** Why the client asks: every attempt, or once more after the service answered 401. */
export interface CredentialRequest {
  /** True after a 401: a caching provider should fetch anew instead of returning what it cached. */
  refresh: boolean;
}

/** Permanent or temporary AK/SK credentials. */
export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** For temporary credentials (STS): sent and signed as `X-Security-Token`. */
  securityToken?: string;
}

/** A static IAM token, or a function that returns one (called before every attempt). */
export type TokenSource = string | ((request: CredentialRequest) => string | Promise<string>);

/** A function that returns AK/SK credentials (called before every attempt). */
export type AkSkProvider = (request: CredentialRequest) => AkSkCredentials | Promise<AkSkCredentials>;

interface CacheOptions {
  /** How long to trust a value that comes without `expiresAt` (default 23 h). */
  ttlMs?: number;
  /** Fetch anew this long before `expiresAt` (default 5 min). */
  earlyRefreshMs?: number;
  now?: () => number;
}

/**
 * Caches what `fetch` returns until `earlyRefreshMs` before it expires, or until a refresh is
 * asked for; concurrent callers share one fetch. An `expiresAt` that does not parse as a date
 * counts as absent (the ttl applies), so a provider's odd date never means a fetch per call.
 */
function cacheUntilExpiry<T>(
  fetch: () => Promise<{ value: T; expiresAt?: Date | string | number | undefined }>,
  options: CacheOptions,
): (request: CredentialRequest) => Promise<T> {
  const now = options.now ?? Date.now;
  let cached: { value: T; validUntil: number } | undefined;
  let pending: Promise<T> | undefined;
  return async ({ refresh }) => {
    if (!refresh && cached && now() < cached.validUntil) return cached.value;
    pending ??= fetch()
      .then(({ value, expiresAt }) => {
        const parsed = expiresAt === undefined ? Number.NaN : new Date(expiresAt).getTime();
        const expiry = Number.isFinite(parsed) ? parsed : now() + (options.ttlMs ?? 23 * 3600_000);
        cached = { value, validUntil: expiry - (options.earlyRefreshMs ?? 5 * 60_000) };
        return value;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** Wraps an IAM token fetcher with a cache that refreshes before expiry and after a 401. */
export function cachedToken(
  fetchToken: () => Promise<{ token: string; expiresAt?: Date | string | number }>,
  options: CacheOptions = {},
): (request: CredentialRequest) => Promise<string> {
  return cacheUntilExpiry(async () => {
    const { token, expiresAt } = await fetchToken();
    return { value: token, expiresAt };
  }, options);
}

/** Wraps a fetcher of temporary AK/SK credentials (STS) with the same cache. */
export function cachedCredentials(
  fetchCredentials: () => Promise<AkSkCredentials & { expiresAt?: Date | string | number }>,
  options: CacheOptions = {},
): AkSkProvider {
  return cacheUntilExpiry(async () => {
    const { expiresAt, ...credentials } = await fetchCredentials();
    return { value: credentials, expiresAt };
  }, options);
}
