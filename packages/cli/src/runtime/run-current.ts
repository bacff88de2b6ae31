import type { InvokeStoreBase } from '@aws/lambda-invoke-store';
import { forwardTraceHeader, invocationContext, invocationHeaders } from './invocation-context.js';
import type { LoadedHandler } from './load-handler.js';
import { failStream, responseStream } from './response-stream.js';
import { isPromiseLike, nextTurn, type RuntimeCore } from './runtime-core.js';
import { errorResponse, runtimeError } from './runtime-errors.js';

/**
 * The invocation loop of AWS's 4.x runtime client (nodejs24.x, and Managed Instances): the
 * handler's result is awaited (a plain return value is the response), then answered on the next
 * turn of the event loop. One invocation at a time, or under multi-concurrency each invocation
 * starts as soon as it arrives, inside the invoke store, while the loop asks for the next.
 */
export async function runCurrent(core: RuntimeCore, loaded: LoadedHandler, store: InvokeStoreBase): Promise<never> {
  const { client, settings } = core;
  const processor = loaded.streaming ? new StreamingInvokeProcessor(loaded) : new BufferedInvokeProcessor(loaded);
  for (;;) {
    const next = await client.next();
    const invocation = invocationHeaders(next.headers);
    const context = invocationContext(invocation, 'current');
    if (!settings.multiConcurrent) forwardTraceHeader(invocation.traceId);
    const event: unknown = JSON.parse(next.body);
    const run = () =>
      store.run(
        {
          [Symbol.for('_AWS_LAMBDA_REQUEST_ID')]: invocation.requestId,
          [Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID')]: invocation.traceId,
        },
        () => processor.processInvoke(core, event, context, invocation.requestId),
      );
    if (settings.multiConcurrent) {
      setImmediate(() => {
        run().catch((error: unknown) =>
          core.logError(`Failed to post invocation result for ${invocation.requestId}`, error),
        );
      });
    } else {
      // A failed post (the invocation already answered, the API gone) ends the runtime, as in Lambda.
      await run();
    }
  }
}

/**
 * Calls the handler as a method of an object named as AWS's runtime client names it: the name
 * shows in the first frame of every error's trace (`at BufferedInvokeProcessor.handler`).
 */
abstract class InvokeProcessor {
  readonly handler: LoadedHandler['handler'];
  constructor(protected readonly loaded: LoadedHandler) {
    this.handler = loaded.handler;
  }

  /** Runs one invocation and answers it; rejects only when the answer cannot be posted. */
  abstract processInvoke(
    core: RuntimeCore,
    event: unknown,
    context: Record<string, unknown>,
    requestId: string,
  ): Promise<void>;
}

class BufferedInvokeProcessor extends InvokeProcessor {
  async processInvoke(core: RuntimeCore, event: unknown, context: Record<string, unknown>, requestId: string) {
    try {
      const result = await this.handler(event, context);
      await nextTurn();
      let payload: string;
      try {
        payload = JSON.stringify(result === undefined ? null : result);
      } catch {
        throw runtimeError('Runtime.JSONStringifyError', 'Unable to stringify response body', 'current');
      }
      await core.client.postResponse(requestId, payload);
    } catch (error) {
      await nextTurn();
      core.logError('Invoke Error', error);
      await core.client.postError(requestId, errorResponse(error, 'current'));
    }
  }
}

class StreamingInvokeProcessor extends InvokeProcessor {
  async processInvoke(core: RuntimeCore, event: unknown, context: Record<string, unknown>, requestId: string) {
    const { request, answered } = core.client.streamResponse(requestId, this.loaded.highWaterMark);
    const stream = responseStream(request, 'current');
    try {
      const returned = this.handler(event, stream, context);
      if (!isPromiseLike(returned)) throw new Error('Streaming does not support non-async handlers.');
      if ((await returned) !== undefined) console.warn('Streaming handlers ignore return values.');
      await answered;
      if (!stream.writableFinished) throw new Error('Response stream is not finished.');
    } catch (error) {
      await nextTurn();
      core.logError('Invoke Error', error);
      await failStream(request, errorResponse(error, 'current'));
    }
  }
}
