import { createRetryStrategy, JitterStrategy } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { DeleteItemCommand, type DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { defineMiddleware, lambda, type Middleware } from '@lambdakit/core';
import { dynamoDbStore, idempotent } from '@lambdakit/idempotency';
import { parse } from '@lambdakit/parser';
import { type LocalDynamo, startLocalDynamo } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { durable } from './index.js';

// Real timers: the idempotency records go to a local DynamoDB over HTTP, which the runner's fake
// timers (skipTime) can stall. The retry delay below is one second of real time.
beforeEach(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: false }));
afterEach(() => LocalDurableTestRunner.teardownTestEnvironment());

const TABLE = 'idempotency';
let local: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  local = await startLocalDynamo();
  await local.createIdempotencyTable(TABLE);
  client = local.client();
});
afterAll(async () => {
  client.destroy();
  await local.close();
});
afterEach(async () => {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE }));
  for (const item of Items) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: item.id! } }));
});

async function records() {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
  return Items;
}

interface Order {
  orderId: string;
  fail?: boolean;
  quantity?: number;
}

const OrderSchema = z.object({
  orderId: z.string(),
  fail: z.boolean().optional(),
  quantity: z.number().positive().optional(),
});

/**
 * An order workflow behind `idempotent()`, keyed by the order id: a charge that fails once, so
 * the execution suspends and its retry runs in a second invocation, which reads the key's record.
 */
function orderWorkflow(options: { auditFails?: boolean; duringFirstAttempt?: (arn: string) => Promise<void> } = {}) {
  const seen = { bodies: 0, charges: 0, recordDuringRetry: undefined as Record<string, unknown> | undefined };
  const audit: Middleware<unknown, unknown, {}> = defineMiddleware({
    name: 'audit',
    after() {
      if (options.auditFails === true) throw new Error('audit log down');
    },
  });
  const handler = lambda()
    .use(
      idempotent({
        store: dynamoDbStore({ tableName: TABLE, client }),
        key: (event) => (event as Order).orderId,
        keyPrefix: 'orders',
      }),
    )
    .use(audit)
    .use(parse(OrderSchema))
    .handle(
      durable(async (event, ctx) => {
        const order = event as Order;
        seen.bodies++;
        if (order.fail === true) throw new Error('no such customer');
        const charged = await ctx.step(
          'charge',
          async (step) => {
            seen.charges++;
            if (step.attempt === 1) {
              await options.duringFirstAttempt?.(ctx.durableExecutionArn);
              throw new Error('card network busy');
            }
            const [record] = await records();
            seen.recordDuringRetry = {
              status: record?.status?.S,
              lockToken: record?.lockToken?.S,
              arn: ctx.durableExecutionArn,
            };
            return 42;
          },
          {
            retryStrategy: createRetryStrategy({
              maxAttempts: 3,
              initialDelay: { seconds: 1 },
              jitter: JitterStrategy.NONE,
            }),
          },
        );
        return { orderId: order.orderId, charged };
      }),
    );
  return { handler, seen };
}

