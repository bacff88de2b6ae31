import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { emitWarning } from '@lambdakit/core';
import { type InvocationLike, invocationBounds, nameOption, positiveOption } from './invocation-bounds.js';
import { concurrencyLimitError, describeError, ResilienceError } from './resilience-error.js';
import type { LeaseAcquisition, StateStore } from './state-store.js';

/** Options of {@link createConcurrencyLimiter}. */
export interface CreateConcurrencyLimiterOptions {
  /** Names the limiter in the store, in errors and warnings: one per downstream. */
  name: string;
  /** Calls that may run at once across every sandbox. */
  max: number;
  /** Where every sandbox shares the leases: `dynamoDbStateStore()`, or `memoryStateStore()` for one process. */
  store: StateStore;
  /** How long a call waits for a slot before `ConcurrencyLimitError` (default 0: fail at once). Bounded by `ctx.signal`. */
  waitMs?: number | undefined;
  /** The first pause between attempts while waiting, doubled up to 1 s, with jitter (default 50). */
  pollMs?: number | undefined;
  /** The clock (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** A slot held by one call until `release()` or its invocation's deadline. */
export interface ConcurrencyLease {
  /** When the lease lapses on its own (the invocation's deadline), epoch milliseconds. */
  readonly expiresAt: number;
  /** Gives the slot back; a store failure is a warning (the lease lapses at `expiresAt`). Idempotent. */
  release(): Promise<void>;
}

/** A distributed semaphore over a downstream: create it once in module scope. */
export interface ConcurrencyLimiter {
  readonly name: string;
  readonly max: number;
  /** Takes a slot (waiting up to `waitMs`), runs `fn` with the invocation's signal, gives the slot back. */
  run<T>(fn: (signal: AbortSignal | undefined) => T | Promise<T>, ctx?: InvocationLike | undefined): Promise<T>;
  /** Takes a slot and hands it over, for work that outlives one function call; release it on every path. */
  acquire(ctx?: InvocationLike | undefined): Promise<ConcurrencyLease>;
}

/** A lease outside an invocation lasts at most Lambda's longest invocation. */
const MAX_INVOCATION_MS = 15 * 60_000;
const MAX_POLL_MS = 1000;

/**
 * Limits the calls to a downstream across every sandbox to `max`. Each call holds a lease in the
 * store that expires at its invocation's deadline, so a crashed or frozen sandbox holds a slot no
 * longer than its invocation could have run. A full limiter is retried up to `waitMs`; then (or
 * when the store fails) the call is not made and a typed error says why.
 */
export function createConcurrencyLimiter(options: CreateConcurrencyLimiterOptions): ConcurrencyLimiter {
  const door = 'createConcurrencyLimiter';
  const name = nameOption(door, options?.name);
  const max = positiveOption(door, 'max', options.max, Number.NaN, true);
  if (Number.isNaN(max)) throw new TypeError(`${door}({ max }): expected a positive integer, got undefined`);
  const store = options.store;
  if (typeof store?.acquireLease !== 'function') {
    throw new TypeError(`${door}({ store }): expected dynamoDbStateStore() or memoryStateStore()`);
  }
  const waitMs = options.waitMs === 0 ? 0 : positiveOption(door, 'waitMs', options.waitMs, 0);
  const pollMs = positiveOption(door, 'pollMs', options.pollMs, 50);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError(`${door}({ now }): expected a function`);
  const settings = { name, max, store, waitMs, pollMs, now };
  const limiter: ConcurrencyLimiter = {
    name,
    max,
    acquire: (ctx) => acquire(settings, ctx),
    async run(fn, ctx) {
      const lease = await acquire(settings, ctx);
      try {
        return await fn(ctx?.signal);
      } finally {
        await lease.release();
      }
    },
  };
  return limiter;
}

interface LimiterSettings {
  readonly name: string;
  readonly max: number;
  readonly store: StateStore;
  readonly waitMs: number;
  readonly pollMs: number;
  readonly now: () => number;
}

async function acquire(settings: LimiterSettings, ctx: InvocationLike | undefined): Promise<ConcurrencyLease> {
  const { name, max, store, now } = settings;
  const leaseId = randomUUID();
  const started = now();
  const { signal, deadline } = invocationBounds(ctx, started, MAX_INVOCATION_MS);
  let pause = settings.pollMs;
  for (;;) {
    const at = now();
    let taken: LeaseAcquisition;
    try {
      taken = await store.acquireLease(name, leaseId, deadline, max, at, { abortSignal: signal });
    } catch (error) {
      // The write may have landed before the failure (or the abort) was seen: give the lease back, best effort.
      await store.releaseLease(name, leaseId).catch(() => undefined);
      if (signal?.aborted) throw concurrencyLimitError(name, max, 0, undefined, signal.reason);
      throw new ResilienceError(
        'RESILIENCE_STORE_FAILED',
        `Concurrency limit ${name}: the store failed to take a lease (${describeError(error)}); the call was not made`,
        { resource: name, cause: error },
      );
    }
    if (taken.acquired) return lease(settings, leaseId, deadline);
    // Jittered, so sandboxes that found the limiter full together do not all retry together.
    const delay = Math.min(pause * (0.5 + Math.random()), MAX_POLL_MS);
    if (at + delay - started > settings.waitMs || signal?.aborted) {
      throw concurrencyLimitError(
        name,
        max,
        taken.holders,
        taken.nextExpiry,
        signal?.aborted ? signal.reason : undefined,
      );
    }
    try {
      // A timer that keeps the process alive: the caller awaits this call (unlike a background refresh).
      await sleep(delay, undefined, signal === undefined ? undefined : { signal });
    } catch {
      throw concurrencyLimitError(name, max, taken.holders, taken.nextExpiry, signal?.reason);
    }
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}

function lease(settings: LimiterSettings, leaseId: string, expiresAt: number): ConcurrencyLease {
  let released: Promise<void> | undefined;
  return {
    expiresAt,
    release() {
      released ??= settings.store.releaseLease(settings.name, leaseId).catch((error: unknown) => {
        emitWarning(
          'LAMBDAKIT_RESILIENCE_STORE',
          `Concurrency limit ${settings.name}: the store failed to release a lease (${describeError(error)}); it lapses at ${new Date(expiresAt).toISOString()}`,
        );
      });
      return released;
    },
  };
}
