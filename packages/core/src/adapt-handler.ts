import type { BusinessLogic } from './lambda.js';
import type { LambdaContext } from './lambda-context.js';

/** A Lambda handler's shape, as an adapter wraps it: Lambda's own event and context in, the response out. */
export type RawHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

type Adapter = (handler: RawHandler) => RawHandler;

const adapters = new WeakMap<object, Adapter>();

/**
 * Marks a business logic as one that needs Lambda's raw event first: `.handle(logic)` returns
 * `adapter(handler)`, where `handler` runs the middlewares and the logic on what the adapter
 * passes it. `@lambdakit/durable` uses it to unwrap a durable execution's event before the
 * middlewares see the payload, and to answer Lambda in the durable protocol.
 */
export function defineHandlerAdapter<L extends BusinessLogic<any, any, any>>(logic: L, adapter: Adapter): L {
  if (typeof logic !== 'function' || typeof adapter !== 'function') {
    throw new TypeError('defineHandlerAdapter(logic, adapter): both must be functions');
  }
  adapters.set(logic, adapter);
  return logic;
}

/** @internal The adapter of a business logic, if it has one. */
export function adapterOf(logic: object): Adapter | undefined {
  return adapters.get(logic);
}
