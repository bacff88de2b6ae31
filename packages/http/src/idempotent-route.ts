import type { InvocationContext } from '@lambdakit/core';
import {
  type IdempotencyContext,
  IdempotencyError,
  type IdempotentOptions,
  makeIdempotent,
} from '@lambdakit/idempotency';
import { HttpError } from './http-error.js';
import { empty, type HttpResponse, isHttpResponse, json, rawResponse, stream } from './http-response.js';
import type { RouteRequest } from './route-types.js';

/** Options of {@link idempotentRoute}: the idempotency store's, keyed by the request's `Idempotency-Key`. */
export interface IdempotentRouteOptions
  extends Pick<IdempotentOptions<unknown>, 'store' | 'expiresAfterSeconds' | 'keyPrefix' | 'localCache'> {
  /** Whether a request without the header is refused (400) or served without idempotency. Default true. */
  required?: boolean | undefined;
  /** The header that carries the key. Default `idempotency-key` (draft-ietf-httpapi-idempotency-key-header). */
  header?: string | undefined;
}

/** The response a route's result is sent as: a response as it is, a value as JSON 200, nothing as 204. */
export type AsResponse<R> =
  R extends HttpResponse<number, unknown>
    ? R
    : [R] extends [undefined | void]
      ? HttpResponse<204, undefined>
      : HttpResponse<200, R>;

/** A response as the idempotency record stores it (JSON: bytes as base64). */
interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string | null;
  bytes: boolean;
}

interface Call<Req, C> {
  key: string;
  fingerprint: string;
  request: Req;
  ctx: C;
}

function store(response: HttpResponse): StoredResponse {
  // Its chunks are sent as they come and never held: there would be nothing to replay.
  if (response.stream !== undefined) {
    throw new TypeError(
      'idempotentRoute(): a streamed response cannot be stored for a retry to replay; answer with json(), text() or binary()',
    );
  }
  const bytes = response.body instanceof Uint8Array;
  const body =
    response.body === undefined
      ? null
      : bytes
        ? Buffer.from(response.body as Uint8Array).toString('base64')
        : (response.body as string);
  return { status: response.status, headers: { ...response.headers }, cookies: [...response.cookies], body, bytes };
}

function restore(stored: StoredResponse): HttpResponse {
  const body = stored.body === null ? undefined : stored.bytes ? Buffer.from(stored.body, 'base64') : stored.body;
  return rawResponse(stored.status, body, { headers: stored.headers, cookies: stored.cookies });
}

const DOOR = 'idempotentRoute()';

/**
 * Makes a route idempotent by the `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header):
 * the first request with a key runs the handler and its response is stored; a retry with the key
 * gets the stored response; a retry while the first still runs gets 409; the key reused for a
 * different request (method, route or body) gets 422; a request without the key gets 400 (unless
 * `required: false`). A handler that throws stores nothing, so a retry runs it again. Built on
 * `@lambdakit/idempotency`'s `makeIdempotent` and its stores.
 */
export function idempotentRoute<Req extends RouteRequest<any, any, any, any>, C extends InvocationContext, R>(
  options: IdempotentRouteOptions,
  handler: (request: Req, ctx: C) => R | Promise<R>,
): (request: Req, ctx: C) => Promise<AsResponse<Awaited<R>>> {
  if (typeof handler !== 'function') throw new TypeError(`${DOOR}: the handler must be a function`);
  const header = (options.header ?? 'idempotency-key').toLowerCase();
  const required = options.required ?? true;
  const run = makeIdempotent(
    async (call: Call<Req, C>): Promise<StoredResponse> => {
      return store(toHttp(await handler(call.request, call.ctx)));
    },
    {
      store: options.store,
      // The client's key, within this route: one key sent to two routes names two requests.
      key: (call) => call.key,
      validatePayload: (call) => call.fingerprint,
      expiresAfterSeconds: options.expiresAfterSeconds,
      keyPrefix: options.keyPrefix,
      localCache: options.localCache,
    },
  );
  const route = async (request: Req, ctx: C): Promise<HttpResponse> => {
    const key = (request.headers as Record<string, string | undefined>)[header];
    if (key === undefined || key === '') {
      if (!required) return toHttp(await handler(request, ctx));
      throw new HttpError(400, {
        detail: `This request needs an ${header} header.`,
        issues: [{ pointer: `/headers/${header}`, code: 'missing', message: `The ${header} header is required` }],
      });
    }
    const call: Call<Req, C> = {
      key: `${request.method} ${request.route} ${key}`,
      fingerprint: `${request.method} ${request.path}\n${request.text ?? ''}`,
      request,
      ctx,
    };
    try {
      return restore(await run(call, ctx as unknown as IdempotencyContext));
    } catch (error) {
      throw asHttpError(error, header);
    }
  };
  // The response sent is the handler's own, replayed or not: its type is the handler's.
  return route as (request: Req, ctx: C) => Promise<AsResponse<Awaited<R>>>;
}

function toHttp(result: unknown): HttpResponse {
  if (isHttpResponse(result)) return result;
  if (result === undefined) return empty(204);
  if (typeof (result as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function') {
    return stream(200, result as AsyncIterable<Uint8Array>, 'application/octet-stream');
  }
  return json(200, result);
}

function asHttpError(error: unknown, header: string): unknown {
  if (!(error instanceof IdempotencyError)) return error;
  if (error.code === 'IDEMPOTENCY_IN_PROGRESS') {
    const seconds =
      error.inProgressExpiresAt === undefined
        ? undefined
        : Math.max(1, Math.ceil((error.inProgressExpiresAt - Date.now()) / 1000));
    return new HttpError(409, {
      detail: `A request with this ${header} is still being processed.`,
      headers: seconds === undefined ? {} : { 'retry-after': String(seconds) },
      cause: error,
    });
  }
  if (error.code === 'IDEMPOTENCY_PAYLOAD_MISMATCH') {
    return new HttpError(422, {
      detail: `This ${header} was used for a different request.`,
      cause: error,
    });
  }
  return error;
}
