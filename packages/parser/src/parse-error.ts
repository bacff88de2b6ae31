import { LambdakitError } from '@lambdakit/core';
import type * as z from 'zod';
import type { EventSourceName } from './event-source.js';

/** One reason an event failed to parse: where (a path into the event), what (zod's code), why. */
export interface ParseIssue {
  /** Path from the event's root, e.g. `['Records', 0, 'body', 'orderId']`. */
  readonly path: readonly (string | number)[];
  /** zod's issue code (`invalid_type`, `too_big`, …) or `custom` for decoding failures. */
  readonly code: string;
  /** Human-readable reason; never quotes the input. */
  readonly message: string;
  /** Set by lambdakit's decoders: `too_large`, `too_deep`, `invalid_json`, `invalid_base64`, `invalid_gzip`, … */
  readonly reason?: string;
}

/** What a {@link ParseError} knows about the failure. */
export interface ParseErrorDetails {
  /** The event source, when the schema is one of lambdakit's. */
  source?: EventSourceName | undefined;
  /** Index of the first failing record in the batch, when the failure is inside a record. */
  recordIndex?: number | undefined;
  issues: readonly ParseIssue[];
}

const MAX_MESSAGE_ISSUES = 3;

/** `['Records', 0, 'body']` → `Records[0].body`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * An event did not match its schema: carries the source, the failing record's index and every
 * issue with its path. Thrown by `parseEvent`, returned by `safeParseEvent`, per record by `parseRecords`.
 */
export class ParseError extends LambdakitError {
  readonly source: EventSourceName | undefined;
  readonly recordIndex: number | undefined;
  readonly issues: readonly ParseIssue[];

  constructor(details: ParseErrorDetails, options?: { cause?: unknown }) {
    const shown = details.issues
      .slice(0, MAX_MESSAGE_ISSUES)
      .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
      .join('; ');
    const more =
      details.issues.length > MAX_MESSAGE_ISSUES ? ` (+${details.issues.length - MAX_MESSAGE_ISSUES} more)` : '';
    super('PARSE_ERROR', `Invalid ${details.source ?? ''}${details.source ? ' ' : ''}event: ${shown}${more}`, options);
    this.source = details.source;
    this.recordIndex = details.recordIndex;
    this.issues = details.issues;
  }

  /** The issue paths, formatted (`Records[0].body.orderId`). */
  get paths(): string[] {
    return this.issues.map((issue) => formatPath(issue.path));
  }
}

/** Converts zod issues to {@link ParseIssue}s, prefixing `prefix` (a record's place in its batch). */
export function toParseIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly (string | number)[] = [],
): ParseIssue[] {
  return issues.map((issue) => {
    const path = [...prefix];
    for (const segment of issue.path) path.push(typeof segment === 'symbol' ? String(segment) : segment);
    const reason = issue.code === 'custom' ? (issue.params as { reason?: unknown } | undefined)?.reason : undefined;
    return typeof reason === 'string'
      ? { path, code: issue.code, message: issue.message, reason }
      : { path, code: issue.code, message: issue.message };
  });
}

/** The batch index the first issue points into (`Records[i]` / `records[i]`), if any. */
export function recordIndexOf(issues: readonly ParseIssue[]): number | undefined {
  for (const { path } of issues) {
    if ((path[0] === 'Records' || path[0] === 'records') && typeof path[1] === 'number') return path[1];
  }
  return undefined;
}
