import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createContext, startLocalDynamo } from '@lambdakit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { captureWarnings, countRequests, deferred, expectedKey, fakeClock } from '../test/support.js';
import { dynamoDbStore, IdempotencyInProgressError, type IdempotencyRecord, makeIdempotent } from './index.js';

const local = sharedDynamo();
const clients: DynamoDBClient[] = [];

afterAll(() => {
  for (const client of clients) client.destroy();
});

/** A fresh table and a client whose every request (retries included) is counted. */
async function table(options: { maxAttempts?: number } = {}) {
  const tableName = uniqueTableName('idempotency');
  await local.createIdempotencyTable(tableName);
  const client = local.client({ maxAttempts: options.maxAttempts ?? 1 });
  clients.push(client);
  const requests = countRequests(client);
  const clock = fakeClock();
  const context = () => createContext({ functionName: 'orders', timeoutMs: 10_000, now: clock.now });
  const raw = async (id: string) =>
    (await client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } }, ConsistentRead: true })))
      .Item;
  return { tableName, client, requests, clock, context, raw, store: dynamoDbStore({ client, tableName }) };
}

/** Makes a client fail `commandName` with `error` (thrown below the retry middleware) while `active()`. */
function inject(client: DynamoDBClient, commandName: string, error: () => Error, active: () => boolean = () => true) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && active()) throw error();
      return next(args);
    },
    { step: 'deserialize', name: `lambdakitInject${commandName}` },
  );
}

const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata: {},
  });

