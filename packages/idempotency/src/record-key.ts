import { emitWarning } from '@lambdakit/core';
import type { IdempotencyContext } from './idempotency-context.js';
import { IdempotencyError } from './idempotency-error.js';
import { idempotencyKey, isMissingKey } from './idempotency-key.js';
import type { IdempotencySettings } from './idempotency-settings.js';

/**
 * @internal The record key of this event, `{ key, keyPrefix }`; `undefined` when the key function
 * found nothing and `missingKey` is `'warn'` (the call runs without idempotency).
 */
export function recordKey<E>(
  settings: IdempotencySettings<E>,
  event: E,
  context: IdempotencyContext | undefined,
): { key: string; keyPrefix: string } | undefined {
  const { caller } = settings;
  const keyPrefix = settings.keyPrefix ?? (context?.functionName || undefined);
  if (keyPrefix === undefined) {
    throw new IdempotencyError(
      'IDEMPOTENCY_KEY_MISSING',
      `${caller}: no keyPrefix, and no Lambda context with a function name to default it to`,
    );
  }
  let value: unknown;
  let key: string | undefined;
  try {
    value = settings.key(event);
    // A tenant-isolated function: the same key in two tenants is two records, never a replay
    // of one tenant's result to another.
    const tenantId = context?.tenantId;
    key = isMissingKey(value)
      ? undefined
      : idempotencyKey(keyPrefix, typeof tenantId === 'string' && tenantId !== '' ? { tenantId, key: value } : value);
  } catch (cause) {
    // A key that cannot be encoded faithfully is refused: it could share a record with another.
    const why = cause instanceof IdempotencyError ? `: ${cause.message}` : '';
    throw new IdempotencyError('IDEMPOTENCY_KEY_INVALID', `${caller}: the idempotency key cannot be computed${why}`, {
      keyPrefix,
      cause,
    });
  }
  if (key !== undefined) return { key, keyPrefix };
  const message = `${caller}: the key function found no idempotency key in the event (it returned ${describeKey(value)})`;
  if (settings.missingKey === 'throw') throw new IdempotencyError('IDEMPOTENCY_KEY_MISSING', message, { keyPrefix });
  emitWarning('LAMBDAKIT_IDEMPOTENCY_KEY_MISSING', `lambdakit: ${message}; running without idempotency`);
  return undefined;
}

function describeKey(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value)
    ? 'an array of null/undefined'
    : `${typeof value === 'object' ? 'an object' : typeof value}`;
}
