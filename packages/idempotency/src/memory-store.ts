import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';
import { defaultAttributes, recordToItem } from './record-item.js';
import { DYNAMODB_MAX_ITEM_BYTES, recordSize } from './record-size.js';

/** A store kept in memory, with what it holds visible to tests. */
export interface MemoryStore extends IdempotencyStore {
  /** A copy of every record held, expired ones included (nothing expires on its own). */
  records(): IdempotencyRecord[];
  /** Forgets every record. */
  clear(): void;
}

/**
 * Keeps records in this process's memory with the same conditions and the same 400 KB record
 * limit as {@link dynamoDbStore}, for tests and local runs. Records are not shared between
 * processes or sandboxes, so it gives no protection in production.
 */
export function memoryStore(): MemoryStore {
  const records = new Map<string, IdempotencyRecord>();
  const copy = (record: IdempotencyRecord): IdempotencyRecord => structuredClone(record);
  const heldBy = (record: IdempotencyRecord | undefined, lockToken: string) =>
    record?.status === 'IN_PROGRESS' && record.lockToken === lockToken;

  return {
    maxRecordBytes: DYNAMODB_MAX_ITEM_BYTES,
    recordSize: (record) => recordSize(recordToItem(record, defaultAttributes)),
    async acquire(record, nowMs) {
      const existing = records.get(record.id);
      const free =
        existing === undefined ||
        existing.expiration <= Math.floor(nowMs / 1000) ||
        (existing.status === 'IN_PROGRESS' && (existing.inProgressExpiration ?? 0) <= nowMs);
      if (!free) return { acquired: false, existing: copy(existing) };
      records.set(record.id, copy(record));
      return { acquired: true };
    },
    async get(id) {
      const record = records.get(id);
      return record === undefined ? undefined : copy(record);
    },
    async complete(record, lockToken) {
      if (!heldBy(records.get(record.id), lockToken)) return false;
      const { inProgressExpiration: _expiry, lockToken: _token, ...completed } = record;
      records.set(record.id, copy(completed));
      return true;
    },
    async discard(record) {
      const stored = records.get(record.id);
      if (stored?.status !== 'COMPLETED' || stored.expiration !== record.expiration) return false;
      records.delete(record.id);
      return true;
    },
    async release(id, lockToken) {
      if (!heldBy(records.get(id), lockToken)) return false;
      records.delete(id);
      return true;
    },
    records: () => [...records.values()].map(copy),
    clear: () => records.clear(),
  };
}
