// Redaction (src/redact.ts): the secrets a client holds, the spec's secret fields by name, echoed
// signatures and token headers, blanked out of any text that may reach a log or an error.
import { describe, expect, it } from 'vitest';
import { createRedactor, redactHeaders } from '../../src/redact.js';

describe('a redactor', () => {
  it('blanks each secret it was told of, wherever and however often it appears', () => {
    const redactor = createRedactor();
    redactor.add('MII-token-value');
    redactor.add('body-secret-1', 'body');
    expect(redactor.text('a MII-token-value b MII-token-value; body-secret-1')).toBe(
      'a [REDACTED] b [REDACTED]; [REDACTED]',
    );
  });

  it('searches for secrets of 4 characters or more; shorter ones only by field name', () => {
    const redactor = createRedactor();
    redactor.add('abcd');
    redactor.add('xyz');
    redactor.add(undefined);
    expect(redactor.text('abcd xyz')).toBe('[REDACTED] xyz');
    expect(redactor.text('{"access_secret": "xyz"}')).toBe('{"access_secret": "[REDACTED]"}');
  });

  it("blanks a secret field's value by name, whatever its type, and leaves other fields", () => {
    const redactor = createRedactor();
    expect(redactor.text('{"access_secret":["pw"],"name":"n"}')).toBe('{"access_secret":"[REDACTED]","name":"n"}');
    expect(redactor.text('{"access_secret" : {"value":"pw"}}')).toBe('{"access_secret" : "[REDACTED]"}');
    expect(redactor.text('{"access_secret":12345}')).toBe('{"access_secret":"[REDACTED]"}');
    expect(redactor.text('access_secret: pw')).toBe('access_secret: pw');
  });

  it('blanks an echoed request signature, of any request', () => {
    const redactor = createRedactor();
    const echoed = 'denied: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=0123456789abcdef0123';
    expect(redactor.text(echoed)).toBe('denied: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=[REDACTED]');
    expect(redactor.text('signature = ABCDEF0123456789ABCDEF')).toBe('signature = [REDACTED]');
    // Too short to be a signature: a word in prose stays.
    expect(redactor.text('Signature=abc')).toBe('Signature=abc');
  });

  it('keeps the most recent secrets of each kind, so one kind cannot crowd out another', () => {
    const redactor = createRedactor();
    redactor.add('the-credential');
    for (let i = 0; i < 100; i++) redactor.add(`body-secret-${String(i).padStart(3, '0')}`, 'body');
    expect(redactor.text('the-credential')).toBe('[REDACTED]');
    expect(redactor.text('body-secret-099 body-secret-036')).toBe('[REDACTED] [REDACTED]');
    expect(redactor.text('body-secret-035')).toBe('body-secret-035');
    // Credentials: a token provider's rotated tokens, the newest sixteen.
    for (let i = 0; i < 20; i++) redactor.add(`rotated-token-${i}`);
    expect(redactor.text('rotated-token-19 rotated-token-4 rotated-token-3')).toBe(
      '[REDACTED] [REDACTED] rotated-token-3',
    );
  });
});

describe('request headers for a log', () => {
  it('blank token headers whole and the secret part of Authorization, and keep the rest', () => {
    const headers = new Headers({
      'X-Auth-Token': 'MII-token',
      'X-Security-Token': 'sts-token',
      Cookie: 'session=1',
      'X-Sdk-Date': '20260101T000000Z',
      Authorization: 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=0123abcd',
    });
    expect(redactHeaders(headers)).toEqual({
      'x-auth-token': '[REDACTED]',
      'x-security-token': '[REDACTED]',
      cookie: '[REDACTED]',
      'x-sdk-date': '20260101T000000Z',
      authorization: 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=[REDACTED]',
    });
    expect(redactHeaders(new Headers({ Authorization: 'Bearer abc.def' }))).toEqual({
      authorization: 'Bearer [REDACTED]',
    });
    expect(redactHeaders(new Headers({ Authorization: 'basic dXNlcjpwdw==' }))).toEqual({
      authorization: 'basic [REDACTED]',
    });
  });
});

describe('the redactor and body secrets', () => {
  it('blanks a secret field by name in JSON text, whatever its length, escaped quotes included', () => {
    const r = createRedactor();
    expect(r.text('{"access_secret":"ab","access_key":"k"}')).toBe('{"access_secret":"[REDACTED]","access_key":"k"}');
    expect(r.text('{"access_secret" : "a\\"b"}')).toBe('{"access_secret" : "[REDACTED]"}');
    expect(r.text('{"access_secret":""}')).toBe('{"access_secret":""}');
    expect(r.text('access_secret is required')).toBe('access_secret is required');
  });
  it('keeps credential and body secrets apart: many bodies cannot push a token out', () => {
    const r = createRedactor();
    r.add('TOKEN-0001');
    for (let i = 0; i < 100; i++) r.add(`body-secret-${i}`, 'body');
    expect(r.text('TOKEN-0001 body-secret-99 body-secret-0')).toBe('[REDACTED] [REDACTED] body-secret-0');
    for (let i = 0; i < 20; i++) r.add(`token-${i}-xxxx`);
    expect(r.text('TOKEN-0001 token-19-xxxx')).toBe('TOKEN-0001 [REDACTED]');
  });
  it('ignores secrets under 4 characters outside JSON, so text is not shredded', () => {
    const r = createRedactor();
    r.add('abc', 'body');
    expect(r.text('abcdef')).toBe('abcdef');
  });
});
