import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { IdempotencyRecord, IdempotencyStore, StoreCallOptions } from './idempotency-store.js';
import { defaultAttributes, type IdempotencyAttributes, itemToRecord, recordToItem } from './record-item.js';
import { DYNAMODB_MAX_ITEM_BYTES, recordSize } from './record-size.js';

/** Options of {@link dynamoDbStore}. */
export interface DynamoDbStoreOptions {
  /** The table: partition key `id` (string), TTL on `expiration` unless `attributes` says otherwise. */
  tableName: string;
  /** A client created once in module scope (default: `new DynamoDBClient({})` on first use). */
  client?: DynamoDBClient;
  /** Attribute names, for a table that already exists under other names. */
  attributes?: Partial<IdempotencyAttributes>;
}

const IN_PROGRESS = { S: 'IN_PROGRESS' } as const;

/**
 * Keeps idempotency records in a DynamoDB table, one conditional request per protocol step
 * (PutItem to lock, UpdateItem to complete, DeleteItem to release, GetItem only when the
 * lock's condition failed without returning the old item).
 */
export function dynamoDbStore(options: DynamoDbStoreOptions): IdempotencyStore {
  if (typeof options?.tableName !== 'string' || options.tableName === '') {
    throw new TypeError('dynamoDbStore({ tableName }): expected the name of the idempotency table');
  }
  const tableName = options.tableName;
  const names: IdempotencyAttributes = { ...defaultAttributes, ...options.attributes };
  const distinct = new Set(Object.values(names));
  if (distinct.size !== Object.keys(names).length || [...distinct].some((name) => name === '')) {
    throw new TypeError('dynamoDbStore({ attributes }): attribute names must be non-empty and distinct');
  }
  let client = options.client;
  const dynamo = (): DynamoDBClient => {
    client ??= new DynamoDBClient({});
    return client;
  };
  const key = (id: string) => ({ [names.id]: { S: id } });
  // DynamoDB's own message for a missing table ("Requested resource not found") names no table.
  const named = (error: unknown): unknown =>
    (error as { name?: unknown } | null)?.name === 'ResourceNotFoundException'
      ? Object.assign(
          new Error(`table "${tableName}" not found (does it exist in this region, and is it ACTIVE?)`, {
            cause: error,
          }),
          { name: 'ResourceNotFoundException', tableName, $metadata: (error as { $metadata?: unknown }).$metadata },
        )
      : error;
  const http = (callOptions: StoreCallOptions | undefined) =>
    callOptions?.signal === undefined ? {} : { abortSignal: callOptions.signal };
  // The lock is ours only while the record is IN_PROGRESS under our token: a record another
  // invocation took over after our lock expired (or one already COMPLETED) is never touched.
  const heldBy = (lockToken: string) => ({
    ConditionExpression: '#status = :inProgress AND #lockToken = :lockToken',
    ExpressionAttributeNames: { '#status': names.status, '#lockToken': names.lockToken },
    ExpressionAttributeValues: { ':inProgress': IN_PROGRESS, ':lockToken': { S: lockToken } },
  });

  return {
    maxRecordBytes: DYNAMODB_MAX_ITEM_BYTES,

    recordSize: (record) => recordSize(recordToItem(record, names)),

    async acquire(record, nowMs, callOptions) {
      try {
        await dynamo().send(
          new PutItemCommand({
            TableName: tableName,
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
            // DynamoDB returns the record that failed the condition with the error, so a
            // duplicate learns the stored result in this one request (no GetItem).
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          http(callOptions),
        );
        return { acquired: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw named(error);
        return { acquired: false, existing: error.Item === undefined ? undefined : itemToRecord(error.Item, names) };
      }
    },

    async get(id, callOptions) {
      const read = await dynamo()
        .send(new GetItemCommand({ TableName: tableName, Key: key(id), ConsistentRead: true }), http(callOptions))
        .catch((error: unknown) => {
          throw named(error);
        });
      return read.Item === undefined ? undefined : itemToRecord(read.Item, names);
    },

    async complete(record: IdempotencyRecord, lockToken, callOptions) {
      const condition = heldBy(lockToken);
      const values: Record<string, AttributeValue> = {
        ...condition.ExpressionAttributeValues,
        ':completed': { S: 'COMPLETED' },
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
      try {
        await dynamo().send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(record.id),
            UpdateExpression: `SET ${set.join(', ')} REMOVE #inProgressExpiration, #lockToken`,
            ConditionExpression: condition.ConditionExpression,
            ExpressionAttributeNames: attributeNames,
            ExpressionAttributeValues: values,
          }),
          http(callOptions),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw named(error);
      }
    },

    async discard(record, callOptions) {
      try {
        await dynamo().send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: key(record.id),
            // Only the record that could not be decoded: not one written since.
            ConditionExpression: '#status = :completed AND #expiration = :expiration',
            ExpressionAttributeNames: { '#status': names.status, '#expiration': names.expiration },
            ExpressionAttributeValues: {
              ':completed': { S: 'COMPLETED' },
              ':expiration': { N: String(record.expiration) },
            },
          }),
          http(callOptions),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw named(error);
      }
    },

    async release(id, lockToken, callOptions) {
      try {
        await dynamo().send(
          new DeleteItemCommand({ TableName: tableName, Key: key(id), ...heldBy(lockToken) }),
          http(callOptions),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw named(error);
      }
    },
  };
}
