import { formatWithOptions } from 'node:util';
import type { DurableLogData, DurableLogger, DurableLoggingContext } from '@aws/durable-execution-sdk-js';
import { type LineDestination, stdoutDestination } from '@lambdakit/core';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Readonly<Record<string, Level>> = { DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** The part of a pino logger (`ctx.log` of `@lambdakit/logger`) written to, by shape. */
interface PinoLike {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** What the adapter needs of its invocation. */
export interface LogTarget {
  /** `ctx.log` when the chain has `logger()`. */
  log(): PinoLike | undefined;
  /** Called instead of writing when a line is the replay probe. */
  probed(): void;
  /** The SDK's per-line data (execution, running operation, attempt), set by the SDK. */
  logData: (() => DurableLogData) | undefined;
}

/** A value only the probe passes: the SDK forwards arguments to the custom logger unchanged. */
export const PROBE: unique symbol = Symbol('lambdakit.durable.probe');

/**
 * The SDK's custom logger (`DurableLogger`): what the SDK and `ctx.logger` / a step's `logger`
 * write goes through lambdakit's logger when the chain has one (its fields, redaction and
 * buffering), else as one JSON line to stdout. The SDK calls it only outside replay (its
 * mode-aware logging), which `PROBE` uses to tell whether the code running now is replaying.
 */
export function durableLogAdapter(
  target: LogTarget,
  destination: LineDestination = stdoutDestination(),
): DurableLogger {
  const write = (level: Level, params: unknown[]): void => {
    if (params[0] === PROBE) {
      target.probed();
      return;
    }
    const log = target.log();
    if (log !== undefined) {
      writeToPino(log, level, params);
      return;
    }
    const data = target.logData?.();
    const message = typeof params[0] === 'string' ? formatWithOptions({ depth: 6 }, ...params) : undefined;
    const fields = message === undefined ? params : undefined;
    destination.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), level: level.toUpperCase(), ...data, message, fields })}\n`,
    );
  };
  return {
    debug: (...params: unknown[]) => write('debug', params),
    info: (...params: unknown[]) => write('info', params),
    warn: (...params: unknown[]) => write('warn', params),
    error: (...params: unknown[]) => write('error', params),
    log: (level: string, ...params: unknown[]) => write(LEVELS[level] ?? 'info', params),
    configureDurableLoggingContext(context: DurableLoggingContext) {
      target.logData = context.getDurableLogData;
    },
  };
}

/**
 * The SDK's logger takes `(message, ...values)` as console does; pino takes `(fields, message)`.
 * One object after the message becomes the line's fields; anything else is formatted into it.
 */
function writeToPino(log: PinoLike, level: Level, params: unknown[]): void {
  const [first, ...rest] = params;
  if (typeof first !== 'string') {
    log[level](first, ...rest);
    return;
  }
  const only = rest[0];
  if (rest.length === 1 && only !== null && typeof only === 'object' && !Array.isArray(only)) {
    log[level](only instanceof Error ? { err: only } : only, first);
    return;
  }
  log[level](rest.length === 0 ? first : formatWithOptions({ depth: 6 }, first, ...rest));
}