describe('dynamoDbStore on DynamoDB (dynalite)', () => {
  it('writes an IN_PROGRESS item keyed by id with the lock token and deadline, then completes it in place', async () => {
    const { raw, store, clock, context } = await table();
    const gate = deferred();
    const seen: Array<Record<string, unknown> | undefined> = [];
    const key = expectedKey('orders', '"o-1"');
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        seen.push(await raw(key));
        await gate.promise;
        return { ok: true };
      },
      { store, key: (event) => event.id, now: clock.now, expiresAfterSeconds: 120 },
    );
    const done = fn({ id: 'o-1' }, context());
    await expect.poll(() => seen.length).toBe(1);
    const startSeconds = clock.now() / 1000;
    expect(seen[0]).toEqual({
      id: { S: key },
      status: { S: 'IN_PROGRESS' },
      expiration: { N: String(startSeconds + 120) },
      inProgressExpiration: { N: String(clock.now() + 10_000) },
      lockToken: { S: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    gate.resolve();
    await done;
    expect(await raw(key)).toEqual({
      id: { S: key },
      status: { S: 'COMPLETED' },
      expiration: { N: String(startSeconds + 120) },
      result: { S: '{"ok":true}' },
    });
  });

  it('asks DynamoDB for the old item with the condition failure (ReturnValuesOnConditionCheckFailure: ALL_OLD)', async () => {
    const { client, store, context } = await table();
    const inputs: unknown[] = [];
    client.middlewareStack.add(
      (next, commandContext) => async (args) => {
        if (commandContext.commandName === 'PutItemCommand') inputs.push(args.input);
        return next(args);
      },
      { step: 'initialize' },
    );
    await makeIdempotent(async () => 1, { store, key: () => 'k' })({}, context());
    expect(inputs).toEqual([expect.objectContaining({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })]);
  });

  it('uses the attribute names it is given, for an existing table', async () => {
    const tableName = uniqueTableName('custom-names');
    await local.createTable({ tableName, partitionKey: 'pk', timeToLiveAttribute: 'ttl' });
    const client = local.client();
    clients.push(client);
    const store = dynamoDbStore({
      client,
      tableName,
      attributes: { id: 'pk', expiration: 'ttl', status: 'state', result: 'payload' },
    });
    const clock = fakeClock();
    let runs = 0;
    const fn = makeIdempotent(
      async () => {
        runs++;
        return 'v';
      },
      {
        store,
        key: () => 'k',
        keyPrefix: 'custom',
        now: clock.now,
      },
    );
    await fn({});
    expect(await fn({})).toBe('v');
    expect(runs).toBe(1);
    const key = expectedKey('custom', '"k"');
    const item = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } } }));
    expect(item.Item).toEqual({
      pk: { S: key },
      state: { S: 'COMPLETED' },
      ttl: { N: String(clock.now() / 1000 + 3600) },
      payload: { S: '"v"' },
    });
  });

  it('rejects a missing table name and clashing attribute names', () => {
    expect(() => dynamoDbStore({} as never)).toThrow(/tableName/);
    expect(() => dynamoDbStore({ tableName: 't', attributes: { status: 'id' } })).toThrow(/distinct/);
    expect(() => dynamoDbStore({ tableName: 't', attributes: { result: '' } })).toThrow(/non-empty/);
  });

  it("names the table when it does not exist, which DynamoDB's own message does not", async () => {
    const client = local.client({ maxAttempts: 1 });
    clients.push(client);
    const store = dynamoDbStore({ client, tableName: 'no-such-idempotency-table' });
    let ran = false;
    const charge = makeIdempotent(
      async (_payment: { id: string }) => {
        ran = true;
        return 'charged';
      },
      { store, key: (payment) => payment.id },
    );
    const error = await charge({ id: 'p-1' }, createContext()).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_STORE_FAILED' });
    expect((error as Error).message).toContain(
      'ResourceNotFoundException: table "no-such-idempotency-table" not found (does it exist in this region, and is it ACTIVE?)',
    );
    expect((error as { cause: { tableName: string } }).cause.tableName).toBe('no-such-idempotency-table');
    expect(ran).toBe(false);
  });

  it('discards a COMPLETED record whose result cannot be decoded, so its key is not blocked until it expires', async () => {
    const { tableName, client, store, raw, context } = await table();
    const id = expectedKey('orders', '"corrupt"');
    const expiration = Math.ceil(Date.now() / 1000) + 3600;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          id: { S: id },
          status: { S: 'COMPLETED' },
          expiration: { N: String(expiration) },
          result: { S: '{"cut' },
        },
      }),
    );
    const warnings = captureWarnings();
    let runs = 0;
    const handler = makeIdempotent(
      async (_event: { id: string }) => {
        runs += 1;
        return 'fresh';
      },
      { store, key: (event: { id: string }) => event.id },
    );
    try {
      await expect(handler({ id: 'corrupt' }, context())).resolves.toBe('fresh');
    } finally {
      warnings.stop();
    }
    expect(runs).toBe(1);
    expect(warnings.codes()).toContain('LAMBDAKIT_IDEMPOTENCY_RECORD_CORRUPT');
    expect(await raw(id)).toMatchObject({ status: { S: 'COMPLETED' }, result: { S: '"fresh"' } });
  });

  it('reports an item that is not an idempotency record as a store error, without running the business logic', async () => {
    const { client, tableName, store, context } = await table();
    const key = expectedKey('orders', '"foreign"');
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { id: { S: key }, expiration: { N: '99999999999' } } }),
    );
    let runs = 0;
    const fn = makeIdempotent(async () => ++runs, { store, key: () => 'foreign' });
    await expect(fn({}, context())).rejects.toMatchObject({
      code: 'IDEMPOTENCY_STORE_FAILED',
      operation: 'acquire',
      key,
    });
    expect(runs).toBe(0);
  });

  it('stores a record of exactly 400 KB uncompressed, and compresses from one byte more', async () => {
    const { store, raw, clock, context } = await table();
    const probe: IdempotencyRecord = {
      id: expectedKey('orders', '"edge"'),
      status: 'COMPLETED',
      expiration: Math.ceil((clock.now() + 3_600_000) / 1000),
      result: { encoding: 'json', data: '""' },
    };
    const overhead = store.recordSize(probe) - 2;
    const exact = 'x'.repeat(store.maxRecordBytes - overhead - 2);
    const fn = makeIdempotent(async (event: { id: string; text: string }) => event.text, {
      store,
      key: (event) => event.id,
      now: clock.now,
    });
    await fn({ id: 'edge', text: exact }, context());
    expect((await raw(probe.id))?.result?.S).toHaveLength(exact.length + 2);
    await fn({ id: 'edge+1', text: `${exact}x` }, context());
    expect((await raw(expectedKey('orders', '"edge+1"')))?.result?.B).toBeInstanceOf(Uint8Array);
    expect(await fn({ id: 'edge+1', text: 'ignored' }, context())).toBe(`${exact}x`);
  });
});

