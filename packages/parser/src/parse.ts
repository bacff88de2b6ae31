import { defineMiddleware, type Middleware } from '@lambdakit/core';
import type * as z from 'zod';
import { detectSource } from './detect-source.js';
import { type EventSourceName, type HttpSource, sourceInfo } from './event-source.js';
import type { ParseError } from './parse-error.js';
import { safeParseEvent } from './parse-event.js';
import { type HttpProblemResponse, problemResponse } from './problem-details.js';

/** The responses `parse(schema)` may return itself: a 400 for HTTP sources, none otherwise. */
export type ParseResponse<S> = S extends HttpSource ? HttpProblemResponse : never;

/**
 * Middleware for `lambda()`: validates the event with `schema` and gives the handler the parsed,
 * typed event. An invalid HTTP request (API Gateway, ALB, function URL) gets a 400 problem details
 * response; any other source throws the {@link ParseError} so Lambda's retries and DLQ apply.
 */
export function parse<S extends z.ZodType>(
  schema: S,
  options: ParseOptions = {},
): Middleware<unknown, z.output<S>, {}, ParseResponse<S>> {
  const { logInvalid = true } = options;
  if (typeof logInvalid !== 'boolean') {
    throw new TypeError(`parse({ logInvalid }): expected a boolean, got ${typeof logInvalid}`);
  }
  const info = sourceInfo(schema);
  const http = info?.http === true;
  return defineMiddleware({
    name: 'parse',
    before: (request) => {
      const result = safeParseEvent(schema, request.event);
      if (result.success) {
        request.event = result.data;
        return undefined;
      }
      if (!http) throw result.error;
      const log = (request.context as { log?: WarnLogger } | undefined)?.log;
      if (logInvalid && typeof log?.warn === 'function') {
        const [fields, message] = invalidRequestLine(result.error, info?.source, request.event);
        log.warn(fields, message);
      }
      return problemResponse(result.error, info?.source);
    },
  });
}

/** Options of {@link parse}. */
export interface ParseOptions {
  /**
   * With a logger on `ctx.log` (`logger()` earlier in the chain): write one `WARN` line when an
   * HTTP request is answered 400, with the source, the first issues, and the source the event
   * looks like when it is another (a wrong trigger). Default true.
   */
  logInvalid?: boolean | undefined;
}

interface WarnLogger {
  warn(fields: object, message: string): void;
}

// Issues named in the line: enough to see what is wrong, bounded whatever the request.
const LOGGED_ISSUES = 3;

/** The `WARN` line for a request answered 400: bounded, never the request's values. */
function invalidRequestLine(
  error: ParseError,
  expected: EventSourceName | undefined,
  event: unknown,
): [object, string] {
  const looksLike = detectSource(event);
  const issues = error.issues.slice(0, LOGGED_ISSUES).map((issue) => ({
    path: issue.path.join('.').slice(0, 200),
    message: issue.message,
  }));
  const fields = {
    source: expected,
    issueCount: error.issues.length,
    issues,
    ...(looksLike !== undefined && looksLike !== expected ? { eventLooksLike: looksLike } : {}),
  };
  const message =
    looksLike !== undefined && looksLike !== expected
      ? `a ${looksLike} event reached a function that takes ${expected ?? 'other'} requests (a wrong trigger?): answered 400`
      : `invalid ${expected ?? ''} request answered 400: ${issues[0]?.path || 'the event'}: ${issues[0]?.message ?? 'invalid'}`.replace(
          '  ',
          ' ',
        );
  return [fields, message];
}
