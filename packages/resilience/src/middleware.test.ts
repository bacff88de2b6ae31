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

  it('gives no verdict when a later middleware answers before the business logic, and hands a probe back', async () => {
    const store = memoryStateStore();
    let now = Date.UTC(2030, 0, 1);
    const breaker = createCircuitBreaker({
      name: 'prices',
      store,
      failureThreshold: 1,
      openSeconds: 10,
      now: () => now,
    });
    const limiter = createConcurrencyLimiter({ name: 'db', max: 1, store });
    const logic = vi.fn(async (event: { fail?: boolean }) => {
      if (event.fail) throw new Error('prices down');
      return 'ok';
    });
    const handler = lambda()
      .use(circuitBreaker(breaker))
      .use(concurrencyLimit(limiter, { onLimit: () => 'busy' }))
      .handle(async (event) => logic(event as { fail?: boolean }));
    await expect(handler({ fail: true }, createContext())).rejects.toThrow('prices down');
    now += 10_000; // half-open: the next invocation is the probe
    const lease = await limiter.acquire();
    expect(await handler({}, createContext())).toBe('busy'); // the limiter answered: the probe never ran
    expect(await breaker.snapshot()).toMatchObject({ state: 'half-open' });
    expect((await store.readBreaker('prices'))?.probes).toBe(0); // its slot was handed back
    await lease.release();
    expect(await handler({}, createContext())).toBe('ok'); // a real probe closes it
    expect((await breaker.snapshot()).state).toBe('closed');
  });

  it('does not count lambdakit’s own refusals (a concurrency limit full) against the downstream', async () => {
    const store = memoryStateStore();
    const breaker = createCircuitBreaker({ name: 'prices', store, failureThreshold: 1 });
    const limiter = createConcurrencyLimiter({ name: 'db', max: 1, store });
    const lease = await limiter.acquire();
    const handler = lambda()
      .use(circuitBreaker(breaker))
      .use(concurrencyLimit(limiter))
      .handle(async () => 'ok');
    await expect(handler({}, createContext())).rejects.toBeInstanceOf(ConcurrencyLimitError);
    expect((await breaker.snapshot()).state).toBe('closed');
    await lease.release();
  });

  it('ends the invocation with onOpen’s answer even when it is undefined', async () => {
    const breaker = createCircuitBreaker({ name: 'orders-db', store: memoryStateStore(), failureThreshold: 1 });
    await breaker.run(() => Promise.reject(new Error('down'))).catch(() => undefined);
    const logic = vi.fn(async () => undefined);
    const handler = lambda()
      .use(circuitBreaker(breaker, { onOpen: () => undefined }))
      .handle(logic);
    expect(await handler({}, createContext())).toBeUndefined();
    expect(logic).not.toHaveBeenCalled();
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
    const released = vi.spyOn(store, 'releaseLease');
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store });
    const handler = lambda()
      // The lease lapses at Lambda's deadline, 60 s away: only a release frees the slot in time.
      .use(timeout({ marginMs: 59_950 }))
      .use(concurrencyLimit(limiter))
      .handle(async (event: unknown, ctx) => {
        if (event === 'fail') throw new Error('query failed');
        if (event === 'hang') await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        return 'ok';
      });
    const minute = () => createContext({ timeoutMs: 60_000 });
    expect(await handler('ok', minute())).toBe('ok');
    await expect(handler('fail', minute())).rejects.toThrow('query failed');
    await expect(handler('hang', minute())).rejects.toBeInstanceOf(TimeoutError);
    expect(released).toHaveBeenCalledTimes(3);
    expect(await handler('ok', minute())).toBe('ok');
  });

  it('ends the invocation with onLimit’s answer even when it is undefined (a void SQS or EventBridge handler)', async () => {
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store: memoryStateStore() });
    const lease = await limiter.acquire();
    const logic = vi.fn(async () => undefined);
    const handler = lambda()
      .use(concurrencyLimit(limiter, { onLimit: () => undefined }))
      .handle(logic);
    expect(await handler({}, createContext())).toBeUndefined();
    expect(logic).not.toHaveBeenCalled();
    await lease.release();
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
