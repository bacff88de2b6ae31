import { ParseError } from '@lambdakit/parser';

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
 * Without a logger, failures still reach CloudWatch: Lambda captures stderr. One JSON line per
 * entry so Logs Insights can query the fields.
 */
export const consoleLogger: BatchLogger = {
  warn: (fields, message) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...fields }, errorFields)),
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', msg: message, ...fields }, errorFields)),
  child(bindings) {
    return {
      warn: (fields, message) => consoleLogger.warn({ ...bindings, ...fields }, message),
      error: (fields, message) => consoleLogger.error({ ...bindings, ...fields }, message),
    };
  },
};

// JSON.stringify drops an Error's (non-enumerable) name and message. A ParseError's stack only
// points into the parser; its paths say what failed.
function errorFields(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    message: value.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(value instanceof ParseError ? {} : { stack: value.stack }),
  };
}
