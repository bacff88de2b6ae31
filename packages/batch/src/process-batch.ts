import type { BatchEventSchema } from '@lambdakit/parser';
import type { ProcessBatchOptions, RecordOf } from './batch-options.js';
import { type BatchSettings, batchSettings } from './batch-settings.js';
import type { BatchSource } from './batch-source.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import type { RecordHandler } from './record-handler.js';
import { runBatch } from './run-batch.js';

/**
 * Runs `recordHandler` once per record of an SQS, Kinesis or DynamoDB stream batch and returns
 * Lambda's partial batch response, so only the records that failed come back. `ctx` is the
 * invocation's (lambdakit's `ctx` or Lambda's context; `{}` when there is none): it gives the
 * deadline, the signal, `ctx.log`, and everything a record handler reads from its `ctx`.
 */
export function processBatch<
  K extends BatchSource = BatchSource,
  S extends BatchEventSchema = never,
  C extends object = {},
>(
  event: unknown,
  ctx: C,
  recordHandler: RecordHandler<RecordOf<S, K>, C>,
  options?: ProcessBatchOptions<S, K>,
): Promise<PartialBatchResponse> {
  if (ctx === null || typeof ctx !== 'object') {
    return Promise.reject(
      new TypeError(
        "processBatch(event, ctx, recordHandler): ctx must be the invocation's ctx or Lambda's context ({} when there is none)",
      ),
    );
  }
  if (typeof recordHandler !== 'function') {
    return Promise.reject(new TypeError('processBatch(event, ctx, recordHandler): recordHandler must be a function'));
  }
  let settings: BatchSettings;
  try {
    settings = batchSettings(options, 'processBatch');
  } catch (error) {
    return Promise.reject(error);
  }
  return runBatch(event, recordHandler as RecordHandler<unknown, object>, settings, ctx);
}
