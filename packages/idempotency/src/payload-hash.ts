import { IdempotencyError, payloadMismatchError } from './idempotency-error.js';
import { hashValue } from './idempotency-key.js';
import type { IdempotencySettings } from './idempotency-settings.js';

/** @internal SHA-256 of what `validatePayload` picks from the event; `undefined` when it is off. */
export function payloadHash<E>(settings: IdempotencySettings<E>, event: E, keyPrefix: string): string | undefined {
  const { validatePayload, caller } = settings;
  if (validatePayload === false) return undefined;
  try {
    return hashValue(validatePayload === true ? event : validatePayload(event)) ?? 'undefined';
  } catch (cause) {
    throw new IdempotencyError(
      'IDEMPOTENCY_KEY_INVALID',
      `${caller}: the payload cannot be hashed for validatePayload`,
      { keyPrefix, cause },
    );
  }
}

/** @internal Refuses to replay a record stored for another payload than this invocation's. */
export function checkPayload(
  key: string,
  record: { payloadHash?: string | undefined },
  hash: string | undefined,
): void {
  // A record stored before validatePayload was turned on has no hash and is replayed as is.
  if (hash !== undefined && record.payloadHash !== undefined && record.payloadHash !== hash) {
    throw payloadMismatchError(key, record.payloadHash, hash);
  }
}
