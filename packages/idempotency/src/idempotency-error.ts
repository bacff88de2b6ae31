import { LambdakitError } from '@lambdakit/core';

/** The stable codes of {@link IdempotencyError}. */
export type IdempotencyErrorCode =
  | 'IDEMPOTENCY_KEY_MISSING'
  | 'IDEMPOTENCY_KEY_INVALID'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'IDEMPOTENCY_PAYLOAD_MISMATCH'
  | 'IDEMPOTENCY_RESULT_INVALID'
  | 'IDEMPOTENCY_RESULT_TOO_LARGE'
  | 'IDEMPOTENCY_STORE_FAILED';

/** The operation of the record protocol that failed (`IDEMPOTENCY_STORE_FAILED`). */
export type IdempotencyStoreOperation = 'acquire' | 'get' | 'complete' | 'release' | 'decode';

/** What an {@link IdempotencyError} carries besides its message; each code sets the fields it knows. */
export interface IdempotencyErrorDetails {
  /** The record key (`<keyPrefix>#<sha256>`), when one was computed. */
  key?: string | undefined;
  /** `IDEMPOTENCY_KEY_*`: the key prefix in use, if known. */
  keyPrefix?: string | undefined;
  /** `IDEMPOTENCY_IN_PROGRESS`: when the other invocation's lock expires, epoch milliseconds. */
  inProgressExpiresAt?: number | undefined;
  /** `IDEMPOTENCY_PAYLOAD_MISMATCH`: SHA-256 of this invocation's payload. */
  payloadHash?: string | undefined;
  /** `IDEMPOTENCY_PAYLOAD_MISMATCH`: SHA-256 of the payload the record was stored for. */
  storedPayloadHash?: string | undefined;
  /** `IDEMPOTENCY_RESULT_TOO_LARGE`: bytes the result would take. */
  sizeBytes?: number | undefined;
  /** `IDEMPOTENCY_RESULT_TOO_LARGE`: bytes it may take. */
  limitBytes?: number | undefined;
  /** `IDEMPOTENCY_STORE_FAILED`: the step of the protocol that failed. */
  operation?: IdempotencyStoreOperation | undefined;
  /** The underlying error: the key function's, the store's, or why a result cannot be stored. */
  cause?: unknown;
}

/**
 * Every error @lambdakit/idempotency throws; branch on `code`. The data a code knows is on the
 * error (`key`, `operation`, `sizeBytes` …), `undefined` where it does not apply.
 */
export class IdempotencyError extends LambdakitError<IdempotencyErrorCode> {
  /** The record key (`<keyPrefix>#<sha256>`), or `undefined` if none could be computed. */
  readonly key: string | undefined;
  /** The key prefix in use, for `IDEMPOTENCY_KEY_*`. */
  readonly keyPrefix: string | undefined;
  /** When the other invocation's lock expires, epoch milliseconds (`IDEMPOTENCY_IN_PROGRESS`). */
  readonly inProgressExpiresAt: number | undefined;
  /** SHA-256 of this invocation's payload (`IDEMPOTENCY_PAYLOAD_MISMATCH`). */
  readonly payloadHash: string | undefined;
  /** SHA-256 of the payload the record was stored for (`IDEMPOTENCY_PAYLOAD_MISMATCH`). */
  readonly storedPayloadHash: string | undefined;
  /** Bytes the result would take (`IDEMPOTENCY_RESULT_TOO_LARGE`). */
  readonly sizeBytes: number | undefined;
  /** Bytes a result may take: a record's 400 KB, or Lambda's 6 MB response (`IDEMPOTENCY_RESULT_TOO_LARGE`). */
  readonly limitBytes: number | undefined;
  /** The step of the protocol that failed (`IDEMPOTENCY_STORE_FAILED`). */
  readonly operation: IdempotencyStoreOperation | undefined;

  constructor(code: IdempotencyErrorCode, message: string, details: IdempotencyErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.key = details.key;
    this.keyPrefix = details.keyPrefix;
    this.inProgressExpiresAt = details.inProgressExpiresAt;
    this.payloadHash = details.payloadHash;
    this.storedPayloadHash = details.storedPayloadHash;
    this.sizeBytes = details.sizeBytes;
    this.limitBytes = details.limitBytes;
    this.operation = details.operation;
  }
}

/**
 * Another invocation holds the record for this key and has not finished: retryable. Lambda's
 * own retries (async invocations, SQS and stream redelivery) will try again later, so callers
 * catch this one case (to report a record as failed, or to answer 409).
 */
export class IdempotencyInProgressError extends IdempotencyError {
  declare readonly code: 'IDEMPOTENCY_IN_PROGRESS';
  declare readonly key: string;
  /** Always true: the same request can succeed once the other invocation settles. */
  readonly retryable = true;

  constructor(
    code: 'IDEMPOTENCY_IN_PROGRESS',
    message: string,
    details: { key: string; inProgressExpiresAt?: number | undefined },
  ) {
    super(code, message, details);
  }
}

/** The in-progress error for `key`, naming when the other invocation's lock expires when that is known. */
export function inProgressError(key: string, inProgressExpiresAt: number | undefined): IdempotencyInProgressError {
  const expires =
    inProgressExpiresAt === undefined ? '' : ` (its lock expires at ${new Date(inProgressExpiresAt).toISOString()})`;
  return new IdempotencyInProgressError(
    'IDEMPOTENCY_IN_PROGRESS',
    `Another invocation is processing idempotency key ${key}${expires}`,
    { key, inProgressExpiresAt },
  );
}

/** A completed record for `key` was stored for another payload (`validatePayload`). */
export function payloadMismatchError(
  key: string,
  storedPayloadHash: string | undefined,
  payloadHash: string,
): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_PAYLOAD_MISMATCH',
    `Idempotency key ${key} was already used with a different payload`,
    { key, storedPayloadHash, payloadHash },
  );
}

/** The result for `key` takes `sizeBytes` even compressed; a record holds at most `limitBytes`. */
export function recordTooLargeError(key: string, sizeBytes: number, limitBytes: number): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_RESULT_TOO_LARGE',
    `The result for idempotency key ${key} takes ${sizeBytes} bytes even compressed; a record holds at most ${limitBytes}`,
    { key, sizeBytes, limitBytes },
  );
}

/** The result for `key` is more JSON than Lambda can return (`limitBytes`), so it is never replayed. */
export function responseTooLargeError(key: string, sizeBytes: number, limitBytes: number): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_RESULT_TOO_LARGE',
    `The result for idempotency key ${key} is ${sizeBytes} bytes of JSON; a result replayed is at most ${limitBytes} (Lambda's response limit)`,
    { key, sizeBytes, limitBytes },
  );
}

/** The store failed at `operation` on `key`; the store's own error is the cause. */
export function storeError(operation: IdempotencyStoreOperation, key: string, cause: unknown): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_STORE_FAILED',
    `Idempotency store failed to ${operation} record ${key}: ${describeError(cause)}`,
    { key, operation, cause },
  );
}

/** `Name: message` of an error, for messages and warnings that quote one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
