import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { checkRecursion, type DroppedBatch, guardSettings, type RecursionGuardOptions } from './guard-recursion.js';

/**
 * The `lambda()` middleware that stops runaway recursion (a function that triggers itself through a
 * queue, a topic, an event bus or a direct invoke): {@link guardRecursion} before the business
 * logic. Records past `maxDepth` are dropped from a batch (one ERROR log line each, a metric
 * counting them), so their queue does not redeliver them, and a batch left with none is answered
 * `{ batchItemFailures: [] }` without running the business logic; a single event past it is refused
 * with `RecursionLimitError`. Place it before `parse()`, and after `logger()` and `metrics()` so its
 * refusals use them.
 */
export function recursionGuard(options: RecursionGuardOptions): Middleware<unknown, unknown, {}, DroppedBatch> {
  const settings = guardSettings('recursionGuard', options);
  // Synchronous on purpose: the depth entered here is the pipeline's own async context from now on.
  const before = (request: Request<unknown, InvocationContext> & { earlyResponse?: unknown }) => {
    const { event, dropped } = checkRecursion(settings, request.event, request.context);
    if (dropped === 0) return;
    if ((event as { Records: unknown[] }).Records.length === 0) {
      request.earlyResponse = { batchItemFailures: [] } satisfies DroppedBatch;
      return;
    }
    request.event = event;
  };
  return defineMiddleware({ name: 'recursionGuard', before });
}