describe('DynamoDB requests per invocation', () => {
  it('costs 2 writes for a new key: PutItem to lock, UpdateItem to complete', async () => {
    const { requests, store, context } = await table();
    await makeIdempotent(async () => 'r', { store, key: () => 'new' })({}, context());
    expect(requests).toEqual(['PutItem', 'UpdateItem']);
  });

  it('costs 2 requests for a duplicate on dynalite, which does not return the old item: PutItem, then GetItem', async () => {
    const { requests, store, context } = await table();
    const fn = makeIdempotent(async () => 'r', { store, key: () => 'dup' });
    await fn({}, context());
    requests.length = 0;
    expect(await fn({}, context())).toBe('r');
    expect(requests).toEqual(['PutItem', 'GetItem']);
  });

  it('costs 1 request for a duplicate when DynamoDB returns the old item with the condition failure', async () => {
    const { requests, client, tableName, store, context } = await table();
    // DynamoDB puts the item on ConditionalCheckFailedException.Item; dynalite does not, so this
    // client adds it from a side client whose requests are not counted.
    const side = local.client();
    clients.push(side);
    client.middlewareStack.add(
      (next, commandContext) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const input = args.input as { Item?: { id?: unknown } };
          if (
            commandContext.commandName === 'PutItemCommand' &&
            (error as { name?: string }).name === 'ConditionalCheckFailedException'
          ) {
            const old = await side.send(
              new GetItemCommand({ TableName: tableName, Key: { id: input.Item?.id as never }, ConsistentRead: true }),
            );
            (error as { Item?: unknown }).Item = old.Item;
          }
          throw error;
        }
      },
      { step: 'initialize' },
    );
    const fn = makeIdempotent(async () => 'r', { store, key: () => 'dup' });
    await fn({}, context());
    requests.length = 0;
    expect(await fn({}, context())).toBe('r');
    expect(requests).toEqual(['PutItem']);
  });

  it('costs no request for a duplicate served by the local cache', async () => {
    const { requests, store, context } = await table();
    const fn = makeIdempotent(async () => 'r', { store, key: () => 'cached', localCache: true });
    await fn({}, context());
    requests.length = 0;
    expect(await fn({}, context())).toBe('r');
    expect(requests).toEqual([]);
  });

  it('costs 2 writes for a failure: PutItem to lock, DeleteItem to release', async () => {
    const { requests, store, context } = await table();
    await expect(
      makeIdempotent(
        async () => {
          throw new Error('no');
        },
        { store, key: () => 'fails' },
      )({}, context()),
    ).rejects.toThrow('no');
    expect(requests).toEqual(['PutItem', 'DeleteItem']);
  });
});

