import type { AcceptsEvent, InvocationContext } from '@lambdakit/core';
import type { BatchEventSchema, events } from '@lambdakit/parser';
import type * as z from 'zod';
import type { BatchOptions, RecordOf } from './batch-options.js';
import { batchSettings } from './batch-settings.js';
import type { BatchSource } from './batch-source.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import type { RecordHandler } from './record-handler.js';
import { runBatch } from './run-batch.js';

/**
 * The business logic `batch()` returns, for `lambda().handle()`: the whole batch in, the partial
 * batch response out. `Accepted` is the event it can take: the raw batch event of its source
 * (its schema parses the records itself), which `.handle()` checks against the chain.
 */
export type BatchHandler<C = InvocationContext, Accepted = unknown> = ((
  event: unknown,
  ctx: C,
) => Promise<PartialBatchResponse>) &
  AcceptsEvent<Accepted>;

/** The raw event of each batch source, as Lambda sends it. */
interface SourceEvents {
  sqs: z.input<typeof events.sqs>;
  kinesis: z.input<typeof events.kinesis>;
  'dynamodb-stream': z.input<(typeof events)['dynamodb-stream']>;
}

/** The event a batch handler takes: the schema's raw (input) event, else the raw event of source `K`. */
export type BatchEventOf<S extends BatchEventSchema, K extends BatchSource> = [S] extends [never]
  ? SourceEvents[K]
  : z.input<S>;

/**
 * The `lambda()` door to {@link processBatch}: `lambda().use(…).handle(batch(recordHandler, options))`.
 * The record handler's `ctx` is the chain's `ctx` (typed from the middlewares before it) plus the
 * record's fields. Options are checked once, here, at init.
 */
export function batch<
  K extends BatchSource = BatchSource,
  S extends BatchEventSchema = never,
  C extends object = InvocationContext,
>(recordHandler: RecordHandler<RecordOf<S, K>, C>, options?: BatchOptions<S, K>): BatchHandler<C, BatchEventOf<S, K>> {
  if (typeof recordHandler !== 'function')
    throw new TypeError('batch(recordHandler): recordHandler must be a function');
  const settings = batchSettings(options, 'batch');
  const handler = recordHandler as RecordHandler<unknown, object>;
  return (event, ctx) => runBatch(event, handler, settings, ctx);
}