describe('idempotent() in front of durable()', () => {
  it("holds the key for the whole execution under its ARN, then answers another execution of the key with the first one's result", async () => {
    const { handler, seen } = orderWorkflow();
    const first = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-1' },
    });
    expect(first.getStatus()).toBe('SUCCEEDED');
    expect(first.getResult()).toEqual({ orderId: 'o-1', charged: 42 });
    expect(first.getInvocations().length).toBeGreaterThanOrEqual(2);
    // Between the invocations the record stayed the execution's: IN_PROGRESS under its ARN.
    expect(seen.recordDuringRetry).toEqual({
      status: 'IN_PROGRESS',
      lockToken: seen.recordDuringRetry?.arn,
      arn: expect.stringMatching(/.+/),
    });
    const [record] = await records();
    expect(record?.status?.S).toBe('COMPLETED');
    expect(record?.lockToken).toBeUndefined();

    // A duplicate trigger (another execution, same order): answered with the stored result at
    // once; the workflow does not run, nothing is charged again.
    const second = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-1' },
    });
    expect(second.getStatus()).toBe('SUCCEEDED');
    expect(second.getResult()).toEqual({ orderId: 'o-1', charged: 42 });
    expect(second.getOperations()).toEqual([]);
    expect(seen.charges).toBe(2);
    expect(seen.bodies).toBeGreaterThanOrEqual(2);
    const bodiesBefore = seen.bodies;
    await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({ payload: { orderId: 'o-1' } });
    expect(seen.bodies).toBe(bodiesBefore);
  });

  it('gives the key up when the execution fails, so a new execution runs the workflow', async () => {
    const { handler, seen } = orderWorkflow();
    const failed = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-2', fail: true },
    });
    expect(failed.getStatus()).toBe('FAILED');
    expect(failed.getError().errorMessage).toBe('no such customer');
    expect(await records()).toEqual([]);
    const retried = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-2' },
    });
    expect(retried.getStatus()).toBe('SUCCEEDED');
    expect(seen.bodies).toBeGreaterThanOrEqual(3);
  });

  it('gives the key up when the first invocation fails before the workflow ran (a payload the chain refuses)', async () => {
    const { handler, seen } = orderWorkflow();
    const refused = await new LocalDurableTestRunner({ handlerFunction: handler as never })
      .run({ payload: { orderId: 'o-5', quantity: -1 } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'ParseError' });
    expect(seen.bodies).toBe(0);
    expect(await records()).toEqual([]);
    const corrected = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-5', quantity: 1 },
    });
    expect(corrected.getStatus()).toBe('SUCCEEDED');
  });

  it("completes the key with the SDK's answer even when a later middleware's hook fails", async () => {
    const { handler } = orderWorkflow({ auditFails: true });
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? '');
    process.on('warning', onWarning);
    try {
      const first = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
        payload: { orderId: 'o-6' },
      });
      expect(first.getStatus()).toBe('SUCCEEDED');
    } finally {
      process.off('warning', onWarning);
    }
    const [record] = await records();
    expect(record?.status?.S).toBe('COMPLETED');
    const duplicate = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-6' },
    });
    expect(duplicate.getResult()).toEqual({ orderId: 'o-6', charged: 42 });
  });

  it("refuses another execution's answer midway: the invocation fails rather than skip the rest of its steps", async () => {
    const store = dynamoDbStore({ tableName: TABLE, client });
    // While the first attempt runs, the key's record is completed under this execution's lock
    // with another answer: what a second execution leaves once the first one's lock has lapsed.
    const { handler, seen } = orderWorkflow({
      duringFirstAttempt: async (arn) => {
        const [record] = await records();
        const answer = JSON.stringify({ Status: 'SUCCEEDED', Result: '"someone else"' });
        await store.complete(
          {
            id: record!.id!.S!,
            status: 'COMPLETED',
            expiration: Math.ceil(Date.now() / 1000) + 3600,
            result: { encoding: 'json', data: answer },
          },
          arn,
        );
      },
    });
    const error = await new LocalDurableTestRunner({ handlerFunction: handler as never })
      .run({ payload: { orderId: 'o-7' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DURABLE_ANSWERED_EARLY' });
    expect((error as Error).message).toContain('raise expiresAfterSeconds');
    expect(seen.charges).toBe(1);
  });

  it('fails the invocation of another execution while the first one holds the key (Lambda retries it)', async () => {
    const key = await keyOf('o-3');
    const { handler, seen } = orderWorkflow();
    // What the first invocation of another execution leaves: its lock, held well into the future.
    const now = Date.now();
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          id: { S: key },
          status: { S: 'IN_PROGRESS' },
          expiration: { N: String(Math.ceil(now / 1000) + 3600) },
          inProgressExpiration: { N: String(now + 3_600_000) },
          lockToken: { S: 'arn:aws:lambda:us-east-1:123456789012:function:orders:1/durable-execution/other/1' },
        },
      }),
    );
    const error = await new LocalDurableTestRunner({ handlerFunction: handler as never })
      .run({ payload: { orderId: 'o-3' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    expect(seen.bodies).toBe(0);
    const [record] = await records();
    expect(record?.lockToken?.S).toMatch(/durable-execution\/other\/1$/);
  });
});

/** The record key `idempotent()` derives for an order: learnt from the record a run of its own leaves. */
async function keyOf(orderId: string): Promise<string> {
  const { handler } = orderWorkflow();
  await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({ payload: { orderId } });
  const [record] = await records();
  const id = record?.id?.S;
  if (id === undefined) throw new Error('the run left no record');
  await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: id } } }));
  return id;
}
