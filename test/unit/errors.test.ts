// Error bodies of every shape, the errors built from them, and redaction of what servers echo.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  attemptsText,
  errorFromAnswer,
  isGatewayThrottle,
  kindOf,
  parseErrorBody,
  SwrApiError,
  SwrValidationError,
} from '../../src/errors.js';
import { createRedactor, redactHeaders } from '../../src/redact.js';

describe('parseErrorBody', () => {
  it('reads the SWR format, the gateway format and the legacy array', () => {
    expect(
      parseErrorBody(
        '{"error_code":"SVCSTG.SWR.4030170","error_msg":"Insufficient permissions","encoded_authorization_message":"enc"}',
        'application/json',
      ),
    ).toEqual({
      errorCode: 'SVCSTG.SWR.4030170',
      errorMsg: 'Insufficient permissions',
      encodedAuthorizationMessage: 'enc',
    });
    expect(parseErrorBody('{"error_code":"APIGW.0308","error_msg":"slow down","request_id":"r1"}', null)).toEqual({
      errorCode: 'APIGW.0308',
      errorMsg: 'slow down',
      requestId: 'r1',
    });
    expect(
      parseErrorBody('[{"errorCode":"SVCSTG.SWR.4001048","errorMessage":"Failed to get Token","detail":""}]', null),
    ).toEqual({ errorCode: 'SVCSTG.SWR.4001048', errorMsg: 'Failed to get Token' });
    expect(
      parseErrorBody('{"errors":[{"errorCode":"C","errorMessage":"M","encoded_authorization_message":"E"}]}', null),
    ).toEqual({ errorCode: 'C', errorMsg: 'M', encodedAuthorizationMessage: 'E' });
    expect(parseErrorBody('{"code":"X","message":"Y"}', null)).toEqual({ errorCode: 'X', errorMsg: 'Y' });
  });

  it('turns HTML, text and odd JSON into a one-line message, and empty into nothing', () => {
    expect(parseErrorBody('', null)).toEqual({});
    expect(parseErrorBody('  \n', null)).toEqual({});
    expect(parseErrorBody('<html><head><title> 502 Bad Gateway </title></head></html>', 'text/html')).toEqual({
      errorMsg: 'HTML page: 502 Bad Gateway',
    });
    expect(parseErrorBody('<!DOCTYPE html><h1>Oops</h1>', null)).toEqual({ errorMsg: 'HTML page: Oops' });
    expect(parseErrorBody('<html></html>', 'text/html')).toEqual({ errorMsg: 'HTML page' });
    expect(parseErrorBody('upstream\n  timed   out', 'text/plain')).toEqual({ errorMsg: 'upstream timed out' });
    expect(parseErrorBody('x'.repeat(300), null).errorMsg).toHaveLength(201);
    expect(parseErrorBody('42', null)).toEqual({ errorMsg: '42' });
    expect(parseErrorBody('{"error_code":"","error_msg":7}', null)).toEqual({});
  });
});

describe('kinds', () => {
  it.each([
    [429, undefined, 'throttled'],
    [400, 'APIGW.0308', 'throttled'],
    [401, undefined, 'auth'],
    [403, undefined, 'permission'],
    [404, undefined, 'not_found'],
    [409, undefined, 'conflict'],
    [408, undefined, 'timeout'],
    [500, undefined, 'server'],
    [599, undefined, 'server'],
    [400, undefined, 'bad_request'],
    [422, undefined, 'bad_request'],
  ] as const)('%i %s is %s', (status, code, kind) => {
    expect(kindOf(status, code)).toBe(kind);
  });
  it('recognises the gateway throttling codes exactly', () => {
    expect(isGatewayThrottle('APIGW.0308')).toBe(true);
    expect(isGatewayThrottle('APIG.0308')).toBe(true);
    expect(isGatewayThrottle('APIGW.03080')).toBe(false);
    expect(isGatewayThrottle(undefined)).toBe(false);
    expect(attemptsText(1)).toBe('1 attempt');
    expect(attemptsText(3)).toBe('3 attempts');
  });
});

describe('errorFromAnswer', () => {
  const SECRET = 'MII-SECRET-TOKEN-0042';
  const redactor = createRedactor();
  redactor.add(SECRET);

  it('states status, code, message, request id and attempts', () => {
    const error = errorFromAnswer(
      {
        method: 'GET',
        path: '/v2/p/instances/i/registries',
        attempts: 1,
        status: 404,
        statusText: 'Not Found',
        headers: new Headers({ 'X-Request-Id': 'req-1', 'Content-Type': 'application/json' }),
        text: '{"error_code":"SVCSTG.SWR.4040002","error_msg":"Instance i not found"}',
      },
      { kind: 'not_found', retryable: false },
      redactor.text,
    );
    expect(error.message).toBe(
      'SWR 404 Not Found: SVCSTG.SWR.4040002 Instance i not found (request id req-1, 1 attempt)',
    );
    expect(error).toMatchObject({ kind: 'not_found', status: 404, requestId: 'req-1', method: 'GET', attempts: 1 });
  });

  it('falls back to the body request id, and says when the body is empty', () => {
    const error = errorFromAnswer(
      { method: 'GET', path: '/', attempts: 3, status: 503, statusText: '', headers: new Headers(), text: '' },
      { kind: 'server', retryable: true },
      redactor.text,
    );
    expect(error.message).toBe('SWR 503: (empty body) (3 attempts)');
    const gateway = errorFromAnswer(
      {
        method: 'GET',
        path: '/',
        attempts: 1,
        status: 429,
        statusText: '',
        headers: new Headers(),
        text: '{"request_id":"g-7"}',
      },
      { kind: 'throttled', retryable: true },
      redactor.text,
    );
    expect(gateway.requestId).toBe('g-7');
  });

  it('redacts a secret that the server echoes in any field it sends', () => {
    const error = errorFromAnswer(
      {
        method: 'GET',
        path: '/',
        attempts: 1,
        status: 401,
        statusText: `Unauthorized ${SECRET}`,
        headers: new Headers({ 'X-Request-Id': `req-${SECRET}` }),
        text: JSON.stringify({
          error_code: `APIGW.${SECRET}`,
          error_msg: `token ${SECRET} expired`,
          encoded_authorization_message: SECRET,
        }),
      },
      { kind: 'auth', retryable: false },
      redactor.text,
    );
    const forms = [error.message, error.stack, inspect(error, { showHidden: true }), JSON.stringify(error)].join('\n');
    expect(forms).not.toContain(SECRET);
    expect(error.requestId).toBe('req-[REDACTED]');
    expect(error.errorMsg).toBe('token [REDACTED] expired');
  });
});

