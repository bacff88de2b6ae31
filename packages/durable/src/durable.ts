import {
  type DurableExecutionConfig,
  type DurableExecutionInvocationOutput,
  InvocationStatus,
  withDurableExecution,
} from '@aws/durable-execution-sdk-js';
import {
  type BusinessLogic,
  defineHandlerAdapter,
  emitWarning,
  type InvocationContext,
  type LambdaContext,
  type RawHandler,
} from '@lambdakit/core';
import type { DurableFields } from './durable-context.js';
import { DurableError } from './durable-error.js';
import { parseDurablePayload } from './durable-event.js';
import { DURABLE_EXECUTION, type DurableExecutionFacts } from './durable-execution-facts.js';
import { DurableRun, isFirstInvocation } from './durable-run.js';

/** A durable handler's business logic: the chain's event and `ctx`, with the SDK's durable context on `ctx`. */
export type DurableLogic<E, C, R> = (event: E, ctx: C & DurableFields) => Promise<R>;

// Keyed by the Lambda context object each invocation is given (made fresh per invocation by the
// adapter), which the SDK hands back as its durable context's `lambdaContext`.
const runs = new WeakMap<object, DurableRun>();

// Called without a Lambda context (a test): the SDK still asks for the time left.
const NO_CONTEXT = Object.freeze({ getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY });

/**
 * Makes a durable function of a lambdakit chain:
 * `lambda().use(logger()).use(parse(schema)).handle(durable(async (event, ctx) => …))`. The
 * middlewares run on the payload the execution was started with, in every invocation of it;
 * the business logic runs inside the SDK's `withDurableExecution` (given `config`), and `ctx` is
 * both the chain's and the SDK's durable context (`ctx.step`, `ctx.wait`, `ctx.waitForCallback`, …).
 *
 * Replay-aware: code an earlier invocation of the execution already ran writes no `ctx.log`
 * line and adds no `ctx.metrics` metric again. Each invocation ends as the SDK says (`PENDING`
 * when it suspends on a wait, a callback or a retry), after the middlewares' cleanup ran.
 */
export function durable<E, C extends InvocationContext, R>(
  fn: DurableLogic<E, C, R>,
  config?: DurableExecutionConfig,
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
  }, config);

  const logic = async (event: E, ctx: C): Promise<DurableExecutionInvocationOutput> => {
    const run = runs.get(ctx.lambdaContext);
    if (run === undefined) {
      throw new TypeError('durable(fn): call the handler .handle(durable(fn)) returned, not the business logic');
    }
    run.event = event;
    run.ctx = ctx as unknown as DurableRun['ctx'];
    ctx.stage = 'handler';
    let output: DurableExecutionInvocationOutput;
    run.facts.started = true;
    try {
      output = await sdkHandler(run.envelope as never, ctx.lambdaContext as never);
    } catch (error) {
      run.sdkError = error;
      throw error;
    }
    run.output = output;
    run.facts.output = output;
    // The middlewares see the execution's failure as the invocation's (logs flushed, lock
    // released); Lambda is still answered with the SDK's FAILED output by the adapter.
    if (output.Status === InvocationStatus.FAILED) throw run.error ?? new Error(output.Error.ErrorMessage);
    return output;
  };
  return defineHandlerAdapter(logic, durableAdapter);
}

/**
 * Lambda's side: the durable event in, the SDK's answer out; the chain runs on the payload. Only
 * the SDK answers Lambda: an execution is never completed with anything its workflow did not
 * return, whatever a middleware's hook made of the invocation.
 */
function durableAdapter(handler: RawHandler): RawHandler {
  return async (event, context) => {
    const payload = parseDurablePayload(event);
    // A fresh object per invocation, inheriting Lambda's context: the key of this invocation's run.
    const invocationContext = Object.create(context ?? NO_CONTEXT) as LambdaContext;
    const arn = (event as { DurableExecutionArn: string }).DurableExecutionArn;
    const facts: DurableExecutionFacts = { arn, fresh: isFirstInvocation(event) };
    Object.defineProperty(invocationContext, DURABLE_EXECUTION, { value: facts });
    const run = new DurableRun(event, facts);
    runs.set(invocationContext, run);
    let response: unknown;
    let failure: { error: unknown } | undefined;
    try {
      response = await handler(payload, invocationContext);
    } catch (error) {
      failure = { error };
    } finally {
      run.close();
    }
    if (run.output !== undefined) {
      if (failure !== undefined && run.output.Status !== InvocationStatus.FAILED) hookFailed(run.output, failure.error);
      return run.output;
    }
    if (failure !== undefined) throw failure.error;
    // Another execution with the same idempotency key completed: this one, not started yet, ends
    // with its answer. Midway, that would skip the rest of this execution's steps: it fails.
    if (facts.replayed === true && isSucceeded(response)) {
      if (facts.fresh) return response;
      throw new DurableError(
        'DURABLE_ANSWERED_EARLY',
        "durable(): idempotent() found this execution's key completed by another execution midway (its lock outlived by the execution: raise expiresAfterSeconds); it does not take that answer",
      );
    }
    // The pipeline answered although the SDK did not: a hook made a response of a timeout
    // (`onTimeout`) or of the SDK's own failure, or a middleware answered before the workflow ran.
    // The invocation fails instead, and Lambda resumes the execution from its last checkpoint.
    const ctx = run.ctx;
    if (ctx?.timedOut === true) throw ctx.signal.reason;
    if (run.sdkError !== undefined) throw run.sdkError;
    throw new DurableError(
      'DURABLE_ANSWERED_EARLY',
      `durable(): a middleware answered before the workflow ran (${preview(response)}); an execution completes only with what its workflow returns`,
    );
  };
}

function isSucceeded(response: unknown): response is DurableExecutionInvocationOutput {
  const output = response as { Status?: unknown; Result?: unknown } | null;
  return (
    typeof output === 'object' &&
    output !== null &&
    output.Status === InvocationStatus.SUCCEEDED &&
    (output.Result === undefined || typeof output.Result === 'string')
  );
}

/** A hook that ran after the SDK answered threw: Lambda still gets the SDK's answer, and this says why the logs show an error. */
function hookFailed(output: DurableExecutionInvocationOutput, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  emitWarning(
    'LAMBDAKIT_DURABLE_HOOK_FAILED',
    `durable(): a middleware failed after the SDK answered ${output.Status}; Lambda gets that answer. ${reason}`,
  );
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
