import {
  forwardTraceHeader,
  type InvocationHeaders,
  invocationContext,
  invocationHeaders,
} from './invocation-context.js';
import { legacyCallbackContext } from './legacy-callback-context.js';
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

/** 3.x's process-wide state: the `beforeExit` listener (registered before the function loads) and the error callbacks. */
export interface LegacyProcessState {
  logging: LegacyLoggingContext;
  errorCallbacks: LegacyErrorCallbacks;
  beforeExit: () => void;
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

/**
 * The invocation loop of AWS's 3.x runtime client (nodejs22.x). A handler answers through its
 * callback, `context.succeed/fail/done`, or the promise it returns; the first of these wins. A
 * handler that does none of these answers `null` once the event loop is empty. Each iteration
 * starts on the next turn of the event loop, once the previous invocation was answered.
 */
export function runLegacy(core: RuntimeCore, loaded: LoadedHandler, state: LegacyProcessState): void {
  const runtime = new Runtime(loaded);
  const scheduleIteration = (): void => {
    setImmediate(() => {
      handleOnce().then(
        () => undefined,
        (error: unknown) => {
          console.log(`Unexpected Top Level Error: ${String(error)}`);
          state.errorCallbacks.uncaughtException(error);
        },
      );
    });
  };
  const handleOnce = async (): Promise<void> => {
    const next = await core.client.next();
    const invocation = invocationHeaders(next.headers);
    state.logging.requestId = invocation.requestId;
    state.logging.tenantId = invocation.tenantId;
    setErrorCallbacks(core, state, invocation.requestId);
    const handle = loaded.streaming ? handleStreaming : handleBuffered;
    await handle(core, state, runtime, loaded, next.body, invocation, scheduleIteration);
  };
  scheduleIteration();
}

/** During an invocation, an uncaught error fails it, then the runtime exits (129 an exception, 128 a rejection). */
function setErrorCallbacks(core: RuntimeCore, state: LegacyProcessState, requestId: string): void {
  const failAndExit = (code: number) => (error: unknown) => {
    void core.client.postError(requestId, errorResponse(error, 'legacy')).finally(() => process.exit(code));
  };
  state.errorCallbacks.uncaughtException = failAndExit(129);
  state.errorCallbacks.unhandledRejection = failAndExit(128);
}

async function handleBuffered(
  core: RuntimeCore,
  state: LegacyProcessState,
  runtime: Runtime,
  _loaded: LoadedHandler,
  body: string,
  invocation: InvocationHeaders,
  scheduleIteration: () => void,
): Promise<void> {
  const { requestId } = invocation;
  const [callback, callbackContext, markCompleted] = legacyCallbackContext(core, requestId, {
    scheduleNext: scheduleIteration,
    setBeforeExit: (listener) => {
      state.beforeExit = listener;
    },
    onPostFailure: (error) => {
      console.log(`Unexpected Top Level Error: ${String(error)}`);
      process.exit(129);
    },
  });
  try {
    // Nothing settled the invocation by the time the event loop empties: the answer is null.
    state.beforeExit = () => {
      markCompleted();
      core.client.postResponse(requestId, 'null').then(scheduleIteration, state.errorCallbacks.uncaughtException);
    };
    forwardTraceHeader(invocation.traceId);
    const context = invocationContext(invocation, 'legacy', callbackContext);
    const result = runtime.handler(JSON.parse(body), context, callback);
    if (isPromiseLike(result)) {
      Promise.resolve(result).then(callbackContext.succeed, callbackContext.fail).catch(callbackContext.fail);
    }
  } catch (error) {
    callback(error);
  }
}

async function handleStreaming(
  core: RuntimeCore,
  state: LegacyProcessState,
  runtime: Runtime,
  loaded: LoadedHandler,
  body: string,
  invocation: InvocationHeaders,
  scheduleIteration: () => void,
): Promise<void> {
  const { request, answered } = core.client.streamResponse(invocation.requestId, loaded.highWaterMark);
  const stream = responseStream(request, 'legacy');
  let waitForEmptyEventLoop = true;
  // The next invocation waits for the event loop to empty, unless the handler said not to.
  const scheduleNext = () => {
    state.beforeExit = () => undefined;
    if (!waitForEmptyEventLoop) scheduleIteration();
    else state.beforeExit = () => setImmediate(scheduleIteration);
  };
  const fail = async (error: unknown) => {
    core.logError('Invoke Error', error);
    await failStream(request, errorResponse(error, 'legacy'));
    scheduleNext();
  };
  try {
    state.beforeExit = scheduleIteration;
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
}
