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

// Shared by every copy of this package a bundle or node_modules holds, so a guard from one copy
// and propagateDepth() from another still agree.
interface DepthState {
  readonly als: AsyncLocalStorage<DepthHolder>;
  /** The invocation the guard admitted last: the running one when invocations do not overlap. */
  latest: DepthHolder | undefined;
}
const STATE_KEY = Symbol.for('lambdakit.resilience.callDepth');
const shared = globalThis as { [STATE_KEY]?: DepthState };
shared[STATE_KEY] ??= { als: new AsyncLocalStorage<DepthHolder>(), latest: undefined };
const state = shared[STATE_KEY];

/** The key of the depth in the runtime's invoke store. */
const INVOKE_STORE_KEY = Symbol.for('lambdakit.resilience.callDepth.holder');

/** The part of the Lambda runtime's invoke-scoped store (`@aws/lambda-invoke-store`) used here. */
interface InvokeStore {
  hasContext(): boolean;
  get(key: symbol): unknown;
  set(key: symbol, value: unknown): void;
}

/** The runtime's store for this invocation, when the function runs under one (Lambda, `lambdakit invoke`). */
function invokeStore(): InvokeStore | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: Partial<InvokeStore> } }).awslambda?.InvokeStore;
  if (typeof store?.hasContext !== 'function' || typeof store.set !== 'function' || !store.hasContext())
    return undefined;
  return store as InvokeStore;
}

// Lambda sets it before the process starts when invocations may overlap (Managed Instances).
const MULTI_CONCURRENCY = process.env.AWS_LAMBDA_MAX_CONCURRENCY !== undefined;

/**
 * @internal Makes `depth` the depth of the calling invocation, wherever the guard runs in the
 * chain: in the runtime's invoke store (Lambda's own per-invocation scope: the whole handler call,
 * whatever a middleware awaited before the guard), else in an `AsyncLocalStorage` entered from the
 * guard's synchronous hook, and as the latest invocation's for a process whose invocations do not overlap.
 */
export function enterDepth(depth: number): DepthHolder {
  const holder: DepthHolder = { depth };
  invokeStore()?.set(INVOKE_STORE_KEY, holder);
  state.als.enterWith(holder);
  state.latest = holder;
  return holder;
}

/**
 * The call depth of the running invocation as `recursionGuard()` read it (0: nothing upstream said
 * it was called by a guarded function), or `undefined` outside an invocation the guard admitted.
 */
export function callDepth(): number | undefined {
  const fromRuntime = invokeStore()?.get(INVOKE_STORE_KEY) as DepthHolder | undefined;
  if (fromRuntime !== undefined) return fromRuntime.depth;
  // A holder whose invocation settled (depth cleared) may still be in scope: it says nothing.
  const entered = state.als.getStore()?.depth;
  if (entered !== undefined) return entered;
  return MULTI_CONCURRENCY ? undefined : state.latest?.depth;
}

/** A depth as it travels: a non-negative integer, or its decimal text; anything else is none. */
export function parseDepth(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}
