import { forwardTraceHeader, invocationContext, invocationHeaders } from './invocation-context.js';
import type { LoadedHandler } from './load-handler.js';
import { failStream, responseStream } from './response-stream.js';
import { isPromiseLike, type RuntimeCore } from './runtime-core.js';
import { errorResponse } from './runtime-errors.js';

/** The request and tenant of the invocation running now: what 3.x's console lines carry. */
export interface LegacyLoggingContext {
  requestId: string | undefined;
  tenantId: string | undefined;
}

/** What 3.x does with an uncaught exception or unhandled rejection, replaced per invocation. */
export interface LegacyErrorCallbacks {
  uncaughtException(error: unknown): void;
  unhandledRejection(error: unknown): void;
}

/**
 * The invocation loop of AWS's 3.x runtime client (nodejs22.x). A handler answers through its
 * callback, `context.succeed/fail/done`, or the promise it returns; the first of these wins. A
 * callback's result waits for the event loop to empty unless `callbackWaitsForEmptyEventLoop` is
 * false, and a handler that does none of these answers `null` once the event loop is empty.
 */
export function runLegacy(
  core: RuntimeCore,
  loaded: LoadedHandler,
  logging: LegacyLoggingContext,
  errorCallbacks: LegacyErrorCallbacks,
): void {
  let beforeExit: () => void = () => undefined;
  process.on('beforeExit', () => beforeExit());
  const runtime = new Runtime(loaded);
  const { client } = core;

  const scheduleIteration = (): void => {
    setImmediate(() => {
      handleOnce().then(
        () => undefined,
        (error: unknown) => {
          console.log(`Unexpected Top Level Error: ${String(error)}`);
          errorCallbacks.uncaughtException(error);
        },
      );
    });
  };

  const setErrorCallbacks = (requestId: string) => {
    errorCallbacks.uncaughtException = (error) => {
      void client.postError(requestId, errorResponse(error, 'legacy')).finally(() => process.exit(129));
    };
    errorCallbacks.unhandledRejection = (error) => {
      void client.postError(requestId, errorResponse(error, 'legacy')).finally(() => process.exit(128));
    };
  };

  const handleOnce = async (): Promise<void> => {
    const next = await client.next();
    const invocation = invocationHeaders(next.headers);
    logging.requestId = invocation.requestId;
    logging.tenantId = invocation.tenantId;
    const requestId = invocation.requestId;
    if (loaded.streaming) return handleStreaming(next.body, invocation, requestId);
    const [callback, callbackContext, markCompleted] = callbackContextFor(
      core,
      requestId,
      scheduleIteration,
      () => {
        beforeExit = () => undefined;
      },
      (listener) => {
        beforeExit = listener;
      },
    );
    try {
      setErrorCallbacks(requestId);
      beforeExit = () => {
        markCompleted();
        void client.postResponse(requestId, 'null').then(scheduleIteration, errorCallbacks.uncaughtException);
      };
      forwardTraceHeader(invocation.traceId);
      const context = invocationContext(invocation, 'legacy', callbackContext);
      const result = runtime.handler(JSON.parse(next.body), context, callback);
      if (isPromiseLike(result)) {
        Promise.resolve(result).then(callbackContext.succeed, callbackContext.fail).catch(callbackContext.fail);
      }
    } catch (error) {
      callback(error);
    }
  };

  const handleStreaming = async (
    body: string,
    invocation: ReturnType<typeof invocationHeaders>,
    requestId: string,
  ): Promise<void> => {
    const { request, answered } = client.streamResponse(requestId, loaded.highWaterMark);
    const stream = responseStream(request);
    let waitForEmptyEventLoop = true;
    // The next invocation waits for the event loop to empty, unless the handler said not to.
    const scheduleNext = () => {
      beforeExit = () => undefined;
      if (!waitForEmptyEventLoop) scheduleIteration();
      else beforeExit = () => setImmediate(scheduleIteration);
    };
    const fail = async (error: unknown) => {
      core.logError('Invoke Error', error);
      await failStream(request, errorResponse(error, 'legacy'));
      scheduleNext();
    };
    try {
      setErrorCallbacks(requestId);
      beforeExit = scheduleIteration;
      forwardTraceHeader(invocation.traceId);
      const base = {
        get callbackWaitsForEmptyEventLoop() {
          return waitForEmptyEventLoop;
        },
        set callbackWaitsForEmptyEventLoop(value: boolean) {
          waitForEmptyEventLoop = value;
        },
      };
      const context = invocationContext(invocation, 'legacy', base);
      const returned = runtime.handler(JSON.parse(body), stream, context);
      if (!isPromiseLike(returned)) return fail('Streaming does not support non-async handlers.');
      if ((await returned) !== undefined) console.warn('Streaming handlers ignore return values.');
      await answered;
      if (!stream.writableFinished) return fail('Response stream is not finished.');
      scheduleNext();
    } catch (error) {
      await fail(error);
    }
  };

  scheduleIteration();
}

/**
 * Holds the handler so that it is called as a method of an object of this name, as 3.x does: the
 * name shows in the first frame of every error's trace (`at Runtime.handler`).
 */
class Runtime {
  readonly handler: LoadedHandler['handler'];
  constructor(loaded: LoadedHandler) {
    this.handler = loaded.handler;
  }
}

type Callback = (error?: unknown, result?: unknown) => void;
interface CallbackContext {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

/**
 * 3.x's callback and `context.succeed/fail/done` for one invocation. The first call of any of
 * them settles the invocation (later ones are ignored); a response is posted once at most.
 */
function callbackContextFor(
  core: RuntimeCore,
  requestId: string,
  scheduleNext: () => void,
  resetBeforeExit: () => void,
  setBeforeExit: (listener: () => void) => void,
): [Callback, CallbackContext, () => void] {
  const { client } = core;
  let completed = false;
  let waitForEmptyEventLoop = true;
  const onPostFailure = (error: unknown) => {
    console.log(`Unexpected Top Level Error: ${String(error)}`);
    process.exit(129);
  };
  const postError = (error: unknown) => {
    core.logError('Invoke Error', error);
    client.postError(requestId, errorResponse(error, 'legacy')).then(scheduleNext, onPostFailure);
  };
  const complete = (result: unknown) => {
    if (completed) {
      console.error(
        'Invocation has already been reported as done. Cannot call complete more than once per invocation.',
      );
      return;
    }
    completed = true;
    let payload: string;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch {
      throw new Error('Unable to stringify response body');
    }
    client.postResponse(requestId, payload).then(scheduleNext, onPostFailure);
  };
  const callback: Callback = (error, result) => {
    resetBeforeExit();
    if (error !== undefined && error !== null) postError(error);
    else if (!waitForEmptyEventLoop) complete(result);
    else setBeforeExit(() => setImmediate(() => complete(result)));
  };
  const done = (error?: unknown, result?: unknown) => {
    resetBeforeExit();
    if (error !== undefined && error !== null) postError(error);
    else complete(result);
  };
  const context: CallbackContext = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitForEmptyEventLoop = value;
    },
    succeed: (result) => done(null, result),
    fail: (error) => (error === undefined || error === null ? done('handled') : done(error, null)),
    done,
  };
  // Whichever settles first wins; a call that throws (an unserialisable result) does not count.
  let finished = false;
  const once =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      if (finished) return;
      fn(...args);
      finished = true;
    };
  context.succeed = once(context.succeed);
  context.fail = once(context.fail);
  context.done = once(context.done);
  return [
    once(callback),
    context,
    () => {
      completed = true;
    },
  ];
}
