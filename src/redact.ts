// Keeps secrets (tokens, secret keys, security tokens, signatures, request bodies' secret fields)
// out of logs and errors.
import { schemas } from '../generated/operations.js';
import { resolve, type JsonSchema } from './spec/validate.js';

const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set(['x-auth-token', 'x-security-token', 'cookie']);

/** Where a secret came from: each kind keeps its own most recent few, so one cannot crowd out another. */
export type SecretKind = 'credential' | 'body';
const KEPT: Record<SecretKind, number> = { credential: 16, body: 64 };

/** Remembers the secrets a client holds and blanks them out of any text. */
export interface Redactor {
  add(secret: string | undefined, kind?: SecretKind): void;
  text(value: string): string;
}

/** The names of the spec's secret fields (x-sensitive or write-only), e.g. `access_secret`. */
function sensitiveFieldNames(): string[] {
  const names = new Set<string>();
  const visit = (schema: JsonSchema) => {
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      const s = field.$ref === undefined ? field : resolve(field);
      if (s['x-sensitive'] === true || s.writeOnly === true) names.add(name);
    }
  };
  Object.values(schemas as Record<string, JsonSchema>).forEach(visit);
  return [...names];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// `"access_secret": "…"` in any text (an error message that echoes a body): blanked by name,
// whatever its length, so even a secret too short to search for is not shown; a secret that is
// not a string (`["pw"]`, `{"value":"pw"}`, a number) is blanked whole.
const SECRET_FIELD = new RegExp(
  `("(?:${sensitiveFieldNames().map(escapeRegExp).join('|') || '(?!)'})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)+"|\\[[^\\]]*\\]|\\{[^}]*\\}|[-0-9.eE+]+|true|false)`,
  'g',
);

const SIGNATURE = /(Signature\s*=\s*)[0-9a-fA-F]{16,}/gi;

/** Creates a redactor; secrets shorter than 4 characters are only blanked by field name, or any text would be shredded. */
export function createRedactor(): Redactor {
  const secrets: Record<SecretKind, Set<string>> = { credential: new Set(), body: new Set() };
  return {
    add(secret, kind = 'credential') {
      const kept = secrets[kind];
      if (secret && secret.length >= 4) (kept.delete(secret), kept.add(secret));
      // A token provider may rotate tokens, a script create many registries: keep the most recent.
      if (kept.size > KEPT[kind]) kept.delete(kept.values().next().value!);
    },
    text(value) {
      let out = value.includes('"') ? value.replace(SECRET_FIELD, `$1"${REDACTED}"`) : value;
      // A signature echoed back (an error page quoting the Authorization header) can be replayed
      // for 15 minutes: blanked whatever request it was of.
      if (out.includes('ignature')) out = out.replace(SIGNATURE, `$1${REDACTED}`);
      for (const kind of ['credential', 'body'] as const) {
        for (const secret of secrets[kind]) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      }
      return out;
    },
  };
}

/** Request headers fit for a log: token headers blanked, the signature of `Authorization` blanked. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (SECRET_HEADERS.has(name)) out[name] = REDACTED;
    else if (name === 'authorization')
      out[name] = value
        .replace(/Signature=[^,\s]*/i, `Signature=${REDACTED}`)
        .replace(/^(Bearer|Basic)\s.*$/i, `$1 ${REDACTED}`);
    else out[name] = value;
  });
  return out;
}
