// Verifies credentials the way Huawei Cloud's API gateway does: X-Auth-Token, or an
// SDK-HMAC-SHA256 signature recomputed from the request exactly as received.
import { timingSafeEqual } from 'node:crypto';
import {
  canonicalRequest,
  EMPTY_BODY_SHA256,
  importKey,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signature,
  stringToSign,
  type SigningKey,
} from '../auth/canonical.js';
import { swrError, unauthorized, type Answer } from './errors.js';

/** An IAM token the emulator accepts. */
export interface TokenSpec {
  token: string;
  /** Projects the token is scoped to; omitted means every project. */
  projects?: string[];
  /** IAM actions allowed (e.g. `swr:instance:listRegistries`); omitted means every action. */
  actions?: string[];
  /** After this the token is rejected as expired. */
  expiresAt?: Date | string | number;
}

/** An AK/SK pair the emulator accepts. */
export interface CredentialSpec {
  accessKey: string;
  secretKey: string;
  /** Temporary credentials: the request must carry (and sign) this `X-Security-Token`. */
  securityToken?: string;
  /** Projects the credentials may use; omitted means every project. */
  projects?: string[];
  /** IAM actions allowed; omitted means every action. */
  actions?: string[];
}

/** What the verifier needs of a request. */
export interface ReceivedRequest {
  method: string;
  /** Absolute URL as received (path and query untouched). */
  url: URL;
  headers: { get(name: string): string | null };
  body: Uint8Array;
}

/** Who the caller is, once verified. */
export interface Principal {
  kind: 'token' | 'aksk';
  projects?: string[];
  actions?: string[];
}

/** What verification needs besides the request. */
export interface VerifyConfig {
  credentials: readonly CredentialSpec[];
  /** The emulator's clock, in ms. */
  now: number;
  requestId: string;
  /** Where imported secret keys come from; a cache in the emulator. */
  keyOf?: (secretKey: string) => SigningKey;
}

/** Gateway clock skew limit for X-Sdk-Date. */
export const MAX_SKEW_MS = 15 * 60_000;

/** Verifies the request's credentials; an `Answer` is the 401 to send instead. */
export async function authenticate(
  request: ReceivedRequest,
  config: VerifyConfig & { tokens: readonly TokenSpec[] },
): Promise<Principal | Answer> {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) return verifySignature(request, authorization, config);
  const token = request.headers.get('x-auth-token');
  if (token === null || token === '') return unauthorized('x-auth-token not found', config.requestId);
  const spec = config.tokens.find((t) => safeEqual(t.token, token));
  if (!spec) return unauthorized('decrypt token fail', config.requestId);
  if (spec.expiresAt !== undefined && new Date(spec.expiresAt).getTime() <= config.now) {
    return unauthorized(`token expires, expires_at: ${new Date(spec.expiresAt).toISOString()}`, config.requestId);
  }
  return {
    kind: 'token',
    ...(spec.projects && { projects: spec.projects }),
    ...(spec.actions && { actions: spec.actions }),
  };
}

/** Recomputes an SDK-HMAC-SHA256 signature; exported so tests can pit it against published vectors. */
export async function verifySignature(
  request: ReceivedRequest,
  authorization: string,
  config: VerifyConfig,
): Promise<Principal | Answer> {
  const parsed = parseAuthorization(authorization);
  if (!parsed) return unauthorized('verify aksk signature fail', config.requestId);
  const sdkDate = request.headers.get('x-sdk-date');
  const date = sdkDate === null ? undefined : parseSdkDate(sdkDate);
  if (!date || !parsed.signedHeaders.includes('x-sdk-date')) {
    return unauthorized('verify aksk signature fail', config.requestId);
  }
  if (Math.abs(config.now - date.getTime()) > MAX_SKEW_MS) {
    return unauthorized('calc ak sk signature fail:signature expired', config.requestId);
  }
  const credential = config.credentials.find((c) => c.accessKey === parsed.accessKey);
  if (!credential) {
    return unauthorized(`Get secretKey failed,ak:${parsed.accessKey},err:ak not exist`, config.requestId);
  }
  if (credential.securityToken !== undefined) {
    const sent = request.headers.get('x-security-token');
    if (
      sent === null ||
      !safeEqual(sent, credential.securityToken) ||
      !parsed.signedHeaders.includes('x-security-token')
    ) {
      return unauthorized('verify aksk signature fail', config.requestId);
    }
  }
  const canonical = canonicalRequest({
    method: request.method,
    url: request.url,
    headers: request.headers,
    signedHeaders: parsed.signedHeaders,
    payloadHash: request.body.byteLength > 0 ? await sha256Hex(request.body) : EMPTY_BODY_SHA256,
  });
  const expected = await signature(
    (config.keyOf ?? importKey)(credential.secretKey),
    await stringToSign(canonical, sdkDate!),
  );
  if (!safeEqual(expected, parsed.signature)) return unauthorized('verify aksk signature fail', config.requestId);
  return {
    kind: 'aksk',
    ...(credential.projects && { projects: credential.projects }),
    ...(credential.actions && { actions: credential.actions }),
  };
}

/** 403 when the verified caller has no rights on the project in the path, or not the operation's IAM action, naming it. */
export function checkProjectAccess(principal: Principal, projectId: string, action: string): Answer | undefined {
  const project = !principal.projects || principal.projects.includes(projectId);
  if (project && (!principal.actions || principal.actions.includes(action))) return undefined;
  return swrError(403, 'SVCSTG.SWR.4030170', 'Insufficient permissions', {
    encoded_authorization_message: Buffer.from(
      JSON.stringify({ action, project: projectId, decision: 'deny' }),
    ).toString('base64'),
  });
}

/** Imports each secret key once: an import costs about as much as a signature. */
export function createKeyCache(): (secretKey: string) => SigningKey {
  const keys = new Map<string, SigningKey>();
  return (secretKey) => {
    let key = keys.get(secretKey);
    if (!key) keys.set(secretKey, (key = importKey(secretKey)));
    return key;
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
