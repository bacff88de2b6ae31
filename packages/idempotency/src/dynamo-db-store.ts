import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AcquireResult, IdempotencyRecord, IdempotencyStore, StoreCallOptions } from './idempotency-store.js';
import { defaultAttributes, type IdempotencyAttributes, itemToRecord, recordToItem } from './record-item.js';
import { DYNAMODB_MAX_ITEM_BYTES, recordSize } from './record-size.js';

/** Options of {@link dynamoDbStore}. */
export interface DynamoDbStoreOptions {
  /** The table: partition key `id` (string), TTL on `expiration` unless `attributes` says otherwise. */
  tableName: string;
  /** A client created once in module scope (default: `new DynamoDBClient({})` on first use). */
  client?: DynamoDBClient | undefined;
  /** Attribute names, for a table that already exists under other names. */
  attributes?: Partial<IdempotencyAttributes> | undefined;
}

/** The table a store talks to, and how its records are named there. */
interface Table {
  readonly tableName: string;
  readonly names: IdempotencyAttributes;
  /** The client, created on first use when none was given. */
  client(): DynamoDBClient;
}

const IN_PROGRESS = { S: 'IN_PROGRESS' } as const;
const COMPLETED = { S: 'COMPLETED' } as const;

/**
 * Keeps idempotency records in a DynamoDB table, one conditional request per protocol step
 * (PutItem to lock, UpdateItem to complete, DeleteItem to release, GetItem only when the
 * lock's condition failed without returning the old item).
 */
export function dynamoDbStore(options: DynamoDbStoreOptions): IdempotencyStore {
  if (typeof options?.tableName !== 'string' || options.tableName === '') {
    throw new TypeError('dynamoDbStore({ tableName }): expected the name of the idempotency table');
  }
  const names: IdempotencyAttributes = { ...defaultAttributes, ...options.attributes };
  const distinct = new Set(Object.values(names));
  if (distinct.size !== Object.keys(names).length || [...distinct].some((name) => name === '')) {
    throw new TypeError('dynamoDbStore({ attributes }): attribute names must be non-empty and distinct');
  }
  let client = options.client;
  const table: Table = {
    tableName: options.tableName,
    names,
    client: () => {
      client ??= new DynamoDBClient({});
      return client;
    },
  };
  return {
    maxRecordBytes: DYNAMODB_MAX_ITEM_BYTES,
    recordSize: (record) => recordSize(recordToItem(record, names)),
    acquire: (record, nowMs, callOptions) => acquire(table, record, nowMs, callOptions),
    get: (id, callOptions) => get(table, id, callOptions),
    complete: (record, lockToken, callOptions) => complete(table, record, lockToken, callOptions),
    discard: (record, callOptions) => discard(table, record, callOptions),
    release: (id, lockToken, callOptions) => release(table, id, lockToken, callOptions),
  };
}

