/** What a tracked operation reports to: its invocation. */
interface Tracker {
  enter(label: string): void;
  exit(label: string): void;
}

/** Where each method's user function is among its arguments, after the optional leading name. */
const FUNCTION_AT: Readonly<Record<string, number>> = { step: 0, runInChildContext: 0, waitForCondition: 0, map: 1 };

/**
 * The arguments of a durable operation, with its user function wrapped so that while it runs the
 * invocation's stage names it (`step "charge"`): a `TimeoutError` then says which step was
 * running. Every other argument is passed as given.
 */
export function trackedArgs(method: string, args: unknown[], tracker: Tracker): unknown[] {
  const at = FUNCTION_AT[method];
  if (at === undefined) return args;
  const named = typeof args[0] === 'string' || (args[0] === undefined && args.length > at + 1);
  const name = named ? (args[0] as string | undefined) : undefined;
  const index = (named ? 1 : 0) + at;
  const fn = args[index];
  if (typeof fn !== 'function') return args;
  const label = name === undefined ? method : `${method} "${name}"`;
  const wrapped = async (...fnArgs: unknown[]) => {
    tracker.enter(label);
    try {
      return await (fn as (...a: unknown[]) => unknown)(...fnArgs);
    } finally {
      tracker.exit(label);
    }
  };
  const copy = [...args];
  copy[index] = wrapped;
  return copy;
}
