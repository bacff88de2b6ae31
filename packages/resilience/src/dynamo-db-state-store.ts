import { type AttributeValue, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { admitProbe, close, readBreaker, recordFailure, releaseProbe, trip } from './dynamo-breaker.js';
import { acquireLease, releaseLease } from './dynamo-leases.js';
import type { StateStore, StoreCallOptions } from './state-store.js';

/** Options of {@link dynamoDbStateStore}. */
export interface DynamoDbStateStoreOptions {
  /** The table: partition key `id` (string), no sort key. The idempotency table can be shared. */
  tableName: string;
  /** A client created once in module scope (default: `new DynamoDBClient({})` on first use). */
  client?: DynamoDBClient | undefined;
}

/** The table a store talks to. */
export interface StateTable {
  readonly tableName: string;
  /** The client, created on first use when none was given. */
  client(): DynamoDBClient;
}

/**
 * Keeps breakers and limiters in a DynamoDB table, one item each (`breaker#<name>`,
 * `limit#<name>`), every transition a conditional request so that concurrent sandboxes agree.
 */
export function dynamoDbStateStore(options: DynamoDbStateStoreOptions): StateStore {
  if (typeof options?.tableName !== 'string' || options.tableName === '') {
    throw new TypeError('dynamoDbStateStore({ tableName }): expected the name of the table');
  }
  let client = options.client;
  const table: StateTable = {
    tableName: options.tableName,
    client: () => {
      client ??= new DynamoDBClient({});
      return client;
    },
  };
  return {
    readBreaker: (name, call) => readBreaker(table, name, call),
    recordFailure: (name, nowMs, windowMs, call) => recordFailure(table, name, nowMs, windowMs, call),
    trip: (name, seen, openedUntil, call) => trip(table, name, seen, openedUntil, call),
    admitProbe: (name, openedUntil, maxProbes, probeId, probeUntil, nowMs, call) =>
      admitProbe(table, name, { openedUntil, maxProbes, probeId, probeUntil, nowMs }, call),
    releaseProbe: (name, openedUntil, probeId, call) => releaseProbe(table, name, openedUntil, probeId, call),
    close: (name, openedUntil, _nowMs, call) => close(table, name, openedUntil, call),
    acquireLease: (name, leaseId, expiresAt, max, nowMs, call) =>
      acquireLease(table, name, leaseId, expiresAt, max, nowMs, call),
    releaseLease: (name, leaseId, call) => releaseLease(table, name, leaseId, call),
  };
}

/** The key of the item `id`. */
export const itemKey = (id: string): Record<string, AttributeValue> => ({ id: { S: id } });

/** `N` attribute of a number. */
export const num = (value: number): AttributeValue => ({ N: String(Math.floor(value)) });

/** A number attribute's value, `undefined` when absent. */
export function numberOf(item: Record<string, AttributeValue> | undefined, name: string): number | undefined {
  const value = item?.[name]?.N;
  return value === undefined ? undefined : Number(value);
}

/** The SDK's per-request options for a store call. */
export const http = (call: StoreCallOptions | undefined) =>
  call?.abortSignal === undefined ? undefined : { abortSignal: call.abortSignal };

/**
 * A failed condition, told by name: `instanceof` would miss the class of another copy of the SDK
 * (the user's client may come from a different version than this package resolves).
 */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional request; a failed condition resolves to the item DynamoDB returned with it, if any. */
export async function conditional<T>(
  request: Promise<T>,
): Promise<{ ok: true; output: T } | { ok: false; item: Record<string, AttributeValue> | undefined }> {
  try {
    return { ok: true, output: await request };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { ok: false, item: (error as { Item?: Record<string, AttributeValue> }).Item };
  }
}

/** The item `id` read with strong consistency. */
export async function getItem(
  table: StateTable,
  id: string,
  call: StoreCallOptions | undefined,
): Promise<Record<string, AttributeValue> | undefined> {
  const read = await table
    .client()
    .send(new GetItemCommand({ TableName: table.tableName, Key: itemKey(id), ConsistentRead: true }), http(call));
  return read.Item;
}

/**
 * Removes entries of the map `attribute` of item `id` that still hold the value seen (one renewed or
 * removed since is left alone): lapsed leases, lapsed probes.
 */
export async function removeEntries(
  table: StateTable,
  id: string,
  attribute: string,
  expired: Array<[string, AttributeValue]>,
  call: StoreCallOptions | undefined,
): Promise<void> {
  if (expired.length === 0) return;
  const attributeNames: Record<string, string> = { '#map': attribute };
  const values: Record<string, AttributeValue> = {};
  const paths: string[] = [];
  const conditions: string[] = [];
  expired.forEach(([key, value], i) => {
    attributeNames[`#e${i}`] = key;
    values[`:e${i}`] = value;
    paths.push(`#map.#e${i}`);
    conditions.push(`#map.#e${i} = :e${i}`);
  });
  await conditional(
    table.client().send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: itemKey(id),
        UpdateExpression: `REMOVE ${paths.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: attributeNames,
        ExpressionAttributeValues: values,
      }),
      http(call),
    ),
  );
}

/** A condition added to {@link removeEntry}'s own: the expression, and the names and values it uses. */
export interface EntryGuard {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/**
 * Removes entry `key` of the map `attribute` of item `id` (a lease, a probe); nothing happens when
 * the map, or what `guard` requires, is gone (the item was deleted, the open period is over).
 */
export async function removeEntry(
  table: StateTable,
  id: string,
  attribute: string,
  key: string,
  call: StoreCallOptions | undefined,
  guard?: EntryGuard,
): Promise<void> {
  await conditional(
    table.client().send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: itemKey(id),
        UpdateExpression: 'REMOVE #map.#entry',
        ConditionExpression:
          guard === undefined ? 'attribute_exists(#map)' : `attribute_exists(#map) AND ${guard.expression}`,
        ExpressionAttributeNames: { '#map': attribute, '#entry': key, ...guard?.names },
        ...(guard === undefined ? {} : { ExpressionAttributeValues: guard.values }),
      }),
      http(call),
    ),
  );
}
