// The client's `auth` option, resolved once: what to add to each attempt (an IAM token, or an
// AK/SK signature), whether a 401 is worth one attempt with fresh credentials, and which secrets
// the redactor must know. A provider runs under the attempt's own signal, so its timeout, the
// call's deadline and the caller's abort stop it too.
import { SwrValidationError } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { AkSkCredentials, AkSkProvider, TokenSource } from './providers.js';
import { createHeaderSigner, type SignTarget } from './sign.js';

/** IAM token authentication: a token, or a function called before every attempt. */
export interface TokenAuth {
  token: TokenSource;
}

/** AK/SK signing with credentials from a function called before every attempt (rotating STS keys). */
export interface AkSkProviderAuth {
  credentials: AkSkProvider;
}

export type Auth = TokenAuth | AkSkCredentials | AkSkProviderAuth;

/** Adds one attempt's credentials to its headers: at once when it can (a fixed token, AK/SK in Node), or through a promise. */
export interface Credentials {
  apply(target: SignTarget, context: { refresh: boolean; signal: AbortSignal }): void | Promise<void>;
  /** Whether a 401 earns one more attempt with refreshed credentials (a provider can fetch new ones). */
  readonly refreshable: boolean;
}

// What a header value may hold: visible ASCII. A CR, LF or NUL would be refused by fetch with a
// message that quotes the whole value, secret included; it is refused here, by name only.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** Checks one credential value; the error names the field and the rule, never the value. */
function checkSecret(field: string, value: unknown, from = ''): string {
  if (typeof value !== 'string' || value === '') {
    throw new SwrValidationError(field, `must be a non-empty string${from}`);
  }
  if (!HEADER_SAFE.test(value)) {
    throw new SwrValidationError(
      field,
      `must hold only visible ASCII characters, no spaces, line breaks or control characters${from}`,
    );
  }
  return value;
}

function checkAkSk(value: Partial<AkSkCredentials> | undefined, from = ''): AkSkCredentials {
  if (value === null || typeof value !== 'object') {
    throw new SwrValidationError('auth.credentials', `must be { accessKey, secretKey, securityToken? }${from}`);
  }
  const accessKey = checkSecret('auth.accessKey', value.accessKey, from);
  const secretKey = checkSecret('auth.secretKey', value.secretKey, from);
  if (value.securityToken === undefined) return { accessKey, secretKey };
  return { accessKey, secretKey, securityToken: checkSecret('auth.securityToken', value.securityToken, from) };
}

/** Waits for a provider, but no longer than the attempt's signal allows. */
function underSignal<T>(work: T | Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(work).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves the `auth` option; refuses a malformed one before any request, naming the field. */
export function resolveAuth(auth: unknown, context: { projectId: string; redactor: Redactor }): Credentials {
  const given = auth as Partial<TokenAuth & AkSkCredentials & AkSkProviderAuth> | null | undefined;
  const { redactor } = context;
  if (given && typeof given === 'object' && 'token' in given) {
    const source = given.token;
    if (typeof source === 'function') {
      const provided = ' (from the auth.token provider)';
      return {
        refreshable: true,
        async apply({ headers }, { refresh, signal }) {
          const token = checkSecret('auth.token', await underSignal(source({ refresh }), signal), provided);
          redactor.add(token);
          headers.set('X-Auth-Token', token);
        },
      };
    }
    const token = checkSecret('auth.token', source);
    redactor.add(token);
    return { refreshable: false, apply: ({ headers }) => void headers.set('X-Auth-Token', token) };
  }
  const sign = createHeaderSigner({ projectId: context.projectId });
  if (given && typeof given === 'object' && 'credentials' in given) {
    const provider = given.credentials;
    if (typeof provider !== 'function') throw new SwrValidationError('auth.credentials', 'must be a function');
    const provided = ' (from the auth.credentials provider)';
    return {
      refreshable: true,
      async apply(target, { refresh, signal }) {
        const credentials = checkAkSk(await underSignal(provider({ refresh }), signal), provided);
        redactor.add(credentials.secretKey);
        redactor.add(credentials.securityToken);
        await sign(target, credentials);
      },
    };
  }
  if (given && typeof given === 'object' && ('accessKey' in given || 'secretKey' in given)) {
    const credentials = checkAkSk(given);
    redactor.add(credentials.secretKey);
    redactor.add(credentials.securityToken);
    return { refreshable: false, apply: (target) => sign(target, credentials) };
  }
  throw new SwrValidationError(
    'auth',
    'must be { token }, { accessKey, secretKey, securityToken? } or { credentials: () => AK/SK }',
  );
}
