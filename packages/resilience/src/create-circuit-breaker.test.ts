import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClock, stores } from '../test/support.js';
import {
  CircuitOpenError,
  type CreateCircuitBreakerOptions,
  createCircuitBreaker,
  memoryStateStore,
  type StateStore,
} from './index.js';

const boom = () => Promise.reject(new Error('downstream down'));
const ok = () => Promise.resolve('ok');

/** Runs `fn` through `breaker`, settling to what happened: the value, the error's code or message. */
async function outcome(breaker: ReturnType<typeof createCircuitBreaker>, fn: () => Promise<string>) {
  try {
    return await breaker.run(fn);
  } catch (error) {
    return error instanceof CircuitOpenError ? error.code : (error as Error).message;
  }
}

function setup(store: StateStore, options: Partial<CreateCircuitBreakerOptions> = {}) {
  const clock = fakeClock();
  const breaker = createCircuitBreaker({
    name: 'payments-api',
    store,
    failureThreshold: 3,
    windowSeconds: 10,
    openSeconds: 30,
    now: clock.now,
    ...options,
  });
  return { clock, breaker };
}

afterEach(() => vi.restoreAllMocks());

describe.each(stores)('createCircuitBreaker() on %s', (_name, newStore) => {
  it('opens after failureThreshold failures within one window and then fails fast without calling', async () => {
    const { clock, breaker } = setup(await newStore());
    expect(await outcome(breaker, boom)).toBe('downstream down');
    expect(await outcome(breaker, boom)).toBe('downstream down');
    expect(await outcome(breaker, ok)).toBe('ok');
    expect(await outcome(breaker, boom)).toBe('downstream down');
    const fn = vi.fn(ok);
    const refused = await breaker.run(fn).catch((error: unknown) => error);
    expect(fn).not.toHaveBeenCalled();
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ code: 'RESILIENCE_CIRCUIT_OPEN', resource: 'payments-api', retryable: true });
    expect((refused as CircuitOpenError).retryAt).toBe(clock.now() + 30_000);
    expect((refused as Error).message).toContain('Circuit breaker payments-api is open');
    expect(await breaker.snapshot()).toMatchObject({ state: 'open', openedUntil: clock.now() + 30_000 });
  });

  it('forgets failures of a window that ended', async () => {
    const { clock, breaker } = setup(await newStore());
    await outcome(breaker, boom);
    await outcome(breaker, boom);
    clock.advance(10_000);
    await outcome(breaker, boom);
    await outcome(breaker, boom);
    expect(await outcome(breaker, ok)).toBe('ok');
    expect(await breaker.snapshot()).toMatchObject({ state: 'closed', failures: 2 });
  });

  it('half-open lets exactly halfOpenProbes calls through; a successful probe closes it', async () => {
    const { clock, breaker } = setup(await newStore(), { halfOpenProbes: 2 });
    for (let i = 0; i < 3; i++) await outcome(breaker, boom);
    clock.advance(30_000);
    expect((await breaker.snapshot()).state).toBe('half-open');
    let release!: () => void;
    const held = new Promise<string>((resolve) => {
      release = () => resolve('probed');
    });
    let started = 0;
    let settled = 0;
    const calls = [1, 2, 3, 4].map(() =>
      outcome(breaker, () => {
        started++;
        return held;
      }).finally(() => settled++),
    );
    // Every call has been admitted (and holds) or refused before the probes answer.
    await vi.waitFor(() => expect([started, settled]).toEqual([2, 2]), { timeout: 10_000 });
    release();
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'probed')).toHaveLength(2);
    expect(results.filter((r) => r === 'RESILIENCE_CIRCUIT_OPEN')).toHaveLength(2);
    expect(await breaker.snapshot()).toMatchObject({ state: 'closed', failures: 0 });
    expect(await outcome(breaker, ok)).toBe('ok');
  });

  it('a failed probe opens it again for openSeconds', async () => {
    const { clock, breaker } = setup(await newStore());
    for (let i = 0; i < 3; i++) await outcome(breaker, boom);
    clock.advance(30_001);
    expect(await outcome(breaker, boom)).toBe('downstream down');
    const refused = await breaker.run(ok).catch((error: CircuitOpenError) => error);
    expect((refused as CircuitOpenError).retryAt).toBe(clock.now() + 30_000);
    clock.advance(30_000);
    expect(await outcome(breaker, ok)).toBe('ok');
    expect((await breaker.snapshot()).state).toBe('closed');
  });

  it('does not count errors isFailure rejects, and counts those of an isFailure that throws', async () => {
    const { breaker } = setup(await newStore(), {
      isFailure: (error) => {
        if ((error as Error).message === 'weird') throw new Error('isFailure broke');
        return (error as Error).message !== 'not found';
      },
    });
    for (let i = 0; i < 5; i++)
      expect(await outcome(breaker, () => Promise.reject(new Error('not found')))).toBe('not found');
    expect((await breaker.snapshot()).failures).toBe(0);
    await outcome(breaker, () => Promise.reject(new Error('weird')));
    expect((await breaker.snapshot()).failures).toBe(1);
  });

  it('answers with the fallback while open, and never calls it while closed', async () => {
    const { breaker } = setup(await newStore(), { failureThreshold: 1 });
    const fallback = vi.fn((error: CircuitOpenError) => `cached (${error.code})`);
    expect(await breaker.run(ok, undefined, { fallback })).toBe('ok');
    expect(fallback).not.toHaveBeenCalled();
    await outcome(breaker, boom);
    expect(await breaker.run(ok, undefined, { fallback })).toBe('cached (RESILIENCE_CIRCUIT_OPEN)');
  });

  it('passes the invocation signal to the call', async () => {
    const { breaker } = setup(await newStore());
    const controller = new AbortController();
    expect(await breaker.run(async (signal) => signal === controller.signal, { signal: controller.signal })).toBe(true);
  });
});

