import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  conditional,
  getItem,
  http,
  itemKey,
  num,
  removeEntries,
  removeEntry,
  type StateTable,
} from './dynamo-db-state-store.js';
import type { LeaseAcquisition, StoreCallOptions } from './state-store.js';

const limitId = (name: string) => `limit#${name}`;

/** Expired leases removed in one request at most (each is a name and a value in the expression). */
const PURGE_BATCH = 25;

/** Requests one acquisition may make: take, then create the item or purge expired leases, then take again. */
const MAX_ATTEMPTS = 4;

/**
 * One item per limiter holds a map `leases` of lease id → expiry (epoch ms). A lease is taken by
 * one conditional SET when the map holds fewer than `max` entries; entries whose holder's
 * invocation has ended are purged by whoever finds the map full, then the take is tried again.
 */
export async function acquireLease(
  table: StateTable,
  name: string,
  leaseId: string,
  expiresAt: number,
  max: number,
  nowMs: number,
  call: StoreCallOptions | undefined,
): Promise<LeaseAcquisition> {
  let holders = 0;
  let nextExpiry: number | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const taken = await conditional(
      table.client().send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: itemKey(limitId(name)),
          UpdateExpression: 'SET #leases.#lease = :expiresAt',
          // A retried request whose first try landed finds its own lease: taken, not full.
          ConditionExpression:
            'attribute_exists(#leases) AND (attribute_exists(#leases.#lease) OR size(#leases) < :max)',
          ExpressionAttributeNames: { '#leases': 'leases', '#lease': leaseId },
          ExpressionAttributeValues: { ':expiresAt': num(expiresAt), ':max': num(max) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        http(call),
      ),
    );
    if (taken.ok) return { acquired: true };
    const item = taken.item ?? (await getItem(table, limitId(name), call));
    const leases = item?.leases?.M;
    if (leases?.[leaseId] !== undefined) return { acquired: true };
    if (leases === undefined) {
      await createLeases(table, name, call);
      continue;
    }
    const expired: Array<[string, AttributeValue]> = [];
    const live: number[] = [];
    for (const [id, value] of Object.entries(leases)) {
      const expiry = Number(value.N);
      if (expiry <= nowMs) expired.push([id, value]);
      else live.push(expiry);
    }
    holders = live.length;
    nextExpiry = live.length === 0 ? undefined : Math.min(...live);
    if (expired.length === 0 && live.length >= max) break;
    await removeEntries(table, limitId(name), 'leases', expired.slice(0, PURGE_BATCH), call);
  }
  return { acquired: false, holders, nextExpiry };
}

/** The limiter's item with an empty lease map, unless it exists (another sandbox may create it first). */
async function createLeases(table: StateTable, name: string, call: StoreCallOptions | undefined): Promise<void> {
  await table.client().send(
    new UpdateItemCommand({
      TableName: table.tableName,
      Key: itemKey(limitId(name)),
      UpdateExpression: 'SET #leases = if_not_exists(#leases, :empty)',
      ExpressionAttributeNames: { '#leases': 'leases' },
      ExpressionAttributeValues: { ':empty': { M: {} } },
    }),
    http(call),
  );
}

export async function releaseLease(
  table: StateTable,
  name: string,
  leaseId: string,
  call: StoreCallOptions | undefined,
): Promise<void> {
  await removeEntry(table, limitId(name), 'leases', leaseId, call);
}
