import { LambdakitError } from '@lambdakit/core';
import type { FailedRecord } from './failed-record.js';
import type { PartialBatchResponse } from './partial-batch-response.js';

/** The stable codes a {@link BatchError} carries. */
export type BatchErrorCode =
  /** The event is not a batch (no `Records` array), or a record that must be reported has no item identifier. */
  | 'BATCH_INVALID_EVENT'
  /** No record says which source it came from (`eventSource`), or records from several sources are mixed. */
  | 'BATCH_UNKNOWN_SOURCE'
  /** `throwOnFullFailure` is on and no record of a non-empty batch succeeded. */
  | 'BATCH_ALL_FAILED';

/** What a {@link BatchError} knows beyond its message. */
export interface BatchErrorDetails {
  /** Every record that did not succeed (only for `BATCH_ALL_FAILED`). */
  failures?: readonly FailedRecord[] | undefined;
  /** The partial batch response that would have been returned (only for `BATCH_ALL_FAILED`). */
  response?: PartialBatchResponse | undefined;
  cause?: unknown;
}

/**
 * The batch as a whole cannot be reported record by record (or, with `throwOnFullFailure`,
 * nothing succeeded): thrown so the invocation fails and Lambda retries the whole batch.
 */
export class BatchError extends LambdakitError<BatchErrorCode> {
  /** Every record that did not succeed, in batch order (empty unless `BATCH_ALL_FAILED`). */
  readonly failures: readonly FailedRecord[];
  /** The response that listed every record (only for `BATCH_ALL_FAILED`). */
  readonly response: PartialBatchResponse | undefined;

  constructor(code: BatchErrorCode, message: string, details: BatchErrorDetails = {}) {
    super(code, message, { cause: details.cause });
    this.failures = details.failures ?? [];
    this.response = details.response;
  }
}
