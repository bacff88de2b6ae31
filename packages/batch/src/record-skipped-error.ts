import { LambdakitError } from '@lambdakit/core';

/** Why a record was never started. */
export type SkipReason =
  /** The time left was under `cutoffMs`, or the invocation's signal had aborted. */
  | 'deadline'
  /** SQS FIFO: an earlier record of the batch failed, so this one must wait to keep the order. */
  | 'fifo-order'
  /** SQS FIFO with `fifo: 'group'`: an earlier record of the same message group failed. */
  | 'group-order'
  /** Kinesis / DynamoDB streams: an earlier record failed; Lambda resumes from that record's checkpoint. */
  | 'stream-order';

/** The code of a {@link RecordSkippedError}. */
export type RecordSkippedErrorCode = 'BATCH_RECORD_SKIPPED';

/** What a {@link RecordSkippedError} knows: why the record was not started, and after which failure. */
export interface RecordSkippedErrorDetails {
  /** Why the record was not started. */
  reason: SkipReason;
  /** Index of the record whose failure caused the skip (for the `*-order` reasons). */
  failedIndex?: number | undefined;
}

/**
 * A record the batch did not start (deadline near, or an earlier record failed where order
 * matters). It is reported for redelivery, never dropped: see `reason`.
 */
export class RecordSkippedError extends LambdakitError<RecordSkippedErrorCode> {
  /** Why the record was not started. */
  readonly reason: SkipReason;
  /** Index of the record whose failure caused the skip (for the `*-order` reasons). */
  readonly failedIndex: number | undefined;

  constructor(code: RecordSkippedErrorCode, message: string, details: RecordSkippedErrorDetails) {
    super(code, message);
    this.reason = details.reason;
    this.failedIndex = details.failedIndex;
  }
}

/** The error of a record not started for `reason` (after the failure of record `failedIndex`), its message said. */
export function recordSkippedError(reason: SkipReason, failedIndex?: number): RecordSkippedError {
  const details = { reason, failedIndex };
  return new RecordSkippedError('BATCH_RECORD_SKIPPED', skipMessage(details), details);
}

/** The message of a {@link RecordSkippedError}, from its details. */
export function skipMessage({ reason, failedIndex }: RecordSkippedErrorDetails): string {
  switch (reason) {
    case 'deadline':
      return 'Not started: too little time left before the invocation deadline';
    case 'fifo-order':
      return `Not started: record ${failedIndex} of this FIFO batch failed and later records must wait for it`;
    case 'group-order':
      return `Not started: record ${failedIndex} of the same message group failed and later records must wait for it`;
    case 'stream-order':
      return `Not started: record ${failedIndex} failed; Lambda retries the shard from that record`;
  }
}
