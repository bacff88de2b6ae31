import type { Invocation } from './invocation-context.js';
import type { BusinessLogic } from './lambda.js';
import type { Middleware, MiddyMiddleware } from './middleware.js';

const declared = new WeakSet<object>();

/**
 * Declares a lambdakit middleware: returns it unchanged, marked so that a chain made only of
 * declared middlewares runs on lambdakit's own pipeline instead of Middy's. The pipeline keeps
 * Middy's contract to the letter (the request object, hook order, early responses, `onError`);
 * it only skips the work Middy does for its plugins and a microtask per synchronous hook.
 * Every middleware of the lambdakit packages is declared; an undeclared one runs on Middy.
 */
export function defineMiddleware<M extends Middleware<any, any, any, any>>(middleware: M): M {
  declared.add(middleware);
  return middleware;
}

/** @internal */
export function isLambdakitMiddleware(middleware: object): boolean {
  return declared.has(middleware);
}

/** @internal The name a timeout's `stage` reports for a middleware. */
export function middlewareName(middleware: object): string {
  const name = (middleware as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'middleware';
}

type Hook = (request: PipelineRequest) => unknown;

/** Middy's request object, as every hook receives it. */
interface PipelineRequest {
  event: unknown;
  context: Invocation;
  response: unknown;
  error: unknown;
  internal: Record<string, unknown>;
  earlyResponse?: unknown;
}

interface Stage {
  readonly hooks: readonly Hook[];
  /** What `ctx.stage` says while each hook runs (`parse: before`). */
  readonly names: readonly string[];
}

/**
 * Runs `before` hooks in order, the business logic, then `after` hooks in reverse order; on a
 * throw, `onError` hooks in reverse order: Middy's semantics (an early response from a hook
 * ends its stage; `request.earlyResponse` set by a hook counts as one, even when undefined; an
 * error no `onError` hook answered is rethrown; one thrown by an `onError` hook carries the
 * first as `originalError`). A hook that returns a promise is awaited; one that does not is not
 * given a microtask of its own.
 */
export function pipeline(
  middlewares: readonly object[],
  logic: BusinessLogic<unknown, Invocation, unknown>,
): (event: unknown, invocation: Invocation) => Promise<unknown> {
  const before = stage(middlewares, 'before');
  const after = stage([...middlewares].reverse(), 'after');
  const onError = stage([...middlewares].reverse(), 'onError');
  if (before.hooks.length === 0 && after.hooks.length === 0 && onError.hooks.length === 0) {
    // No hook: the business logic's own promise is the pipeline's (no async frame around it).
    return (event, invocation) => {
      invocation.stage = 'handler';
      try {
        const result = logic(event === undefined ? {} : event, invocation); // Middy's default event
        return result instanceof Promise ? result : Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return async (event, invocation) => {
    const request: PipelineRequest = {
      event: event === undefined ? {} : event, // Middy's default event
      context: invocation,
      response: undefined,
      error: undefined,
      internal: {},
    };
    try {
      let early = before.hooks.length === 0 ? false : runStage(request, before, 0);
      if (early !== true && early !== false) early = await early;
      // The deadline passed while the middlewares ran: the invocation has settled as timed out and
      // nothing awaits this pipeline any more. The business logic is not started after it (its work
      // would run in a frozen sandbox, or in the next invocation's time).
      if (invocation.timeoutError !== undefined) return undefined;
      if (!early) {
        invocation.stage = 'handler';
        const response = logic(request.event, invocation);
        request.response = isThenable(response) ? await response : response;
        if (after.hooks.length > 0) {
          const done = runStage(request, after, 0);
          if (done !== true && done !== false) await done;
        }
      }
    } catch (error) {
      request.response = undefined;
      request.error = error;
      try {
        const done = runStage(request, onError, 0);
        if (done !== true && done !== false) await done;
      } catch (thrown) {
        if (thrown !== null && typeof thrown === 'object')
          (thrown as { originalError?: unknown }).originalError = error;
        request.error = thrown;
        throw thrown;
      }
      if (request.response === undefined) throw request.error;
    }
    return request.response;
  };
}

function stage(middlewares: readonly object[], phase: 'before' | 'after' | 'onError'): Stage {
  const hooks: Hook[] = [];
  const names: string[] = [];
  for (const mw of middlewares) {
    const hook = (mw as MiddyMiddleware)[phase];
    if (hook === undefined) continue;
    hooks.push(hook as Hook);
    names.push(`${middlewareName(mw)}: ${phase}`);
  }
  return { hooks, names };
}

/**
 * Runs a stage's hooks from `from`; true when one of them responded early (the stage then stops).
 * Synchronous while the hooks are (a warm lambdakit chain is): a promise only from the first hook
 * that returns one, awaited before the next hook runs.
 */
function runStage(request: PipelineRequest, stage: Stage, from: number): boolean | Promise<boolean> {
  const { hooks, names } = stage;
  for (let i = from; i < hooks.length; i++) {
    request.context.stage = names[i]!;
    const result = hooks[i]!(request);
    if (isThenable(result)) return settleHook(request, stage, i, result);
    if (respondsEarly(request, result)) return true;
  }
  return false;
}

async function settleHook(
  request: PipelineRequest,
  stage: Stage,
  i: number,
  pending: PromiseLike<unknown>,
): Promise<boolean> {
  if (respondsEarly(request, await pending)) return true;
  return runStage(request, stage, i + 1);
}

/** Middy's rule: a value returned, or `request.earlyResponse` set (even to undefined), ends the stage. */
function respondsEarly(request: PipelineRequest, result: unknown): boolean {
  if (result !== undefined) request.earlyResponse = result;
  if (!Object.hasOwn(request, 'earlyResponse')) return false;
  request.response = request.earlyResponse;
  return true;
}

/** @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
