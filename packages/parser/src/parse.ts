import { defineMiddleware, type InvocationContext, type Middleware } from '@lambdakit/core';
import type * as z from 'zod';
import { detectSource } from './detect-source.js';
import { type EventSourceName, type HttpSource, sourceInfo } from './event-source.js';
import type { ParseError } from './parse-error.js';
import { safeParseEvent } from './parse-event.js';
import { type HttpProblemResponse, problemResponse } from './problem-details.js';
import type { ResolvedPayloads } from './resolve-large-payloads.js';

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
  const validate = (request: Request) => {
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
  };
  if (info?.payloads === undefined) return defineMiddleware({ name: 'parse', before: validate });
  const { has: hasLargePayloads, resolve: resolveLargePayloads } = info.payloads.resolver;
  // `sqs(Body, { largePayloads })`: pointers are fetched first, then the event is parsed as if inline.
  const resolveThenValidate = async (request: Request) => {
    const ctx = request.context as Partial<InvocationContext> | undefined;
    const resolved = await resolveLargePayloads(schema, request.event, { signal: ctx?.signal });
    const [failure] = resolved.failures.values();
    if (failure !== undefined) throw failure;
    request.event = resolved.event;
    if (resolved.pointers.size > 0 && info.payloads?.store.deleteAfterSuccess && typeof ctx?.cleanup === 'function') {
      const deadline = ctx.deadline;
      ctx.cleanup((outcome) =>
        outcome.status === 'success' ? removeSucceeded(resolved, outcome.result, deadline) : undefined,
      );
    }
    return validate(request);
  };
  // An event with no pointer parses as it would without the option, synchronously.
  return defineMiddleware({
    name: 'parse',
    before: (request: Request) =>
      hasLargePayloads(schema, request.event) ? resolveThenValidate(request) : validate(request),
  });
}

type Request = { event: unknown; context: unknown };

/** Deletes the payloads of the records the invocation did not report as failed (`batchItemFailures`). */
function removeSucceeded(resolved: ResolvedPayloads<unknown>, result: unknown, deadline?: number): Promise<void> {
  const failures = (result as { batchItemFailures?: unknown } | undefined)?.batchItemFailures;
  const failed = new Set(
    Array.isArray(failures) ? failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier) : [],
  );
  const records = (resolved.event as { Records: unknown[] }).Records;
  const succeeded = [...resolved.pointers.keys()].filter((index) => {
    const record = records[index] as { messageId?: unknown; Sns?: { MessageId?: unknown } };
    return !failed.has(record.messageId ?? record.Sns?.MessageId);
  });
  return resolved.removeAfterSuccess(succeeded, { deadline });
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
