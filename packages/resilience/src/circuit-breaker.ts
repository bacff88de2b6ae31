import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { type CircuitVerdict, countsAsFailure, enterBreaker, settleBreaker } from './breaker-engine.js';
import { breakerEngine, type CircuitBreaker } from './create-circuit-breaker.js';
import { CircuitOpenError } from './resilience-error.js';

/** Options of the {@link circuitBreaker} middleware. */
export interface CircuitBreakerOptions<Fallback = never> {
  /** Builds the response given instead of throwing `CircuitOpenError` (e.g. a 503 for HTTP); `undefined` is a response too. */
  onOpen?: ((error: CircuitOpenError, event: unknown, ctx: InvocationContext) => Fallback) | undefined;
}

/**
 * The `lambda()` middleware: the business logic is one call through `breaker`. While the breaker
 * refuses calls the business logic does not run. Its outcome is the verdict: a response is a
 * success, an error that `isFailure` counts (or a timeout) a failure; an invocation answered before
 * the business logic ran (a later middleware's early response) gives none, and a probe it held is
 * handed back. Place it last in the chain, so that what it counts is the business logic.
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
  // Invocations whose business logic answered (the `after` hook runs only then), by their own ctx.
  const answered = new WeakSet<object>();
  return defineMiddleware({
    name: 'circuitBreaker',
    async before(request: Request<unknown, InvocationContext> & { earlyResponse?: unknown }) {
      const ctx = request.context;
      let permit: Awaited<ReturnType<typeof enterBreaker>>;
      try {
        permit = await enterBreaker(engine, ctx);
      } catch (error) {
        if (onOpen === undefined || !(error instanceof CircuitOpenError)) throw error;
        // Set, not returned: an `onOpen` answering undefined still ends the invocation here.
        request.earlyResponse = await onOpen(error, request.event, ctx);
        return;
      }
      // The deadline passed while the permit was asked for: cleanup has run, so hand it back now.
      if (ctx.signal.aborted) {
        await settleBreaker(engine, permit, 'none', ctx);
        throw ctx.signal.reason;
      }
      ctx.cleanup((outcome) => {
        let verdict: CircuitVerdict = 'none';
        if (outcome.status === 'timeout') verdict = 'failure';
        else if (outcome.status === 'error') verdict = countsAsFailure(engine, outcome.error) ? 'failure' : 'none';
        else if (answered.has(ctx)) verdict = 'success';
        return settleBreaker(engine, permit, verdict, ctx);
      });
    },
    after(request: Request<unknown, InvocationContext>) {
      answered.add(request.context);
    },
  });
}