describe('DynamoDB faults', () => {
  it('reports throttling of the lock as IDEMPOTENCY_STORE_FAILED after the SDK’s retries, and never runs the business logic', async () => {
    const { requests, client, store, context } = await table({ maxAttempts: 2 });
    let throttling = true;
    inject(client, 'PutItemCommand', throttled, () => throttling);
    let runs = 0;
    const fn = makeIdempotent(async () => ++runs, { store, key: () => 't' });
    const error = await fn({}, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_STORE_FAILED',
      operation: 'acquire',
      key: expectedKey('orders', '"t"'),
      cause: { name: 'ProvisionedThroughputExceededException' },
    });
    expect((error as Error).message).toMatch(/ProvisionedThroughputExceededException/);
    expect(requests).toEqual(['PutItem', 'PutItem']);
    expect(runs).toBe(0);
    throttling = false;
    expect(await fn({}, context())).toBe(1);
    expect(await fn({}, context())).toBe(1);
  });

  it('keeps the lock when throttling stops the result being stored, so an immediate retry does not run the business logic again', async () => {
    const { client, store, raw, context } = await table();
    inject(client, 'UpdateItemCommand', throttled);
    let runs = 0;
    const fn = makeIdempotent(async () => ++runs, { store, key: () => 'u' });
    await expect(fn({}, context())).rejects.toMatchObject({ code: 'IDEMPOTENCY_STORE_FAILED', operation: 'complete' });
    expect((await raw(expectedKey('orders', '"u"')))?.status).toEqual({ S: 'IN_PROGRESS' });
    await expect(fn({}, context())).rejects.toBeInstanceOf(IdempotencyInProgressError);
    expect(runs).toBe(1);
  });

  it('reports an unreachable endpoint as IDEMPOTENCY_STORE_FAILED and never runs the business logic', async () => {
    const closed = await startLocalDynamo();
    await closed.close();
    const client = closed.client({ maxAttempts: 1 });
    clients.push(client);
    const store = dynamoDbStore({ client, tableName: 'idempotency' });
    let runs = 0;
    const fn = makeIdempotent(async () => ++runs, { store, key: () => 'x' });
    const error = await fn({}, createContext({ functionName: 'orders' })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_STORE_FAILED', operation: 'acquire' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(runs).toBe(0);
  });

  it('passes the invocation’s abort signal to the SDK: an aborted invocation sends nothing and runs nothing', async () => {
    const { store, raw } = await table();
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    let runs = 0;
    const fn = makeIdempotent(async () => ++runs, { store, key: () => 'a' });
    const context = { ...createContext({ functionName: 'orders' }), signal: controller.signal };
    await expect(fn({}, context)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_STORE_FAILED',
      operation: 'acquire',
      cause: { name: 'AbortError' },
    });
    expect(runs).toBe(0);
    expect(await raw(expectedKey('orders', '"a"'))).toBeUndefined();
  });
});

// Spawns a Node process: the limit guards against a hang on a loaded machine, it measures nothing.
describe('a sandbox killed in the middle of the business logic', { timeout: 60_000 }, () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

  it('leaves an IN_PROGRESS lock: a retry before its deadline is refused, after it runs and completes', async () => {
    if (!existsSync(dist))
      throw new Error(`build @lambdakit/idempotency first (npx tsc -p tsconfig.build.json): ${dist} is missing`);
    const { tableName, store, raw } = await table();
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '--no-warnings',
        '-e',
        `
        import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
        import { dynamoDbStore, makeIdempotent } from ${JSON.stringify(pathToFileURL(dist).href)};
        const client = new DynamoDBClient(JSON.parse(process.env.CLIENT_CONFIG));
        const store = dynamoDbStore({ client, tableName: process.env.TABLE_NAME });
        const deadline = Date.now() + 60_000;
        const context = { functionName: 'orders', getRemainingTimeInMillis: () => deadline - Date.now() };
        const charge = makeIdempotent(async () => {
          process.stdout.write('started\\n');
          setInterval(() => {}, 1000); // the business logic never ends: the parent kills us
          await new Promise(() => {});
        }, { store, key: (event) => event.id });
        await charge({ id: 'crash' }, context);
        `,
      ],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { ...process.env, CLIENT_CONFIG: JSON.stringify(local.clientConfig), TABLE_NAME: tableName },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
      child.on('exit', () => reject(new Error(`child exited before the business logic started: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const key = expectedKey('orders', '"crash"');
    const left = await store.get(key);
    expect(left).toMatchObject({ status: 'IN_PROGRESS' });
    const lockExpiry = left?.inProgressExpiration ?? Number.NaN;
    let now = lockExpiry - 1;
    let runs = 0;
    const retry = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        return 'recovered';
      },
      {
        store,
        key: (event: { id: string }) => event.id,
        now: () => now,
      },
    );
    const context = () => createContext({ functionName: 'orders', timeoutMs: 5_000, now: () => now });
    await expect(retry({ id: 'crash' }, context())).rejects.toMatchObject({
      name: 'IdempotencyInProgressError',
      inProgressExpiresAt: lockExpiry,
    });
    expect(runs).toBe(0);
    now = lockExpiry;
    expect(await retry({ id: 'crash' }, context())).toBe('recovered');
    expect(await retry({ id: 'crash' }, context())).toBe('recovered');
    expect(runs).toBe(1);
    expect((await raw(key))?.status).toEqual({ S: 'COMPLETED' });
  });
});