describe('SwrApiError', () => {
  it('copies itself with changes, and serialises its fields (not its cause)', () => {
    const cause = new Error('deep');
    const error = new SwrApiError({
      kind: 'server',
      message: 'boom',
      attempts: 2,
      retryable: true,
      mayHaveReachedService: true,
      status: 503,
      cause,
    });
    const copy = error.with({ offset: 100, message: 'page at offset 100 failed: boom' });
    expect(copy).toBeInstanceOf(SwrApiError);
    expect(copy).toMatchObject({ kind: 'server', status: 503, attempts: 2, offset: 100, retryable: true });
    expect(copy.message).toBe('page at offset 100 failed: boom');
    expect(copy.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(copy))).toMatchObject({ name: 'SwrApiError', message: copy.message, offset: 100 });
    expect(JSON.stringify(copy)).not.toContain('deep');
    expect(
      new SwrApiError({ kind: 'network', message: 'm', attempts: 1, retryable: true, mayHaveReachedService: false })
        .cause,
    ).toBeUndefined();
  });
});

describe('SwrValidationError', () => {
  it('names the field and the rule, quotes the value unless it is a secret, and adds a hint', () => {
    const plain = new SwrValidationError('limit', 'must be an integer from 1 to 100', 500);
    expect(plain.message).toBe('limit must be an integer from 1 to 100 (got 500)');
    expect(plain).toMatchObject({ field: 'limit', rule: 'must be an integer from 1 to 100', got: '500' });
    const secret = new SwrValidationError('auth.token', 'must be visible ASCII', 'MII-TOKEN', { sensitive: true });
    expect(secret.message).toBe('auth.token must be visible ASCII');
    expect(inspect(secret)).not.toContain('MII-TOKEN');
    const long = new SwrValidationError('name', 'is too long', 'x'.repeat(100));
    expect(long.got).toBe(`"${'x'.repeat(60)}…"`);
    expect(new SwrValidationError('a', 'b', { nested: true }).got).toBe('object');
    expect(new SwrValidationError('a', 'b', null).got).toBe('null');
    const hinted = new SwrValidationError('endpoint', 'must use https', 'http://x', { hint: 'set y' });
    expect(hinted.message).toBe('endpoint must use https (got "http://x"); set y');
  });

  it('keeps every problem, without the values of secrets', () => {
    const error = new SwrValidationError('a', 'b', 1, {
      problems: [
        { path: 'a', kind: 'value', rule: 'b', value: 1, sensitive: false },
        { path: 'credential.access_secret', kind: 'type', rule: 'c', value: 'hunter2', sensitive: true },
      ],
    });
    expect(error.problems.map((p) => p.value)).toEqual([1, undefined]);
    expect(inspect(error, { depth: 5 })).not.toContain('hunter2');
  });
});

describe('redaction', () => {
  it('blanks every secret it knows, ignores short ones, keeps the newest sixteen', () => {
    const r = createRedactor();
    r.add('SECRET-A');
    r.add('abc');
    r.add(undefined);
    expect(r.text('x SECRET-A y SECRET-A abc')).toBe('x [REDACTED] y [REDACTED] abc');
    for (let i = 0; i < 20; i++) r.add(`rotated-token-${i}`);
    expect(r.text('rotated-token-19 rotated-token-4 rotated-token-3')).toBe('[REDACTED] [REDACTED] rotated-token-3');
  });

  it('blanks token headers and signatures in headers meant for a log', () => {
    const headers = new Headers({
      'X-Auth-Token': 't',
      'X-Security-Token': 's',
      Cookie: 'c',
      Authorization: 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abcdef0123',
      'X-Sdk-Date': '20260101T000000Z',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=[REDACTED]',
      cookie: '[REDACTED]',
      'x-auth-token': '[REDACTED]',
      'x-sdk-date': '20260101T000000Z',
      'x-security-token': '[REDACTED]',
    });
    expect(redactHeaders(new Headers({ Authorization: 'Bearer abc.def' }))).toEqual({
      authorization: 'Bearer [REDACTED]',
    });
    expect(redactHeaders(new Headers({ Authorization: 'Basic dXNlcjpwYXNz' }))).toEqual({
      authorization: 'Basic [REDACTED]',
    });
  });
});
