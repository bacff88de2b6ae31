import {
  type BatchEventSchema,
  type ParseError,
  type PayloadPointer,
  resolveLargePayload,
  safeParseRecord,
} from '@lambdakit/parser';
import type { BatchEntry } from './batch-entries.js';
import type { BatchInvocation } from './batch-invocation.js';
import { type BatchLogger, recordLogger } from './batch-logger.js';
import type { BatchReport } from './batch-report.js';
import type { BatchSource } from './batch-source.js';
import { batchWarning, describeError } from './batch-warning.js';
import type { InvalidRecord } from './failed-record.js';
import { recordContext } from './record-context.js';
import type { RecordHandler } from './record-handler.js';
import { inRecordSpan, recordTracing } from './record-span.js';

/** @internal What running a record of one batch needs, shared by its records. */
export interface RecordRun {
  readonly handler: RecordHandler<unknown, object>;
  readonly invocation: BatchInvocation;
  readonly report: BatchReport;
  readonly source: BatchSource;
  readonly onInvalidRecord: ((invalid: InvalidRecord) => unknown) | undefined;
  /** The schema of a batch holding extended-client pointers, and the payloads of the records that succeeded. */
  readonly payloads?: DeferredPayloads | undefined;
}

/** @internal A batch's records that hold a pointer are fetched and parsed in their lane. */
export interface DeferredPayloads {
  readonly schema: BatchEventSchema;
  /** The payloads of the records processed successfully, for deleting once the invocation succeeded. */
  readonly succeeded: { itemIdentifier: string; pointer: PayloadPointer }[];
}

/**
 * @internal Runs one record: its handler with the record's own `ctx`, or, for a record that did
 * not parse, `onInvalidRecord`. Reports the outcome; resolves true when the record succeeded.
 * Never rejects.
 */
export async function runRecord(run: RecordRun, entry: BatchEntry): Promise<boolean> {
  if (entry.deferred === true && run.payloads !== undefined) return runDeferred(run, run.payloads, entry);
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
    const call = () =>
      run.handler(entry.record, recordContext(invocation.ctx, own, { signal: () => invocation.signal, log: childLog }));
    const tracing = recordTracing(invocation.ctx);
    if (tracing === undefined) await call();
    else await inRecordSpan(tracing, run.source, entry, call);
  } catch (error) {
    await run.report.failed(entry, error, child);
    return false;
  }
  run.report.succeeded(entry);
  return true;
}

/** A record holding a pointer: its payload fetched (only while it runs), then parsed and run as any other. */
async function runDeferred(run: RecordRun, payloads: DeferredPayloads, entry: BatchEntry): Promise<boolean> {
  let parsed: BatchEntry;
  let pointer: PayloadPointer | undefined;
  try {
    const signal = run.invocation.signal;
    const resolved = await resolveLargePayload(payloads.schema, entry.raw, { signal, recordIndex: entry.index });
    pointer = resolved.pointer;
    const result = safeParseRecord(payloads.schema, resolved.record, entry.index);
    parsed =
      'record' in result
        ? { ...entry, deferred: false, record: result.record }
        : { ...entry, deferred: false, parseError: result.error };
  } catch (error) {
    await run.report.failed(entry, error);
    return false;
  }
  const ok = await runRecord(run, parsed);
  // A diverted record keeps its payload: onInvalidRecord was handed the pointer, and may have kept it.
  if (ok && pointer !== undefined && parsed.parseError === undefined) {
    payloads.succeeded.push({ itemIdentifier: entry.itemIdentifier, pointer });
  }
  return ok;
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
