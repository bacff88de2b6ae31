import type { InvocationContext } from './invocation-context.js';
import type { Middleware } from './middleware.js';
import { defineMiddleware } from './pipeline.js';
import type { TimeoutError } from './timeout-error.js';

/** Options of the {@link timeout} middleware. */
export interface TimeoutOptions<Fallback = never> {
  /**
   * How long before Lambda's deadline to give up, in milliseconds: enough for cleanup hooks
   * (releasing an idempotency lock, flushing logs) to finish. Default 500.
   */
  marginMs?: number | undefined;
  /**
   * Builds the response returned instead of throwing `TimeoutError` (e.g. a 504 for HTTP).
   * Without it the `TimeoutError` is thrown, so Lambda's retry and DLQ behaviour applies.
   */
  onTimeout?: ((error: TimeoutError, event: unknown, ctx: InvocationContext) => Fallback) | undefined;
}

/** @internal The settings the handler builder reads from a `timeout()` middleware. */
export interface TimeoutSettings {
  marginMs: number;
  onTimeout: ((error: TimeoutError, event: unknown, ctx: InvocationContext) => unknown) | undefined;
}

/** @internal */
export const timeoutSettings = new WeakMap<object, TimeoutSettings>();

/**
 * Timeout-aware cancellation: if the invocation (middlewares and business logic) has not
 * settled by the deadline minus `marginMs`, `ctx.signal` aborts, cleanup hooks run, and the
 * handler throws `TimeoutError` or returns `onTimeout`'s response, without waiting for
 * business logic that ignores the signal. Its place in the `.use()` chain does not matter.
 */
export function timeout<Fallback = never>(
  options: TimeoutOptions<Fallback> = {},
): Middleware<unknown, unknown, {}, Awaited<Fallback>> {
  const marginMs = options.marginMs ?? 500;
  if (!Number.isFinite(marginMs) || marginMs < 0) {
    throw new TypeError(`timeout({ marginMs }): expected a non-negative number of milliseconds, got ${marginMs}`);
  }
  if (options.onTimeout !== undefined && typeof options.onTimeout !== 'function') {
    throw new TypeError('timeout({ onTimeout }): expected a function');
  }
  const middleware = defineMiddleware({ name: 'timeout' });
  timeoutSettings.set(middleware, { marginMs, onTimeout: options.onTimeout });
  return middleware;
}
