/** A record's state: a live lock, or a finished call with its stored result. */
export type IdempotencyStatus = 'IN_PROGRESS' | 'COMPLETED';

/**
 * A stored result: JSON text, or that text brotli-compressed when the JSON alone would not
 * fit in a record. `undefined` results are stored without a `result`.
 */
export type StoredResult = { encoding: 'json'; data: string } | { encoding: 'json+br'; data: Uint8Array };

/** One idempotency record, store-independent. */
export interface IdempotencyRecord {
  /** `<keyPrefix>#<sha256>`. */
  id: string;
  status: IdempotencyStatus;
  /** When the record stops counting, epoch seconds (DynamoDB TTL attribute). */
  expiration: number;
  /** IN_PROGRESS only: when the lock frees itself, epoch milliseconds (the invocation's deadline). */
  inProgressExpiration?: number | undefined;
  /** IN_PROGRESS only: the random token of the invocation holding the lock. */
  lockToken?: string | undefined;
  /** SHA-256 of the payload, when `validatePayload` is on. */
  payloadHash?: string | undefined;
  /** COMPLETED only. */
  result?: StoredResult | undefined;
}

/** What {@link IdempotencyStore.acquire} learned: the lock is ours, or the record that holds it (if the store returned it). */
export type AcquireResult = { acquired: true } | { acquired: false; existing: IdempotencyRecord | undefined };

/** Per-request options every store call accepts. */
export interface StoreCallOptions {
  /** Aborts the request (the invocation's `ctx.signal`). */
  signal?: AbortSignal | undefined;
}

/**
 * Where records live. Each method is one atomic, conditional request so concurrent
 * invocations (in one process or many sandboxes) agree on who holds a key.
 */
export interface IdempotencyStore {
  /** Largest record the store accepts, in bytes as {@link IdempotencyStore.recordSize} counts them. */
  readonly maxRecordBytes: number;
  /** The size a record takes in this store, in bytes. */
  recordSize(record: IdempotencyRecord): number;
  /**
   * Writes `record` (IN_PROGRESS) if no record exists for its id, or the existing one has
   * expired (`expiration` ≤ now in seconds), or it is IN_PROGRESS with `inProgressExpiration` ≤ `nowMs`.
   */
  acquire(record: IdempotencyRecord, nowMs: number, options?: StoreCallOptions): Promise<AcquireResult>;
  /** Reads a record (strongly consistent). */
  get(id: string, options?: StoreCallOptions): Promise<IdempotencyRecord | undefined>;
  /**
   * Turns the IN_PROGRESS record locked with `lockToken` into `record` (COMPLETED); `false`
   * (nothing written) if the record is no longer IN_PROGRESS under that token.
   */
  complete(record: IdempotencyRecord, lockToken: string, options?: StoreCallOptions): Promise<boolean>;
  /** Deletes the record if it is IN_PROGRESS under `lockToken`; `false` if it was not. */
  release(id: string, lockToken: string, options?: StoreCallOptions): Promise<boolean>;
  /**
   * Deletes a COMPLETED record whose result cannot be decoded, if it is still that record (same
   * status and expiration); `false` if it was not. Optional: without it, such a record blocks its
   * key until it expires.
   */
  discard?(record: IdempotencyRecord, options?: StoreCallOptions): Promise<boolean>;
}
