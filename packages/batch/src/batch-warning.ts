import { emitWarning } from '@lambdakit/core';

/** The codes of the warnings the batch emits. */
export type BatchWarningCode =
  /** `onRecordError` or `onInvalidRecord` threw; the batch's result is unchanged. */
  | 'LAMBDAKIT_BATCH_HOOK_FAILED'
  /** The logger threw while logging a record; the batch's result is unchanged. */
  | 'LAMBDAKIT_BATCH_LOG_FAILED'
  /** A record failed and there is no logger to say so (one warning per record). */
  | 'LAMBDAKIT_BATCH_RECORD_FAILED'
  /** A record that did not parse was handed to `onInvalidRecord`, and there is no logger to say so. */
  | 'LAMBDAKIT_BATCH_RECORD_DIVERTED'
  /** Records were not started (deadline, or order after a failure), and there is no logger to say so. */
  | 'LAMBDAKIT_BATCH_RECORDS_NOT_STARTED';

// A warning is one line on stderr: a record's id and error message are outside input, so the
// line is cut rather than letting one record flood the log.
const MAX_WARNING_CHARS = 500;

/** Emits a batch warning through core's one channel, its message cut to a bounded length. */
export function batchWarning(code: BatchWarningCode, message: string): void {
  const text = `lambdakit batch: ${message}`;
  emitWarning(code, text.length <= MAX_WARNING_CHARS ? text : `${text.slice(0, MAX_WARNING_CHARS - 1)}…`);
}

/** An error as one short phrase: its message, or the thrown value as a string. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