describe('createCircuitBreaker() across sandboxes sharing one store', () => {
  it('a sandbox that read the breaker closed stops calling at most cacheMs after that read (the documented staleness)', async () => {
    const store = memoryStateStore();
    const a = setup(store, { cacheMs: 1000 });
    const b = setup(store, { cacheMs: 1000 });
    expect(await outcome(b.breaker, ok)).toBe('ok'); // b reads: closed
    for (let i = 0; i < 3; i++) await outcome(a.breaker, boom);
    b.clock.advance(999);
    const fn = vi.fn(ok);
    expect(await outcome(b.breaker, fn)).toBe('ok'); // within the bound b may still call
    b.clock.advance(1);
    expect(await outcome(b.breaker, fn)).toBe('RESILIENCE_CIRCUIT_OPEN');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('with cacheMs 0 every call reads the shared state first', async () => {
    const store = memoryStateStore();
    const a = setup(store);
    const b = setup(store, { cacheMs: 0 });
    expect(await outcome(b.breaker, ok)).toBe('ok');
    for (let i = 0; i < 3; i++) await outcome(a.breaker, boom);
    expect(await outcome(b.breaker, ok)).toBe('RESILIENCE_CIRCUIT_OPEN');
  });

  it('reads the store once per cacheMs on the warm path of a closed breaker, and not at all while it knows it is open', async () => {
    const store = memoryStateStore();
    const read = vi.spyOn(store, 'readBreaker');
    const { clock, breaker } = setup(store, { cacheMs: 1000, failureThreshold: 1 });
    for (let i = 0; i < 10; i++) await breaker.run(ok);
    expect(read).toHaveBeenCalledTimes(1);
    clock.advance(1000);
    await breaker.run(ok);
    expect(read).toHaveBeenCalledTimes(2);
    await outcome(breaker, boom);
    for (let i = 0; i < 10; i++) await outcome(breaker, ok);
    expect(read).toHaveBeenCalledTimes(2);
  });
});

describe('createCircuitBreaker() when its store fails', () => {
  it('lets the call through with one warning per failed store request, never failing the call itself', async () => {
    const store = memoryStateStore();
    vi.spyOn(store, 'readBreaker').mockRejectedValue(new Error('ThrottlingException'));
    vi.spyOn(store, 'recordFailure').mockRejectedValue(new Error('ThrottlingException'));
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((message: string | Error, options?: unknown) => {
      warnings.push(`${(options as { code: string }).code}: ${String(message)}`);
    });
    const { breaker } = setup(store);
    expect(await outcome(breaker, ok)).toBe('ok');
    expect(await outcome(breaker, boom)).toBe('downstream down');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^LAMBDAKIT_RESILIENCE_STORE: Circuit breaker payments-api: the store failed to read its state \(Error: ThrottlingException\)/,
      ),
      expect.stringMatching(/failed to read its state/), // a failing store is not cached as closed
      expect.stringMatching(/failed to count a failure/),
    ]);
  });

  it('when the invocation’s own signal ends a read, throws its reason, warns nothing and learns nothing', async () => {
    const store = memoryStateStore();
    const { breaker } = setup(store, { failureThreshold: 1 });
    await outcome(breaker, boom); // open
    const other = setup(store);
    const warned = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const controller = new AbortController();
    const read = vi.spyOn(store, 'readBreaker').mockImplementationOnce(async () => {
      controller.abort(new Error('deadline'));
      throw new Error('AbortError');
    });
    await expect(other.breaker.run(ok, { signal: controller.signal })).rejects.toThrow('deadline');
    expect(warned).not.toHaveBeenCalled();
    read.mockRestore();
    expect(await outcome(other.breaker, ok)).toBe('RESILIENCE_CIRCUIT_OPEN'); // the next call reads again
  });
});

describe('createCircuitBreaker() options', () => {
  it.each([
    [{ name: '' }, 'createCircuitBreaker({ name }): expected a non-empty string of at most 200 characters'],
    [{ store: {} }, 'createCircuitBreaker({ store }): expected dynamoDbStateStore() or memoryStateStore()'],
    [{ failureThreshold: 0 }, 'createCircuitBreaker({ failureThreshold }): expected a positive integer, got 0'],
    [{ failureThreshold: 1.5 }, 'createCircuitBreaker({ failureThreshold }): expected a positive integer, got 1.5'],
    [{ windowSeconds: -1 }, 'createCircuitBreaker({ windowSeconds }): expected a positive number, got -1'],
    [{ openSeconds: Number.NaN }, 'createCircuitBreaker({ openSeconds }): expected a positive number, got NaN'],
    [{ halfOpenProbes: 0 }, 'createCircuitBreaker({ halfOpenProbes }): expected a positive integer, got 0'],
    [{ cacheMs: -5 }, 'createCircuitBreaker({ cacheMs }): expected a positive number, got -5'],
    [{ isFailure: 'yes' }, 'createCircuitBreaker({ isFailure }): expected a function'],
  ])('refuses %o with a TypeError naming the option', (bad, message) => {
    expect(() => createCircuitBreaker({ name: 'x', store: memoryStateStore(), ...(bad as object) })).toThrow(
      new TypeError(message),
    );
  });
});
