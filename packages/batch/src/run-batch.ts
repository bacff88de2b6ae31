import { clearLargePayloads, hasLargePayloads } from '@lambdakit/parser';
import { batchEntries } from './batch-entries.js';
import { type BatchInvocation, batchInvocation } from './batch-invocation.js';
import { BatchReport } from './batch-report.js';
import type { BatchSettings } from './batch-settings.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import type { RecordHandler } from './record-handler.js';
import { recordNotices } from './record-notices.js';
import { batchMode, runLanes } from './run-lanes.js';
import { type DeferredPayloads, type RecordRun, runRecord } from './run-record.js';

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
  // `sqs(Body, { largePayloads })`: a record holding an extended client's pointer is fetched and
  // parsed in its lane, so that only the payloads of the records running are in memory.
  const { schema } = settings;
  const payloads: DeferredPayloads | undefined =
    schema !== undefined && hasLargePayloads(schema, event) ? { schema, succeeded: [] } : undefined;
  const deferred =
    payloads === undefined ? undefined : (raw: unknown) => hasLargePayloads(payloads.schema, { Records: [raw] });
  const batch = batchEntries(event, settings, deferred);
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
    payloads,
  };
  await runLanes(mode, entries, settings.concurrency, {
    mayStart: invocation.mayStart,
    run: (entry) => runRecord(run, entry),
    skip: (entry, error) => report.failed(entry, error),
  });
  const response = report.response();
  if (payloads !== undefined && payloads.succeeded.length > 0) await clearSucceeded(payloads, invocation);
  return response;
}

/**
 * Deletes the payloads of the records that succeeded, when the store says so, once the invocation
 * succeeded: in lambdakit's `ctx.cleanup` (skipping any record its result reports failed), else
 * now that the response is built. Never before: a batch Lambda retries whole needs every payload.
 */
async function clearSucceeded(payloads: DeferredPayloads, invocation: BatchInvocation): Promise<void> {
  const { schema, succeeded } = payloads;
  const { ctx, deadline } = invocation;
  const cleanup = (ctx as { cleanup?: unknown }).cleanup;
  if (typeof cleanup !== 'function') {
    await clearLargePayloads(
      schema,
      succeeded.map((s) => s.pointer),
      { deadline },
    );
    return;
  }
  (cleanup as (hook: (outcome: { status: string; result?: unknown }) => unknown) => void).call(ctx, (outcome) => {
    if (outcome.status !== 'success') return undefined;
    const failed = reportedFailures(outcome.result);
    const pointers = succeeded.flatMap((s) => (failed.has(s.itemIdentifier) ? [] : [s.pointer]));
    return clearLargePayloads(schema, pointers, { deadline });
  });
}

/** The item identifiers a handler's result reports failed (`batchItemFailures`). */
function reportedFailures(result: unknown): Set<unknown> {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return new Set();
  return new Set(failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier));
}
