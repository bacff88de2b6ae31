import { type LambdaContext, type LambdaError, toLambdaError } from '@lambdakit/core';
import { type CreateContextOptions, contextFor } from './create-context.js';

/** Options of {@link invoke}: the context to build, or one to use as is. */
export interface InvokeOptions extends CreateContextOptions {
  context?: LambdaContext | undefined;
}

/** The outcome of {@link invoke}: the result, or the error in Lambda's shape. */
export type InvokeResult<R> =
  | { ok: true; result: R; durationMs: number; context: LambdaContext }
  | { ok: false; error: LambdaError; timedOut: boolean; durationMs: number; context: LambdaContext };

/**
 * Runs a handler the way Lambda would: with a real-shaped context, the error serialised to
 * `{ errorType, errorMessage, trace }`, and the invocation stopped at its deadline
 * (`Task timed out after N seconds`) if the handler has not settled by then.
 */
export async function invoke<E, R>(
  handler: (event: E, context: LambdaContext) => Promise<R> | R,
  event: E,
  options: InvokeOptions = {},
): Promise<InvokeResult<Awaited<R>>> {
  if (typeof handler !== 'function') throw new TypeError(`invoke(handler): expected a function, got ${typeof handler}`);
  if (options.context !== undefined && typeof options.context?.getRemainingTimeInMillis !== 'function') {
    throw new TypeError('invoke({ context }): expected a Lambda context, with getRemainingTimeInMillis()');
  }
  const context = options.context ?? contextFor('invoke', options);
  const started = performance.now();
  const remaining = context.getRemainingTimeInMillis();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = Symbol('timed out');
  const deadline = new Promise<typeof killed>((resolve) => {
    timer = setTimeout(() => resolve(killed), Math.max(0, remaining));
    timer.unref?.();
  });
  try {
    const settled = await Promise.race([Promise.resolve().then(() => handler(event, context)), deadline]);
    const durationMs = performance.now() - started;
    if (settled === killed) {
      const seconds = ((options.timeoutMs ?? remaining) / 1000).toFixed(2);
      return {
        ok: false,
        timedOut: true,
        durationMs,
        context,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `${new Date().toISOString()} ${context.awsRequestId} Task timed out after ${seconds} seconds`,
          trace: [],
        },
      };
    }
    return { ok: true, result: settled as Awaited<R>, durationMs, context };
  } catch (error) {
    return {
      ok: false,
      timedOut: false,
      error: toLambdaError(error),
      durationMs: performance.now() - started,
      context,
    };
  } finally {
    clearTimeout(timer);
  }
}
