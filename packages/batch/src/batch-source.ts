import { BatchError } from './batch-error.js';

/** An event source whose batches Lambda accepts partial failures for, named as in @lambdakit/parser's `events`. */
export type BatchSource = 'sqs' | 'kinesis' | 'dynamodb-stream';

/** Every {@link BatchSource}, for validating options. */
export const batchSources: readonly BatchSource[] = ['sqs', 'kinesis', 'dynamodb-stream'];

// The `eventSource` field each source's records carry.
const byEventSource: Readonly<Record<string, BatchSource>> = {
  'aws:sqs': 'sqs',
  'aws:kinesis': 'kinesis',
  'aws:dynamodb': 'dynamodb-stream',
};

/**
 * The source of a batch, from its records' `eventSource`. Records whose `eventSource` is missing
 * or unknown are ignored here (they fail their own parse later); a batch mixing sources is not
 * something Lambda sends, so it is refused as a whole.
 */
export function detectBatchSource(records: readonly unknown[]): BatchSource {
  let found: BatchSource | undefined;
  for (const record of records) {
    const name =
      record !== null && typeof record === 'object' ? (record as { eventSource?: unknown }).eventSource : undefined;
    const source = typeof name === 'string' && Object.hasOwn(byEventSource, name) ? byEventSource[name] : undefined;
    if (source === undefined) continue;
    if (found !== undefined && found !== source) {
      throw new BatchError('BATCH_UNKNOWN_SOURCE', `The batch mixes records from ${found} and ${source}`);
    }
    found = source;
  }
  if (found === undefined) {
    throw new BatchError(
      'BATCH_UNKNOWN_SOURCE',
      'No record has a known eventSource (aws:sqs, aws:kinesis, aws:dynamodb); pass the source option',
    );
  }
  return found;
}

/**
 * A FIFO queue's name, and so its ARN, ends in `.fifo`: that decides. A `MessageGroupId` alone
 * does not, since standard queues accept one too (fair queues) and keep no order; it marks a
 * batch as FIFO only for a record without an ARN (a hand-made test event).
 */
export function isFifoBatch(records: readonly unknown[]): boolean {
  for (const record of records) {
    const arn = field(record, 'eventSourceARN');
    if (typeof arn === 'string' && arn !== '') {
      if (arn.endsWith('.fifo')) return true;
    } else if (messageGroupId(record) !== undefined) return true;
  }
  return false;
}

/** An SQS record's `attributes.MessageGroupId`, read from the raw record. */
export function messageGroupId(record: unknown): string | undefined {
  const group = field(field(record, 'attributes'), 'MessageGroupId');
  return typeof group === 'string' ? group : undefined;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
