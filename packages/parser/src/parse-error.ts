import { LambdakitError } from '@lambdakit/core';
import type * as z from 'zod';
import type { EventSourceName } from './event-source.js';

/** One reason an event failed to parse: where (a path into the event), what (zod's code), why. */
export interface ParseIssue {
  /**
   * Path from the event's root, e.g. `['Records', 0, 'body', 'orderId']`; a key longer than
   * 64 characters is cut to 64, ending with `…`.
   */
  readonly path: readonly (string | number)[];
  /** zod's issue code (`invalid_type`, `too_big`, …), `custom` for decoding failures, `exception` for a schema that threw. */
  readonly code: string;
  /** Human-readable reason, at most 200 characters (longer ones are cut, ending with `…`). */
  readonly message: string;
  /** Set by lambdakit's decoders: `too_large`, `too_deep`, `invalid_json`, `invalid_base64`, `invalid_gzip`, … */
  readonly reason?: string;
}

/** The stable code a {@link ParseError} carries. */
export type ParseErrorCode = 'PARSER_INVALID_EVENT';

/** What a {@link ParseError} knows about the failure. */
export interface ParseErrorDetails {
  /** The event source, when the schema is one of lambdakit's. */
  source?: EventSourceName | undefined;
  /** Index of the first failing record in the batch, when the failure is inside a record. */
  recordIndex?: number | undefined;
  /** Kafka only: the `"<topic>-<partition>"` key of the records list `recordIndex` counts in. */
  topicPartition?: string | undefined;
  issues: readonly ParseIssue[];
  /** What a schema threw, or the record-level error a batch-level one wraps. */
  cause?: unknown;
}

const MAX_MESSAGE_ISSUES = 3;
// A hostile event can carry megabyte keys (a `z.record` body) and zod quotes unknown keys in its
// messages: every piece of an issue is bounded, so errors and 400 responses stay small.
const MAX_SEGMENT_LENGTH = 64;
const MAX_ISSUE_MESSAGE_LENGTH = 200;
/** Longest formatted path (`Records[0].body.x`) or JSON Pointer, in characters. */
export const MAX_PATH_LENGTH = 256;
const MAX_ERROR_MESSAGE_LENGTH = 1024;

/** `text` cut to `max` characters ending with `…` (never splitting a surrogate pair), or unchanged. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The issue with its key segments and message bounded (already-bounded issues come back as they are). */
function boundIssue(issue: ParseIssue): ParseIssue {
  const long = issue.path.some((segment) => typeof segment === 'string' && segment.length > MAX_SEGMENT_LENGTH);
  if (!long && issue.message.length <= MAX_ISSUE_MESSAGE_LENGTH) return issue;
  const path = long
    ? issue.path.map((segment) => (typeof segment === 'string' ? truncate(segment, MAX_SEGMENT_LENGTH) : segment))
    : issue.path;
  return { ...issue, path, message: truncate(issue.message, MAX_ISSUE_MESSAGE_LENGTH) };
}

/** `['Records', 0, 'body']` → `Records[0].body`, at most {@link MAX_PATH_LENGTH} characters. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
    if (out.length > MAX_PATH_LENGTH) break;
  }
  return out === '' ? '(root)' : truncate(out, MAX_PATH_LENGTH);
}

/**
 * An event did not match its schema: carries the source, the failing record's index and every
 * issue with its path. Thrown by `parseEvent`, returned by `safeParseEvent`, per record by
 * `safeParseRecords`. Build one with {@link parseError}, which bounds the issues and writes the message.
 */
export class ParseError extends LambdakitError<ParseErrorCode> {
  readonly source: EventSourceName | undefined;
  readonly recordIndex: number | undefined;
  /** Kafka only: the `"<topic>-<partition>"` records list that `recordIndex` indexes. */
  readonly topicPartition: string | undefined;
  /** Every issue, in zod's order; long keys and messages cut (see {@link ParseIssue}). */
  readonly issues: readonly ParseIssue[];

  constructor(code: ParseErrorCode, message: string, details: ParseErrorDetails) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.source = details.source;
    this.recordIndex = details.recordIndex;
    this.topicPartition = details.topicPartition;
    this.issues = details.issues.map(boundIssue);
  }

  /** The issue paths, formatted (`Records[0].body.orderId`). */
  get paths(): string[] {
    return this.issues.map((issue) => formatPath(issue.path));
  }
}

/**
 * The {@link ParseError} for `details`, its message naming the source and the first issues
 * (`Invalid sqs event: Records[0].body.orderId: …`), bounded whatever the event.
 */
export function parseError(details: ParseErrorDetails): ParseError {
  const issues = details.issues.map(boundIssue);
  const shown = issues
    .slice(0, MAX_MESSAGE_ISSUES)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
  const more = issues.length > MAX_MESSAGE_ISSUES ? ` (+${issues.length - MAX_MESSAGE_ISSUES} more)` : '';
  const what = details.source === undefined ? 'Invalid event: ' : `Invalid ${details.source} event: `;
  const message = `${what}${truncate(shown, MAX_ERROR_MESSAGE_LENGTH)}${more}`;
  return new ParseError('PARSER_INVALID_EVENT', message, { ...details, issues });
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

/** Where in its batch the first issue inside a record points (the fields of {@link ParseErrorDetails}). */
export interface RecordPlace {
  recordIndex?: number;
  topicPartition?: string;
}

/**
 * The record the first record-level issue points into: `Records[i]` / `records[i]`, or for Kafka,
 * whose records are grouped by topic and partition, `records["<topic>-<partition>"][i]`.
 */
export function recordPlaceOf(issues: readonly ParseIssue[], source: EventSourceName | undefined): RecordPlace {
  for (const { path } of issues) {
    if (source === 'kafka') {
      if (path[0] === 'records' && typeof path[1] === 'string' && typeof path[2] === 'number') {
        return { recordIndex: path[2], topicPartition: path[1] };
      }
    } else if ((path[0] === 'Records' || path[0] === 'records') && typeof path[1] === 'number') {
      return { recordIndex: path[1] };
    }
  }
  return {};
}
