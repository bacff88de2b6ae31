import { json, type ParseLimits, problemDetails, safeParseEvent } from '@lambdakit/parser';
import * as z from 'zod';
import { HttpError } from './http-error.js';
import type { IncomingRequest } from './incoming-request.js';

/** The zod schema of each part of a request a route validates; a part without one is passed as sent. */
export interface RouteSchemas {
  /** Path parameters (strings as sent, decoded): `z.object({ id: z.uuid() })`. */
  params?: z.ZodType | undefined;
  /** Query parameters: a string per key sent once, an array per repeated key. */
  query?: z.ZodType | undefined;
  /** Headers, names in lower case. */
  headers?: z.ZodType | undefined;
  /** The JSON body (base64 decoded first when so sent); an empty body reaches the schema as `undefined`. */
  body?: z.ZodType | undefined;
  /**
   * The JSON body of each status the route answers with (`{ 200: Order, 404: undefined }`):
   * the handler may then return only those (or problem details), the OpenAPI document lists
   * them, and `http({ checkResponses: true })` checks them at run time (in tests).
   */
  responses?: Readonly<Record<number, z.ZodType | undefined>> | undefined;
  /**
   * The claims API Gateway's authorizer passed on (JWT claims, a Lambda authorizer's context, a
   * Cognito user's claims), validated by this schema and given to the handler as `ctx.claims`:
   * none is a 401, claims the schema refuses a 403.
   */
  claims?: z.ZodType | undefined;
  /** OpenAPI's `summary` of the operation. */
  summary?: string | undefined;
  /** OpenAPI's `tags` of the operation. */
  tags?: readonly string[] | undefined;
}

/** The parts of a request after validation; `query` undefined when the route has no schema for it (read lazily). */
export interface RequestParts {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
  /** The body's text, base64 decoded; undefined when there is none. */
  text: string | undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The body as text: base64 checked (strictly: Node's decoder skips bad characters) and decoded. */
function bodyText(request: IncomingRequest, limits: Readonly<ParseLimits>): string | undefined {
  const body = request.body;
  if (body === undefined || body === '') return undefined;
  if (!request.isBase64Encoded) return body;
  if (body.length % 4 !== 0 || !BASE64.test(body)) {
    throw new HttpError(400, {
      detail: 'The request is invalid: the body is not valid base64.',
      issues: [{ pointer: '/body', code: 'invalid_base64', message: 'The body is not valid base64' }],
    });
  }
  if ((body.length / 4) * 3 - 2 > limits.maxBodyBytes) throw tooLarge(limits);
  return Buffer.from(body, 'base64').toString('utf8');
}

function tooLarge(limits: Readonly<ParseLimits>): HttpError {
  return new HttpError(413, {
    detail: `The body is larger than ${limits.maxBodyBytes} bytes.`,
    issues: [{ pointer: '/body', code: 'too_large', message: `Larger than ${limits.maxBodyBytes} bytes` }],
  });
}

/**
 * Builds, once per route, what validates a request's parts: one zod object for the four parts,
 * with the body parsed as JSON by the parser's `json()` (size, depth and `__proto__` guarded),
 * so every failure is one 400 listing each invalid part by JSON Pointer (`/query/limit`), or a
 * 413 when the body is over `maxBodyBytes`.
 */
export function compileParts(
  schemas: RouteSchemas,
  limits: Readonly<ParseLimits>,
): (request: IncomingRequest, params: Record<string, string>) => RequestParts {
  const { params, query, headers, body } = schemas;
  if (params === undefined && query === undefined && headers === undefined && body === undefined) {
    return (request, raw) => {
      const text = bodyText(request, limits);
      return { params: raw, query: undefined, headers: request.headers, body: undefined, text };
    };
  }
  // Only the parts that have a schema are validated, in one zod object so every failure is one 400.
  const shape: Record<string, z.ZodType> = {};
  if (params !== undefined) shape.params = params;
  if (query !== undefined) shape.query = query;
  if (headers !== undefined) shape.headers = headers;
  // An empty body reaches `body` as undefined (it decides whether that is allowed); text is JSON.
  const withoutBody = z.object(body === undefined ? shape : { ...shape, body });
  const withBody = body === undefined ? withoutBody : z.object({ ...shape, body: json(body, { limits }) });
  return (request, raw) => {
    const text = bodyText(request, limits);
    const input: Record<string, unknown> = {};
    if (params !== undefined) input.params = raw;
    if (query !== undefined) input.query = request.query;
    if (headers !== undefined) input.headers = request.headers;
    if (body !== undefined) input.body = text;
    const result = safeParseEvent(text === undefined ? withoutBody : withBody, input);
    if (!result.success) {
      const issues = result.error.issues;
      if (issues.some((issue) => issue.reason === 'too_large' && issue.path[0] === 'body')) throw tooLarge(limits);
      const details = problemDetails(result.error);
      throw new HttpError(400, { detail: details.detail, issues: details.issues, cause: result.error });
    }
    const data = result.data as Partial<RequestParts>;
    return {
      params: params === undefined ? raw : data.params,
      query: data.query,
      headers: headers === undefined ? request.headers : data.headers,
      body: data.body,
      text,
    };
  };
}
