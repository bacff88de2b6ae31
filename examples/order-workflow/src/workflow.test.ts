import { randomUUID } from 'node:crypto';
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import { type DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { type OrderTables, orderStore } from './order-store.js';
import { type ChargePayment, createOrderWorkflow, type OrderWorkflowOptions } from './workflow.js';

const dynamo = sharedDynamo();
let client: DynamoDBClient;

// AWS's local runner: checkpoints in a worker thread; each resume is a new invocation that runs
// the handler from the top (a real replay). On the real clock: its `skipTime` installs fake
// timers over the whole process, under which the AWS SDK's HTTP requests to dynalite can stall.
// The workflow's retry delays are shortened instead (one second, Lambda's smallest).
beforeEach(async () => {
  await LocalDurableTestRunner.setupTestEnvironment();
  client = dynamo.client();
});
afterEach(async () => {
  client.destroy();
  await LocalDurableTestRunner.teardownTestEnvironment();
});
const tables: OrderTables = {
  stock: uniqueTableName('stock'),
  orders: uniqueTableName('orders'),
  payments: uniqueTableName('payments'),
};

beforeAll(async () => {
  await dynamo.createTable({ tableName: tables.stock, partitionKey: 'sku' });
  await dynamo.createTable({ tableName: tables.orders, partitionKey: 'orderId' });
  await dynamo.createTable({ tableName: tables.payments, partitionKey: 'orderId' });
});

/** A fresh article with `units` in stock, and an order of `quantity` of it. */
async function orderOf(quantity: number, units = 10) {
  const sku = `sku-${randomUUID()}`;
  await client.send(
    new PutItemCommand({
      TableName: tables.stock,
      Item: { sku: { S: sku }, available: { N: String(units) }, reserved: { M: {} } },
    }),
  );
  return { orderId: `o-${randomUUID()}`, lines: [{ sku, quantity }], total: 42 };
}

const available = async (sku: string) => {
  const { Item } = await client.send(new GetItemCommand({ TableName: tables.stock, Key: { sku: { S: sku } } }));
  return Number(Item?.available?.N);
};
const payments = async (orderId: string) => {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tables.payments, ConsistentRead: true }));
  return Items.filter((item) => item.orderId?.S === orderId).map((item) => Number(item.amount?.N));
};
const store = () => orderStore(client, tables, new AbortController().signal);

/** What the real logger and metrics wrote, across every invocation (and sandbox) of a run. */
function output() {
  const lines: Record<string, unknown>[] = [];
  return {
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    messages: () => lines.filter((line) => !('_aws' in line)).map((line) => line.message),
    metric: (name: string) => lines.filter((line) => '_aws' in line && name in line).map((line) => line[name]),
    lines,
  };
}

function workflow(out: ReturnType<typeof output>, options: Partial<OrderWorkflowOptions> = {}) {
  return createOrderWorkflow({ client, tables, destination: out.destination, retryDelaySeconds: 1, ...options });
}

/** Runs an execution; `pay` (if given) is the payment service's answer once the workflow waits for it. */
async function execute(handler: (event: never, context: never) => Promise<unknown>, order: object, pay?: object) {
  const runner = new LocalDurableTestRunner({ handlerFunction: handler as never });
  const running = runner.run({ payload: order });
  if (pay !== undefined) {
    const payment = runner.getOperation('payment');
    await payment.waitForData(WaitingOperationStatus.SUBMITTED);
    await payment.sendCallbackSuccess(JSON.stringify(pay));
  }
  return running;
}

