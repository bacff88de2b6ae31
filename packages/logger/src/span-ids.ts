import type { InvocationInfo } from './create-logger.js';

/** @internal Where an invocation logger keeps its invocation's `ctx`, for the span id of each line. */
export const spanSourceKey = Symbol('lambdakit.logger.spanSource');

const NONE: Record<string, never> = {};

/**
 * pino's `mixin`: a line written while a traced invocation runs (`tracer()` of
 * `@lambdakit/tracer`, in either order with `logger()`) carries the id of the span running when it
 * was written, so a log line finds its place in the trace. Read per line, since a step's span
 * changes within one invocation; nothing is added when the invocation is not traced or sampled.
 */
export function spanIdsMixin(_fields: object, _level: number, log: unknown): Record<string, unknown> {
  const ctx = (log as { [spanSourceKey]?: InvocationInfo } | null)?.[spanSourceKey];
  const trace = ctx?.trace;
  if (trace === undefined || trace === null || typeof trace.activeSpanId !== 'function') return NONE;
  try {
    const spanId = trace.activeSpanId();
    return typeof spanId === 'string' ? { spanId } : NONE;
  } catch {
    return NONE; // a hostile ctx never breaks a line
  }
}

/** pino's `mixinMergeStrategy`: the line's own fields win, and a line without a span allocates nothing. */
export function mergeSpanIds(fields: object, mixin: object): object {
  return mixin === NONE ? fields : { ...mixin, ...fields };
}
