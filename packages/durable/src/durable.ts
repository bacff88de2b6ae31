import {
  type DurableExecutionInvocationOutput,
  InvocationStatus,
  withDurableExecution,
} from '@aws/durable-execution-sdk-js';
import { type BusinessLogic, defineHandlerAdapter, type InvocationContext, type RawHandler } from '@lambdakit/core';
import type { DurableFields } from './durable-context.js';
import { parseDurablePayload } from './durable-event.js';
import { DurableRun } from './durable-run.js';

/** A durable handler's business logic: the chain's event and `ctx`, with the SDK's durable context on `ctx`. */
export type DurableLogic<E, C, R> = (event: E, ctx: C & DurableFields) => Promise<R>;

// Keyed by the Lambda context object each invocation is given (made fresh per invocation by the
// adapter), which the SDK hands back as its durable context's `lambdaContext`.
const runs = new WeakMap<object, DurableRun>();

/**
 * Makes a durable function of a lambdakit chain:
 * `lambda().use(logger()).use(parse(schema)).handle(durable(async (event, ctx) => …))`. The
 * middlewares run on the payload the execution was started with, in every invocation of it;
 * the business logic runs inside the SDK's `withDurableExecution`, and `ctx` is both the chain's
 * and the SDK's durable context (`ctx.step`, `ctx.wait`, `ctx.waitForCallback`, …).
 *
 * Replay-aware: code an earlier invocation of the execution already ran writes no `ctx.log`
 * line and adds no `ctx.metrics` metric again. Each invocation ends as the SDK says (`PENDING`
 * when it suspends on a wait, a callback or a retry), after the middlewares' cleanup ran.
 */
export function durable<E, C extends InvocationContext, R>(
  fn: DurableLogic<E, C, R>,
): BusinessLogic<E, C, DurableExecutionInvocationOutput> {
  if (typeof fn !== 'function') throw new TypeError('durable(fn): fn must be a function');
  const sdkHandler = withDurableExecution(async (_payload: unknown, durableContext) => {
    const run = runs.get(durableContext.lambdaContext)!;
    run.attach(durableContext);
    try {
      return await fn(run.event as E, run.ctx as unknown as C & DurableFields);
    } catch (error) {
      run.error = error;
      throw error;
    }
  });

  const logic = async (event: E, ctx: C): Promise<DurableExecutionInvocationOutput> => {
    const run = runs.get(ctx.lambdaContext);
    if (run === undefined) {
      throw new TypeError('durable(fn): call the handler .handle(durable(fn)) returned, not the business logic');
    }
    run.event = event;
    run.ctx = ctx as unknown as DurableRun['ctx'];
    ctx.stage = 'handler';
    const output = await sdkHandler(run.envelope as never, ctx.lambdaContext as never);
    run.output = output;
    // The middlewares see the execution's failure as the invocation's (logs flushed, lock
    // released); Lambda is still answered with the SDK's FAILED output by the adapter.
    if (output.Status === InvocationStatus.FAILED) throw run.error ?? new Error(output.Error.ErrorMessage);
    return output;
  };
  return defineHandlerAdapter(logic, durableAdapter);
}

/** Lambda's side: the durable event in, the SDK's answer out; the chain runs on the payload. */
function durableAdapter(handler: RawHandler): RawHandler {
  return async (event, context) => {
    const payload = parseDurablePayload(event);
    // A fresh object per invocation, inheriting Lambda's context: the key of this invocation's run.
    const invocationContext = Object.create(context ?? null) as typeof context;
    const run = new DurableRun(event);
    runs.set(invocationContext, run);
    try {
      const response = await handler(payload, invocationContext);
      // A middleware answered without running the logic (an early response): the execution ends with it.
      return run.output ?? { Status: InvocationStatus.SUCCEEDED, Result: JSON.stringify(response) };
    } catch (error) {
      if (run.output !== undefined) return run.output;
      throw error;
    }
  };
}
