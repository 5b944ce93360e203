// Error bodies of every shape, the errors built from them, and redaction of what servers echo.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  attemptsText,
  describe as describeValue,
  errorFromAnswer,
  errorFromFailure,
  isGatewayCode,
  isGatewayThrottle,
  kindOf,
  lookupFailedError,
  parseErrorBody,
  settingsConflictError,
  SwrApiError,
  SwrValidationError,
  validationError,
  walkError,
  workflowError,
} from '../../src/errors.js';
import { createRedactor } from '../../src/redact.js';

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

describe('the words and facts of each error', () => {
  const facts = { method: 'GET', path: '/v2/p/x', attempts: 2, requestId: 'req-9' };
  const verdict = { kind: 'network' as const, retryable: true };
  const none = (text: string) => text;

  it('quotes a value: a string in quotes, cut after 60 characters; a number, boolean or null as is; else its type', () => {
    expect(describeValue('x'.repeat(60))).toBe(JSON.stringify('x'.repeat(60)));
    expect(describeValue('x'.repeat(61))).toBe(JSON.stringify(`${'x'.repeat(60)}…`));
    expect([3, false, null, [1], {}, undefined].map(describeValue)).toEqual([
      '3',
      'false',
      'null',
      'an array',
      'object',
      'undefined',
    ]);
  });

  it('counts the problems beyond the first, and keeps no value of a secret', () => {
    const problem = (path: string, sensitive = false) => ({
      path,
      kind: 'value' as const,
      rule: 'r',
      value: 'v',
      sensitive,
    });
    expect(validationError([problem('a')]).message).toBe('a r (got "v")');
    expect(validationError([problem('a'), problem('b')]).message).toBe('a r (got "v"); and 1 more');
    const error = validationError([problem('a'), problem('s', true), problem('c')]);
    expect(error.message).toBe('a r (got "v"); and 2 more');
    expect(error.problems.map((p) => p.value)).toEqual(['v', undefined, 'v']);
    expect(validationError([problem('')]).field).toBe('body');
  });

  it("tells the gateway's own codes by their prefix only, and 408 and 412 by their status", () => {
    expect(['APIGW.0101', 'APIG.0201', 'XAPIGW.0101', 'SWR.APIGW.1', undefined].map(isGatewayCode)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([kindOf(412), kindOf(408), kindOf(400), kindOf(502)]).toEqual([
      'precondition',
      'timeout',
      'bad_request',
      'server',
    ]);
  });

  it('reads only the fields a body gives, empty strings as absent', () => {
    expect(parseErrorBody('{}', 'application/json')).toStrictEqual({});
    expect(parseErrorBody('{"error_code":"","code":"C.1","error_msg":"","message":"m"}', null)).toStrictEqual({
      errorCode: 'C.1',
      errorMsg: 'm',
    });
    expect(parseErrorBody('{"request_id":"r1","encoded_authorization_message":"e"}', null)).toStrictEqual({
      requestId: 'r1',
      encodedAuthorizationMessage: 'e',
    });
  });

  it('gists HTML by its title or heading (attributes and all), and text cut after 200 characters', () => {
    expect(parseErrorBody('<html><head><title lang="en"> Gateway Timeout </title></head></html>', null).errorMsg).toBe(
      'HTML page: Gateway Timeout',
    );
    expect(parseErrorBody('<!DOCTYPE html><h1 class="x">Bad Gateway</h1>', null).errorMsg).toBe(
      'HTML page: Bad Gateway',
    );
    expect(parseErrorBody('<p>no title</p>', 'text/html; charset=utf-8').errorMsg).toBe('HTML page');
    // HTML only at the start, or by its content type: text that mentions <html> later is text.
    expect(parseErrorBody('see <html> docs <title>t</title>', 'text/plain').errorMsg).toBe(
      'see <html> docs <title>t</title>',
    );
    expect(parseErrorBody('a'.repeat(200), null).errorMsg).toBe('a'.repeat(200));
    expect(parseErrorBody('a'.repeat(201), null).errorMsg).toBe(`${'a'.repeat(200)}…`);
  });

  it("says an answer of the gateway's own never reached the service, and one of SWR may have", () => {
    const answer = (text: string) => ({
      ...facts,
      status: 401,
      statusText: 'Unauthorized',
      headers: new Headers(),
      text,
    });
    const gateway = errorFromAnswer(answer('{"error_code":"APIGW.0301","error_msg":"bad token"}'), verdict, none);
    const swr = errorFromAnswer(answer('{"error_code":"SVCSTG.SWR.4010001","error_msg":"no"}'), verdict, none);
    expect([gateway.mayHaveReachedService, swr.mayHaveReachedService]).toEqual([false, true]);
    expect(errorFromAnswer(answer('  \n'), verdict, none).message).toBe(
      'SWR 401 Unauthorized: (empty body) (2 attempts)',
    );
  });

  it('words each failure, with the network error its cause names, and whether it may have reached the service', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const network = errorFromFailure({ type: 'network', host: 'h', reached: false }, facts, verdict, {
      cause: refused,
      redact: none,
    });
    expect(network.message).toBe(
      'network error talking to SWR at h: fetch failed (ECONNREFUSED) (request id req-9, 2 attempts)',
    );
    expect(network).toMatchObject({ mayHaveReachedService: false, cause: refused });
    const byMessage = Object.assign(new Error('fetch failed'), { cause: { message: 'other side closed' } });
    const same = Object.assign(new Error('boom'), { cause: { message: 'boom' } });
    const malformed = (cause: unknown) =>
      errorFromFailure({ type: 'malformed', host: 'h' }, facts, verdict, { cause, redact: none }).message;
    expect(malformed(byMessage)).toBe(
      "SWR's answer from h is not valid HTTP: fetch failed (other side closed) (request id req-9, 2 attempts)",
    );
    expect(malformed(same)).toMatch(/not valid HTTP: boom \(request id/);
    expect(malformed('a string')).toMatch(/not valid HTTP: a string \(request id/);
    const json = errorFromFailure({ type: 'json', status: 200, length: 12 }, facts, verdict, { redact: none });
    expect(json.message).toBe(
      'SWR answered 200 with a body that is not valid JSON (12 characters; truncated?) (request id req-9, 2 attempts)',
    );
    expect(json).toMatchObject({ status: 200, mayHaveReachedService: true });
  });

  it('a conflict of settings, a failed lookup, a walk and a workflow: their kinds and words', () => {
    const created = new SwrApiError({
      kind: 'server',
      retryable: true,
      attempts: 1,
      mayHaveReachedService: true,
      message: 'SWR 500',
    });
    expect(settingsConflictError(created, 'registry "a"', 7, ['insecure'])).toMatchObject({
      kind: 'conflict',
      retryable: false,
      message: 'registry "a" already exists (id 7) with other settings: insecure (1 attempt)',
    });
    expect(lookupFailedError(created, 'registry "a"', 'no answer').message).toBe(
      'SWR 500; looking registry "a" up to see whether it was created failed too: no answer',
    );
    expect(walkError(20, 'w')).toMatchObject({ kind: 'invalid_response', retryable: false, offset: 20 });
    expect(workflowError({ kind: 'precondition', message: 'm' })).toMatchObject({
      retryable: false,
      mayHaveReachedService: true,
      attempts: 1,
    });
    expect(Object.hasOwn(created, 'cause')).toBe(false);
  });
});
