import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** SHA-256 (hex) of the canonical JSON of `value`; `undefined` if JSON cannot represent it. */
export function hashValue(value: unknown): string | undefined {
  const json = canonicalJson(value);
  return json === undefined ? undefined : createHash('sha256').update(json).digest('hex');
}

/**
 * True when what a `key` function returned identifies nothing: `undefined`, `null`, or a
 * non-empty array or object whose members are all `undefined` / `null` (`[e.a, e.b]` or
 * `{ id: e.id }` on an event without those fields), so unrelated events never share a record.
 */
export function isMissingKey(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object') return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.length > 0 && members.every((member) => member === undefined || member === null);
}

/** The stored record key: `<keyPrefix>#<SHA-256 of the canonical JSON of the key value>`. */
export function idempotencyKey(keyPrefix: string, value: unknown): string | undefined {
  const hash = hashValue(value);
  return hash === undefined ? undefined : `${keyPrefix}#${hash}`;
}
