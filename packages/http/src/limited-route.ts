import type { InvocationContext } from '@lambdakit/core';
import { ConcurrencyLimitError, type ConcurrencyLimiter } from '@lambdakit/resilience';
import { HttpError } from './http-error.js';
import type { RouteRequest } from './route-types.js';

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
 * answered 503 (or 429) with `Retry-After`, and the handler does not run.
 */
export function limitedRoute<Req extends RouteRequest<any, any, any, any>, C extends InvocationContext, R>(
  limiter: ConcurrencyLimiter,
  handler: (request: Req, ctx: C) => R | Promise<R>,
  options: LimitedRouteOptions = {},
): (request: Req, ctx: C) => Promise<Awaited<R>> {
  if (typeof limiter?.run !== 'function') {
    throw new TypeError('limitedRoute(limiter): expected a limiter from createConcurrencyLimiter()');
  }
  if (typeof handler !== 'function') throw new TypeError('limitedRoute(): the handler must be a function');
  const status = options.status ?? 503;
  if (status !== 429 && status !== 503) {
    throw new TypeError(`limitedRoute({ status }): expected 429 or 503, got ${String(status)}`);
  }
  return async (request: Req, ctx: C): Promise<Awaited<R>> => {
    try {
      return await limiter.run(async () => await handler(request, ctx), ctx);
    } catch (error) {
      if (!(error instanceof ConcurrencyLimitError)) throw error;
      const seconds = error.retryAt === undefined ? 1 : Math.max(1, Math.ceil((error.retryAt - Date.now()) / 1000));
      throw new HttpError(status, {
        detail: 'Too many requests are being served; try again later.',
        headers: { 'retry-after': String(seconds) },
        cause: error,
      });
    }
  };
}
