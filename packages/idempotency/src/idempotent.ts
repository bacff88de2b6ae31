import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { createEngine } from './idempotency-engine.js';
import type { IdempotentOptions } from './idempotent-options.js';
import type { Lock } from './lock.js';

/**
 * The `lambda()` middleware: locks the key in `before` (or responds early with the stored
 * result), stores the business logic's result in `after`, releases the lock in `onError`, and
 * through `ctx.cleanup` on a timeout, before the handler returns.
 */
export function idempotent<E = unknown>(options: IdempotentOptions<E>): Middleware<E, unknown, {}> {
  const engine = createEngine(options, 'idempotent');
  // Keyed by the invocation's own ctx: concurrent invocations in one process never share a lock.
  const locks = new WeakMap<object, Lock>();
  return defineMiddleware({
    name: 'idempotent',
    async before(request: Request<E, InvocationContext> & { earlyResponse?: unknown }) {
      const begun = await engine.begin(request.event, request.context);
      if (begun.kind === 'replay') {
        // Middy 6 responds early when `earlyResponse` is set, even to `undefined`.
        request.earlyResponse = begun.result;
      } else if (begun.kind === 'run') {
        locks.set(request.context, begun.lock);
      }
    },
    async after(request: Request<E, InvocationContext>) {
      const lock = locks.get(request.context);
      if (lock !== undefined) await engine.complete(lock, request.response);
    },
    async onError(request: Request<E, InvocationContext>) {
      const lock = locks.get(request.context);
      if (lock !== undefined) await engine.release(lock);
    },
  });
}
