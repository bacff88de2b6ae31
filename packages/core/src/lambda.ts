import { AsyncResource } from 'node:async_hooks';
import middy from '@middy/core';
import { adapterOf } from './adapt-handler.js';
import { DEFAULT_MARGIN_MS, Invocation, type InvocationContext, type InvocationOutcome } from './invocation-context.js';
import type { LambdaContext } from './lambda-context.js';
import type { Middleware, MiddlewareTypes, MiddyMiddleware } from './middleware.js';
import { isLambdakitMiddleware, middlewareName, pipeline } from './pipeline.js';
import { runCleanup } from './run-cleanup.js';
import { type TimeoutSettings, timeoutSettings } from './timeout.js';
import type { TimeoutError } from './timeout-error.js';

type Types<M> = M extends { readonly [K in MiddlewareTypes]?: infer T } ? NonNullable<T> : never;
type EventOutOf<M> = Types<M> extends { eventOut: (event: infer O) => unknown } ? O : never;
type ContextAddOf<M> = Types<M> extends { context: (context: infer A) => unknown } ? A : never;
type ResultAddOf<M> = Types<M> extends { result: () => infer R } ? R : never;
/** The event after a middleware: `unknown` as its output means "unchanged". */
type NextEvent<E, Out> = unknown extends Out ? E : Out;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * A Lambda handler built by `lambda()`: a normal `(event, context) => Promise<result>`
 * function that is also a Middy instance (`.use`, `.before`, `.after`, `.onError`).
 */
export interface LambdaHandler<Event = unknown, Result = unknown> {
  (event: Event, context: LambdaContext): Promise<Result>;
  /** Adds a plain Middy middleware (types unchanged). */
  use(middleware: MiddyMiddleware | MiddyMiddleware[]): LambdaHandler<Event, Result>;
  before(hook: (request: any) => unknown): LambdaHandler<Event, Result>;
  after(hook: (request: any) => unknown): LambdaHandler<Event, Result>;
  onError(hook: (request: any) => unknown): LambdaHandler<Event, Result>;
  /** Replaces the business logic, keeping the middlewares. */
  handler(fn: (event: any, context: any) => unknown): LambdaHandler<Event, Result>;
}

/** The business logic given to `.handle()`. */
export type BusinessLogic<E, C, R> = (event: E, ctx: C) => R | Promise<R>;

declare const acceptedEvent: unique symbol;

/**
 * Type-level only: the events a business logic can take, when it is narrower than what its
 * signature says. `batch()` carries it (its handler takes `unknown`, yet only a raw batch event of
 * its source works), so that `.handle()` refuses it after a chain that gives another event.
 */
export interface AcceptsEvent<A> {
  readonly [acceptedEvent]?: (event: A) => void;
}

/**
 * Nothing when the chain's event `E` fits what the business logic accepts (or is still unknown);
 * else a type whose one property, named in the compiler's message, says what is wrong.
 */
export type EventFits<E, A> = unknown extends E
  ? unknown
  : [E] extends [A]
    ? unknown
    : {
        readonly 'lambdakit: the chain gives the business logic an event it cannot take (a batch() after a parse() of another source, or of its payload)': {
          given: E;
          accepted: A;
        };
      };

/**
 * The builder `lambda()` returns. `E` is the event the handler will receive, `C` its `ctx`,
 * `X` the responses middlewares may produce themselves. Each `.use()` returns a new builder.
 */
export interface LambdaBuilder<E = unknown, C extends InvocationContext = InvocationContext, X = never> {
  // Overload order matters. A middleware that changes no type comes first, typed with this
  // builder's event, so a generic factory infers it from here: in
  // `.use(idempotent({ key: (event) => event.id }))` the key function's `event` is the parsed event.
  /** Adds a lambdakit middleware that changes no type. */
  use(middleware: Middleware<E, unknown, {}, never>): LambdaBuilder<E, C, X>;
  /** Adds a lambdakit middleware: the event, `ctx` and result types follow what it declares. */
  use<M extends Middleware<E, any, any, any>>(
    middleware: M,
  ): LambdaBuilder<NextEvent<E, EventOutOf<M>>, Simplify<C & ContextAddOf<M>>, X | ResultAddOf<M>>;
  /** Adds a plain Middy middleware: it runs as usual and leaves the types as they are. */
  use(middleware: MiddyMiddleware & { readonly [K in MiddlewareTypes]?: never }): LambdaBuilder<E, C, X>;
  /** Sets the business logic and returns the Lambda handler. */
  handle<R, A = unknown>(
    fn: BusinessLogic<E, C, R> & AcceptsEvent<A> & EventFits<E, A>,
  ): LambdaHandler<unknown, Awaited<R> | X>;
}

