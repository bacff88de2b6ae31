import { lambda, TimeoutError, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it, vi } from 'vitest';
import { fakeClock } from '../test/support.js';
import {
  CircuitOpenError,
  ConcurrencyLimitError,
  circuitBreaker,
  concurrencyLimit,
  createCircuitBreaker,
  createConcurrencyLimiter,
  memoryStateStore,
} from './index.js';

describe('circuitBreaker() on lambda()', () => {
  it('counts failed invocations, then refuses without running the business logic', async () => {
    const breaker = createCircuitBreaker({ name: 'orders-db', store: memoryStateStore(), failureThreshold: 2 });
    const logic = vi.fn(async (event: { fail: boolean }) => {
      if (event.fail) throw new Error('db down');
      return 'stored';
    });
    const handler = lambda()
      .use(circuitBreaker(breaker))
      .handle(async (event) => logic(event as { fail: boolean }));
    await expect(handler({ fail: true }, createContext())).rejects.toThrow('db down');
    expect(await handler({ fail: false }, createContext())).toBe('stored');
    await expect(handler({ fail: true }, createContext())).rejects.toThrow('db down');
    await expect(handler({ fail: false }, createContext())).rejects.toBeInstanceOf(CircuitOpenError);
    expect(logic).toHaveBeenCalledTimes(3);
  });

  it('answers with onOpen while open, typed into the handler result', async () => {
    const breaker = createCircuitBreaker({ name: 'orders-db', store: memoryStateStore(), failureThreshold: 1 });
    const handler = lambda()
      .use(circuitBreaker(breaker, { onOpen: (error) => ({ statusCode: 503, body: error.code }) }))
      .handle(async (): Promise<{ statusCode: number; body: string }> => {
        throw new Error('db down');
      });
    await expect(handler({}, createContext())).rejects.toThrow('db down');
    expect(await handler({}, createContext())).toEqual({ statusCode: 503, body: 'RESILIENCE_CIRCUIT_OPEN' });
  });

  it('counts a timed-out invocation as a failure', async () => {
    const breaker = createCircuitBreaker({ name: 'slow-api', store: memoryStateStore(), failureThreshold: 1 });
    const handler = lambda()
      .use(timeout({ marginMs: 0 }))
      .use(circuitBreaker(breaker))
      .handle(
        async (_event, ctx) =>
          new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
      );
    await expect(handler({}, createContext({ timeoutMs: 20 }))).rejects.toBeInstanceOf(TimeoutError);
    expect((await breaker.snapshot()).state).toBe('open');
  });

  it('refuses a breaker that createCircuitBreaker() did not make', () => {
    expect(() => circuitBreaker({ name: 'x', run: async () => 1, snapshot: async () => ({}) } as never)).toThrow(
      new TypeError('circuitBreaker(breaker): expected a breaker from createCircuitBreaker()'),
    );
  });
});

describe('concurrencyLimit() on lambda()', () => {
  it('holds one slot per invocation and gives it back on success, error and timeout', async () => {
    const store = memoryStateStore();
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store });
    const handler = lambda()
      .use(timeout({ marginMs: 0 }))
      .use(concurrencyLimit(limiter))
      .handle(async (event: unknown, ctx) => {
        if (event === 'fail') throw new Error('query failed');
        if (event === 'hang') await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        return 'ok';
      });
    expect(await handler('ok', createContext())).toBe('ok');
    await expect(handler('fail', createContext())).rejects.toThrow('query failed');
    await expect(handler('hang', createContext({ timeoutMs: 20 }))).rejects.toBeInstanceOf(TimeoutError);
    expect(await handler('ok', createContext())).toBe('ok');
  });

  it('refuses an invocation while every slot is held, or answers with onLimit', async () => {
    const clock = fakeClock();
    const store = memoryStateStore();
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store, now: clock.now });
    const lease = await limiter.acquire({ deadline: clock.now() + 60_000 });
    const logic = vi.fn(async () => 'ran');
    const strict = lambda().use(concurrencyLimit(limiter)).handle(logic);
    await expect(strict({}, createContext())).rejects.toBeInstanceOf(ConcurrencyLimitError);
    const polite = lambda()
      .use(concurrencyLimit(limiter, { onLimit: (error) => ({ statusCode: 429, holders: error.holders }) }))
      .handle(logic);
    expect(await polite({}, createContext())).toEqual({ statusCode: 429, holders: 1 });
    expect(logic).not.toHaveBeenCalled();
    await lease.release();
    expect(await strict({}, createContext())).toBe('ran');
  });
});
