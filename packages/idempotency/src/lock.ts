import { randomUUID } from 'node:crypto';
import { emitWarning, traceStep } from '@lambdakit/core';
import type { IdempotencyContext } from './idempotency-context.js';
import { describeError } from './idempotency-error.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** @internal One invocation's hold on a key. Lives only as long as the invocation. */
export interface Lock {
  readonly key: string;
  /** Random per invocation; a durable execution's ARN, which every invocation of it holds the key by. */
  readonly token: string;
  readonly payloadHash: string | undefined;
  /** Epoch milliseconds: the invocation's deadline (a durable execution's lock: the record's expiry). */
  readonly inProgressExpiration: number;
  /**
   * Aborts a store request when the invocation is cancelled (`ctx.signal`) or its deadline
   * passes, whichever comes first: no request outlives the lock it is about.
   */
  readonly signal: AbortSignal;
  /** Aborts at the deadline only: a release, which runs after a cancellation, is bounded by it. */
  readonly deadline: AbortSignal;
  /** The invocation's context: its store requests are steps of its trace (`traceStep`). */
  readonly context: IdempotencyContext | undefined;
  /**
   * `acquiring`/`held`/`completing`: the store may hold our IN_PROGRESS record, a release is due
   * if the invocation settles now. `kept`: left IN_PROGRESS on purpose. The rest: nothing to do.
   */
  state: 'acquiring' | 'held' | 'completing' | 'completed' | 'released' | 'kept' | 'lost';
}

// The longest delay a Node timer keeps; a longer one would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * @internal A lock on `key` that lives exactly as long as the invocation: a sandbox killed by
 * Lambda at its deadline leaves a lock that frees itself then, not an hour later. Without a
 * context giving the deadline, it lives `inProgressMs`.
 */
export function createLock(
  key: string,
  payloadHash: string | undefined,
  context: IdempotencyContext | undefined,
  timing: { startedAt: number; inProgressMs: number; execution?: { owner: string; heldForMs: number } | undefined },
): Lock {
  const { startedAt, inProgressMs, execution } = timing;
  const remainingMs = context?.getRemainingTimeInMillis?.();
  const invocationEnd = Math.ceil(
    startedAt +
      (typeof remainingMs === 'number' && Number.isFinite(remainingMs) ? Math.max(0, remainingMs) : inProgressMs),
  );
  // Every request about this lock is bounded by the invocation, with or without ctx.signal: an
  // SDK client without a request timeout cannot hang the invocation past its deadline.
  const deadline = AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, invocationEnd - startedAt)));
  const signal = context?.signal === undefined ? deadline : AbortSignal.any([context.signal, deadline]);
  return {
    key,
    token: execution?.owner ?? randomUUID(),
    payloadHash,
    // A durable execution outlives its invocations: its lock lasts as long as the record may.
    inProgressExpiration: execution === undefined ? invocationEnd : Math.ceil(startedAt + execution.heldForMs),
    signal,
    deadline,
    context,
    state: 'acquiring',
  };
}

/** @internal Leaves the lock's record IN_PROGRESS for a later invocation of the same durable execution. */
export function keepLock(lock: Lock): void {
  if (lock.state === 'held') lock.state = 'kept';
}

/** @internal Deletes the lock's record if the store may still hold it under our token; never throws. */
export async function releaseLock(store: IdempotencyStore, lock: Lock): Promise<void> {
  if (lock.state !== 'acquiring' && lock.state !== 'held' && lock.state !== 'completing') return;
  lock.state = 'released';
  try {
    // Not cancelled by ctx.signal: a release runs precisely after a timeout aborted it. Bounded
    // by the deadline: past it, the lock frees itself anyway.
    await storeStep(lock, 'release', () => store.release(lock.key, lock.token, { signal: lock.deadline }));
  } catch (error) {
    emitWarning(
      'LAMBDAKIT_IDEMPOTENCY_RELEASE_FAILED',
      `lambdakit: could not release the lock on ${lock.key} (${describeError(pastDeadline(lock, error, lock.deadline))}); ` +
        `it frees itself at ${new Date(lock.inProgressExpiration).toISOString()}`,
    );
  }
}

/** @internal A store request cut off by the lock's deadline says so, rather than the SDK's bare "Request aborted". */
export function pastDeadline(lock: Lock, error: unknown, signal: AbortSignal = lock.signal): unknown {
  if (!signal.aborted || signal.reason !== lock.deadline.reason) return error;
  return Object.assign(
    new Error(
      `no answer from the store before the invocation's deadline (${new Date(lock.inProgressExpiration).toISOString()})`,
      { cause: error },
    ),
    { name: 'DeadlineExceeded' },
  );
}

/** @internal A store request about `lock`, as a step of the invocation's trace (`idempotency <operation>`). */
export function storeStep<T>(lock: Lock, operation: string, request: () => Promise<T>): Promise<T> {
  return traceStep(lock.context, `idempotency ${operation}`, request, { 'lambdakit.idempotency.operation': operation });
}
