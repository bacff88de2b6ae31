import { emitWarning } from './emit-warning.js';
import type { CleanupHook, Invocation, InvocationOutcome } from './invocation-context.js';
import { isThenable } from './pipeline.js';

/**
 * Runs cleanup hooks last-registered-first, each awaited, errors reported but never thrown
 * over the invocation's own outcome; synchronously while the hooks are. After a timeout they get
 * only the time left before Lambda's deadline, so a hung hook cannot turn a clean timeout into a
 * killed sandbox, nor keep the hooks after it from running.
 */
export function runCleanup(invocation: Invocation, outcome: InvocationOutcome): void | Promise<void> {
  const hooks = invocation.hooks ?? [];
  if (outcome.status !== 'timeout') return runHooks(hooks, outcome, hooks.length - 1);
  return runBounded(hooks, outcome, Math.max(0, invocation.deadline - Date.now() - 10));
}

function runHooks(hooks: readonly CleanupHook[], outcome: InvocationOutcome, from: number): void | Promise<void> {
  for (let i = from; i >= 0; i--) {
    const result = callHook(hooks[i]!, outcome);
    if (isThenable(result)) return settleCleanup(hooks, outcome, i, result);
  }
  return undefined;
}

async function settleCleanup(
  hooks: readonly CleanupHook[],
  outcome: InvocationOutcome,
  i: number,
  pending: PromiseLike<unknown>,
): Promise<void> {
  try {
    await pending;
  } catch (error) {
    cleanupFailed(error);
  }
  return runHooks(hooks, outcome, i - 1);
}

/**
 * After a timeout: each hook in turn, each awaited only while time is left. Once it runs out, a
 * hook still pending is left to settle on its own and the hooks after it are still run, not
 * waited for: a slow or hung hook (a lock's release over the network) never keeps the ones
 * registered before it (the logger's, which writes the held-back lines and the outcome) from
 * running before the invocation settles.
 */
async function runBounded(hooks: readonly CleanupHook[], outcome: InvocationOutcome, leftMs: number): Promise<void> {
  let expired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      expired = true;
      resolve();
    }, leftMs);
  });
  try {
    for (let i = hooks.length - 1; i >= 0; i--) {
      const result = callHook(hooks[i]!, outcome);
      if (!isThenable(result)) continue;
      const settled = Promise.resolve(result).then(undefined, cleanupFailed);
      if (!expired) await Promise.race([settled, limit]);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Calls a hook: what it returned, or nothing once what it threw is reported. */
function callHook(hook: CleanupHook, outcome: InvocationOutcome): unknown {
  try {
    return hook(outcome);
  } catch (error) {
    cleanupFailed(error);
    return undefined;
  }
}

function cleanupFailed(error: unknown): void {
  emitWarning(
    'LAMBDAKIT_CORE_CLEANUP_FAILED',
    `lambdakit: a cleanup hook failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}
