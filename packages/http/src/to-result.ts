import { reasonPhrase } from './http-error.js';
import type { HttpResponse } from './http-response.js';
import type { IncomingRequest } from './incoming-request.js';

/** What the handler returns to Lambda: the response format of the source the request came from. */
export interface HttpResult {
  statusCode: number;
  /** ALB only: the status line's text, which it requires. */
  statusDescription?: string;
  headers?: Record<string, string>;
  /** REST APIs (cookies), and ALB target groups with multi-value headers on. */
  multiValueHeaders?: Record<string, string[]>;
  /** HTTP APIs and function URLs: one `Set-Cookie` value each. */
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Writes a response in the request's source format. A `HEAD` request gets the headers without
 * the body. Bytes are sent base64-encoded (every source decodes them for the client).
 */
export function toResult(response: HttpResponse, request: IncomingRequest): HttpResult {
  const bytes = response.body instanceof Uint8Array;
  const body =
    request.method === 'HEAD' || response.body === undefined
      ? ''
      : bytes
        ? Buffer.from(response.body as Uint8Array).toString('base64')
        : (response.body as string);
  const result: HttpResult = { statusCode: response.status, body, isBase64Encoded: bytes && body !== '' };
  const cookies = response.cookies;
  switch (request.source) {
    case 'apigw-http':
    case 'lambda-url':
      result.headers = { ...response.headers };
      if (cookies.length > 0) result.cookies = [...cookies];
      return result;
    case 'apigw-rest':
      result.headers = { ...response.headers };
      if (cookies.length > 0) result.multiValueHeaders = { 'set-cookie': [...cookies] };
      return result;
    case 'alb':
      result.statusDescription = `${response.status} ${reasonPhrase(response.status)}`;
      if (request.multiValue) {
        // A target group with multi-value headers reads only `multiValueHeaders`.
        const multi: Record<string, string[]> = {};
        for (const [name, value] of Object.entries(response.headers)) multi[name] = [value];
        if (cookies.length > 0) multi['set-cookie'] = [...cookies];
        result.multiValueHeaders = multi;
      } else {
        result.headers = { ...response.headers, ...singleValueCookies(cookies) };
      }
      return result;
  }
}

/**
 * Without multi-value headers an ALB response holds one value per header name. Header names are
 * case-insensitive and the response's are JSON keys, so each cookie goes under another casing of
 * `set-cookie` and reaches the client as a `Set-Cookie` line of its own.
 */
function singleValueCookies(cookies: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const name = 'set-cookie';
  cookies.forEach((cookie, n) => {
    let key = '';
    for (let i = 0; i < name.length; i++) {
      const ch = name[i]!;
      key += (n >> i) & 1 ? ch.toUpperCase() : ch;
    }
    out[key] = cookie;
  });
  return out;
}
