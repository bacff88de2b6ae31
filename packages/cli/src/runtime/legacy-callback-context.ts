import type { RuntimeCore } from './runtime-core.js';
import { errorResponse } from './runtime-errors.js';

/** A 3.x handler's callback: an error, or a result. */
export type Callback = (error?: unknown, result?: unknown) => void;

/** 3.x's callback helpers on the context. */
export interface CallbackContext {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

/** What the callback context needs of the loop: what runs next, and the `beforeExit` listener. */
export interface CallbackHooks {
  scheduleNext(): void;
  setBeforeExit(listener: () => void): void;
  /** A post the Runtime API could not take (the connection is gone): 3.x's runtime dies of it. */
  onPostFailure(error: unknown): void;
}

/**
 * 3.x's callback and `context.succeed/fail/done` for one invocation. The first call of any of
 * them settles the invocation (later ones are ignored); a call that throws (an unserialisable
 * result) does not count. A callback's result waits for the event loop to empty unless
 * `callbackWaitsForEmptyEventLoop` is false; a response is posted once at most. Returns the
 * callback, the context helpers, and `markCompleted` (the runtime answered `null` itself).
 */
export function legacyCallbackContext(
  core: RuntimeCore,
  requestId: string,
  hooks: CallbackHooks,
): [Callback, CallbackContext, () => void] {
  let completed = false;
  let waitForEmptyEventLoop = true;
  const postError = (error: unknown) => {
    core.logError('Invoke Error', error);
    core.client.postError(requestId, errorResponse(error, 'legacy')).then(hooks.scheduleNext, hooks.onPostFailure);
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
    core.client.postResponse(requestId, payload).then(hooks.scheduleNext, hooks.onPostFailure);
  };
  const callback: Callback = (error, result) => {
    hooks.setBeforeExit(() => undefined);
    if (error !== undefined && error !== null) postError(error);
    else if (!waitForEmptyEventLoop) complete(result);
    else hooks.setBeforeExit(() => setImmediate(() => complete(result)));
  };
  const done = (error?: unknown, result?: unknown) => {
    hooks.setBeforeExit(() => undefined);
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
