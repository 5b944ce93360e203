import type { Error as ErrorBody } from '../../generated/schema.js';

/** An answer the emulator sends: status, JSON body and extra headers. */
export interface Answer {
  status: number;
  body: ErrorBody | Record<string, unknown>;
  /** The body already serialised, when it is built from cached pieces. */
  text?: string;
  headers?: Record<string, string>;
}

/** An error from SWR itself, in its documented format (new fields plus `details`). */
export function swrError(status: number, code: string, message: string, extra: Partial<ErrorBody> = {}): Answer {
  return {
    status,
    body: { error_code: code, error_msg: message, details: [{ error_code: code, error_msg: message }], ...extra },
  };
}

/** An error from the API gateway, before SWR is reached: `APIGW.xxxx` with the request id in the body. */
export function gatewayError(status: number, code: string, message: string, requestId: string): Answer {
  return { status, body: { error_code: code, error_msg: message, request_id: requestId } };
}

/** 401 for anything wrong with the credentials, as the gateway words it. */
export function unauthorized(detail: string, requestId: string): Answer {
  return gatewayError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${detail}`, requestId);
}
