import type { IdempotencyStore } from './idempotency-store.js';

/** Options of {@link idempotent}, the middleware; the function doors take the same. `E` is the event (or record). */
export interface IdempotentOptions<E> {
  /** Where records live: `dynamoDbStore(...)` in production, `memoryStore()` in tests. */
  store: IdempotencyStore;
  /** Picks what identifies a request from the event; hashed as canonical JSON (sorted keys). */
  key: (event: E) => unknown;
  /**
   * Prefix of every stored key (`<keyPrefix>#<sha256>`). Default: the Lambda function name from
   * the context, so functions sharing a table never collide; required when called without one.
   */
  keyPrefix?: string | undefined;
  /**
   * How long a completed result is replayed, in seconds (default 3600). In front of `durable()`,
   * also how long an execution holds its key: cover the execution's whole life.
   */
  expiresAfterSeconds?: number | undefined;
  /**
   * Also store a hash of the payload (`true`: the whole event; a function: the part it returns)
   * and refuse a replay for a different payload with `IDEMPOTENCY_PAYLOAD_MISMATCH`.
   */
  validatePayload?: boolean | ((event: E) => unknown) | undefined;
  /** Keep completed results in this process too, so a duplicate costs no request (default off; `maxItems` 256). */
  localCache?: boolean | { maxItems?: number | undefined } | undefined;
  /** What to do when `key` finds nothing: throw `IDEMPOTENCY_KEY_MISSING` (default) or warn and run without idempotency. */
  missingKey?: 'throw' | 'warn' | undefined;
  /** Lock lifetime when called without a Lambda context to give the deadline, in seconds (default 60). */
  inProgressExpiresAfterSeconds?: number | undefined;
  /** The clock, epoch milliseconds (default `Date.now`); expiry decisions follow it. */
  now?: (() => number) | undefined;
}
