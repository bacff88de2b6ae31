import { defineMiddleware, type InvocationContext, type Middleware } from '@lambdakit/core';
import { buildLogger, type CreateLoggerOptions, type Logger, loggerConfig } from './create-logger.js';
import { invocationLogger, settleLogger } from './invocation-logger.js';
import { assertBoolean } from './option-error.js';
import { writeOutcomeLine } from './outcome-line.js';
import { redactThrown } from './redact-thrown.js';

/**
 * Options of {@link logger}: a new logger's options, or a logger already made with
 * `createLogger()`; and `outcomes` (default true): one `ERROR` line when an invocation fails (a
 * thrown error: its type, message and first stack lines) or times out (the time left, and where
 * the pipeline stood), written last, after any held-back lines.
 */
export type LoggerOptions = (CreateLoggerOptions | { logger: Logger }) & {
  outcomes?: boolean | undefined;
  /**
   * Redact, with the logger's own rules, the own fields of an error that leaves the function
   * (Lambda's runtime logs them in full): default true. See {@link redactThrown}.
   */
  redactThrown?: boolean | undefined;
};

type LoggerRequest = { event: unknown; context: InvocationContext & { log?: Logger } };

/**
 * Middleware putting at `ctx.log` a logger bound to the invocation (see `invocationLogger`).
 * Its held-back lines are written if the invocation fails (error, timeout), from a `ctx.cleanup`
 * hook, so they are out before the handler's promise settles. Use it first, so it also sees
 * what the other middlewares log.
 */
export function logger(options: LoggerOptions = {}): Middleware<unknown, unknown, { log: Logger }> {
  const { outcomes: writeOutcomes, redactThrown: redactErrors, ...loggerOptions } = options;
  assertBoolean(writeOutcomes, 'outcomes', 'logger');
  assertBoolean(redactErrors, 'redactThrown', 'logger');
  const root = 'logger' in loggerOptions ? loggerOptions.logger : buildLogger(loggerOptions, 'logger');
  const outcomes = writeOutcomes !== false;
  const config = loggerConfig(root);
  if (config === undefined) throw new TypeError('logger({ logger }): expected a logger made by createLogger()');
  const sanitizeOptions = config.sanitize;
  return defineMiddleware({
    name: 'lambdakit-logger',
    before: (request: LoggerRequest) => {
      const ctx = request.context;
      const log = invocationLogger(root, request.event, ctx);
      ctx.log = log;
      if (typeof ctx.cleanup === 'function') {
        ctx.cleanup((outcome) => {
          if (outcomes) writeOutcomeLine(log, outcome);
          settleLogger(log, outcome.status !== 'success');
        });
      }
    },
    onError: (request: LoggerRequest & { error?: unknown }) => {
      // What leaves the function is logged by Lambda's runtime, field by field: redacted first.
      if (redactErrors !== false) request.error = redactThrown(request.error, sanitizeOptions);
      // Outside lambdakit's handler (plain Middy) there is no ctx.cleanup: flush on Middy's error path.
      const { log, cleanup } = request.context ?? {};
      if (log !== undefined && typeof cleanup !== 'function') settleLogger(log, true);
    },
  });
}
