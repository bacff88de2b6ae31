import type { InvocationContext } from '@lambdakit/core';
import { type ConcurrencyLease, ConcurrencyLimitError, type ConcurrencyLimiter } from '@lambdakit/resilience';
import { HttpError } from './http-error.js';
import { type HttpResponse, isHttpResponse, type StreamBody, stream } from './http-response.js';
import type { RouteRequest } from './route-types.js';
import { iteratorOf } from './stream-body.js';

/** Options of {@link limitedRoute}. */
export interface LimitedRouteOptions {
  /**
   * The status of a request turned away: 503 (default), since the limit protects a downstream
   * every caller shares, or 429 where the limit is the caller's own.
   */
  status?: 429 | 503 | undefined;
}

/**
 * Runs a route's handler inside a slot of `@lambdakit/resilience`'s concurrency limiter, shared
 * by every sandbox: when all slots stay taken (past the limiter's `waitMs`), the request is
 * answered 503 (or 429) with `Retry-After`, and the handler does not run. A streamed response
 * keeps the slot until its body has been sent.
 */
export function limitedRoute<Req extends RouteRequest<any, any, any, any>, C extends InvocationContext, R>(
  limiter: ConcurrencyLimiter,
  handler: (request: Req, ctx: C) => R | Promise<R>,
  options: LimitedRouteOptions = {},
): (request: Req, ctx: C) => Promise<Awaited<R>> {
  if (typeof limiter?.acquire !== 'function') {
    throw new TypeError('limitedRoute(limiter): expected a limiter from createConcurrencyLimiter()');
  }
  if (typeof handler !== 'function') throw new TypeError('limitedRoute(): the handler must be a function');
  const status = options.status ?? 503;
  if (status !== 429 && status !== 503) {
    throw new TypeError(`limitedRoute({ status }): expected 429 or 503, got ${String(status)}`);
  }
  return async (request: Req, ctx: C): Promise<Awaited<R>> => {
    let lease: ConcurrencyLease;
    try {
      lease = await limiter.acquire(ctx);
    } catch (error) {
      if (!(error instanceof ConcurrencyLimitError)) throw error;
      const seconds = error.retryAt === undefined ? 1 : Math.max(1, Math.ceil((error.retryAt - Date.now()) / 1000));
      throw new HttpError(status, {
        detail: 'Too many requests are being served; try again later.',
        headers: { 'retry-after': String(seconds) },
        cause: error,
      });
    }
    let result: Awaited<R>;
    try {
      result = await handler(request, ctx);
    } catch (error) {
      await lease.release();
      throw error;
    }
    const body = isHttpResponse(result) ? result.stream : undefined;
    if (body === undefined) {
      await lease.release();
      return result;
    }
    // A streamed body is the route's work too (an export reading the downstream page by page):
    // the slot is held until it ends, fails or is let go, and at the latest until the invocation ends.
    const release = () => void lease.release();
    (ctx as { cleanup?: (hook: () => unknown) => void }).cleanup?.(() => lease.release());
    const response = result as HttpResponse;
    return stream(
      response.status,
      releasing(body, release),
      response.headers['content-type'] ?? 'application/octet-stream',
      {
        headers: response.headers,
        cookies: response.cookies,
      },
    ) as Awaited<R>;
  };
}

/** `body`, calling `release` once it has been read to its end, has failed, or has been let go. */
function releasing(body: StreamBody, release: () => void): AsyncIterable<string | Uint8Array> & { return(): void } {
  let released = false;
  const done = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  return {
    [Symbol.asyncIterator]() {
      const chunks = iteratorOf(body);
      return {
        async next() {
          try {
            const next = (await chunks.next()) as IteratorResult<string | Uint8Array>;
            if (next.done === true) done();
            return next;
          } catch (error) {
            done();
            throw error;
          }
        },
        async return(value?: unknown) {
          done();
          await chunks.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
    // A HEAD request lets the body go unread.
    return: done,
  };
}
