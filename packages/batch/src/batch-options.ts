import { type BatchEventSchema, type BatchRecord, events, ParseError, safeParseRecords } from '@lambdakit/parser';
import type { BatchLogger } from './batch-logger.js';
import { type BatchSource, batchSources } from './batch-source.js';
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

/** Options of `processBatch` and `batch`; `S` is the batch schema, `K` the source when given. */
export interface BatchOptions<S extends BatchEventSchema = BatchEventSchema, K extends BatchSource = BatchSource> {
  /**
   * A batch schema from @lambdakit/parser (`sqs(Order)`, `kinesis(Data)`, `dynamodbStream(Image)`):
   * each record is parsed on its own and a record that fails is a failure of that record only.
   * Default: the registry's envelope schema for the source (`events.sqs`, …), payload left as sent.
   */
  schema?: S;
  /** The source, when it should not be detected from the records' `eventSource` (a `schema` implies its source). */
  source?: K;
  /**
   * Standard SQS: records handled at once (default 1, one after another). With `fifo: 'group'`:
   * message groups handled at once. FIFO batches and streams otherwise keep their order.
   */
  concurrency?: number;
  /**
   * SQS FIFO on a failure: `'stop'` (default) reports that record and every later one of the batch;
   * `'group'` reports the rest of that message group only and keeps processing the other groups.
   */
  fifo?: 'stop' | 'group';
  /**
   * No record is started once the time left before the invocation's deadline is under this
   * (default 1000 ms); every record not started is reported for redelivery.
   */
  marginMs?: number;
  /**
   * When no record of a non-empty batch succeeded, throw `BatchError` (`BATCH_ALL_FAILED`) instead
   * of returning every record in `batchItemFailures` (default false). Either way Lambda retries all.
   */
  throwOnFullFailure?: boolean;
  /** Called once per record that did not succeed (failed, or never started), e.g. for metrics. */
  onRecordError?: (failure: FailedRecord) => unknown;
  /**
   * A record that does not parse will not parse on a retry either, and a stream retries it (holding
   * its shard) until the record expires. Given this, such a record is handed to it (to put it in a
   * dead-letter store of your own) and, once it resolves, counts as processed: the batch goes on
   * past it. If it throws, the record fails as usual. Default: a parse failure is a record failure.
   */
  onInvalidRecord?: (invalid: InvalidRecord) => unknown;
  /**
   * Where the batch logs failed records: default `ctx.log` when it is a pino-like logger, else one
   * JSON line on stderr. `false`: do not log (use `onRecordError`).
   */
  log?: BatchLogger | false;
  /** The clock, epoch milliseconds (default `Date.now`): compared with the deadline. */
  clock?: () => number;
}

/** @internal Options checked and defaulted once. */
export interface BatchSettings {
  readonly schema: BatchEventSchema | undefined;
  readonly source: BatchSource | undefined;
  readonly concurrency: number;
  readonly fifo: 'stop' | 'group';
  readonly marginMs: number;
  readonly throwOnFullFailure: boolean;
  readonly onRecordError: ((failure: FailedRecord) => unknown) | undefined;
  readonly onInvalidRecord: ((invalid: InvalidRecord) => unknown) | undefined;
  readonly log: BatchLogger | false | undefined;
  readonly clock: () => number;
}

/** @internal The registry schema per source, for batches parsed without a schema. */
export const sourceSchemas: Record<BatchSource, BatchEventSchema> = {
  sqs: events.sqs,
  kinesis: events.kinesis,
  'dynamodb-stream': events['dynamodb-stream'],
};

/** @internal Checks options once (at init for `batch()`), so a typo fails loudly and early. */
export function resolveSettings(options: BatchOptions<any, any> | undefined, caller: string): BatchSettings {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`${caller}(): options must be an object`);
  const { schema, source, concurrency = 1, fifo = 'stop', marginMs = 1000, throwOnFullFailure = false } = o;
  if (source !== undefined && !batchSources.includes(source)) {
    throw new TypeError(`${caller}({ source }): expected one of ${batchSources.join(', ')}`);
  }
  const parsedSource = schema === undefined ? undefined : schemaSource(schema, caller);
  if (source !== undefined && parsedSource !== undefined && source !== parsedSource) {
    throw new TypeError(`${caller}({ source, schema }): the source is ${source} but the schema parses ${parsedSource}`);
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`${caller}({ concurrency }): expected a whole number of at least 1`);
  }
  if (fifo !== 'stop' && fifo !== 'group') throw new TypeError(`${caller}({ fifo }): expected 'stop' or 'group'`);
  if (typeof marginMs !== 'number' || !(marginMs >= 0) || !Number.isFinite(marginMs)) {
    throw new TypeError(`${caller}({ marginMs }): expected a finite number of milliseconds, at least 0`);
  }
  if (typeof throwOnFullFailure !== 'boolean')
    throw new TypeError(`${caller}({ throwOnFullFailure }): expected a boolean`);
  if (o.onRecordError !== undefined && typeof o.onRecordError !== 'function') {
    throw new TypeError(`${caller}({ onRecordError }): expected a function`);
  }
  if (o.onInvalidRecord !== undefined && typeof o.onInvalidRecord !== 'function') {
    throw new TypeError(`${caller}({ onInvalidRecord }): expected a function`);
  }
  const log = o.log;
  if (log !== undefined && log !== false && (log === null || typeof log !== 'object')) {
    throw new TypeError(`${caller}({ log }): expected a pino-like logger or false`);
  }
  if (o.clock !== undefined && typeof o.clock !== 'function')
    throw new TypeError(`${caller}({ clock }): expected a function`);
  return {
    schema,
    source: source ?? parsedSource,
    concurrency,
    fifo,
    marginMs,
    throwOnFullFailure,
    onRecordError: o.onRecordError,
    onInvalidRecord: o.onInvalidRecord,
    log,
    clock: o.clock ?? now,
  };
}

// The source each schema parses, once found: the probe below builds a ParseError (an Error, with its
// stack) and was over a quarter of a warm `processBatch(…, { schema })` call (profiled: bench/MISSES.md).
// A schema never changes what it parses, so this is shared like the schema itself; weak, so it never
// keeps a schema alive.
const sourceOfSchema = new WeakMap<BatchEventSchema, BatchSource>();

/** The source a lambdakit batch schema parses, found by parsing one empty record with it. */
function schemaSource(schema: BatchEventSchema, caller: string): BatchSource {
  const known = sourceOfSchema.get(schema);
  if (known !== undefined) return known;
  let source: string | undefined;
  try {
    safeParseRecords(schema, { Records: [{}] });
  } catch (error) {
    // An empty record fails every source's schema and has no item identifier, so safeParseRecords
    // throws a ParseError that names the schema's source; anything else is not a lambdakit schema.
    if (!(error instanceof ParseError)) {
      throw new TypeError(`${caller}({ schema }): expected a batch schema from @lambdakit/parser, e.g. sqs(Body)`, {
        cause: error,
      });
    }
    source = error.source;
  }
  if (source === undefined || !batchSources.includes(source as BatchSource)) {
    throw new TypeError(
      `${caller}({ schema }): expected an SQS, Kinesis or DynamoDB stream schema (Lambda takes partial batch responses from these only), got ${source ?? 'an unknown schema'}`,
    );
  }
  sourceOfSchema.set(schema, source as BatchSource);
  return source as BatchSource;
}

// Read at call time, not captured: fake timers in tests replace `Date`.
const now = () => Date.now();
