import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationSpans } from './invocation-trace.js';

/**
 * Which traced invocation the running code belongs to, for spans started where `ctx` cannot
 * reach (an AWS SDK client's middleware). Shared machinery in module scope: each invocation's
 * async context holds its own entry, and an entry is ignored once its invocation has ended.
 */
const store = new AsyncLocalStorage<InvocationSpans>();

/** The traced invocation running in this async context, if any and not ended. */
export function currentInvocation(): InvocationSpans | undefined {
  const invocation = store.getStore();
  return invocation === undefined || invocation.ended ? undefined : invocation;
}

/**
 * Makes `invocation` current for the rest of the calling async context: a middleware's `before`
 * hook cannot wrap what runs after it in a callback, so it enters the store instead.
 */
export function enterInvocation(invocation: InvocationSpans): void {
  store.enterWith(invocation);
}

/** Runs `fn` with `invocation` current. */
export function runInInvocation<T>(invocation: InvocationSpans, fn: () => T): T {
  return store.run(invocation, fn);
}
