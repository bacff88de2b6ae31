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
  const batch = batchEntries(event, settings);
  if (batch === undefined) return { batchItemFailures: [] };
  const { source, records, entries } = batch;
  const invocation = batchInvocation(ctx, settings);
  const mode = batchMode(source, records, settings.fifo);
  const report = new BatchReport(entries, {
    source,
    firstOnly: mode === 'stream',
    throwOnFullFailure: settings.throwOnFullFailure,
    onRecordError: settings.onRecordError,
    notices: recordNotices(settings.log, invocation.log, source),
  });
  const run: RecordRun = { handler, invocation, report, source, onInvalidRecord: settings.onInvalidRecord };
  await runLanes(mode, entries, settings.concurrency, {
    mayStart: invocation.mayStart,
    run: (entry) => runRecord(run, entry),
    skip: (entry, error) => report.failed(entry, error),
  });
  return report.response();
}
