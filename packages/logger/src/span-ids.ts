import type { InvocationInfo } from './create-logger.js';

/** @internal Where an invocation logger keeps its invocation's `ctx`, for the span id of each line. */
export const spanSourceKey = Symbol('lambdakit.logger.spanSource');

const NONE: Record<string, never> = {};

/**
 * pino's `mixin`: a line written while a traced invocation runs (`tracer()` of
 * `@lambdakit/tracer`, in either order with `logger()`) carries the id of the span running when it
 * was written, so a log line finds its place in the trace. Read per line, since a step's span
 * changes within one invocation; nothing is added when the invocation is not traced or sampled.
 * The fields of `ctx.logFields()` (a durable function's running operation) are added the same way.
 */
export function spanIdsMixin(_fields: object, _level: number, log: unknown): Record<string, unknown> {
  const ctx = (log as { [spanSourceKey]?: InvocationInfo } | null)?.[spanSourceKey];
  if (ctx === undefined || ctx === null) return NONE;
  const trace = ctx.trace;
  let mixed: Record<string, unknown> = NONE;
  try {
    if (typeof ctx.logFields === 'function') mixed = ctx.logFields() ?? NONE;
    if (trace === undefined || trace === null || typeof trace.activeSpanId !== 'function') return mixed;
    const spanId = trace.activeSpanId();
    return typeof spanId !== 'string' ? mixed : mixed === NONE ? { spanId } : { ...mixed, spanId };
  } catch {
    return mixed; // a hostile ctx never breaks a line
  }
}

/** pino's `mixinMergeStrategy`: the line's own fields win, and a line without a span allocates nothing. */
export function mergeSpanIds(fields: object, mixin: object): object {
  return mixin === NONE ? fields : { ...mixin, ...fields };
}