describe('the order workflow, durable, against local DynamoDB', () => {
  it('reserves, waits for the payment, charges and ships, writing each log line and metric once', async () => {
    const out = output();
    const order = await orderOf(2);
    const result = await execute(workflow(out), order, { paymentId: 'p-1', amount: 42 });

    expect(result.getStatus()).toBe('SUCCEEDED');
    expect(result.getResult()).toEqual({
      orderId: order.orderId,
      status: 'shipped',
      shipmentId: `ship-${order.orderId}`,
    });
    expect(result.getInvocations().length).toBeGreaterThanOrEqual(2); // suspended while waiting for the payment
    expect(await available(order.lines[0]!.sku)).toBe(8);
    expect(await payments(order.orderId)).toEqual([42]);
    expect(await store().get(order.orderId)).toMatchObject({ status: 'shipped', callbackId: expect.any(String) });

    expect(out.messages()).toEqual([
      'order workflow started',
      'stock reserved',
      'waiting for the payment',
      'charging',
      'order shipped',
    ]);
    expect(out.metric('OrderValue')).toEqual([42]);
    expect(out.metric('OrdersShipped')).toEqual([1]);
    const shipped = out.lines.find((line) => line.message === 'order shipped')!;
    expect(shipped).toMatchObject({ service: 'order-workflow', durableExecutionArn: expect.any(String) });
  });

  it('retries a failing charge with backoff, each attempt logged once, charged once', async () => {
    const out = output();
    const order = await orderOf(1);
    let calls = 0;
    const flaky: ChargePayment = async (orderId, paymentId, amount) => {
      if (++calls < 3) throw new Error('payment provider unavailable');
      await store().charge(orderId, paymentId, amount);
    };
    const result = await execute(workflow(out, { chargePayment: flaky }), order, { paymentId: 'p-2', amount: 42 });

    expect(result.getResult()).toMatchObject({ status: 'shipped' });
    expect(calls).toBe(3);
    expect(await payments(order.orderId)).toEqual([42]);
    expect(out.lines.filter((line) => line.message === 'charging').map((line) => line.attempt)).toEqual([1, 2, 3]);
    expect(out.messages().filter((message) => message !== 'charging')).toEqual([
      'order workflow started',
      'stock reserved',
      'waiting for the payment',
      'order shipped',
    ]);
    expect(out.metric('OrderValue')).toEqual([42]);
  });

  it('cancels the order and gives the stock back when the payment does not come in time', async () => {
    const out = output();
    const order = await orderOf(3);
    const result = await execute(workflow(out, { paymentTimeoutSeconds: 1 }), order);

    expect(result.getResult()).toEqual({ orderId: order.orderId, status: 'cancelled', reason: 'CallbackTimeoutError' });
    expect(await available(order.lines[0]!.sku)).toBe(10);
    expect(await payments(order.orderId)).toEqual([]);
    expect(await store().get(order.orderId)).toMatchObject({ status: 'cancelled', reason: 'CallbackTimeoutError' });
    expect(out.messages()).toEqual([
      'order workflow started',
      'stock reserved',
      'waiting for the payment',
      'order cancelled',
    ]);
    expect(out.metric('OrdersCancelled')).toEqual([1]);
    expect(out.metric('OrderValue')).toEqual([]);
  });

  it('compensates a charge that fails on every attempt', async () => {
    const out = output();
    const order = await orderOf(4);
    const declined: ChargePayment = async () => {
      throw new Error('card declined');
    };
    const result = await execute(workflow(out, { chargePayment: declined }), order, { paymentId: 'p-3', amount: 42 });

    expect(result.getResult()).toEqual({ orderId: order.orderId, status: 'cancelled', reason: 'charge-failed' });
    expect(await available(order.lines[0]!.sku)).toBe(10);
    expect(out.lines.filter((line) => line.message === 'charging').map((line) => line.attempt)).toEqual([1, 2, 3, 4]);
    expect(out.metric('OrdersCancelled')).toEqual([1]);
  });

  it('refuses an order the stock cannot cover, reserving nothing', async () => {
    const out = output();
    const order = await orderOf(11);
    const result = await execute(workflow(out), order);
    expect(result.getResult()).toEqual({ orderId: order.orderId, status: 'refused' });
    expect(await available(order.lines[0]!.sku)).toBe(10);
    expect(await store().get(order.orderId)).toBeUndefined();
    expect(out.metric('OrdersRefused')).toEqual([1]);
  });

  it('resumes in a new sandbox after one is lost mid-charge: charged once, each line and metric once', async () => {
    // The local runner cannot re-invoke after a failed invocation, so the loss is modelled where
    // the SDK sees it: the charge step's attempt ends after the provider booked the payment and
    // before the step's checkpoint. The resume runs in a new sandbox (a new handler: new module
    // state, a cold start), replays everything before the charge, and runs the charge again.
    const out = output();
    const order = await orderOf(2);
    const first = workflow(out, {
      chargePayment: async (orderId, paymentId, amount) => {
        await store().charge(orderId, paymentId, amount);
        sandbox = second; // whatever runs next runs elsewhere
        throw new Error('sandbox lost');
      },
    });
    const second = workflow(out);
    let sandbox = first;
    const served = new Map([
      [first, 0],
      [second, 0],
    ]);
    const lambdaService = (event: never, context: never) => {
      served.set(sandbox, served.get(sandbox)! + 1);
      return sandbox(event, context);
    };
    const result = await execute(lambdaService, order, { paymentId: 'p-4', amount: 42 });

    expect(result.getResult()).toMatchObject({ status: 'shipped' });
    expect(await payments(order.orderId)).toEqual([42]); // the ledger refused the second booking
    expect(out.messages()).toEqual([
      'order workflow started',
      'stock reserved',
      'waiting for the payment',
      'charging',
      'charging',
      'order shipped',
    ]);
    expect(out.lines.filter((line) => line.message === 'charging').map((line) => line.attempt)).toEqual([1, 2]);
    expect(out.metric('OrderValue')).toEqual([42]);
    expect(out.metric('OrdersShipped')).toEqual([1]);
    expect(served.get(first)).toBeGreaterThanOrEqual(2); // before and after the payment
    expect(served.get(second)).toBe(1); // the resume: replayed up to the charge, then the rest
  });
});
