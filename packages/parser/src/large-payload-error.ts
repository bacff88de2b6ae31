import { LambdakitError } from '@lambdakit/core';

/** The stable codes of {@link LargePayloadError}. */
export type LargePayloadErrorCode =
  | 'PARSER_PAYLOAD_POINTER_INVALID'
  | 'PARSER_PAYLOAD_MISSING'
  | 'PARSER_PAYLOAD_ACCESS_DENIED'
  | 'PARSER_PAYLOAD_TOO_LARGE'
  | 'PARSER_PAYLOAD_UNREADABLE'
  | 'PARSER_PAYLOAD_OFFLOAD_FAILED'
  | 'PARSER_PAYLOAD_OFFLOAD_REFUSED';

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
  /** Whether a later attempt may succeed, where the code alone does not say (an offload S3 refused or failed). */
  retryable?: boolean | undefined;
}

// Codes a later attempt may get past: S3 failed, or the deadline came.
const RETRYABLE: ReadonlySet<LargePayloadErrorCode> = new Set([
  'PARSER_PAYLOAD_UNREADABLE',
  'PARSER_PAYLOAD_OFFLOAD_FAILED',
]);

/**
 * A message's payload in S3 (an extended client's pointer) could not be used: the pointer is not
 * one, the object is missing or over the size limit, S3 failed or the deadline came; or, when
 * sending, the payload could not be offloaded. Names the bucket and key when known; for a batch,
 * the record. Branch on `code`: `PARSER_PAYLOAD_ACCESS_DENIED` is S3's 403, which is also its answer
 * for a missing object when the function may not list the bucket; `PARSER_PAYLOAD_OFFLOAD_REFUSED`
 * a message that cannot go through S3 (nothing was written); `PARSER_PAYLOAD_OFFLOAD_FAILED` a
 * write S3 failed (see `retryable`).
 */
export class LargePayloadError extends LambdakitError<LargePayloadErrorCode> {
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly recordIndex: number | undefined;
  readonly size: number | undefined;
  readonly maxBytes: number | undefined;
  /**
   * True where a later attempt may succeed (S3 failed or throttled, the deadline came); false for a
   * missing, oversized or invalid payload, access denied, a message that cannot go through S3, and
   * an offload S3 refused (a missing bucket, no permission).
   */
  readonly retryable: boolean;

  constructor(code: LargePayloadErrorCode, message: string, details: LargePayloadErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.bucket = details.bucket;
    this.key = details.key;
    this.recordIndex = details.recordIndex;
    this.size = details.size;
    this.maxBytes = details.maxBytes;
    this.retryable = details.retryable ?? RETRYABLE.has(code);
  }
}

/** @internal Whether S3's refusal of a write may pass on a later attempt: throttling, a 5xx, the network; not a 4xx. */
export function s3MayPass(error: unknown): boolean {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (e?.$retryable !== undefined || typeof status !== 'number') return true;
  return status >= 500 || status === 429 || status === 408;
}
