import { defineMiddleware, emitWarning, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { type DurableExecutionFacts, durableExecutionOf, untouched } from './durable-execution.js';
import { createEngine, type Engine } from './idempotency-engine.js';
import type { IdempotentOptions } from './idempotent-options.js';
import type { Lock } from './lock.js';

/**
 * The `lambda()` middleware: locks the key in `before` (or responds early with the stored
 * result), stores the business logic's result in `after`, releases the lock in `onError`, and
 * through `ctx.cleanup` on a timeout, before the handler returns.
 *
 * In front of `durable()` the key is the execution's, not an invocation's (see the README's
 * "Durable functions"): taken under the execution's ARN, held across its invocations, completed
 * with the SDK's `SUCCEEDED` answer, which another execution of the key then ends with.
 */
export function idempotent<E = unknown>(options: IdempotentOptions<E>): Middleware<E, unknown, {}> {
  const engine = createEngine(options, 'idempotent');
  // Keyed by the invocation's own ctx: concurrent invocations in one process never share a lock.
  const locks = new WeakMap<object, Lock>();
  return defineMiddleware({
    name: 'idempotent',
    async before(request: Request<E, InvocationContext> & { earlyResponse?: unknown }) {
      const execution = durableExecutionOf(request.context.lambdaContext);
      const hold = execution && { owner: execution.arn, releasableOnTimeout: () => untouched(execution) };
      const begun = await engine.begin(request.event, request.context, hold);
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
      const execution = durableExecutionOf(request.context.lambdaContext);
      if (execution === undefined) await engine.complete(lock, request.response);
      else await settleExecution(engine, lock, execution);
    },
    async onError(request: Request<E, InvocationContext>) {
      const lock = locks.get(request.context);
      if (lock === undefined) return;
      const execution = durableExecutionOf(request.context.lambdaContext);
      if (execution === undefined) await engine.release(lock);
      else await settleExecution(engine, lock, execution);
    },
  });
}

/**
 * What an invocation of a durable execution leaves of its key, from the SDK's answer (not from
 * the response the chain ended with, which a later middleware may have changed or failed).
 */
async function settleExecution<E>(engine: Engine<E>, lock: Lock, execution: DurableExecutionFacts): Promise<void> {
  const output = execution.output;
  if (output?.Status === 'SUCCEEDED') {
    if (output.Result !== '') return engine.complete(lock, output);
    // Over 6 MB, the SDK checkpointed the result and answered without it: nothing to replay.
    emitWarning(
      'LAMBDAKIT_IDEMPOTENCY_RESULT_NOT_STORED',
      `lambdakit: the execution holding ${lock.key} answered without its result (over Lambda's 6 MB); the key is given up`,
    );
    return engine.release(lock);
  }
  // Suspended, or failed and retried by Lambda after a checkpoint: the execution keeps its key.
  // Failed (the workflow threw), or stopped before it checkpointed anything: a new start may run.
  if (output?.Status === 'FAILED' || (output === undefined && untouched(execution))) {
    return engine.release(lock);
  }
  engine.keep(lock);
}
