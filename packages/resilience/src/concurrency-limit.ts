import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import type { ConcurrencyLimiter } from './create-concurrency-limiter.js';
import { ConcurrencyLimitError } from './resilience-error.js';

/** Options of the {@link concurrencyLimit} middleware. */
export interface ConcurrencyLimitOptions<Fallback = never> {
  /** Builds the response returned instead of throwing `ConcurrencyLimitError` (e.g. a 429 for HTTP). */
  onLimit?: ((error: ConcurrencyLimitError, event: unknown, ctx: InvocationContext) => Fallback) | undefined;
}

/**
 * The `lambda()` middleware: the whole invocation holds one slot of `limiter`, taken before the
 * business logic and given back when the invocation settles, on every path.
 */
export function concurrencyLimit<Fallback = never>(
  limiter: ConcurrencyLimiter,
  options: ConcurrencyLimitOptions<Fallback> = {},
): Middleware<unknown, unknown, {}, Awaited<Fallback>> {
  if (typeof limiter?.acquire !== 'function') {
    throw new TypeError('concurrencyLimit(limiter): expected a limiter from createConcurrencyLimiter()');
  }
  const onLimit = options.onLimit;
  if (onLimit !== undefined && typeof onLimit !== 'function') {
    throw new TypeError('concurrencyLimit(limiter, { onLimit }): expected a function');
  }
  return defineMiddleware({
    name: 'concurrencyLimit',
    async before(request: Request<unknown, InvocationContext>) {
      const ctx = request.context;
      try {
        const lease = await limiter.acquire(ctx);
        ctx.cleanup(() => lease.release());
      } catch (error) {
        if (onLimit === undefined || !(error instanceof ConcurrencyLimitError)) throw error;
        return onLimit(error, request.event, ctx);
      }
      return undefined;
    },
  });
}
