/** The part of `ctx.trace` (`tracer()` of `@lambdakit/tracer`) read here, by shape: core needs no tracer. */
interface StepTracing {
  readonly recording: boolean;
  span<T>(name: string, fn: () => T | Promise<T>, attributes?: Record<string, string | number | boolean>): Promise<T>;
}

/**
 * Runs `fn` as a step of the invocation's trace: in a child span named `name` when `tracer()` of
 * `@lambdakit/tracer` traces the invocation and records it, else as a plain call (an untraced
 * invocation pays one property read). Middlewares that do I/O (a config load, an idempotency
 * store request) use it, so a trace shows where an invocation's time went. After the invocation
 * timed out (`ctx.timedOut`) `fn` runs unspanned: a span would be refused, and work such as
 * releasing a lock must still run.
 */
export function traceStep<T>(
  ctx: object | undefined,
  name: string,
  fn: () => Promise<T>,
  attributes?: Record<string, string | number | boolean>,
): Promise<T> {
  const trace = (ctx as { trace?: Partial<StepTracing> | null } | undefined)?.trace;
  if (trace?.recording !== true || typeof trace.span !== 'function') return fn();
  if ((ctx as { timedOut?: unknown }).timedOut === true) return fn();
  return (trace as StepTracing).span(name, fn, attributes);
}
