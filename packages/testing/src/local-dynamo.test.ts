import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalDynamo, type LocalDynamo, startLocalDynamo } from './local-dynamo.js';

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

  it('puts the items a table spec lists (DynamoDB JSON) once the table is active', async () => {
    await local.createTable({
      tableName: 'stock',
      partitionKey: 'sku',
      items: [
        { sku: { S: 'book' }, available: { N: '5' } },
        { sku: { S: 'pen' }, available: { N: '0' }, tags: { SS: ['blue'] } },
      ],
    });
    const read = await client.send(new GetItemCommand({ TableName: 'stock', Key: { sku: { S: 'pen' } } }));
    expect(read.Item).toEqual({ sku: { S: 'pen' }, available: { N: '0' }, tags: { SS: ['blue'] } });
    // An item DynamoDB refuses (its key missing) fails the creation with DynamoDB's own error.
    await expect(
      local.createTable({ tableName: 'stock-2', partitionKey: 'sku', items: [{ name: { S: 'no key' } }] }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
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

describe('connectLocalDynamo', () => {
  let local: LocalDynamo;

  beforeAll(async () => {
    local = await startLocalDynamo({ region: 'eu-west-1' });
  });

  afterAll(() => local.close());

  it('gives clients and tables for a server started elsewhere, from its address alone, and owns nothing to close', async () => {
    const connection = connectLocalDynamo({ endpoint: local.endpoint, region: local.region });
    expect(connection.clientConfig).toEqual(local.clientConfig);
    expect(connection).not.toHaveProperty('close');
    await connection.createIdempotencyTable('from-connection');
    const client = connection.client();
    try {
      const described = await client.send(new DescribeTableCommand({ TableName: 'from-connection' }));
      expect(described.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
      expect((await client.send(new ListTablesCommand({}))).TableNames).toContain('from-connection');
    } finally {
      client.destroy();
    }
  });

  it('resolves createTable only once the table is ACTIVE, so the next item request finds it', async () => {
    // A server that keeps new tables CREATING for 300 ms, as DynamoDB does for longer.
    const dynalite = createRequire(import.meta.url)('dynalite') as (o: object) => Server;
    const slow = dynalite({ createTableMs: 300 });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const connection = connectLocalDynamo({ endpoint: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` });
    const client = connection.client({ maxAttempts: 1 });
    try {
      await connection.createTable({ tableName: 'slow' });
      await client.send(new PutItemCommand({ TableName: 'slow', Item: { id: { S: 'a' } } }));
      const described = await client.send(new DescribeTableCommand({ TableName: 'slow' }));
      expect(described.Table?.TableStatus).toBe('ACTIVE');
    } finally {
      client.destroy();
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('defaults to us-east-1 and the static credentials, and configures clients with the credentials it is given', () => {
    const defaults = connectLocalDynamo({ endpoint: local.endpoint });
    expect(defaults.region).toBe('us-east-1');
    expect(defaults.credentials).toEqual(local.credentials);
    const credentials = { accessKeyId: 'other', secretAccessKey: 'other' };
    expect(connectLocalDynamo({ endpoint: local.endpoint, credentials }).clientConfig.credentials).toEqual(credentials);
  });
});