/**
 * Starts a Lambda handler: `lambda().use(mw)….handle(async (event, ctx) => …)`. Event and
 * context types flow through `.use()`; the result is a standard handler and a Middy instance.
 */
export function lambda(): LambdaBuilder {
  return builder([]);
}

function builder(middlewares: readonly object[]): LambdaBuilder<any, any, any> {
  const use = (middleware: object) => {
    if (middleware === null || typeof middleware !== 'object') {
      throw new TypeError(
        `lambda().use(): expected a middleware object, got ${middleware === null ? 'null' : typeof middleware}`,
      );
    }
    return builder([...middlewares, middleware]);
  };
  return {
    use: use as LambdaBuilder<any, any, any>['use'],
    handle(fn: BusinessLogic<unknown, InvocationContext, unknown>) {
      if (typeof fn !== 'function') throw new TypeError('lambda().handle(fn): fn must be a function');
      return buildHandler(middlewares, fn);
    },
  };
}

function buildHandler(middlewares: readonly object[], fn: BusinessLogic<unknown, InvocationContext, unknown>) {
  const settings = timeoutOf(middlewares);
  const marginMs = settings?.marginMs ?? DEFAULT_MARGIN_MS;
  const onTimeout = settings?.onTimeout;
  const enforceDeadline = settings !== undefined;
  const logic = fn as BusinessLogic<unknown, Invocation, unknown>;
  // lambdakit's own middlewares run on lambdakit's pipeline; a plain Middy middleware in the
  // chain (or added to the handler later, which Middy's methods allow) runs everything on Middy.
  let run: (event: unknown, invocation: Invocation) => Promise<unknown> = middlewares.every(isLambdakitMiddleware)
    ? pipeline(middlewares, logic)
    : onMiddy(middlewares, logic).run;

  const invoke = async (event: unknown, context: LambdaContext): Promise<unknown> => {
    const invocation = new Invocation(context, marginMs);
    const race = enforceDeadline && Number.isFinite(invocation.deadline);
    invocation.deadlineEnforced = race;
    let outcome: InvocationOutcome;
    try {
      const result = race ? await raceDeadline(run, event, invocation) : await run(event, invocation);
      outcome = { status: 'success', result };
    } catch (error) {
      // After the deadline, the AbortError of a call that honoured ctx.signal is the timeout's
      // doing and is reported as the timeout; any other error (one that wraps it, say) stays.
      const timedOut: TimeoutError | undefined = invocation.timeoutError;
      outcome =
        timedOut !== undefined && (error === timedOut || isAbortError(error))
          ? { status: 'timeout', error: timedOut }
          : { status: 'error', error };
    }
    invocation.dispose();
    if (invocation.hooks !== undefined) {
      const done = runCleanup(invocation, outcome);
      if (done !== undefined) await done;
    }
    if (outcome.status === 'success') return outcome.result;
    if (outcome.status === 'timeout' && onTimeout !== undefined) return onTimeout(outcome.error, event, invocation);
    throw outcome.error;
  };
  const adapt = adapterOf(fn);
  // Each invocation runs in an async scope of its own. A middleware that sets an
  // AsyncLocalStorage store from a hook (`enterWith`: the tracer, the recursion guard) sets it
  // for this invocation only; without the scope the store leaked into the caller (the runtime's
  // loop), and every later invocation started inside the previous one's context, which kept each
  // finished invocation alive through the next: memory grew with every invocation.
  const scoped = (event: unknown, context: LambdaContext): Promise<unknown> =>
    new AsyncResource('lambdakit.invocation').runInAsyncScope(invoke, undefined, event, context);
  const handler = typeof adapt === 'function' ? adapt(scoped) : scoped;

  let middy: MiddyInstance | undefined;
  const toMiddy = (): MiddyInstance => {
    if (middy === undefined) {
      const built = onMiddy(middlewares, logic);
      middy = built.instance;
      run = built.run;
    }
    return middy;
  };
  return withMiddyMethods(handler, toMiddy);
}

