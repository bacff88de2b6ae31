import type { Middleware } from '@lambdakit/core';
import type * as z from 'zod';
import { type HttpSource, sourceInfo } from './event-source.js';
import { safeParseEvent } from './parse-event.js';
import { type HttpProblemResponse, problemResponse } from './problem-details.js';

/** The responses `parse(schema)` may return itself: a 400 for HTTP sources, none otherwise. */
export type ParseResponse<S> = S extends HttpSource ? HttpProblemResponse : never;

/**
 * Middleware for `lambda()`: validates the event with `schema` and gives the handler the parsed,
 * typed event. An invalid HTTP request (API Gateway, ALB, function URL) gets a 400 problem details
 * response; any other source throws the {@link ParseError} so Lambda's retries and DLQ apply.
 */
export function parse<S extends z.ZodType>(schema: S): Middleware<unknown, z.output<S>, {}, ParseResponse<S>> {
  const info = sourceInfo(schema);
  const http = info?.http === true;
  return {
    name: 'parse',
    before: (request) => {
      const result = safeParseEvent(schema, request.event);
      if (result.success) {
        request.event = result.data;
        return undefined;
      }
      if (http) return problemResponse(result.error, info?.source);
      throw result.error;
    },
  };
}
