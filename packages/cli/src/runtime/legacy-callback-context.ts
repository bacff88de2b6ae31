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
  const answer = legacyAnswer(core, requestId, hooks);
  let waitForEmptyEventLoop = true;
  const callback: Callback = (error, result) => {
    hooks.setBeforeExit(() => undefined);
    if (error !== undefined && error !== null) answer.error(error);
    else if (!waitForEmptyEventLoop) answer.result(result);
    else hooks.setBeforeExit(() => setImmediate(() => answer.result(result)));
  };
  const done = (error?: unknown, result?: unknown) => {
    hooks.setBeforeExit(() => undefined);
    if (error !== undefined && error !== null) answer.error(error);
    else answer.result(result);
  };
  const once = firstCallOnly();
  const context: CallbackContext = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((error) => (error === undefined || error === null ? done('handled') : done(error, null))),
    done: once(done),
  };
  return [once(callback), context, answer.markCompleted];
}

/**
 * How 3.x answers an invocation: an error is logged and posted; a result is posted once at most
 * (a second is refused with 3.x's message), and one that cannot be serialised throws.
 */
function legacyAnswer(core: RuntimeCore, requestId: string, hooks: CallbackHooks) {
  let completed = false;
  return {
    error(error: unknown): void {
      core.logError('Invoke Error', error);
      core.client.postError(requestId, errorResponse(error, 'legacy')).then(hooks.scheduleNext, hooks.onPostFailure);
    },
    result(result: unknown): void {
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
    },
    /** The runtime answered the invocation itself (`null`, once the event loop emptied). */
    markCompleted(): void {
      completed = true;
    },
  };
}

/**
 * Wraps functions so that, of all those wrapped by one call, only the first that returns counts:
 * later calls of any of them do nothing. A call that throws does not count.
 */
function firstCallOnly() {
  let finished = false;
  return <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (finished) return;
      fn(...args);
      finished = true;
    };
}
