import type * as z from 'zod';
import { type EventSourceName, sourceInfo } from './event-source.js';
import { type ParseError, type ParseIssue, parseError, recordPlaceOf, toParseIssues } from './parse-error.js';

/** The result of {@link safeParseEvent}: the typed event, or the {@link ParseError}. */
export type SafeParseEventResult<T> = { success: true; data: T } | { success: false; error: ParseError };

/** A ParseError for something a schema threw instead of reporting (a bug in a user refinement, an async schema). */
export function thrownToParseError(
  thrown: unknown,
  source: EventSourceName | undefined,
  path: (string | number)[] = [],
): ParseError {
  const name = thrown instanceof Error ? thrown.name : typeof thrown;
  const issues: ParseIssue[] = [{ path, code: 'exception', message: `The schema threw ${name}` }];
  return parseError({ source, ...recordPlaceOf(issues, source), issues, cause: thrown });
}

/** Validates `input` against `schema`, never throwing: any failure, even a throwing schema, is a {@link ParseError}. */
export function safeParseEvent<S extends z.ZodType>(schema: S, input: unknown): SafeParseEventResult<z.output<S>> {
  const source = sourceInfo(schema)?.source;
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(input);
  } catch (thrown) {
    return { success: false, error: thrownToParseError(thrown, source) };
  }
  if (result.success) return { success: true, data: result.data };
  const issues = toParseIssues(result.error.issues);
  // No `cause`: zod's error quotes every issue in full (keys, messages) with no size limit, and a
  // logger writing the cause chain would put back the large input that `issues` leaves out.
  return { success: false, error: parseError({ source, ...recordPlaceOf(issues, source), issues }) };
}

/** Validates `input` against `schema` and returns the typed event, or throws a {@link ParseError}. */
export function parseEvent<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeParseEvent(schema, input);
  if (!result.success) throw result.error;
  return result.data;
}