async function acquire(
  table: Table,
  record: IdempotencyRecord,
  nowMs: number,
  callOptions: StoreCallOptions | undefined,
): Promise<AcquireResult> {
  const { names } = table;
  const put = new PutItemCommand({
    TableName: table.tableName,
    Item: recordToItem(record, names),
    ConditionExpression:
      'attribute_not_exists(#id) OR #expiration <= :nowSeconds OR (#status = :inProgress AND #inProgressExpiration <= :nowMs)',
    ExpressionAttributeNames: {
      '#id': names.id,
      '#expiration': names.expiration,
      '#status': names.status,
      '#inProgressExpiration': names.inProgressExpiration,
    },
    ExpressionAttributeValues: {
      ':nowSeconds': { N: String(Math.floor(nowMs / 1000)) },
      ':nowMs': { N: String(Math.floor(nowMs)) },
      ':inProgress': IN_PROGRESS,
    },
    // DynamoDB returns the record that failed the condition with the error, so a duplicate
    // learns the stored result in this one request (no GetItem).
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
  try {
    await table.client().send(put, http(callOptions));
    return { acquired: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw named(table, error);
    return { acquired: false, existing: error.Item === undefined ? undefined : itemToRecord(error.Item, names) };
  }
}

async function get(
  table: Table,
  id: string,
  callOptions: StoreCallOptions | undefined,
): Promise<IdempotencyRecord | undefined> {
  const read = await table
    .client()
    .send(
      new GetItemCommand({ TableName: table.tableName, Key: key(table, id), ConsistentRead: true }),
      http(callOptions),
    )
    .catch((error: unknown) => {
      throw named(table, error);
    });
  return read.Item === undefined ? undefined : itemToRecord(read.Item, table.names);
}

async function complete(
  table: Table,
  record: IdempotencyRecord,
  lockToken: string,
  callOptions: StoreCallOptions | undefined,
): Promise<boolean> {
  const { names } = table;
  const condition = heldBy(table, lockToken);
  const values: Record<string, AttributeValue> = {
    ...condition.ExpressionAttributeValues,
    ':completed': COMPLETED,
    ':expiration': { N: String(record.expiration) },
  };
  const attributeNames: Record<string, string> = {
    ...condition.ExpressionAttributeNames,
    '#expiration': names.expiration,
    '#inProgressExpiration': names.inProgressExpiration,
  };
  const set = ['#status = :completed', '#expiration = :expiration'];
  if (record.result !== undefined) {
    attributeNames['#result'] = names.result;
    values[':result'] = record.result.encoding === 'json' ? { S: record.result.data } : { B: record.result.data };
    set.push('#result = :result');
  }
  const update = new UpdateItemCommand({
    TableName: table.tableName,
    Key: key(table, record.id),
    UpdateExpression: `SET ${set.join(', ')} REMOVE #inProgressExpiration, #lockToken`,
    ConditionExpression: condition.ConditionExpression,
    ExpressionAttributeNames: attributeNames,
    ExpressionAttributeValues: values,
  });
  return conditional(table, () => table.client().send(update, http(callOptions)));
}

function discard(table: Table, record: IdempotencyRecord, callOptions: StoreCallOptions | undefined): Promise<boolean> {
  const { names } = table;
  const remove = new DeleteItemCommand({
    TableName: table.tableName,
    Key: key(table, record.id),
    // Only the record that could not be decoded: not one written since.
    ConditionExpression: '#status = :completed AND #expiration = :expiration',
    ExpressionAttributeNames: { '#status': names.status, '#expiration': names.expiration },
    ExpressionAttributeValues: { ':completed': COMPLETED, ':expiration': { N: String(record.expiration) } },
  });
  return conditional(table, () => table.client().send(remove, http(callOptions)));
}

function release(
  table: Table,
  id: string,
  lockToken: string,
  callOptions: StoreCallOptions | undefined,
): Promise<boolean> {
  const remove = new DeleteItemCommand({
    TableName: table.tableName,
    Key: key(table, id),
    ...heldBy(table, lockToken),
  });
  return conditional(table, () => table.client().send(remove, http(callOptions)));
}

const key = (table: Table, id: string) => ({ [table.names.id]: { S: id } });

const http = (callOptions: StoreCallOptions | undefined) =>
  callOptions?.signal === undefined ? {} : { abortSignal: callOptions.signal };

// The lock is ours only while the record is IN_PROGRESS under our token: a record another
// invocation took over after our lock expired (or one already COMPLETED) is never touched.
const heldBy = ({ names }: Table, lockToken: string) => ({
  ConditionExpression: '#status = :inProgress AND #lockToken = :lockToken',
  ExpressionAttributeNames: { '#status': names.status, '#lockToken': names.lockToken },
  ExpressionAttributeValues: { ':inProgress': IN_PROGRESS, ':lockToken': { S: lockToken } },
});

/** A conditional write: `true` when applied, `false` when its condition failed. */
async function conditional(table: Table, request: () => Promise<unknown>): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw named(table, error);
  }
}

/** DynamoDB's own message for a missing table ("Requested resource not found") names no table: this one does. */
function named({ tableName }: Table, error: unknown): unknown {
  if ((error as { name?: unknown } | null)?.name !== 'ResourceNotFoundException') return error;
  return Object.assign(
    new Error(`table "${tableName}" not found (does it exist in this region, and is it ACTIVE?)`, { cause: error }),
    { name: 'ResourceNotFoundException', tableName, $metadata: (error as { $metadata?: unknown }).$metadata },
  );
}
