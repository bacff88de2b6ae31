export type { DynamoDbStoreOptions } from './dynamo-db-store.js';
export { dynamoDbStore } from './dynamo-db-store.js';
export type { IdempotencyContext } from './idempotency-context.js';
export type { IdempotencyErrorCode, IdempotencyErrorDetails, IdempotencyStoreOperation } from './idempotency-error.js';
export { IdempotencyError, IdempotencyInProgressError } from './idempotency-error.js';
export type {
  AcquireResult,
  IdempotencyRecord,
  IdempotencyStatus,
  IdempotencyStore,
  StoreCallOptions,
  StoredResult,
} from './idempotency-store.js';
export { idempotent } from './idempotent.js';
export type { IdempotentOptions } from './idempotent-options.js';
export type { IdempotentRecordOptions } from './idempotent-record.js';
export { idempotentRecord } from './idempotent-record.js';
export type { Idempotent, IdempotentFunction, MakeIdempotentOptions } from './make-idempotent.js';
export { makeIdempotent } from './make-idempotent.js';
export type { MemoryStore } from './memory-store.js';
export { memoryStore } from './memory-store.js';
export type { IdempotencyAttributes } from './record-item.js';
