// Keeps secrets (tokens, secret keys, security tokens, signatures) out of logs and errors.

const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set(['x-auth-token', 'x-security-token', 'cookie']);

/** Remembers the secrets a client holds and blanks them out of any text. */
export interface Redactor {
  add(secret: string | undefined): void;
  text(value: string): string;
}

/** Creates a redactor; secrets shorter than 4 characters are ignored, or any text would be shredded. */
export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    add(secret) {
      if (secret && secret.length >= 4) secrets.add(secret);
      // A token provider may rotate tokens: keep only the most recent few.
      if (secrets.size > 16) secrets.delete(secrets.values().next().value!);
    },
    text(value) {
      let out = value;
      for (const secret of secrets) out = out.split(secret).join(REDACTED);
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
