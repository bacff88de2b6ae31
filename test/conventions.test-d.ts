// CONTRIBUTING.md's error rule at the type level: every public error's `code` is a union of
// string literals prefixed with its package, never a bare `string`.
import type { BatchError, RecordSkippedError } from '@lambdakit/batch';
import type { ConfigError } from '@lambdakit/config';
import type { InvalidArnError, RetryError, TimeoutError } from '@lambdakit/core';
import type { IdempotencyError, IdempotencyInProgressError } from '@lambdakit/idempotency';
import type { MetricsError } from '@lambdakit/metrics';
import type { ParseError } from '@lambdakit/parser';
import { describe, expectTypeOf, it } from 'vitest';

describe('error codes', () => {
  it('are typed literals prefixed with their package', () => {
    expectTypeOf<TimeoutError['code']>().toExtend<`CORE_${string}`>();
    expectTypeOf<InvalidArnError['code']>().toExtend<`CORE_${string}`>();
    expectTypeOf<RetryError['code']>().toExtend<`CORE_${string}`>();
    expectTypeOf<ParseError['code']>().toExtend<`PARSER_${string}`>();
    expectTypeOf<ConfigError['code']>().toExtend<`CONFIG_${string}`>();
    expectTypeOf<IdempotencyError['code']>().toExtend<`IDEMPOTENCY_${string}`>();
    expectTypeOf<IdempotencyInProgressError['code']>().toExtend<`IDEMPOTENCY_${string}`>();
    expectTypeOf<BatchError['code']>().toExtend<`BATCH_${string}`>();
    expectTypeOf<RecordSkippedError['code']>().toExtend<`BATCH_${string}`>();
    expectTypeOf<MetricsError['code']>().toExtend<`METRICS_${string}`>();
  });

  it('are never widened to string', () => {
    expectTypeOf<string>().not.toExtend<TimeoutError['code']>();
    expectTypeOf<string>().not.toExtend<InvalidArnError['code']>();
    expectTypeOf<string>().not.toExtend<RetryError['code']>();
    expectTypeOf<string>().not.toExtend<ParseError['code']>();
    expectTypeOf<string>().not.toExtend<ConfigError['code']>();
    expectTypeOf<string>().not.toExtend<IdempotencyError['code']>();
    expectTypeOf<string>().not.toExtend<BatchError['code']>();
    expectTypeOf<string>().not.toExtend<RecordSkippedError['code']>();
    expectTypeOf<string>().not.toExtend<MetricsError['code']>();
  });
});
