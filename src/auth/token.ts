/** Why the client asks for a token: every attempt, or once more after the service answered 401. */
export interface TokenRequest {
  /** True after a 401: a caching provider should fetch a new token instead of returning the cached one. */
  refresh: boolean;
}

/** A static IAM token, or a function that returns one (called before every attempt). */
export type TokenSource = string | ((request: TokenRequest) => string | Promise<string>);

/** Sets `X-Auth-Token` from the given source and returns the token used. */
export async function applyToken(headers: Headers, source: TokenSource, refresh = false): Promise<string> {
  const token = typeof source === 'function' ? await source({ refresh }) : source;
  if (typeof token !== 'string' || token.length === 0) {
    throw new TypeError('auth.token: the token provider returned no token (an empty string or not a string)');
  }
  headers.set('X-Auth-Token', token);
  return token;
}

/**
 * Wraps a token fetcher with a cache: the token is reused until `ttlMs` before it expires or until
 * the service answers 401. Concurrent callers share one fetch.
 */
export function cachedToken(
  fetchToken: () => Promise<{ token: string; expiresAt?: Date | string | number }>,
  options: { ttlMs?: number; earlyRefreshMs?: number; now?: () => number } = {},
): (request: TokenRequest) => Promise<string> {
  const now = options.now ?? Date.now;
  let cached: { token: string; validUntil: number } | undefined;
  let pending: Promise<string> | undefined;
  return async ({ refresh }) => {
    if (!refresh && cached && now() < cached.validUntil) return cached.token;
    pending ??= fetchToken()
      .then(({ token, expiresAt }) => {
        // Huawei tokens live 24 h; without an expiry, trust one for the ttl (default 23 h).
        const expiry =
          expiresAt === undefined ? now() + (options.ttlMs ?? 23 * 3600_000) : new Date(expiresAt).getTime();
        cached = { token, validUntil: expiry - (options.earlyRefreshMs ?? 5 * 60_000) };
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
