/**
 * The part of a pino-like logger the batch uses: `ctx.log` from @lambdakit/logger, pino itself,
 * or anything with the same `(object, message)` methods.
 */
export interface BatchLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  /** When present, each record logs through `child({ recordId })`. */
  child?(bindings: Record<string, unknown>): BatchLogger;
}

/** Is `value` usable as a {@link BatchLogger}? (`ctx.log` is only looked at, never required.) */
export function isBatchLogger(value: unknown): value is BatchLogger {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as BatchLogger).warn === 'function' &&
    typeof (value as BatchLogger).error === 'function'
  );
}

/**
 * The logger of one record: a child carrying its `recordId`, made only when the record needs one
 * (a failure, or a handler reading `ctx.log`). A logger without `child`, or whose `child` throws,
 * is used as it is.
 */
export function recordLogger(logger: BatchLogger, itemIdentifier: string): BatchLogger {
  try {
    return logger.child?.({ recordId: itemIdentifier }) ?? logger;
  } catch {
    return logger;
  }
}
