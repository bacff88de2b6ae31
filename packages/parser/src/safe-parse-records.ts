import type * as z from 'zod';
import { type BatchShape, type EventSourceName, sourceInfo } from './event-source.js';
import { type ParseError, parseError, toParseIssues } from './parse-error.js';
import { thrownToParseError } from './parse-event.js';

/** A record that passed its schema, with its place in the batch. */
export interface ValidRecord<R> {
  /** Position in the event's records array. */
  index: number;
  /** The id Lambda's partial batch response uses: SQS `messageId`, Kinesis / DynamoDB sequence number, Firehose `recordId`. */
  itemIdentifier: string;
  /** The parsed record, payload decoded as the schema says. */
  record: R;
}

/** A record that failed its schema: report `itemIdentifier` in `batchItemFailures`. */
export interface RecordFailure {
  index: number;
  itemIdentifier: string;
  /** Why; its `recordIndex` is `index` and its issue paths start at `['Records', index]`. */
  error: ParseError;
}

/** The result of {@link safeParseRecords}: both lists in batch order; together they hold every record once. */
export interface ParsedRecords<R> {
  records: ValidRecord<R>[];
  failures: RecordFailure[];
}

/** The record type of a batch event schema's output. */
export type BatchRecord<S extends z.ZodType> =
  z.output<S> extends { Records: readonly (infer R)[] }
    ? R
    : z.output<S> extends { records: readonly (infer R)[] }
      ? R
      : never;

/** A schema whose output is a batch event. */
export type BatchEventSchema = z.ZodType<{ Records: readonly unknown[] } | { records: readonly unknown[] }>;

/**
 * Per-record mode for batch sources: parses each record on its own, so one bad message does not
 * fail the batch. Takes a lambdakit batch schema (`sqs(Body)`, `snsInSqs(M)`, `kinesis(Data)`,
 * `dynamodbStream(Image)`, `firehose(Data)`, `sns(M)`, or the registry's `events.sqs`, …).
 *
 * Throws a {@link ParseError} only when the batch cannot be reported record by record: the event
 * has no records array, or a failing record has no readable item identifier (Lambda then has to
 * retry the whole batch).
 */
export function safeParseRecords<S extends BatchEventSchema>(schema: S, event: unknown): ParsedRecords<BatchRecord<S>> {
  const info = sourceInfo(schema);
  const batch = info?.batch;
  if (info === undefined || batch === undefined) {
    throw new TypeError(
      'safeParseRecords(): pass a batch schema built by @lambdakit/parser, e.g. sqs(Body) or events.sqs',
    );
  }
  const { source } = info;
  const list = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[batch.key] : undefined;
  if (!Array.isArray(list)) {
    throw parseError({
      source,
      issues: [
        {
          path: [batch.key],
          code: 'invalid_type',
          message: `Invalid input: expected an event with a ${batch.key} array`,
        },
      ],
    });
  }
  const records: ValidRecord<BatchRecord<S>>[] = [];
  const failures: RecordFailure[] = [];
  for (let index = 0; index < list.length; index++) {
    const result = parseRecordAt(source, batch, list[index], index);
    if ('record' in result) records.push(result as ValidRecord<BatchRecord<S>>);
    else failures.push(result);
  }
  return { records, failures };
}

/**
 * One record of a batch event parsed on its own, as {@link safeParseRecords} parses each: for a
 * handler that takes records one at a time (after {@link resolveLargePayload}, say). `index` is
 * its place in the event's records array (issue paths start at `['Records', index]`). Throws a
 * {@link ParseError} only when the record fails and has no item identifier.
 */
export function safeParseRecord<S extends BatchEventSchema>(
  schema: S,
  record: unknown,
  index: number,
): ValidRecord<BatchRecord<S>> | RecordFailure {
  const info = sourceInfo(schema);
  if (info?.batch === undefined) {
    throw new TypeError('safeParseRecord(): pass a batch schema built by @lambdakit/parser, e.g. sqs(Body)');
  }
  return parseRecordAt(info.source, info.batch, record, index) as ValidRecord<BatchRecord<S>> | RecordFailure;
}

function parseRecordAt(
  source: EventSourceName,
  batch: BatchShape,
  raw: unknown,
  index: number,
): ValidRecord<unknown> | RecordFailure {
  const prefix = [batch.key, index];
  let error: ParseError;
  try {
    const result = batch.record.safeParse(raw);
    if (result.success) return { index, itemIdentifier: batch.itemIdentifier(raw) ?? '', record: result.data };
    // No `cause`: zod's error quotes the input without limit (see safeParseEvent).
    error = parseError({ source, recordIndex: index, issues: toParseIssues(result.error.issues, prefix) });
  } catch (thrown) {
    error = thrownToParseError(thrown, source, prefix);
  }
  const itemIdentifier = batch.itemIdentifier(raw);
  if (itemIdentifier === undefined) {
    // Lambda treats an empty or missing itemIdentifier as a failure of the whole batch.
    throw parseError({
      source,
      recordIndex: index,
      issues: [...error.issues, { path: prefix, code: 'custom', message: 'The record has no item identifier' }],
      cause: error,
    });
  }
  return { index, itemIdentifier, error };
}
