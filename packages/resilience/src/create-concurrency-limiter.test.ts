import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, fakeClock, stores } from '../test/support.js';
import { ConcurrencyLimitError, createConcurrencyLimiter, memoryStateStore, ResilienceError } from './index.js';

afterEach(() => vi.restoreAllMocks());

describe.each(stores)('createConcurrencyLimiter() on %s', (_name, newStore) => {
  it('runs at most max calls at once and refuses the rest with a typed error when waitMs is 0', async () => {
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 2, store: await newStore() });
    const gate = deferred<string>();
    let running = 0;
    const calls = [1, 2, 3].map(() =>
      limiter
        .run(async () => {
          running++;
          return gate.promise;
        })
        .catch((error: unknown) => error),
    );
    const refused = await Promise.race(calls); // the two holders wait on the gate
    await vi.waitFor(() => expect(running).toBe(2), { timeout: 10_000 });
    expect(refused).toBeInstanceOf(ConcurrencyLimitError);
    expect(refused).toMatchObject({
      code: 'RESILIENCE_CONCURRENCY_LIMIT',
      resource: 'mysql',
      max: 2,
      holders: 2,
      retryable: true,
    });
    expect((refused as Error).message).toContain('Concurrency limit mysql: 2 of 2 slots taken');
    gate.resolve('done');
    expect((await Promise.all(calls)).filter((r) => r === 'done')).toHaveLength(2);
    expect(await limiter.run(async () => 'again')).toBe('again');
  });

  it('gives the slot back when the call throws', async () => {
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store: await newStore() });
    await expect(limiter.run(() => Promise.reject(new Error('query failed')))).rejects.toThrow('query failed');
    expect(await limiter.run(async () => 'free')).toBe('free');
  });

  it('waits up to waitMs for a slot to free up', async () => {
    const store = await newStore();
    const attempts = vi.spyOn(store, 'acquireLease');
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store, waitMs: 600_000, pollMs: 1 });
    const held = await limiter.acquire();
    const second = limiter.run(async () => 'second');
    // The waiting call found the slot taken and tried again at least once before it frees up.
    await vi.waitFor(() => expect(attempts.mock.calls.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    await held.release();
    expect(await second).toBe('second');
  });

  it('a lease lapses at its invocation deadline, so a holder that never released frees its slot then', async () => {
    const clock = fakeClock();
    const limiter = createConcurrencyLimiter({ name: 'mysql', max: 1, store: await newStore(), now: clock.now });
    const lease = await limiter.acquire({ deadline: clock.now() + 3000 });
    expect(lease.expiresAt).toBe(clock.now() + 3000);
    clock.advance(2999);
    await expect(limiter.acquire({ deadline: clock.now() + 3000 })).rejects.toBeInstanceOf(ConcurrencyLimitError);
    clock.advance(1);
    const next = await limiter.acquire({ getRemainingTimeInMillis: () => 1000 });
    expect(next.expiresAt).toBe(clock.now() + 1000);
    await lease.release(); // late: the lease had lapsed and was purged; nothing to undo
    await next.release();
    await next.release();
  });
});

describe('createConcurrencyLimiter() bounded by the invocation', () => {
  it('stops waiting when ctx.signal aborts, with the signal reason as the cause', async () => {
    const store = memoryStateStore();
    const limiter = createConcurrencyLimiter({ name: 'api', max: 1, store, waitMs: 600_000, pollMs: 5 });
    const lease = await limiter.acquire();
    const attempts = vi.spyOn(store, 'acquireLease');
    const controller = new AbortController();
    const waiting = limiter.run(async () => 'never', { signal: controller.signal }).catch((error: unknown) => error);
    // Aborted while it sleeps between attempts, not before the first.
    await vi.waitFor(() => expect(attempts.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    controller.abort(new Error('deadline near'));
    const error = await waiting;
    expect(error).toBeInstanceOf(ConcurrencyLimitError);
    expect((error as Error).cause).toEqual(new Error('deadline near'));
    await lease.release();
  });

  it('fails closed with RESILIENCE_STORE_FAILED when the store cannot take a lease, and warns when it cannot release one', async () => {
    const store = memoryStateStore();
    const limiter = createConcurrencyLimiter({ name: 'api', max: 1, store });
    const acquire = vi.spyOn(store, 'acquireLease').mockRejectedValueOnce(new Error('ProvisionedThroughputExceeded'));
    const fn = vi.fn(async () => 'ran');
    const error = await limiter.run(fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(ResilienceError);
    expect(error).toMatchObject({ code: 'RESILIENCE_STORE_FAILED', resource: 'api' });
    expect((error as Error).message).toBe(
      'Concurrency limit api: the store failed to take a lease (Error: ProvisionedThroughputExceeded); the call was not made',
    );
    acquire.mockRestore();
    vi.spyOn(store, 'releaseLease').mockRejectedValueOnce(new Error('network'));
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((message: string | Error, options?: unknown) => {
      warnings.push(`${(options as { code: string }).code}: ${String(message)}`);
    });
    expect(await limiter.run(fn)).toBe('ran');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^LAMBDAKIT_RESILIENCE_STORE: Concurrency limit api: the store failed to release a lease \(Error: network\); it lapses at /,
      ),
    ]);
  });
});

describe('createConcurrencyLimiter() options', () => {
  it.each([
    [{ max: undefined }, 'createConcurrencyLimiter({ max }): expected a positive integer, got undefined'],
    [{ max: 0 }, 'createConcurrencyLimiter({ max }): expected a positive integer, got 0'],
    [{ max: 2.5 }, 'createConcurrencyLimiter({ max }): expected a positive integer, got 2.5'],
    [{ waitMs: -1 }, 'createConcurrencyLimiter({ waitMs }): expected a positive number, got -1'],
    [{ pollMs: 0 }, 'createConcurrencyLimiter({ pollMs }): expected a positive number, got 0'],
    [{ store: undefined }, 'createConcurrencyLimiter({ store }): expected dynamoDbStateStore() or memoryStateStore()'],
    [{ name: 7 }, 'createConcurrencyLimiter({ name }): expected a non-empty string of at most 200 characters'],
  ])('refuses %o with a TypeError naming the option', (bad, message) => {
    expect(() =>
      createConcurrencyLimiter({ name: 'x', max: 1, store: memoryStateStore(), ...(bad as object) }),
    ).toThrow(new TypeError(message));
  });
});
