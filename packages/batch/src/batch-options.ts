import type { BatchEventSchema, BatchRecord, events } from '@lambdakit/parser';
import type { BatchLogger } from './batch-logger.js';
import type { BatchSource } from './batch-source.js';
import type { FailedRecord, InvalidRecord } from './failed-record.js';

/** A record as Lambda sends it, per source: what a record handler gets when no `schema` is given. */
export interface SourceRecords {
  sqs: BatchRecord<typeof events.sqs>;
  kinesis: BatchRecord<typeof events.kinesis>;
  'dynamodb-stream': BatchRecord<(typeof events)['dynamodb-stream']>;
}

/** The record type a handler gets: the schema's record, else the raw record of source `K` (all three when unknown). */
export type RecordOf<S extends BatchEventSchema, K extends BatchSource> = [S] extends [never]
  ? SourceRecords[K]
  : BatchRecord<S>;

/** Options of `processBatch`; `S` is the batch schema, `K` the source when given. */
export interface ProcessBatchOptions<
  S extends BatchEventSchema = BatchEventSchema,
  K extends BatchSource = BatchSource,
> {
  /**
   * A batch schema from @lambdakit/parser (`sqs(Order)`, `kinesis(Data)`, `dynamodbStream(Image)`):
   * each record is parsed on its own and a record that fails is a failure of that record only.
   * Default: the registry's envelope schema for the source (`events.sqs`, …), payload left as sent.
   */
  schema?: S | undefined;
  /** The source, when it should not be detected from the records' `eventSource` (a `schema` implies its source). */
  source?: K | undefined;
  /**
   * Standard SQS: records handled at once (default 1, one after another). With `fifo: 'group'`:
   * message groups handled at once. FIFO batches and streams otherwise keep their order.
   */
  concurrency?: number | undefined;
  /**
   * SQS FIFO on a failure: `'stop'` (default) reports that record and every later one of the batch;
   * `'group'` reports the rest of that message group only and keeps processing the other groups.
   */
  fifo?: 'stop' | 'group' | undefined;
  /**
   * No record is started once less than this remains before the deadline (default 1000 ms); every
   * record not started is reported for redelivery.
   */
  cutoffMs?: number | undefined;
  /**
   * When no record of a non-empty batch succeeded, throw `BatchError` (`BATCH_ALL_FAILED`) instead
   * of returning every record in `batchItemFailures` (default false). Either way Lambda retries all.
   */
  throwOnFullFailure?: boolean | undefined;
  /** Called once per record that did not succeed (failed, or never started), e.g. for metrics. */
  onRecordError?: ((failure: FailedRecord) => unknown) | undefined;
  /**
   * A record that does not parse will not parse on a retry either, and a stream retries it (holding
   * its shard) until the record expires. Given this, such a record is handed to it (to put it in a
   * dead-letter store of your own) and, once it resolves, counts as processed: the batch goes on
   * past it. If it throws, the record fails as usual. Default: a parse failure is a record failure.
   */
  onInvalidRecord?: ((invalid: InvalidRecord) => unknown) | undefined;
  /**
   * Where the batch logs failed records: default `ctx.log` when it is a pino-like logger, else one
   * `LambdakitWarning` per failed record. `false`: neither (use `onRecordError`).
   */
  log?: BatchLogger | false | undefined;
  /** The clock, epoch milliseconds (default `Date.now`): compared with the deadline. */
  now?: (() => number) | undefined;
}

/** Options of `batch()`: those of `processBatch`, checked once when the handler is built. */
export interface BatchOptions<S extends BatchEventSchema = BatchEventSchema, K extends BatchSource = BatchSource>
  extends ProcessBatchOptions<S, K> {}
