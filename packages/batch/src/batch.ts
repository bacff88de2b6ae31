import type { InvocationContext } from '@lambdakit/core';
import type { BatchEventSchema } from '@lambdakit/parser';
import { type BatchOptions, type RecordOf, resolveSettings } from './batch-options.js';
import type { BatchSource } from './batch-source.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import { type RecordHandler, runBatch } from './process-batch.js';

/** The business logic `batch()` returns, for `lambda().handle()`: the whole batch in, the partial batch response out. */
export type BatchHandler<C = InvocationContext> = (event: unknown, ctx: C) => Promise<PartialBatchResponse>;

/**
 * The `lambda()` door to {@link processBatch}: `lambda().use(…).handle(batch(recordHandler, options))`.
 * The record handler's `ctx` is the chain's `ctx` (typed from the middlewares before it) plus the
 * record's fields. Options are checked once, here, at init.
 */
export function batch<
  K extends BatchSource = BatchSource,
  S extends BatchEventSchema = never,
  C extends object = InvocationContext,
>(recordHandler: RecordHandler<RecordOf<S, K>, C>, options?: BatchOptions<S, K>): BatchHandler<C> {
  if (typeof recordHandler !== 'function')
    throw new TypeError('batch(recordHandler): recordHandler must be a function');
  const settings = resolveSettings(options, 'batch');
  const handler = recordHandler as RecordHandler<unknown, object>;
  return (event, ctx) => runBatch(event, handler, settings, ctx);
}
