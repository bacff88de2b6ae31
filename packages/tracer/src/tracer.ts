import { defineMiddleware, type InvocationContext, type Middleware, type Request } from '@lambdakit/core';
import { type CreateTracerOptions, createTracer, type Tracer } from './create-tracer.js';
import { enterInvocation } from './current-invocation.js';
import type { InvocationSpans, InvocationTrace } from './invocation-trace.js';

/** Options of the {@link tracer} middleware: a tracer made with `createTracer()`, or the options to make one. */
export type TracerOptions = CreateTracerOptions | { tracer: Tracer };

type TracedRequest = Request<unknown, InvocationContext & { trace: InvocationTrace }>;

/**
 * Traces each invocation: a span for the whole pipeline (middlewares, business logic, cleanup
 * hooks registered after it), a child of the incoming X-Ray trace header, with the invocation's
 * attributes and outcome, and `ctx.trace.span()` for the function's own steps. The spans are
 * exported when the invocation settles, before the handler's promise does (on success, error,
 * timeout and early return), bounded by the deadline. Put it first in the chain, so its span
 * covers the others.
 */
export function tracer(options: TracerOptions = {}): Middleware<unknown, unknown, { trace: InvocationTrace }> {
  const shared = 'tracer' in options ? options.tracer : createTracer(options);
  if (typeof shared?.startInvocation !== 'function') {
    throw new TypeError('tracer({ tracer }): expected a tracer made with createTracer()');
  }
  return defineMiddleware({
    name: 'tracer',
    before: (request: TracedRequest) => {
      const ctx = request.context;
      if (typeof ctx.cleanup !== 'function') {
        throw new TypeError('tracer(): ctx.cleanup is missing; use this middleware on a handler built with lambda()');
      }
      const trace = shared.startInvocation(request.event, ctx) as InvocationSpans;
      ctx.trace = trace;
      // Not recorded: nothing to find, end or export.
      if (!trace.recording) return;
      // For the AWS SDK clients given to traceClient(): their middleware finds the invocation here.
      enterInvocation(trace);
      // Registered first of the chain's hooks, it runs last: spans ended by the other cleanup
      // hooks (an idempotency record saved, metrics flushed) leave with this flush.
      ctx.cleanup(async (outcome) => {
        trace.end(outcome);
        await shared.flush({ deadline: ctx.deadline, trace });
      });
    },
  });
}
