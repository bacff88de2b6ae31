import { emitWarning } from '@lambdakit/core';
import { IdempotencyError, recordTooLargeError, responseTooLargeError, storeError } from './idempotency-error.js';
import type { IdempotencySettings } from './idempotency-settings.js';
import type { IdempotencyRecord } from './idempotency-store.js';
import { type Lock, pastDeadline, releaseLock, storeStep } from './lock.js';
import { compressJson, MAX_RESULT_JSON_BYTES, resultToJson } from './result-codec.js';

/**
 * @internal Stores the business logic's result in the lock's record (COMPLETED), or releases the
 * lock and throws when the result cannot be stored. A lock lost meanwhile writes nothing.
 */
export async function completeLock<E>(settings: IdempotencySettings<E>, lock: Lock, result: unknown): Promise<void> {
  // Released by a timeout while the business logic kept running: its late result is not
  // recorded (another invocation may hold the key by now).
  if (lock.state !== 'held') return;
  lock.state = 'completing';
  let record: IdempotencyRecord;
  let json: string | undefined;
  try {
    json = resultJson(settings, lock, result);
    record = await completedRecord(settings, lock, json);
  } catch (error) {
    await releaseLock(settings.store, lock);
    throw error;
  }
  let written: boolean;
  try {
    written = await storeStep(lock, 'complete', () =>
      settings.store.complete(record, lock.token, { signal: lock.signal }),
    );
  } catch (error) {
    // Timed out mid-request: the cleanup hook releases. Otherwise the business logic ran and
    // its result is lost: the record stays IN_PROGRESS until the deadline, so an immediate
    // retry gets IDEMPOTENCY_IN_PROGRESS instead of running the business logic again.
    lock.state = lock.signal.aborted ? 'held' : 'kept';
    throw storeError('complete', lock.key, pastDeadline(lock, error));
  }
  if (!written) {
    lock.state = 'lost';
    emitWarning(
      'LAMBDAKIT_IDEMPOTENCY_LOCK_LOST',
      `lambdakit: the lock on ${lock.key} expired and was taken over before the business logic finished; its result was not stored`,
    );
    return;
  }
  lock.state = 'completed';
  settings.cache?.set(lock.key, { expiration: record.expiration, json, payloadHash: lock.payloadHash });
}

/** The result as JSON, no larger than Lambda can return (what is stored must be replayable). */
function resultJson<E>({ caller }: IdempotencySettings<E>, lock: Lock, result: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = resultToJson(result);
  } catch (cause) {
    throw new IdempotencyError(
      'IDEMPOTENCY_RESULT_INVALID',
      `${caller}: the result for ${lock.key} cannot be stored as JSON`,
      { key: lock.key, cause },
    );
  }
  const bytes = json === undefined ? 0 : Buffer.byteLength(json);
  if (bytes > MAX_RESULT_JSON_BYTES) throw responseTooLargeError(lock.key, bytes, MAX_RESULT_JSON_BYTES);
  return json;
}

/** The COMPLETED record holding `json`, brotli-compressed when plain JSON would not fit the store's record. */
async function completedRecord<E>(
  { store, now, expiresAfterMs }: IdempotencySettings<E>,
  lock: Lock,
  json: string | undefined,
): Promise<IdempotencyRecord> {
  const record: IdempotencyRecord = {
    id: lock.key,
    status: 'COMPLETED',
    expiration: Math.ceil((now() + expiresAfterMs) / 1000),
    payloadHash: lock.payloadHash,
    result: json === undefined ? undefined : { encoding: 'json', data: json },
  };
  if (json === undefined || store.recordSize(record) <= store.maxRecordBytes) return record;
  record.result = await compressJson(json);
  const size = store.recordSize(record);
  if (size > store.maxRecordBytes) throw recordTooLargeError(lock.key, size, store.maxRecordBytes);
  return record;
}
