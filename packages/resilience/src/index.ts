export { callDepth, DEPTH_KEY } from './call-depth.js';
export type { CircuitBreakerOptions } from './circuit-breaker.js';
export { circuitBreaker } from './circuit-breaker.js';
export type { ConcurrencyLimitOptions } from './concurrency-limit.js';
export { concurrencyLimit } from './concurrency-limit.js';
export type {
  CircuitBreaker,
  CircuitRunOptions,
  CircuitSnapshot,
  CreateCircuitBreakerOptions,
} from './create-circuit-breaker.js';
export { createCircuitBreaker } from './create-circuit-breaker.js';
export type {
  ConcurrencyLease,
  ConcurrencyLimiter,
  CreateConcurrencyLimiterOptions,
} from './create-concurrency-limiter.js';
export { createConcurrencyLimiter } from './create-concurrency-limiter.js';
export type { DynamoDbStateStoreOptions } from './dynamo-db-state-store.js';
export { dynamoDbStateStore } from './dynamo-db-state-store.js';
export type {
  DroppedBatch,
  RecursionCheck,
  RecursionContext,
  RecursionGuardOptions,
  RecursionRefusal,
} from './guard-recursion.js';
export { guardRecursion } from './guard-recursion.js';
export type { InvocationLike } from './invocation-bounds.js';
export { memoryStateStore } from './memory-state-store.js';
export type { ClientWithMiddlewareStack } from './propagate-depth.js';
export { propagateDepth } from './propagate-depth.js';
export { recursionGuard } from './recursion-guard.js';
export type { ResilienceErrorCode, ResilienceErrorDetails } from './resilience-error.js';
export {
  CircuitOpenError,
  ConcurrencyLimitError,
  RecursionLimitError,
  ResilienceError,
} from './resilience-error.js';
export type { BreakerRecord, LeaseAcquisition, ProbeAdmission, StateStore, StoreCallOptions } from './state-store.js';
