import type { ParseError } from '@lambdakit/parser';
import type { BatchSource } from './batch-source.js';

/** A record of the batch that did not succeed, as given to `onRecordError` and carried by `BatchError`. */
export interface FailedRecord {
  /** Position in the event's `Records` array. */
  readonly index: number;
  /** The id Lambda's partial batch response uses (SQS `messageId`, stream sequence number). */
  readonly itemIdentifier: string;
  readonly source: BatchSource;
  /**
   * Why: a `ParseError` (the record did not match the schema), whatever the record handler threw,
   * or a `RecordSkippedError` (never started: deadline, or an earlier failure where order matters).
   */
  readonly error: unknown;
  /**
   * Whether the record is listed in `batchItemFailures`. Always true for SQS; for streams only the
   * first record not processed is listed, since Lambda resumes the shard from there.
   */
  readonly reported: boolean;
  /** The record as Lambda sent it (not parsed). */
  readonly record: unknown;
}

/** A record that did not parse, as given to `onInvalidRecord`. */
export interface InvalidRecord {
  /** Position in the event's `Records` array. */
  readonly index: number;
  /** The id Lambda's partial batch response uses (SQS `messageId`, stream sequence number). */
  readonly itemIdentifier: string;
  readonly source: BatchSource;
  /** What was wrong, with the paths that failed. */
  readonly error: ParseError;
  /** The record as Lambda sent it. */
  readonly record: unknown;
}

/** @internal The {@link FailedRecord} of a batch entry. */
export function failedRecord(
  entry: { readonly index: number; readonly itemIdentifier: string; readonly raw: unknown },
  source: BatchSource,
  error: unknown,
  reported: boolean,
): FailedRecord {
  return { index: entry.index, itemIdentifier: entry.itemIdentifier, source, error, reported, record: entry.raw };
}
