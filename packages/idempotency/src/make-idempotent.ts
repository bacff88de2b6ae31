import type { IdempotencyContext } from './idempotency-context.js';
import { createEngine, type Engine } from './idempotency-engine.js';
import type { IdempotentOptions } from './idempotent-options.js';

/** Options of {@link makeIdempotent}: the middleware's, for the wrapped function's event. */
export type MakeIdempotentOptions<E> = IdempotentOptions<E>;

/** Any async function called as `fn(event, context)`; the context is optional. */
export type IdempotentFunction = (event: any, context?: any, ...rest: any[]) => unknown;

/**
 * The wrapped function's type: `fn`'s own parameters, or, when `fn` takes no context, an
 * optional one (Lambda's context or lambdakit's `ctx`) to read the deadline and function name from.
 */
export type Idempotent<F extends IdempotentFunction> = F extends (event: infer E, ...rest: infer Rest) => infer R
  ? Rest extends []
    ? (event: E, context?: IdempotencyContext) => Promise<Awaited<R>>
    : (event: E, ...rest: Rest) => Promise<Awaited<R>>
  : never;

/**
 * Wraps `fn(event, context)` so its business logic runs once per key: the first call locks the
 * key, runs `fn` and stores its result; every duplicate gets the stored result back (a JSON
 * round trip of it) or `IdempotencyInProgressError` while the first is still running.
 */
export function makeIdempotent<F extends IdempotentFunction>(
  fn: F,
  options: MakeIdempotentOptions<Parameters<F>[0]>,
): Idempotent<F> {
  if (typeof fn !== 'function') throw new TypeError(`makeIdempotent(fn): expected a function, got ${typeof fn}`);
  return wrap(fn, createEngine(options, 'makeIdempotent'));
}

/** @internal Shared by {@link makeIdempotent} and `idempotentRecord`. */
export function wrap<F extends IdempotentFunction>(fn: F, engine: Engine<Parameters<F>[0]>): Idempotent<F> {
  const wrapped = async function idempotentFunction(
    this: unknown,
    ...args: Parameters<F>
  ): Promise<Awaited<ReturnType<F>>> {
    const event: Parameters<F>[0] = args[0];
    const context = args[1] as IdempotencyContext | undefined;
    const begun = await engine.begin(event, context);
    if (begun.kind === 'replay') return begun.result as Awaited<ReturnType<F>>;
    if (begun.kind === 'skip') return (await fn.apply(this, args)) as Awaited<ReturnType<F>>;
    let result: Awaited<ReturnType<F>>;
    try {
      result = (await fn.apply(this, args)) as Awaited<ReturnType<F>>;
    } catch (error) {
      // Failures are not recorded: the lock is deleted (if still ours) so a retry runs again.
      await engine.release(begun.lock);
      throw error;
    }
    await engine.complete(begun.lock, result);
    return result;
  };
  return wrapped as Idempotent<F>;
}
