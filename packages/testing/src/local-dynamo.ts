import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type AttributeDefinition,
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  type KeySchemaElement,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { checkOption, checkOptions, isList, isPort, isText, type OptionRule } from './check-option.js';

/** A key attribute type DynamoDB accepts: string, number or binary. */
export type LocalDynamoKeyType = 'S' | 'N' | 'B';

/** A table to create: partition key, optional sort key and TTL attribute, on-demand billing. */
export interface LocalDynamoTableSpec {
  tableName: string;
  /** Partition key attribute name (default `id`). */
  partitionKey?: string | undefined;
  /** Partition key type (default `S`). */
  partitionKeyType?: LocalDynamoKeyType | undefined;
  sortKey?: string | undefined;
  /** Sort key type (default `S`). */
  sortKeyType?: LocalDynamoKeyType | undefined;
  /** Attribute holding the item's expiry in epoch seconds, enabled as the table's TTL. */
  timeToLiveAttribute?: string | undefined;
  /** Items put once the table is active, in DynamoDB JSON (`{ "sku": { "S": "book" } }`), as `aws dynamodb put-item` takes them. */
  items?: ReadonlyArray<Record<string, AttributeValue>> | undefined;
}

/** Options of {@link startLocalDynamo}. */
export interface StartLocalDynamoOptions {
  /** Tables created before `startLocalDynamo` resolves. */
  tables?: readonly LocalDynamoTableSpec[] | undefined;
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region the clients are configured with (default `us-east-1`). */
  region?: string | undefined;
}

/** Options of {@link LocalDynamo.createIdempotencyTable}; the defaults match `@lambdakit/idempotency`. */
export interface LocalIdempotencyTableOptions {
  /** Partition key attribute (default `id`). */
  partitionKey?: string | undefined;
  /** TTL attribute, epoch seconds (default `expiration`). */
  expirationAttribute?: string | undefined;
}

