import { lambda } from '@lambdakit/core';
import type { Context } from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import { callDepth } from './call-depth.js';
import { circuitBreaker } from './circuit-breaker.js';
import { concurrencyLimit } from './concurrency-limit.js';
import { createCircuitBreaker } from './create-circuit-breaker.js';
import { type ConcurrencyLease, createConcurrencyLimiter } from './create-concurrency-limiter.js';
import { type DroppedBatch, guardRecursion } from './guard-recursion.js';
import { memoryStateStore } from './memory-state-store.js';
import { propagateDepth } from './propagate-depth.js';
import { recursionGuard } from './recursion-guard.js';
import type {
  CircuitOpenError,
  ConcurrencyLimitError,
  RecursionLimitError,
  ResilienceErrorCode,
} from './resilience-error.js';

const store = memoryStateStore();
const breaker = createCircuitBreaker({ name: 'api', store });
const limiter = createConcurrencyLimiter({ name: 'db', max: 5, store });

describe('resilience types', () => {
  it('run() returns what the call returns, and the fallback must answer the same type', async () => {
    expectTypeOf(await breaker.run(async () => 42)).toEqualTypeOf<number>();
    expectTypeOf(await breaker.run(() => 'sync')).toEqualTypeOf<string>();
    expectTypeOf(await breaker.run(async () => 42, undefined, { fallback: () => 0 })).toEqualTypeOf<number>();
    // @ts-expect-error: a fallback answering another type than the call
    await breaker.run(async () => 42, undefined, { fallback: () => 'cached' });
    expectTypeOf(await limiter.run(async (signal) => signal)).toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf(await limiter.acquire()).toEqualTypeOf<ConcurrencyLease>();
  });

  it('takes lambdakit’s ctx or Lambda’s own context as the invocation', () => {
    const handler = lambda().handle(async (_event, ctx) => breaker.run(async () => 1, ctx));
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<number>();
    const plain = async (_event: unknown, context: Context) => limiter.run(async () => 'x', context);
    expectTypeOf(plain).returns.resolves.toEqualTypeOf<string>();
  });

  it('adds the fallback responses to the handler result, and nothing when there is none', () => {
    const handler = lambda()
      .use(circuitBreaker(breaker, { onOpen: (error) => ({ statusCode: 503 as const, code: error.code }) }))
      .use(concurrencyLimit(limiter, { onLimit: (error) => ({ statusCode: 429 as const, max: error.max }) }))
      .handle(async () => ({ statusCode: 200 as const }));
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<
      { statusCode: 200 } | { statusCode: 503; code: 'RESILIENCE_CIRCUIT_OPEN' } | { statusCode: 429; max: number }
    >();
    const bare = lambda()
      .use(circuitBreaker(breaker))
      .use(concurrencyLimit(limiter))
      .handle(async () => 'done');
    expectTypeOf(bare).returns.resolves.toEqualTypeOf<string>();
  });

  it('narrows the errors by class', () => {
    expectTypeOf<CircuitOpenError['code']>().toEqualTypeOf<'RESILIENCE_CIRCUIT_OPEN'>();
    expectTypeOf<CircuitOpenError['retryAt']>().toEqualTypeOf<number>();
    expectTypeOf<ConcurrencyLimitError['holders']>().toEqualTypeOf<number>();
    expectTypeOf<ResilienceErrorCode>().toEqualTypeOf<
      | 'RESILIENCE_CIRCUIT_OPEN'
      | 'RESILIENCE_CONCURRENCY_LIMIT'
      | 'RESILIENCE_RECURSION_LIMIT'
      | 'RESILIENCE_STORE_FAILED'
    >();
    expectTypeOf<RecursionLimitError['code']>().toEqualTypeOf<'RESILIENCE_RECURSION_LIMIT'>();
    expectTypeOf<RecursionLimitError['depth']>().toEqualTypeOf<number>();
    expectTypeOf<RecursionLimitError['retryable']>().toEqualTypeOf<false>();
  });

  it('recursionGuard adds its dropped-batch answer to the result; propagateDepth returns the client', () => {
    const handler = lambda()
      .use(recursionGuard({ maxDepth: 3 }))
      .handle(async (): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => ({ batchItemFailures: [] }));
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<
      { batchItemFailures: { itemIdentifier: string }[] } | DroppedBatch
    >();
    const client = { middlewareStack: { add() {} }, send: (x: number) => x };
    expectTypeOf(propagateDepth(client)).toEqualTypeOf<typeof client>();
    // @ts-expect-error: not an SDK client
    propagateDepth({ send() {} });
    // @ts-expect-error: maxDepth is required
    recursionGuard({});
    expectTypeOf(callDepth()).toEqualTypeOf<number | undefined>();
    const plain = async (event: { Records: { body: string }[] }, context: Context) => {
      const checked = guardRecursion(event, context, { maxDepth: 2 });
      expectTypeOf(checked.event).toEqualTypeOf<{ Records: { body: string }[] }>();
      expectTypeOf(checked.depth).toEqualTypeOf<number>();
    };
    expectTypeOf(plain).toBeFunction();
  });
});
