import type { InvocationContext } from './invocation-context.js';

/** What a middleware hook receives: Middy's request object, with lambdakit's `ctx` as `context`. */
export interface Request<TEvent = unknown, TContext = InvocationContext, TResult = unknown> {
  event: TEvent;
  context: TContext;
  response: TResult | undefined;
  error: unknown;
  internal: Record<string, unknown>;
}

/** A Middy-style hook; returning a value other than `undefined` from `before` responds early. */
export type MiddlewareHook<TEvent = any, TContext = any, TResult = any> = (
  request: Request<TEvent, TContext, TResult>,
) => unknown;

declare const types: unique symbol;

/**
 * A lambdakit middleware: a Middy middleware object (`before` / `after` / `onError`) that also
 * tells the compiler how it changes the handler's types. `EventIn` is the event it accepts,
 * `EventOut` the event the handler then receives, `ContextAdd` the fields it adds to `ctx`,
 * `ResultAdd` the responses it may produce itself (e.g. a 400 for invalid input).
 */
export interface Middleware<EventIn = unknown, EventOut = EventIn, ContextAdd extends object = {}, ResultAdd = never> {
  readonly name: string;
  readonly before?: MiddlewareHook | undefined;
  readonly after?: MiddlewareHook | undefined;
  readonly onError?: MiddlewareHook | undefined;
  /**
   * Type-level only, never set at run time: carries the types above. The function shapes set
   * each one's variance: a middleware needing an SQS event is unusable where the event is still
   * unknown (`event`), and the builder can tell a middleware that changes nothing apart from one
   * that narrows the event, adds to `ctx` or adds a result (the others are invariant).
   */
  readonly [types]?: {
    event: (event: EventIn) => void;
    eventOut: (event: EventOut) => EventOut;
    context: (context: ContextAdd) => ContextAdd;
    result: () => ResultAdd;
  };
}

/** Any middleware object Middy accepts. */
export interface MiddyMiddleware {
  before?: ((request: any) => unknown) | undefined;
  after?: ((request: any) => unknown) | undefined;
  onError?: ((request: any) => unknown) | undefined;
}

/** The key of the type-only marker on {@link Middleware}, for mapped types. */
export type MiddlewareTypes = typeof types;
