import { hasLargePayloads, resolveLargePayloads } from '@lambdakit/parser';
import { batchEntries } from './batch-entries.js';
import { batchInvocation } from './batch-invocation.js';
import { BatchReport } from './batch-report.js';
import type { BatchSettings } from './batch-settings.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import type { RecordHandler } from './record-handler.js';
import { recordNotices } from './record-notices.js';
import { batchMode, runLanes } from './run-lanes.js';
import { type RecordRun, runRecord } from './run-record.js';

/**
 * @internal The batch shared by `processBatch` and `batch()`: the event taken apart, each record
 * run in its lane with its own `ctx`, the partial batch response built. Everything per batch lives
 * in this call, so concurrent invocations in one process never see each other's records.
 */
export async function runBatch(
  event: unknown,
  handler: RecordHandler<unknown, object>,
  settings: BatchSettings,
  ctx: unknown,
): Promise<PartialBatchResponse> {
  const invocation = batchInvocation(ctx, settings);
  // `sqs(Body, { largePayloads })`: extended-client pointers are fetched before the records parse.
  const payloads =
    settings.schema !== undefined && hasLargePayloads(settings.schema, event)
      ? await resolveLargePayloads(settings.schema, event, { signal: invocation.signal })
      : undefined;
  const batch = batchEntries(payloads?.event ?? event, settings, payloads?.failures);
  if (batch === undefined) return { batchItemFailures: [] };
  const { source, records, entries } = batch;
  const mode = batchMode(source, records, settings.fifo);
  const report = new BatchReport(entries, {
    source,
    firstOnly: mode === 'stream',
    throwOnFullFailure: settings.throwOnFullFailure,
    onRecordError: settings.onRecordError,
    notices: recordNotices(settings.log, invocation.log, source),
  });
  const run: RecordRun = {
    handler,
    invocation,
    report,
    source,
    onInvalidRecord: settings.onInvalidRecord,
    // The payload of a record that succeeded is deleted then, when the store says so; never before.
    succeeded:
      payloads === undefined || payloads.pointers.size === 0 ? undefined : (i) => payloads.removeAfterSuccess([i]),
  };
  await runLanes(mode, entries, settings.concurrency, {
    mayStart: invocation.mayStart,
    run: (entry) => runRecord(run, entry),
    skip: (entry, error) => report.failed(entry, error),
  });
  return report.response();
}
