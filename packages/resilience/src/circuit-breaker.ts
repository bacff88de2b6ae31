import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { countsAsFailure, enterBreaker, settleBreaker } from './breaker-engine.js';
import { breakerEngine, type CircuitBreaker } from './create-circuit-breaker.js';
import { CircuitOpenError } from './resilience-error.js';

/** Options of the {@link circuitBreaker} middleware. */
export interface CircuitBreakerOptions<Fallback = never> {
  /** Builds the response returned instead of throwing `CircuitOpenError` (e.g. a 503 for HTTP). */
  onOpen?: ((error: CircuitOpenError, event: unknown, ctx: InvocationContext) => Fallback) | undefined;
}

/**
 * The `lambda()` middleware: the whole invocation is one call through `breaker`. While the breaker
 * refuses calls the business logic does not run; the invocation's outcome (an error that
 * `isFailure` counts, or a timeout) is reported to the breaker on every path.
 */
export function circuitBreaker<Fallback = never>(
  breaker: CircuitBreaker,
  options: CircuitBreakerOptions<Fallback> = {},
): Middleware<unknown, unknown, {}, Awaited<Fallback>> {
  const engine = breakerEngine(breaker);
  const onOpen = options.onOpen;
  if (onOpen !== undefined && typeof onOpen !== 'function') {
    throw new TypeError('circuitBreaker(breaker, { onOpen }): expected a function');
  }
  return defineMiddleware({
    name: 'circuitBreaker',
    async before(request: Request<unknown, InvocationContext>) {
      const ctx = request.context;
      let permit: Awaited<ReturnType<typeof enterBreaker>>;
      try {
        permit = await enterBreaker(engine, ctx);
      } catch (error) {
        if (onOpen === undefined || !(error instanceof CircuitOpenError)) throw error;
        return onOpen(error, request.event, ctx);
      }
      ctx.cleanup((outcome) =>
        settleBreaker(
          engine,
          permit,
          outcome.status === 'timeout' || (outcome.status === 'error' && countsAsFailure(engine, outcome.error)),
          ctx,
        ),
      );
      return undefined;
    },
  });
}
