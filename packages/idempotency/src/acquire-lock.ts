import { emitWarning } from '@lambdakit/core';
import type { IdempotencyContext } from './idempotency-context.js';
import type { Begin } from './idempotency-engine.js';
import { describeError, IdempotencyError, inProgressError, storeError } from './idempotency-error.js';
import type { IdempotencySettings } from './idempotency-settings.js';
import type { IdempotencyRecord } from './idempotency-store.js';
import { type Lock, pastDeadline, storeStep } from './lock.js';
import { logReplay } from './log-replay.js';
import { checkPayload } from './payload-hash.js';
import { decodeResult } from './result-codec.js';

const ACQUIRE_ATTEMPTS = 3;

/**
 * @internal Takes the lock's key in the store, or learns who holds it: `run` with the lock held,
 * `replay` with the stored result of a completed record, or `IDEMPOTENCY_IN_PROGRESS`. A record
 * that vanished or expired between two requests is tried again, a few times.
 */
export async function acquireLock<E>(
  settings: IdempotencySettings<E>,
  lock: Lock,
  context: IdempotencyContext | undefined,
): Promise<Begin> {
  const { store, now } = settings;
  const { key, signal } = lock;
  for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
    const startedAt = now();
    let existing: IdempotencyRecord | undefined;
    try {
      const acquired = await storeStep(lock, 'acquire', () =>
        store.acquire(lockRecord(settings, lock, startedAt), startedAt, { signal }),
      );
      if (acquired.acquired) {
        lock.state = 'held';
        return { kind: 'run', lock };
      }
      existing = acquired.existing ?? (await storeStep(lock, 'get', () => store.get(key, { signal })));
    } catch (error) {
      // Only an aborted request may have landed unseen; then the cleanup hook releases it.
      if (!signal.aborted) lock.state = 'released';
      if (error instanceof IdempotencyError && error.code === 'IDEMPOTENCY_STORE_FAILED') throw error;
      throw storeError('acquire', key, pastDeadline(lock, error));
    }
    const checkedAt = now();
    // Absent (released between our two requests) or expired (DynamoDB's TTL deletes lazily,
    // days late): the key is free, try to take it again.
    if (existing === undefined || existing.expiration * 1000 <= checkedAt) continue;
    if (existing.status === 'COMPLETED') {
      lock.state = 'released';
      const replayed = await replayCompleted(settings, lock, existing, attempt < ACQUIRE_ATTEMPTS - 1);
      if (replayed === undefined) continue;
      logReplay(context, key, 'store');
      return replayed;
    }
    // A durable execution's earlier invocation took the key: this one goes on holding it.
    if (existing.lockToken === lock.token) {
      lock.state = 'held';
      return { kind: 'run', lock };
    }
    if ((existing.inProgressExpiration ?? 0) > checkedAt) {
      lock.state = 'released';
      throw inProgressError(key, existing.inProgressExpiration);
    }
  }
  lock.state = 'released';
  throw inProgressError(key, undefined);
}

/** The IN_PROGRESS record of `lock`, written at `nowMs`. */
function lockRecord<E>(settings: IdempotencySettings<E>, lock: Lock, nowMs: number): IdempotencyRecord {
  return {
    id: lock.key,
    status: 'IN_PROGRESS',
    // TTL not before the lock expires, so DynamoDB's TTL cleans up abandoned locks too.
    expiration: Math.ceil(Math.max(lock.inProgressExpiration, nowMs + settings.expiresAfterMs) / 1000),
    inProgressExpiration: lock.inProgressExpiration,
    lockToken: lock.token,
    payloadHash: lock.payloadHash,
  };
}

/**
 * The replay of a COMPLETED record, cached in this process when the cache is on; `undefined`
 * when its result could not be decoded and the record was discarded, so the key can be taken.
 */
async function replayCompleted<E>(
  settings: IdempotencySettings<E>,
  lock: Lock,
  record: IdempotencyRecord,
  canRetry: boolean,
): Promise<Begin | undefined> {
  checkPayload(lock.key, record, lock.payloadHash);
  let result: unknown;
  let json: string | undefined;
  try {
    result = await decodeResult(record.result);
    json = record.result === undefined ? undefined : JSON.stringify(result);
  } catch (error) {
    // A result that cannot be decoded can never be replayed: rather than block the key until
    // the record expires, the record is discarded and this call takes the key.
    if ((await discardCorrupt(settings, record, error, lock)) && canRetry) return undefined;
    throw storeError('decode', lock.key, error);
  }
  settings.cache?.set(lock.key, { expiration: record.expiration, json, payloadHash: record.payloadHash });
  return { kind: 'replay', result };
}

/** Deletes a COMPLETED record whose result cannot be decoded (if the store can); true when gone. */
async function discardCorrupt<E>(
  { store }: IdempotencySettings<E>,
  record: IdempotencyRecord,
  error: unknown,
  lock: Lock,
): Promise<boolean> {
  const discard = store.discard?.bind(store);
  if (discard === undefined) return false;
  try {
    const discarded = await storeStep(lock, 'discard', () => discard(record, { signal: lock.signal }));
    emitWarning(
      'LAMBDAKIT_IDEMPOTENCY_RECORD_CORRUPT',
      `lambdakit: the stored result of ${record.id} cannot be decoded (${describeError(error)}); ` +
        (discarded ? 'the record was discarded and the call runs again' : 'the record changed meanwhile'),
    );
    return true;
  } catch {
    return false;
  }
}
