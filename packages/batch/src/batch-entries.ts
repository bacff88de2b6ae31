import { type BatchEventSchema, ParseError, safeParseRecords } from '@lambdakit/parser';
import { BatchError } from './batch-error.js';
import { type BatchSettings, sourceSchemas } from './batch-settings.js';
import { type BatchSource, detectBatchSource } from './batch-source.js';

/** @internal One record of the batch: where it is, what it is reported as, and what parsing it gave. */
export interface BatchEntry {
  readonly index: number;
  readonly itemIdentifier: string;
  /** The record as Lambda sent it. */
  readonly raw: unknown;
  /** The parsed record (`undefined` when it did not parse). */
  readonly record: unknown;
  readonly parseError: ParseError | undefined;
  /** It holds an extended client's pointer: fetched and parsed in its lane, when it runs (`record` is then unset). */
  readonly deferred?: boolean | undefined;
}

/** @internal A batch event taken apart: its source, its raw records, and one entry per record. */
export interface BatchEntries {
  readonly source: BatchSource;
  readonly records: readonly unknown[];
  readonly entries: readonly BatchEntry[];
}

/**
 * The entries of a batch event, each record parsed on its own; `undefined` for an empty batch.
 * Throws `BatchError` when the event cannot be reported record by record: no `Records` array, an
 * unknown or mixed source, a failing record without an item identifier.
 */
export function batchEntries(
  event: unknown,
  settings: BatchSettings,
  deferred?: (raw: unknown) => boolean,
): BatchEntries | undefined {
  const records = recordsOf(event);
  if (records.length === 0) return undefined;
  const source = settings.source ?? detectBatchSource(records);
  const entries = parseEntries(settings.schema ?? sourceSchemas[source], event, records);
  if (deferred !== undefined) {
    entries.forEach((entry, index) => {
      if (deferred(entry.raw)) entries[index] = { ...entry, record: undefined, parseError: undefined, deferred: true };
    });
  }
  return { source, records, entries };
}

function recordsOf(event: unknown): readonly unknown[] {
  const records = event !== null && typeof event === 'object' ? (event as { Records?: unknown }).Records : undefined;
  if (!Array.isArray(records)) {
    throw new BatchError(
      'BATCH_INVALID_EVENT',
      `Expected an SQS, Kinesis or DynamoDB stream event with a Records array, got ${describeEvent(event)}`,
    );
  }
  return records;
}

function parseEntries(schema: BatchEventSchema, event: unknown, records: readonly unknown[]): BatchEntry[] {
  let parsed: ReturnType<typeof safeParseRecords>;
  try {
    parsed = safeParseRecords(schema, event);
  } catch (error) {
    if (error instanceof ParseError) throw new BatchError('BATCH_INVALID_EVENT', error.message, { cause: error });
    throw error;
  }
  const entries = new Array<BatchEntry>(records.length);
  for (const { index, itemIdentifier, record } of parsed.records) {
    entries[index] = { index, itemIdentifier, raw: records[index], record, parseError: undefined };
  }
  for (const { index, itemIdentifier, error } of parsed.failures) {
    entries[index] = { index, itemIdentifier, raw: records[index], record: undefined, parseError: error };
  }
  return entries;
}

function describeEvent(event: unknown): string {
  if (event === null) return 'null';
  if (Array.isArray(event)) return 'an array';
  if (typeof event !== 'object') return typeof event;
  return 'an object without one';
}