type MiddyInstance = ReturnType<typeof middy>;

/** The `timeout()` settings of the chain, if it has one (at most one may be); checks each middleware. */
function timeoutOf(middlewares: readonly object[]): TimeoutSettings | undefined {
  let settings: TimeoutSettings | undefined;
  for (const mw of middlewares) {
    const found = timeoutSettings.get(mw);
    if (found !== undefined) {
      if (settings !== undefined) throw new TypeError('lambda(): timeout() is used twice; keep one');
      settings = found;
    } else if (!hasHook(mw)) {
      throw new TypeError('lambda().use(): a middleware needs at least one of before, after or onError');
    }
  }
  return settings;
}

function hasHook(mw: object): boolean {
  const { before, after, onError } = mw as MiddyMiddleware;
  return before !== undefined || after !== undefined || onError !== undefined;
}

/** The chain on Middy, each middleware staged so a timeout can say where the pipeline stood. */
function onMiddy(
  middlewares: readonly object[],
  logic: BusinessLogic<unknown, Invocation, unknown>,
): { instance: MiddyInstance; run: (event: unknown, invocation: Invocation) => Promise<unknown> } {
  // Middy's own early-timeout timer is off: the deadline is enforced around the whole
  // pipeline, middlewares included, and costs nothing unless `timeout()` is used.
  const staging = (event: unknown, invocation: Invocation) => {
    // Timed out while the middlewares ran: the business logic is not started (see pipeline()).
    if (invocation.timeoutError !== undefined) throw invocation.timeoutError;
    invocation.stage = 'handler';
    return logic(event, invocation);
  };
  const instance = middy(staging as never, { timeoutEarlyInMillis: 0 });
  for (const mw of middlewares) if (hasHook(mw)) instance.use(staged(mw) as never);
  return { instance, run: instance as never };
}

/** Gives the handler Middy's chaining methods; the first call moves the handler onto Middy. */
function withMiddyMethods(
  handler: (event: unknown, context: LambdaContext) => Promise<unknown>,
  toMiddy: () => MiddyInstance,
): LambdaHandler {
  const self = handler as unknown as LambdaHandler;
  const forward =
    (method: 'use' | 'before' | 'after' | 'onError' | 'handler') =>
    (argument: unknown): LambdaHandler => {
      const inner = toMiddy();
      (inner[method] as (value: never) => unknown)(argument as never);
      return self;
    };
  self.use = forward('use');
  self.before = forward('before');
  self.after = forward('after');
  self.onError = forward('onError');
  self.handler = forward('handler');
  return self;
}

/**
 * The middleware with each hook noting on the invocation that it runs (`parse: before`), so a
 * timeout can say where the pipeline stood.
 */
function staged(mw: object): MiddyMiddleware {
  const { before, after, onError } = mw as MiddyMiddleware;
  const name = middlewareName(mw);
  const wrap = (hook: ((request: any) => unknown) | undefined, phase: string) =>
    hook === undefined
      ? undefined
      : (request: { context?: { stage?: string } }) => {
          if (request.context instanceof Invocation) request.context.stage = `${name}: ${phase}`;
          return hook(request);
        };
  return {
    before: wrap(before, 'before'),
    after: wrap(after, 'after'),
    onError: wrap(onError, 'onError'),
  } as MiddyMiddleware;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Settles with the work, or rejects with the invocation's TimeoutError at deadline − margin
 * (through the deadline scheduler: one timer for every invocation in flight).
 */
function raceDeadline(
  run: (event: unknown, invocation: Invocation) => Promise<unknown>,
  event: unknown,
  invocation: Invocation,
): Promise<unknown> {
  const due = invocation.deadline - invocation.marginMs;
  if (due <= Date.now()) {
    run(event, invocation).catch(() => {}); // settles later, unobserved: never an unhandled rejection
    return Promise.reject(invocation.timeOut());
  }
  return new Promise((resolve, reject) => {
    invocation.rejectRace = reject;
    invocation.scheduleDeadline(due);
    run(event, invocation).then(
      (value) => {
        invocation.dispose();
        resolve(value);
      },
      (error) => {
        invocation.dispose();
        reject(error);
      },
    );
  });
}
