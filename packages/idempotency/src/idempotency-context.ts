import type { CleanupHook } from '@lambdakit/core';

/**
 * The parts of a context the protocol reads: Lambda's context (function name, remaining time)
 * or lambdakit's `ctx`, which adds the cancellation signal and cleanup hooks. All optional.
 */
export interface IdempotencyContext {
  functionName?: string | undefined;
  getRemainingTimeInMillis?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
  cleanup?: ((hook: CleanupHook) => void) | undefined;
  /** `ctx.log` of `@lambdakit/logger` (or any logger with `info(fields, message)`): a replay is logged there. */
  log?: unknown;
  /** Lambda's tenant id (tenant isolation mode): part of the key, so tenants never share a record. */
  tenantId?: string | undefined;
}