/** Where a running local DynamoDB server listens, as {@link connectLocalDynamo} takes it. */
export interface LocalDynamoAddress {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Region the clients are configured with (default `us-east-1`). */
  region?: string | undefined;
  /** Credentials the clients sign with (default: the static ones {@link startLocalDynamo} hands out). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/** Clients and tables for a local DynamoDB server, without owning it: what {@link connectLocalDynamo} returns. */
export interface LocalDynamoConnection {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly region: string;
  /** Static fake credentials unless others were given: dynalite checks that requests are signed, not by whom. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Ready-made `DynamoDBClient` configuration: endpoint, region and credentials. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** A new `DynamoDBClient` for this server; `config` overrides (e.g. `maxAttempts`). */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Creates a table (on-demand billing) and enables its TTL attribute if one is given. */
  createTable(spec: LocalDynamoTableSpec): Promise<void>;
  /** Creates a table in the shape `@lambdakit/idempotency` expects: `id` (S) key, `expiration` TTL. */
  createIdempotencyTable(tableName: string, options?: LocalIdempotencyTableOptions): Promise<void>;
}

/** A running in-memory DynamoDB-compatible server (dynalite); pass {@link LocalDynamo.clientConfig} to a client. */
export interface LocalDynamo extends LocalDynamoConnection {
  readonly port: number;
  /** Stops the server and drops every table (they live in memory only). */
  close(): Promise<void>;
}

type DynaliteFactory = (options: {
  createTableMs?: number | undefined;
  deleteTableMs?: number | undefined;
  updateTableMs?: number | undefined;
  maxItemSizeKb?: number | undefined;
}) => Server;

const credentials = { accessKeyId: 'lambdakit-local', secretAccessKey: 'lambdakit-local' };

const tableSpec: OptionRule = [
  (spec) =>
    typeof spec === 'object' &&
    spec !== null &&
    isText[0]((spec as LocalDynamoTableSpec).tableName) &&
    itemList((spec as LocalDynamoTableSpec).items),
  'an array of { tableName, items?: [DynamoDB JSON item, …], … }',
];

function itemList(items: unknown): boolean {
  if (items === undefined) return true;
  return (
    Array.isArray(items) && items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
  );
}

/** @internal Throws `door({ tables }): …` unless `tables` is undefined or a list of table specs. */
export function checkTables(door: string, tables: unknown): void {
  checkOption(door, 'tables', tables, isList);
  if (Array.isArray(tables)) for (const spec of tables) checkOption(door, 'tables', spec, tableSpec);
}

/**
 * Clients and tables for a local DynamoDB server started elsewhere, e.g. once per test run by a
 * vitest global setup that hands its endpoint to the test files with `provide`/`inject`.
 */
export function connectLocalDynamo(address: LocalDynamoAddress): LocalDynamoConnection {
  const region = address.region ?? 'us-east-1';
  const clientConfig = { endpoint: address.endpoint, region, credentials: address.credentials ?? credentials };

  const createTable = async (spec: LocalDynamoTableSpec): Promise<void> => {
    const partitionKey = spec.partitionKey ?? 'id';
    const attributes: AttributeDefinition[] = [
      { AttributeName: partitionKey, AttributeType: spec.partitionKeyType ?? 'S' },
    ];
    const keySchema: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }];
    if (spec.sortKey !== undefined) {
      attributes.push({ AttributeName: spec.sortKey, AttributeType: spec.sortKeyType ?? 'S' });
      keySchema.push({ AttributeName: spec.sortKey, KeyType: 'RANGE' });
    }
    // A client per call, destroyed at once: the connection holds no sockets, so it needs no close().
    const admin = new DynamoDBClient(clientConfig);
    try {
      await admin.send(
        new CreateTableCommand({
          TableName: spec.tableName,
          AttributeDefinitions: attributes,
          KeySchema: keySchema,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await untilActive(admin, spec.tableName);
      await enableTimeToLive(admin, spec);
      for (const item of spec.items ?? []) {
        await admin.send(new PutItemCommand({ TableName: spec.tableName, Item: item }));
      }
    } finally {
      admin.destroy();
    }
  };

  return {
    endpoint: clientConfig.endpoint,
    region,
    credentials: clientConfig.credentials,
    clientConfig,
    client: (config = {}) => new DynamoDBClient({ ...clientConfig, ...config }),
    createTable,
    createIdempotencyTable: (tableName, tableOptions = {}) =>
      createTable({
        tableName,
        partitionKey: tableOptions.partitionKey ?? 'id',
        timeToLiveAttribute: tableOptions.expirationAttribute ?? 'expiration',
      }),
  };
}

/** Turns on the table's TTL attribute, where the server has TTL. */
async function enableTimeToLive(admin: DynamoDBClient, spec: LocalDynamoTableSpec): Promise<void> {
  if (spec.timeToLiveAttribute === undefined) return;
  try {
    await admin.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.tableName,
        TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite does not implement UpdateTimeToLive (nor expire items); DynamoDB's TTL deletes
    // lazily anyway, so code under test must treat expired items as absent by itself.
    if ((error as { name?: unknown }).name !== 'UnknownOperationException') throw error;
  }
}

/**
 * Resolves once `tableName` is ACTIVE. dynalite answers CreateTable while the table is still
 * CREATING (as DynamoDB does) and flips it on a timer, so an item request sent at once can meet
 * ResourceNotFoundException on a loaded machine.
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (attempt === 500)
      throw new Error(`local DynamoDB: table ${tableName} still ${Table?.TableStatus} after 500 checks`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Starts dynalite (an in-memory DynamoDB implementation) on 127.0.0.1 at a random port, with
 * table creation instant, and optionally creates tables; the real AWS SDK client talks to it.
 */
export async function startLocalDynamo(options: StartLocalDynamoOptions = {}): Promise<LocalDynamo> {
  checkOptions('startLocalDynamo', options);
  checkOption('startLocalDynamo', 'port', options.port, isPort);
  checkOption('startLocalDynamo', 'region', options.region, isText);
  checkTables('startLocalDynamo', options.tables);
  // dynalite is CommonJS without types; loaded lazily so importing @lambdakit/testing costs nothing.
  const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  // Tables are ACTIVE at once: dynalite otherwise keeps them CREATING for 500 ms, like DynamoDB.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const connection = connectLocalDynamo({
    endpoint: `http://127.0.0.1:${port}`,
    region: options.region ?? 'us-east-1',
  });
  let closed: Promise<void> | undefined;

  const local: LocalDynamo = {
    ...connection,
    port,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of clients that were never destroyed would hold close() open.
        server.closeAllConnections();
      });
      return closed;
    },
  };
  try {
    for (const table of options.tables ?? []) await local.createTable(table);
  } catch (error) {
    await local.close();
    throw error;
  }
  return local;
}
