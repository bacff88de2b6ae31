import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The name of the depth everywhere it travels: the SQS and SNS message attribute, the EventBridge
 * `detail` key and the `custom` key of a synchronous Invoke's client context.
 */
export const DEPTH_KEY = 'lambdakit-depth';

/** @internal The depth of one invocation; cleared when the invocation settles. */
export interface DepthHolder {
  depth: number | undefined;
}

// One store per process, shared by every copy of this package a bundle or node_modules holds, so a
// guard from one copy and propagateDepth() from another still agree.
const STORE_KEY = Symbol.for('lambdakit.resilience.callDepth');
const shared = globalThis as { [STORE_KEY]?: AsyncLocalStorage<DepthHolder> };
shared[STORE_KEY] ??= new AsyncLocalStorage<DepthHolder>();
const store = shared[STORE_KEY];

/**
 * @internal Makes `depth` the depth of the calling invocation: entered with `enterWith` from the
 * guard's synchronous `before` hook, so the business logic and every promise it starts see it.
 */
export function enterDepth(depth: number): DepthHolder {
  const holder: DepthHolder = { depth };
  store.enterWith(holder);
  return holder;
}

/**
 * The call depth of the running invocation as `recursionGuard()` read it (0: nothing upstream said
 * it was called by a guarded function), or `undefined` outside an invocation the guard admitted.
 */
export function callDepth(): number | undefined {
  return store.getStore()?.depth;
}

/** A depth as it travels: a non-negative integer, or its decimal text; anything else is none. */
export function parseDepth(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}
