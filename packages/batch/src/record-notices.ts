import { ParseError } from '@lambdakit/parser';
import { type BatchLogger, recordLogger } from './batch-logger.js';
import type { BatchSource } from './batch-source.js';
import { batchWarning, describeError } from './batch-warning.js';
import type { SkipReason } from './record-skipped-error.js';

/** @internal A record as the notices name it. */
export interface NoticeEntry {
  readonly index: number;
  readonly itemIdentifier: string;
}

/** @internal Where the batch says what happened to the records it did not process. */
export interface RecordNotices {
  /** A record failed: its handler threw, or it did not parse. `ctxChild`: the child of `ctx.log` the handler already used. */
  failed(entry: NoticeEntry, error: unknown, ctxChild?: BatchLogger): void;
  /** A record that did not parse was handed to `onInvalidRecord` and counts as processed. */
  diverted(entry: NoticeEntry, error: ParseError): void;
  /** `count` records were not started, for `reason`, and are reported for redelivery. */
  notStarted(reason: SkipReason, count: number): void;
}

/**
 * The notices of one batch: through the `log` option, else `ctx.log`, else (no logger in the
 * chain) one `LambdakitWarning` per failed record; none with `log: false`.
 */
export function recordNotices(
  log: BatchLogger | false | undefined,
  ctxLog: BatchLogger | undefined,
  source: BatchSource,
): RecordNotices | undefined {
  if (log === false) return undefined;
  const logger = log ?? ctxLog;
  return logger === undefined ? warningNotices(source) : loggerNotices(logger, logger === ctxLog, source);
}

function loggerNotices(log: BatchLogger, isCtxLog: boolean, source: BatchSource): RecordNotices {
  return {
    failed(entry, error, ctxChild) {
      const child = isCtxLog && ctxChild !== undefined ? ctxChild : recordLogger(log, entry.itemIdentifier);
      const fields =
        error instanceof ParseError
          ? { recordIndex: entry.index, paths: error.paths, err: error }
          : { recordIndex: entry.index, err: error };
      safeLog(() =>
        child.error(fields, error instanceof ParseError ? 'Batch record failed to parse' : 'Batch record failed'),
      );
    },
    diverted(entry, error) {
      const child = recordLogger(log, entry.itemIdentifier);
      safeLog(() =>
        child.warn(
          { recordIndex: entry.index, paths: error.paths, err: error },
          'Batch record failed to parse; handed to onInvalidRecord and not retried',
        ),
      );
    },
    notStarted(reason, count) {
      safeLog(() => log.warn({ reason, count, source }, 'Batch records not started; reported for redelivery'));
    },
  };
}

function warningNotices(source: BatchSource): RecordNotices {
  const name = (entry: NoticeEntry) => `${source} record ${entry.index} (${entry.itemIdentifier})`;
  return {
    failed(entry, error) {
      const what = error instanceof ParseError ? 'failed to parse' : 'failed';
      batchWarning('LAMBDAKIT_BATCH_RECORD_FAILED', `${name(entry)} ${what}: ${describeError(error)}`);
    },
    diverted(entry, error) {
      batchWarning(
        'LAMBDAKIT_BATCH_RECORD_DIVERTED',
        `${name(entry)} failed to parse; handed to onInvalidRecord and not retried: ${error.message}`,
      );
    },
    notStarted(reason, count) {
      batchWarning(
        'LAMBDAKIT_BATCH_RECORDS_NOT_STARTED',
        `${count} ${source} records not started (${reason}); reported for redelivery`,
      );
    },
  };
}

// A logger that throws must not change the batch's result: the record is reported either way.
function safeLog(write: () => void): void {
  try {
    write();
  } catch (error) {
    batchWarning('LAMBDAKIT_BATCH_LOG_FAILED', `logging a batch record failure failed: ${describeError(error)}`);
  }
}
