import { type BatchEventSchema, events, schemaSource } from '@lambdakit/parser';
import type { BatchLogger } from './batch-logger.js';
import type { ProcessBatchOptions } from './batch-options.js';
import { type BatchSource, batchSources } from './batch-source.js';
import type { FailedRecord, InvalidRecord } from './failed-record.js';

/** @internal Options checked and defaulted once. */
export interface BatchSettings {
  readonly schema: BatchEventSchema | undefined;
  readonly source: BatchSource | undefined;
  readonly concurrency: number;
  readonly fifo: 'stop' | 'group';
  readonly cutoffMs: number;
  readonly throwOnFullFailure: boolean;
  readonly onRecordError: ((failure: FailedRecord) => unknown) | undefined;
  readonly onInvalidRecord: ((invalid: InvalidRecord) => unknown) | undefined;
  readonly log: BatchLogger | false | undefined;
  readonly now: () => number;
}

/** @internal The registry schema per source, for batches parsed without a schema. */
export const sourceSchemas: Record<BatchSource, BatchEventSchema> = {
  sqs: events.sqs,
  kinesis: events.kinesis,
  'dynamodb-stream': events['dynamodb-stream'],
};

/** @internal Checks options once (at init for `batch()`), so a typo fails loudly and early: a `TypeError` names the option. */
export function batchSettings(options: ProcessBatchOptions<any, any> | undefined, door: string): BatchSettings {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`${door}(): options must be an object`);
  const { schema, source, concurrency = 1, fifo = 'stop', cutoffMs = 1000, throwOnFullFailure = false } = o;
  if (source !== undefined && !batchSources.includes(source)) {
    throw new TypeError(`${door}({ source }): expected one of ${batchSources.join(', ')}, got ${String(source)}`);
  }
  const parsedSource = schema === undefined ? undefined : batchSchemaSource(schema, door);
  if (source !== undefined && parsedSource !== undefined && source !== parsedSource) {
    throw new TypeError(`${door}({ source, schema }): the source is ${source} but the schema parses ${parsedSource}`);
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`${door}({ concurrency }): expected a whole number of at least 1, got ${String(concurrency)}`);
  }
  if (fifo !== 'stop' && fifo !== 'group') {
    throw new TypeError(`${door}({ fifo }): expected 'stop' or 'group', got ${String(fifo)}`);
  }
  if (typeof cutoffMs !== 'number' || !(cutoffMs >= 0) || !Number.isFinite(cutoffMs)) {
    throw new TypeError(
      `${door}({ cutoffMs }): expected a finite number of milliseconds, at least 0, got ${String(cutoffMs)}`,
    );
  }
  if (typeof throwOnFullFailure !== 'boolean')
    throw new TypeError(`${door}({ throwOnFullFailure }): expected a boolean`);
  for (const name of ['onRecordError', 'onInvalidRecord', 'now'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function')
      throw new TypeError(`${door}({ ${name} }): expected a function`);
  }
  const log = o.log;
  if (log !== undefined && log !== false && (log === null || typeof log !== 'object')) {
    throw new TypeError(`${door}({ log }): expected a pino-like logger or false`);
  }
  return {
    schema,
    source: source ?? parsedSource,
    concurrency,
    fifo,
    cutoffMs,
    throwOnFullFailure,
    onRecordError: o.onRecordError,
    onInvalidRecord: o.onInvalidRecord,
    log,
    now: o.now ?? dateNow,
  };
}

/** The source a batch schema parses, as the parser knows it: a schema it did not build, or of another source, is refused. */
function batchSchemaSource(schema: BatchEventSchema, door: string): BatchSource {
  const source = schema !== null && typeof schema === 'object' ? schemaSource(schema) : undefined;
  if (source === undefined) {
    throw new TypeError(`${door}({ schema }): expected a batch schema from @lambdakit/parser, e.g. sqs(Body)`);
  }
  if (!batchSources.includes(source as BatchSource)) {
    throw new TypeError(
      `${door}({ schema }): expected an SQS, Kinesis or DynamoDB stream schema (Lambda takes partial batch responses from these only), got ${source}`,
    );
  }
  return source as BatchSource;
}

// Read at call time, not captured: fake timers in tests replace `Date`.
const dateNow = () => Date.now();
