import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { durableExecutionOf } from './durable-execution.js';
import { createEngine } from './idempotency-engine.js';
import type { IdempotentOptions } from './idempotent-options.js';
import type { Lock } from './lock.js';

/**
 * The `lambda()` middleware: locks the key in `before` (or responds early with the stored
 * result), stores the business logic's result in `after`, releases the lock in `onError`, and
 * through `ctx.cleanup` on a timeout, before the handler returns.
 *
 * In front of `durable()` the key is the execution's: its first invocation takes it under the
 * execution's ARN, later ones hold it on, it is completed with the SDK's `SUCCEEDED` answer and
 * given up when the execution fails; another execution with the same key gets the stored answer
 * (or `IDEMPOTENCY_IN_PROGRESS` while the first one runs).
 */
export function idempotent<E = unknown>(options: IdempotentOptions<E>): Middleware<E, unknown, {}> {
  const engine = createEngine(options, 'idempotent');
  // Keyed by the invocation's own ctx: concurrent invocations in one process never share a lock.
  const locks = new WeakMap<object, Lock>();
  return defineMiddleware({
    name: 'idempotent',
    async before(request: Request<E, InvocationContext> & { earlyResponse?: unknown }) {
      const execution = durableExecutionOf(request.context.lambdaContext);
      const begun = await engine.begin(request.event, request.context, execution?.arn);
      if (begun.kind === 'replay') {
        if (execution !== undefined) execution.replayed = true;
        // Middy 6 responds early when `earlyResponse` is set, even to `undefined`.
        request.earlyResponse = begun.result;
      } else if (begun.kind === 'run') {
        locks.set(request.context, begun.lock);
      }
    },
    async after(request: Request<E, InvocationContext>) {
      const lock = locks.get(request.context);
      if (lock === undefined) return;
      // A durable execution that suspended (PENDING) keeps its key for its next invocation.
      if (durableExecutionOf(request.context.lambdaContext)?.status === 'PENDING') engine.keep(lock);
      else await engine.complete(lock, request.response);
    },
    async onError(request: Request<E, InvocationContext>) {
      const lock = locks.get(request.context);
      if (lock === undefined) return;
      const execution = durableExecutionOf(request.context.lambdaContext);
      // An invocation of a durable execution that failed without failing the execution (a
      // timeout, a crash, a store error) is retried by Lambda: the execution keeps its key.
      if (execution !== undefined && execution.status !== 'FAILED') engine.keep(lock);
      else await engine.release(lock);
    },
  });
}
