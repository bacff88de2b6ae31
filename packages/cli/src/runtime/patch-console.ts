import { format } from 'node:util';
import type { RuntimeGeneration } from './runtime-generation.js';

/** The log levels of Lambda's advanced logging controls (`AWS_LAMBDA_LOG_LEVEL`), lowest first. */
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type Level = (typeof LEVELS)[number];

/** Where the patched console takes the invocation it writes for, and where it writes. */
export interface ConsolePatchOptions {
  generation: RuntimeGeneration;
  /** JSON lines instead of text (`AWS_LAMBDA_LOG_FORMAT=JSON`, and always under multi-concurrency). */
  json: boolean;
  /** `AWS_LAMBDA_LOG_LEVEL`: lines below it are dropped (TRACE, everything, by default). */
  minLevel: string | undefined;
  /** The request id of the invocation running now, as the runtime prints it outside of one. */
  requestId(): string | undefined;
  tenantId(): string | undefined;
  write(line: string): void;
}

/**
 * Replaces `console.trace/debug/info/log/warn/error` (and adds `console.fatal`) with Lambda's
 * format: `time⇥requestId⇥LEVEL⇥message` with newlines turned into carriage returns (one
 * CloudWatch event per call), or one JSON object per call. Every level goes to stdout, as in Lambda.
 */
export function patchConsole(options: ConsolePatchOptions): void {
  const minimum = Math.max(0, LEVELS.indexOf((options.minLevel?.toUpperCase() ?? 'TRACE') as Level));
  const log =
    (level: Level) =>
    (message?: unknown, ...params: unknown[]) => {
      const timestamp = new Date().toISOString();
      const requestId = options.requestId();
      const line = options.json
        ? jsonLine(options.generation, timestamp, level, requestId, options.tenantId(), message, params)
        : `${timestamp}\t${requestId}\t${level}\t${format(message, ...params)}`;
      options.write(`${line.replaceAll('\n', '\r')}\n`);
    };
  const method = (level: Level) =>
    // 3.x writes FATAL whatever the level; both skip the rest below the minimum.
    LEVELS.indexOf(level) >= minimum || (level === 'FATAL' && options.generation === 'legacy')
      ? log(level)
      : () => undefined;
  const target = console as unknown as Record<string, unknown>;
  target.trace = method('TRACE');
  target.debug = method('DEBUG');
  target.info = method('INFO');
  target.log = target.info;
  target.warn = method('WARN');
  target.error = method('ERROR');
  target.fatal = method('FATAL');
}

function jsonLine(
  generation: RuntimeGeneration,
  timestamp: string,
  level: Level,
  requestId: string | undefined,
  tenantId: string | undefined,
  message: unknown,
  params: unknown[],
): string {
  const record: Record<string, unknown> = { timestamp, level, requestId };
  if (tenantId) record.tenantId = tenantId;
  if (params.length === 0) {
    // A single value is kept as it is (an object stays an object); an error becomes its fields.
    record.message = message;
    try {
      return JSON.stringify(record, describeErrors);
    } catch {
      record.message = format(message);
      return JSON.stringify(record);
    }
  }
  record.message = format(message, ...params);
  // The first error among the arguments lends its fields (4.x looks past the message only).
  const candidates = generation === 'current' ? params : [message, ...params];
  const error = candidates.find((param) => param instanceof Error) as Error | undefined;
  if (error !== undefined) {
    record.errorType = error.constructor?.name ?? 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

function describeErrors(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    {
      errorType: value.constructor?.name ?? 'UnknownError',
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    },
    value,
  );
}
