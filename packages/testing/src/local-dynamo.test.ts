import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from './local-dynamo.js';

describe('startLocalDynamo', () => {
  let local: LocalDynamo;
  let client: DynamoDBClient;

  beforeAll(async () => {
    local = await startLocalDynamo({ tables: [{ tableName: 'orders', partitionKey: 'pk', sortKey: 'sk' }] });
    client = local.client();
  });

  afterAll(async () => {
    client.destroy();
    await local.close();
  });

  it('listens on a random loopback port and creates the requested tables before resolving', async () => {
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    expect(local.port).toBeGreaterThan(0);
    const tables = await client.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain('orders');
    const described = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('creates an idempotency table keyed by id that the real SDK client can write and read', async () => {
    await local.createIdempotencyTable('idempotency');
    const described = await client.send(new DescribeTableCommand({ TableName: 'idempotency' }));
    expect(described.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(described.Table?.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
    await client.send(
      new PutItemCommand({ TableName: 'idempotency', Item: { id: { S: 'a' }, expiration: { N: '1' } } }),
    );
    const read = await client.send(new GetItemCommand({ TableName: 'idempotency', Key: { id: { S: 'a' } } }));
    expect(read.Item).toEqual({ id: { S: 'a' }, expiration: { N: '1' } });
  });

  it('rejects a second table with the same name the way DynamoDB does', async () => {
    await expect(local.createTable({ tableName: 'orders' })).rejects.toMatchObject({ name: 'ResourceInUseException' });
  });

  it('keeps servers apart: tables of one are not visible in another', async () => {
    const other = await startLocalDynamo();
    const otherClient = other.client();
    try {
      expect(other.port).not.toBe(local.port);
      const tables = await otherClient.send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual([]);
    } finally {
      otherClient.destroy();
      await other.close();
    }
  });

  it('closes idempotently, and a closed server refuses connections', async () => {
    const other = await startLocalDynamo();
    const otherClient = other.client({ maxAttempts: 1 });
    await Promise.all([other.close(), other.close()]);
    await expect(otherClient.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED/);
    otherClient.destroy();
  });
});
