import type { ParseError } from '@lambdakit/parser';
import type { BatchEntry } from './batch-entries.js';
import type { BatchInvocation } from './batch-invocation.js';
import { type BatchLogger, recordLogger } from './batch-logger.js';
import type { BatchReport } from './batch-report.js';
import type { BatchSource } from './batch-source.js';
import { batchWarning, describeError } from './batch-warning.js';
import type { InvalidRecord } from './failed-record.js';
import { recordContext } from './record-context.js';
import type { RecordHandler } from './record-handler.js';

/** @internal What running a record of one batch needs, shared by its records. */
export interface RecordRun {
  readonly handler: RecordHandler<unknown, object>;
  readonly invocation: BatchInvocation;
  readonly report: BatchReport;
  readonly source: BatchSource;
  readonly onInvalidRecord: ((invalid: InvalidRecord) => unknown) | undefined;
  /** Called once a record succeeded (deletes its payload in S3, where there is one to delete). */
  readonly succeeded?: ((index: number) => Promise<void>) | undefined;
}

/**
 * @internal Runs one record: its handler with the record's own `ctx`, or, for a record that did
 * not parse, `onInvalidRecord`. Reports the outcome; resolves true when the record succeeded.
 * Never rejects.
 */
export async function runRecord(run: RecordRun, entry: BatchEntry): Promise<boolean> {
  if (entry.fetchError !== undefined) {
    await run.report.failed(entry, entry.fetchError);
    return false;
  }
  if (entry.parseError !== undefined) return divertInvalid(run, entry, entry.parseError);
  const ctxLog = run.invocation.log;
  let child: BatchLogger | undefined;
  // The record's child of ctx.log is made on first use: a record that neither logs nor fails needs none.
  const childLog = ctxLog === undefined ? undefined : () => (child ??= recordLogger(ctxLog, entry.itemIdentifier));
  try {
    const { invocation } = run;
    const own = {
      recordIndex: entry.index,
      itemIdentifier: entry.itemIdentifier,
      batchSource: run.source,
      deadline: invocation.deadline,
    };
    await run.handler(
      entry.record,
      recordContext(invocation.ctx, own, { signal: () => invocation.signal, log: childLog }),
    );
  } catch (error) {
    await run.report.failed(entry, error, child);
    return false;
  }
  run.report.succeeded(entry);
  await run.succeeded?.(entry.index);
  return true;
}

async function divertInvalid(run: RecordRun, entry: BatchEntry, error: ParseError): Promise<boolean> {
  const divert = run.onInvalidRecord;
  if (divert === undefined) {
    await run.report.failed(entry, error);
    return false;
  }
  const { index, itemIdentifier } = entry;
  try {
    await divert({ index, itemIdentifier, source: run.source, error, record: entry.raw });
  } catch (hookError) {
    batchWarning(
      'LAMBDAKIT_BATCH_HOOK_FAILED',
      `onInvalidRecord failed for record ${index}: ${describeError(hookError)}; the record is reported`,
    );
    await run.report.failed(entry, error);
    return false;
  }
  run.report.diverted(entry, error);
  return true;
}
