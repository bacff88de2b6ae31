import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { IdempotencyRecord } from './idempotency-store.js';

/** Attribute names of an idempotency record in its DynamoDB item. */
export interface IdempotencyAttributes {
  /** Partition key, string (default `id`). */
  id: string;
  /** TTL attribute, epoch seconds (default `expiration`). */
  expiration: string;
  /** `IN_PROGRESS` or `COMPLETED` (default `status`). */
  status: string;
  /** When an IN_PROGRESS lock frees itself, epoch milliseconds (default `inProgressExpiration`). */
  inProgressExpiration: string;
  /** The lock holder's random token (default `lockToken`). */
  lockToken: string;
  /** SHA-256 of the payload with `validatePayload` (default `payloadHash`). */
  payloadHash: string;
  /** The result: JSON as a string, or brotli-compressed JSON as binary (default `result`). */
  result: string;
}

/** The attribute names used unless `dynamoDbStore({ attributes })` overrides them. */
export const defaultAttributes: Readonly<IdempotencyAttributes> = Object.freeze({
  id: 'id',
  expiration: 'expiration',
  status: 'status',
  inProgressExpiration: 'inProgressExpiration',
  lockToken: 'lockToken',
  payloadHash: 'payloadHash',
  result: 'result',
});

/** Marshals a record into a DynamoDB item. */
export function recordToItem(record: IdempotencyRecord, names: IdempotencyAttributes): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    [names.id]: { S: record.id },
    [names.status]: { S: record.status },
    [names.expiration]: { N: String(record.expiration) },
  };
  if (record.inProgressExpiration !== undefined) {
    item[names.inProgressExpiration] = { N: String(record.inProgressExpiration) };
  }
  if (record.lockToken !== undefined) item[names.lockToken] = { S: record.lockToken };
  if (record.payloadHash !== undefined) item[names.payloadHash] = { S: record.payloadHash };
  if (record.result !== undefined) {
    item[names.result] = record.result.encoding === 'json' ? { S: record.result.data } : { B: record.result.data };
  }
  return item;
}

/** Unmarshals an item; throws `TypeError` when it is not an idempotency record (wrong table or attribute names). */
export function itemToRecord(item: Record<string, AttributeValue>, names: IdempotencyAttributes): IdempotencyRecord {
  const id = item[names.id]?.S;
  const status = item[names.status]?.S;
  const expiration = Number(item[names.expiration]?.N);
  if (id === undefined || (status !== 'IN_PROGRESS' && status !== 'COMPLETED') || !Number.isFinite(expiration)) {
    throw new TypeError(
      `not an idempotency record: expected ${names.id} (S), ${names.status} (IN_PROGRESS | COMPLETED) and ${names.expiration} (N)`,
    );
  }
  const record: IdempotencyRecord = { id, status, expiration };
  const inProgress = item[names.inProgressExpiration]?.N;
  if (inProgress !== undefined) record.inProgressExpiration = Number(inProgress);
  const lockToken = item[names.lockToken]?.S;
  if (lockToken !== undefined) record.lockToken = lockToken;
  const payloadHash = item[names.payloadHash]?.S;
  if (payloadHash !== undefined) record.payloadHash = payloadHash;
  const result = item[names.result];
  if (result?.S !== undefined) record.result = { encoding: 'json', data: result.S };
  else if (result?.B !== undefined) record.result = { encoding: 'json+br', data: result.B };
  return record;
}
