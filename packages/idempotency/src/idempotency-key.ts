import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { encodeKey } from './key-encoding.js';

/** SHA-256 (hex) of the canonical JSON of `value`; `undefined` if JSON cannot represent it. */
export function hashValue(value: unknown): string | undefined {
  const json = canonicalJson(value);
  return json === undefined ? undefined : createHash('sha256').update(json).digest('hex');
}

/**
 * True when what a `key` function returned identifies nothing: `undefined`, `null`, an empty
 * string, array or object, or an array or object whose members are all `undefined` / `null`
 * (`[e.a, e.b]` or `{ id: e.id }` on an event without those fields), so unrelated events never
 * share a record.
 */
export function isMissingKey(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (typeof value !== 'object') return false;
  if (
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    Object.getPrototypeOf(value) !== null
  ) {
    return false;
  }
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.every((member) => member === undefined || member === null);
}

/**
 * The stored record key: `<keyPrefix>#<SHA-256 of the key's canonical encoding>` (see
 * {@link encodeKey}); throws `IdempotencyError` `IDEMPOTENCY_KEY_INVALID` for a value it cannot encode faithfully.
 */
export function idempotencyKey(keyPrefix: string, value: unknown): string {
  return `${keyPrefix}#${createHash('sha256').update(encodeKey(value)).digest('hex')}`;
}
