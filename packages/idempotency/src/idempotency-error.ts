import { LambdakitError } from '@lambdakit/core';

/** Base class of every error @lambdakit/idempotency throws; `key` is the stored record key when one was computed. */
export class IdempotencyError extends LambdakitError {
  /** The record key (`<keyPrefix>#<sha256>`), or `undefined` if none could be computed. */
  readonly key: string | undefined;

  constructor(code: string, message: string, key: string | undefined, options?: { cause?: unknown }) {
    super(code, message, options);
    this.key = key;
  }
}

/** The idempotency key is missing (`IDEMPOTENCY_KEY_MISSING`) or cannot be hashed (`IDEMPOTENCY_KEY_INVALID`). */
export class IdempotencyKeyError extends IdempotencyError {
  /** The key prefix in use, if known. */
  readonly keyPrefix: string | undefined;

  constructor(
    code: 'IDEMPOTENCY_KEY_MISSING' | 'IDEMPOTENCY_KEY_INVALID',
    message: string,
    keyPrefix: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, undefined, options);
    this.keyPrefix = keyPrefix;
  }
}

/**
 * Another invocation holds the record for this key and has not finished: retryable. Lambda's
 * own retries (async invocations, SQS and stream redelivery) will try again later.
 */
export class IdempotencyInProgressError extends IdempotencyError {
  /** Always true: the same request can succeed once the other invocation settles. */
  readonly retryable = true;
  /** When the other invocation's lock expires, epoch milliseconds. */
  readonly inProgressExpiresAt: number | undefined;

  constructor(key: string, inProgressExpiresAt: number | undefined) {
    super(
      'IDEMPOTENCY_IN_PROGRESS',
      `Another invocation is processing idempotency key ${key}` +
        (inProgressExpiresAt === undefined
          ? ''
          : ` (its lock expires at ${new Date(inProgressExpiresAt).toISOString()})`),
      key,
    );
    this.inProgressExpiresAt = inProgressExpiresAt;
  }
}

/** A completed record exists for this key but was stored for a different payload (`validatePayload`). */
export class IdempotencyPayloadMismatchError extends IdempotencyError {
  /** SHA-256 of the payload the record was stored for. */
  readonly storedPayloadHash: string | undefined;
  /** SHA-256 of this invocation's payload. */
  readonly payloadHash: string;

  constructor(key: string, storedPayloadHash: string | undefined, payloadHash: string) {
    super('IDEMPOTENCY_PAYLOAD_MISMATCH', `Idempotency key ${key} was already used with a different payload`, key);
    this.storedPayloadHash = storedPayloadHash;
    this.payloadHash = payloadHash;
  }
}

/**
 * The result cannot be stored: larger than a DynamoDB item (400 KB) even compressed
 * (`IDEMPOTENCY_RESULT_TOO_LARGE`), or not JSON-serialisable (`IDEMPOTENCY_RESULT_INVALID`).
 * Nothing is written and the lock is released.
 */
export class IdempotencyResultError extends IdempotencyError {
  constructor(
    code: 'IDEMPOTENCY_RESULT_TOO_LARGE' | 'IDEMPOTENCY_RESULT_INVALID',
    message: string,
    key: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, key, options);
  }
}

/** The result is larger than a record can hold, even compressed; nothing was written. */
export class IdempotencyResultTooLargeError extends IdempotencyResultError {
  /** Bytes the smallest encoding of the record would take. */
  readonly sizeBytes: number;
  /** Bytes a record may take (DynamoDB: 400 KB, attribute names included). */
  readonly limitBytes: number;

  constructor(key: string, sizeBytes: number, limitBytes: number, message?: string) {
    super(
      'IDEMPOTENCY_RESULT_TOO_LARGE',
      message ??
        `The result for idempotency key ${key} takes ${sizeBytes} bytes even compressed; a record holds at most ${limitBytes}`,
      key,
    );
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** The operation of the record protocol that failed. */
export type IdempotencyStoreOperation = 'acquire' | 'get' | 'complete' | 'release' | 'decode';

/**
 * The store failed (throttling, network, permissions, a corrupt record); the cause is the
 * store's own error. Business logic never runs after a failed `acquire`.
 */
export class IdempotencyStoreError extends IdempotencyError {
  readonly operation: IdempotencyStoreOperation;

  constructor(operation: IdempotencyStoreOperation, key: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super('IDEMPOTENCY_STORE_FAILED', `Idempotency store failed to ${operation} record ${key}: ${detail}`, key, {
      cause,
    });
    this.operation = operation;
  }
}
