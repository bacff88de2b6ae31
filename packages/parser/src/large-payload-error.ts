import { LambdakitError } from '@lambdakit/core';

/** The stable codes of {@link LargePayloadError}. */
export type LargePayloadErrorCode =
  | 'PARSER_PAYLOAD_POINTER_INVALID'
  | 'PARSER_PAYLOAD_MISSING'
  | 'PARSER_PAYLOAD_TOO_LARGE'
  | 'PARSER_PAYLOAD_UNREADABLE'
  | 'PARSER_PAYLOAD_OFFLOAD_FAILED';

/** Where a {@link LargePayloadError} happened. */
export interface LargePayloadErrorDetails {
  /** The S3 bucket the pointer names (when it names one). */
  bucket?: string | undefined;
  /** The S3 key the pointer names (when it names one). */
  key?: string | undefined;
  /** Index of the record in its batch. */
  recordIndex?: number | undefined;
  /** The object's size, when it is over the limit. */
  size?: number | undefined;
  /** The limit it passed (`limits.maxBodyBytes`). */
  maxBytes?: number | undefined;
  /** S3's error, or the signal's reason. */
  cause?: unknown;
}

/**
 * A message's payload in S3 (an extended client's pointer) could not be used: the pointer is not
 * one, the object is missing or over the size limit, S3 failed or the deadline came; or, when
 * sending, the payload could not be offloaded. Names the bucket and key when known; for a batch,
 * the record. Branch on `code`.
 */
export class LargePayloadError extends LambdakitError<LargePayloadErrorCode> {
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly recordIndex: number | undefined;
  readonly size: number | undefined;
  readonly maxBytes: number | undefined;
  /** True where a later attempt may succeed (S3 failed, the deadline came); false for a missing, oversized or invalid payload. */
  readonly retryable: boolean;

  constructor(code: LargePayloadErrorCode, message: string, details: LargePayloadErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.bucket = details.bucket;
    this.key = details.key;
    this.recordIndex = details.recordIndex;
    this.size = details.size;
    this.maxBytes = details.maxBytes;
    this.retryable = code === 'PARSER_PAYLOAD_UNREADABLE' || code === 'PARSER_PAYLOAD_OFFLOAD_FAILED';
  }
}
