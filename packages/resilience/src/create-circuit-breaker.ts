import { type BreakerEngine, countsAsFailure, enterBreaker, notARefusal, settleBreaker } from './breaker-engine.js';
import { type InvocationLike, nameOption, positiveOption } from './invocation-bounds.js';
import { CircuitOpenError } from './resilience-error.js';
import { CLOSED, type StateStore } from './state-store.js';

/** Options of {@link createCircuitBreaker}. */
export interface CreateCircuitBreakerOptions {
  /** Names the breaker in the store, in errors and warnings: one per downstream. */
  name: string;
  /** Where every sandbox shares the state: `dynamoDbStateStore()`, or `memoryStateStore()` for one process. */
  store: StateStore;
  /** Failures within one window that open the breaker (default 5). */
  failureThreshold?: number | undefined;
  /** The failure-counting window, fixed, shared by every sandbox (default 60). */
  windowSeconds?: number | undefined;
  /** How long the breaker stays open before half-open probes begin (default 30). */
  openSeconds?: number | undefined;
  /** Calls let through at once while half-open, across every sandbox (default 1). */
  halfOpenProbes?: number | undefined;
  /**
   * Which errors count as the downstream failing (default: every error but lambdakit's own refusals,
   * `CircuitOpenError`, `ConcurrencyLimitError`). Others pass through and count as an answer.
   */
  isFailure?: ((error: unknown) => boolean) | undefined;
  /**
   * How long a sandbox acts on the closed state it last read before reading again (default 1000,
   * 0 reads before every call). The staleness bound: a breaker opened elsewhere stops this
   * sandbox's calls at most `cacheMs` after this sandbox last read it.
   */
  cacheMs?: number | undefined;
  /** The clock (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** A breaker's state as the store holds it now. */
export interface CircuitSnapshot {
  readonly state: 'closed' | 'open' | 'half-open';
  /** Failures counted in the current window. */
  readonly failures: number;
  /** While open or half-open: when probes begin (began), epoch milliseconds. */
  readonly openedUntil: number | undefined;
}

/** Options of {@link CircuitBreaker.run}. */
export interface CircuitRunOptions<T> {
  /** Answers instead of throwing {@link CircuitOpenError} while the breaker refuses calls. */
  fallback?: ((error: CircuitOpenError) => T | Promise<T>) | undefined;
}

/** A circuit breaker shared by every sandbox: create it once in module scope. */
export interface CircuitBreaker {
  readonly name: string;
  /**
   * Runs `fn` unless the breaker refuses calls (then throws {@link CircuitOpenError}, or answers
   * with the fallback), and counts its failure. `fn` gets the invocation's signal.
   */
  run<T>(
    fn: (signal: AbortSignal | undefined) => T | Promise<T>,
    ctx?: InvocationLike | undefined,
    options?: CircuitRunOptions<T> | undefined,
  ): Promise<T>;
  /** The shared state read from the store now (for dashboards and tests; calls never need it). */
  snapshot(ctx?: InvocationLike | undefined): Promise<CircuitSnapshot>;
}

const engines = new WeakMap<CircuitBreaker, BreakerEngine>();

/** The engine behind `breaker` (package-internal: the middleware's way in). */
export function breakerEngine(breaker: CircuitBreaker): BreakerEngine {
  const engine = engines.get(breaker);
  if (engine === undefined)
    throw new TypeError('circuitBreaker(breaker): expected a breaker from createCircuitBreaker()');
  return engine;
}

/**
 * A circuit breaker whose state every sandbox shares through `store`: closed (calls go through,
 * failures counted per window), open (calls fail fast with {@link CircuitOpenError}), half-open
 * (up to `halfOpenProbes` calls across all sandboxes probe the downstream; a success closes it,
 * a failure opens it again). A closed breaker's warm path makes no store request but one read
 * per `cacheMs`; a failing store never fails a call (the call goes through, with a warning).
 */
export function createCircuitBreaker(options: CreateCircuitBreakerOptions): CircuitBreaker {
  const engine = engineFor(options);
  const breaker: CircuitBreaker = {
    name: engine.name,
    async run(fn, ctx, runOptions) {
      let permit: Awaited<ReturnType<typeof enterBreaker>>;
      try {
        permit = await enterBreaker(engine, ctx);
      } catch (error) {
        const fallback = runOptions?.fallback;
        if (fallback === undefined || !(error instanceof CircuitOpenError)) throw error;
        return fallback(error);
      }
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(ctx?.signal);
      } catch (error) {
        await settleBreaker(engine, permit, countsAsFailure(engine, error) ? 'failure' : 'success', ctx);
        throw error;
      }
      await settleBreaker(engine, permit, 'success', ctx);
      return result;
    },
    async snapshot(ctx) {
      const at = engine.now();
      const record = (await engine.store.readBreaker(engine.name, { abortSignal: ctx?.signal })) ?? CLOSED;
      const state = record.openedUntil === undefined ? 'closed' : at < record.openedUntil ? 'open' : 'half-open';
      return { state, failures: record.failures, openedUntil: record.openedUntil };
    },
  };
  engines.set(breaker, engine);
  return breaker;
}

function engineFor(options: CreateCircuitBreakerOptions): BreakerEngine {
  const door = 'createCircuitBreaker';
  const name = nameOption(door, options?.name);
  const store = options.store;
  if (typeof store?.readBreaker !== 'function') {
    throw new TypeError(`${door}({ store }): expected dynamoDbStateStore() or memoryStateStore()`);
  }
  const isFailure = options.isFailure ?? notARefusal;
  if (typeof isFailure !== 'function') throw new TypeError(`${door}({ isFailure }): expected a function`);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError(`${door}({ now }): expected a function`);
  return {
    name,
    store,
    threshold: positiveOption(door, 'failureThreshold', options.failureThreshold, 5, true),
    windowMs: positiveOption(door, 'windowSeconds', options.windowSeconds, 60) * 1000,
    openMs: positiveOption(door, 'openSeconds', options.openSeconds, 30) * 1000,
    maxProbes: positiveOption(door, 'halfOpenProbes', options.halfOpenProbes, 1, true),
    cacheMs: options.cacheMs === 0 ? 0 : positiveOption(door, 'cacheMs', options.cacheMs, 1000),
    isFailure,
    now,
    view: undefined,
    probesTakenUntil: 0,
  };
}
