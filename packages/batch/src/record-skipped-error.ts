import { LambdakitError } from '@lambdakit/core';

/** Why a record was never started. */
export type SkipReason =
  /** The time left was under `marginMs`, or the invocation's signal had aborted. */
  | 'deadline'
  /** SQS FIFO: an earlier record of the batch failed, so this one must wait to keep the order. */
  | 'fifo-order'
  /** SQS FIFO with `fifo: 'group'`: an earlier record of the same message group failed. */
  | 'group-order'
  /** Kinesis / DynamoDB streams: an earlier record failed; Lambda resumes from that record's checkpoint. */
  | 'stream-order';

/**
 * A record the batch did not start (deadline near, or an earlier record failed where order
 * matters). It is reported for redelivery, never dropped: see `reason`.
 */
export class RecordSkippedError extends LambdakitError {
  declare readonly code: 'BATCH_RECORD_SKIPPED';
  /** Why the record was not started. */
  readonly reason: SkipReason;
  /** Index of the record whose failure caused the skip (for the `*-order` reasons). */
  readonly failedIndex: number | undefined;

  constructor(reason: SkipReason, failedIndex?: number) {
    super('BATCH_RECORD_SKIPPED', skipMessage(reason, failedIndex));
    this.reason = reason;
    this.failedIndex = failedIndex;
  }
}

function skipMessage(reason: SkipReason, failedIndex: number | undefined): string {
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
