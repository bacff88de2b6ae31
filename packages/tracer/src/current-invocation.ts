import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationSpans } from './invocation-trace.js';

/**
 * Which traced invocation the running code belongs to, for spans started where `ctx` cannot
 * reach (an AWS SDK client's middleware). A middleware's `before` hook cannot wrap what runs after
 * it in a callback, so the invocation is found, in this order:
 *
 * 1. in the Lambda runtime's invoke-scoped store (`awslambda.InvokeStore`, Lambda's own scope of
 *    one invocation: the whole handler call, whatever a middleware awaited before `tracer()`);
 * 2. in an `AsyncLocalStorage` entered from `tracer()`'s hook (reaches the business logic when
 *    the hooks before it were synchronous) or run around `traceInvocation()`'s function;
 * 3. as the only traced invocation open in the process (one at a time, as on-demand Lambda runs
 *    them). With several open and neither store set, none is guessed: the call is not traced.
 *
 * An entry whose invocation has ended names none: the running code is work that invocation left behind.
 */
const store = new AsyncLocalStorage<InvocationSpans>();
const open = new Set<InvocationSpans>();
const INVOKE_STORE_KEY = Symbol.for('lambdakit.tracer.invocation');

/** The part of the runtime's invoke-scoped store (`@aws/lambda-invoke-store`) used here. */
interface InvokeStore {
  hasContext(): boolean;
  get(key: symbol): unknown;
  set(key: symbol, value: unknown): void;
}

function invokeStore(): InvokeStore | undefined {
  const found = (globalThis as { awslambda?: { InvokeStore?: Partial<InvokeStore> } }).awslambda?.InvokeStore;
  if (typeof found?.hasContext !== 'function' || typeof found.get !== 'function' || typeof found.set !== 'function')
    return undefined;
  try {
    return found.hasContext() ? (found as InvokeStore) : undefined;
  } catch {
    return undefined;
  }
}

function live(invocation: unknown): InvocationSpans | undefined {
  return invocation !== undefined && !(invocation as InvocationSpans).ended
    ? (invocation as InvocationSpans)
    : undefined;
}

/** The traced invocation the running code belongs to, if any and not ended. */
export function currentInvocation(): InvocationSpans | undefined {
  if (open.size === 0) return undefined;
  // An entry that has ended means the running code is work its invocation left behind: it is
  // not handed to another invocation.
  const fromRuntime = invokeStore()?.get(INVOKE_STORE_KEY);
  if (fromRuntime !== undefined) return live(fromRuntime);
  const entered = store.getStore();
  if (entered !== undefined) return live(entered);
  if (open.size === 1) {
    const [only] = open;
    return live(only);
  }
  return undefined;
}

/** Makes `invocation` current for the rest of the calling invocation (see the order above). */
export function enterInvocation(invocation: InvocationSpans): void {
  open.add(invocation);
  try {
    invokeStore()?.set(INVOKE_STORE_KEY, invocation);
  } catch {
    // A store that refuses the key: the other two ways remain.
  }
  store.enterWith(invocation);
}

/** Runs `fn` with `invocation` current. */
export function runInInvocation<T>(invocation: InvocationSpans, fn: () => T): T {
  open.add(invocation);
  return store.run(invocation, fn);
}

/** Forgets an invocation that ended. */
export function leaveInvocation(invocation: InvocationSpans): void {
  open.delete(invocation);
}

/** @internal For tests: how many traced invocations are open. */
export function openInvocations(): number {
  return open.size;
}
