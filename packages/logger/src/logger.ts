import type { InvocationContext, Middleware } from '@lambdakit/core';
import { createLogger, type Logger, type LoggerOptions, loggerConfig } from './create-logger.js';
import { invocationLogger, settleLogger } from './invocation-logger.js';

/** Options of {@link logger}: a new logger's options, or a logger already made with `createLogger()`. */
export type LoggerMiddlewareOptions = LoggerOptions | { logger: Logger };

type LoggerRequest = { event: unknown; context: InvocationContext & { log?: Logger } };

/**
 * Middleware putting at `ctx.log` a logger bound to the invocation (see `invocationLogger`).
 * Its held-back lines are written if the invocation fails (error, timeout), from a `ctx.cleanup`
 * hook, so they are out before the handler's promise settles. Use it first, so it also sees
 * what the other middlewares log.
 */
export function logger(options: LoggerMiddlewareOptions = {}): Middleware<unknown, unknown, { log: Logger }> {
  const root = 'logger' in options ? options.logger : createLogger(options);
  if (loggerConfig(root) === undefined)
    throw new TypeError('logger({ logger }): expected a logger made by createLogger()');
  return {
    name: 'lambdakit-logger',
    before: (request: LoggerRequest) => {
      const ctx = request.context;
      const log = invocationLogger(root, ctx, request.event);
      ctx.log = log;
      if (typeof ctx.cleanup === 'function') ctx.cleanup((outcome) => settleLogger(log, outcome.status !== 'success'));
    },
    // Outside lambdakit's handler (plain Middy) there is no ctx.cleanup: flush on Middy's error path.
    onError: (request: LoggerRequest) => {
      const { log, cleanup } = request.context ?? {};
      if (log !== undefined && typeof cleanup !== 'function') settleLogger(log, true);
    },
  };
}
