export type { DynamoDbStoreOptions } from './dynamo-db-store.js';
export { dynamoDbStore } from './dynamo-db-store.js';
export type { IdempotencyContext } from './idempotency-engine.js';
export type { IdempotencyStoreOperation } from './idempotency-error.js';
export {
  IdempotencyError,
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultError,
  IdempotencyResultTooLargeError,
  IdempotencyStoreError,
} from './idempotency-error.js';
export type { IdempotencyOptions } from './idempotency-options.js';
export type {
  AcquireResult,
  IdempotencyRecord,
  IdempotencyStatus,
  IdempotencyStore,
  StoreCallOptions,
  StoredResult,
} from './idempotency-store.js';
export { idempotent } from './idempotent.js';
export { idempotentRecord } from './idempotent-record.js';
export type { Idempotent, IdempotentFunction } from './make-idempotent.js';
export { makeIdempotent } from './make-idempotent.js';
export type { MemoryStore } from './memory-store.js';
export { memoryStore } from './memory-store.js';
export type { IdempotencyAttributes } from './record-item.js';
