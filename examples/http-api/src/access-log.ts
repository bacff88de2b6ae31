import type { InvocationContext, Middleware, Request } from '@lambdakit/core';
import type { Logger } from '@lambdakit/logger';

/**
 * One `"message":"response"` line per request with the status code sent back, including the 400s
 * and 504s that `parse()` and `timeout()` answer without the business logic, so Logs Insights can
 * count them: `filter message = "response" | stats count() by statusCode`. Use it after `logger()`.
 */
export function accessLog(): Middleware {
  return {
    name: 'access-log',
    before: ({ context: ctx }: Request<unknown, InvocationContext & { log: Logger }>) => {
      // A cleanup hook runs on every path: an early 400, a timeout, a thrown error.
      ctx.cleanup((outcome) => {
        if (outcome.status === 'success') {
          const { statusCode } = outcome.result as { statusCode?: unknown };
          ctx.log.info({ statusCode }, 'response');
        } else if (outcome.status === 'timeout') {
          // timeout() runs the cleanup hooks first, then answers with onTimeout's 504.
          ctx.log.warn({ statusCode: 504, remainingTimeMs: outcome.error.remainingTimeMs }, 'response');
        } else {
          // Lambda reports the error; API Gateway answers the caller with a 500.
          ctx.log.error({ statusCode: 500, error: outcome.error }, 'response');
        }
      });
    },
  };
}
