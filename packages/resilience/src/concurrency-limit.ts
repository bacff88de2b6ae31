import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import type { ConcurrencyLimiter } from './create-concurrency-limiter.js';
import { ConcurrencyLimitError } from './resilience-error.js';

/** Options of the {@link concurrencyLimit} middleware. */
export interface ConcurrencyLimitOptions<Fallback = never> {
  /** Builds the response given instead of throwing `ConcurrencyLimitError` (e.g. a 429 for HTTP); `undefined` is a response too. */
  onLimit?: ((error: ConcurrencyLimitError, event: unknown, ctx: InvocationContext) => Fallback) | undefined;
}

/**
 * The `lambda()` middleware: the whole invocation holds one slot of `limiter`, taken before the
 * business logic and given back when the invocation settles, on every path. On a timeout the slot
 * is given back while business logic that ignores `ctx.signal` may still run: honour the signal.
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
    async before(request: Request<unknown, InvocationContext> & { earlyResponse?: unknown }) {
      const ctx = request.context;
      let lease: Awaited<ReturnType<ConcurrencyLimiter['acquire']>>;
      try {
        lease = await limiter.acquire(ctx);
      } catch (error) {
        if (onLimit === undefined || !(error instanceof ConcurrencyLimitError)) throw error;
        // Set, not returned: an `onLimit` answering undefined still ends the invocation here.
        request.earlyResponse = await onLimit(error, request.event, ctx);
        return;
      }
      // The deadline passed while the slot was taken: cleanup has run, so give it back now.
      if (ctx.signal.aborted) {
        await lease.release();
        throw ctx.signal.reason;
      }
      ctx.cleanup(() => lease.release());
    },
  });
}
