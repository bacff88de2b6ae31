import type { ParseError } from '@lambdakit/parser';
import type { BatchEntry } from './batch-entries.js';
import { BatchError } from './batch-error.js';
import type { BatchLogger } from './batch-logger.js';
import type { BatchSource } from './batch-source.js';
import { batchWarning, describeError } from './batch-warning.js';
import { type FailedRecord, failedRecord } from './failed-record.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import type { RecordNotices } from './record-notices.js';
import { RecordSkippedError, recordSkippedError, type SkipReason } from './record-skipped-error.js';

type Outcome = { ok: true } | { ok: false; error: unknown };

/** @internal What the report of one batch needs to know. */
export interface BatchReportSettings {
  readonly source: BatchSource;
  /** Streams report only their first record not processed (Lambda resumes the shard there); SQS reports every one. */
  readonly firstOnly: boolean;
  readonly throwOnFullFailure: boolean;
  readonly onRecordError: ((failure: FailedRecord) => unknown) | undefined;
  readonly notices: RecordNotices | undefined;
}

/**
 * @internal The outcome of every record of one batch, and the partial batch response built from
 * them. Every failure is reported as it happens (notices, `onRecordError`); records not started
 * are summed up per reason at the end.
 */
export class BatchReport {
  readonly #settings: BatchReportSettings;
  readonly #entries: readonly BatchEntry[];
  readonly #outcomes: (Outcome | undefined)[];
  readonly #skipped = new Map<SkipReason, number>();
  #firstUnprocessed: number | undefined;
  #successes = 0;

  constructor(entries: readonly BatchEntry[], settings: BatchReportSettings) {
    this.#entries = entries;
    this.#settings = settings;
    this.#outcomes = new Array(entries.length);
  }

  /** The record was processed. */
  succeeded(entry: BatchEntry): void {
    this.#outcomes[entry.index] = { ok: true };
    this.#successes++;
  }

  /** The record did not parse and `onInvalidRecord` took it: it counts as processed. */
  diverted(entry: BatchEntry, error: ParseError): void {
    this.#settings.notices?.diverted(entry, error);
    this.succeeded(entry);
  }

  /** The record failed, or was not started (`RecordSkippedError`); `ctxChild` is the child of `ctx.log` it used. */
  async failed(entry: BatchEntry, error: unknown, ctxChild?: BatchLogger): Promise<void> {
    const { source, firstOnly, onRecordError, notices } = this.#settings;
    this.#outcomes[entry.index] = { ok: false, error };
    const reported = !firstOnly || this.#firstUnprocessed === undefined;
    this.#firstUnprocessed ??= entry.index;
    // Records not started are summed up per reason at the end, not told one by one.
    if (error instanceof RecordSkippedError) {
      this.#skipped.set(error.reason, (this.#skipped.get(error.reason) ?? 0) + 1);
    } else {
      notices?.failed(entry, error, ctxChild);
    }
    if (onRecordError === undefined) return;
    try {
      await onRecordError(failedRecord(entry, source, error, reported));
    } catch (hookError) {
      batchWarning(
        'LAMBDAKIT_BATCH_HOOK_FAILED',
        `onRecordError failed for record ${entry.index}: ${describeError(hookError)}`,
      );
    }
  }

  /**
   * Lambda's partial batch response, each failed id once. Throws `BatchError` when a record to
   * report has no id (`BATCH_INVALID_EVENT`), or when nothing succeeded and `throwOnFullFailure` is on.
   */
  response(): PartialBatchResponse {
    const { source, firstOnly, throwOnFullFailure, notices } = this.#settings;
    for (const [reason, count] of this.#skipped) notices?.notStarted(reason, count);
    const batchItemFailures: { itemIdentifier: string }[] = [];
    const failures: FailedRecord[] = [];
    const seen = new Set<string>();
    for (const entry of this.#entries) {
      const outcome = this.#outcomes[entry.index];
      if (outcome?.ok === true) continue;
      const error = outcome === undefined ? recordSkippedError('deadline') : outcome.error;
      const reported = !firstOnly || entry.index === this.#firstUnprocessed;
      failures.push(failedRecord(entry, source, error, reported));
      if (!reported || seen.has(entry.itemIdentifier)) continue;
      if (entry.itemIdentifier === '') {
        // Lambda reads an empty itemIdentifier as a failure of the whole batch: say so plainly.
        throw new BatchError(
          'BATCH_INVALID_EVENT',
          `Record ${entry.index} failed and has no item identifier to report`,
          {
            cause: error,
          },
        );
      }
      seen.add(entry.itemIdentifier);
      batchItemFailures.push({ itemIdentifier: entry.itemIdentifier });
    }
    const response = { batchItemFailures };
    if (throwOnFullFailure && this.#successes === 0) {
      throw new BatchError('BATCH_ALL_FAILED', `All ${this.#entries.length} records of the ${source} batch failed`, {
        failures,
        response,
      });
    }
    return response;
  }
}
